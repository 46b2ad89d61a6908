"""How one appearance of a story reads: text variations (truncation, headline variants, captions) and teaser layouts.

`shown_headline` and `shown_lede` give the text one page shows: the canonical headline or a
variant, the lede clean or with its entity residue, its dateline kept or dropped, maybe
truncated. A layout is one small function that turns that `View` into the teaser's lines;
`LAYOUTS` holds two disjoint sets, "dev" (the layouts the segmenter was developed on) and
"heldout" (layouts it never saw). `crawl_gen.py` lays out its stories with the "dev" set too.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date
from typing import Callable

from bench.oracle.quality import strip_dateline
from bench.oracle.stories import Item

TRUNCATE_SHARE = 0.25
TRUNCATE_WORDS = (15, 30)
RAW_ENTITY_SHARE = 0.3  # AG text shown with its `#39;` / `\` residue
QUOT_NOISE_SHARE = 0.1  # quotes written as &quot; / &#39;
DATELINE_STRIP_SHARE = 0.4
CAPTION_SUFFIXES = ["", "", " headquarters", " (file photo)", " officials", " in a file picture"]
CAPTION_CREDITS = ["Photo: Reuters", "Picture: AP", "Image: AFP/Getty", "Photograph: staff"]
ENTITY = re.compile(r"(?<=\s)([A-Z][a-z]+(?:\s[A-Z][a-z]+)+)")
WIRE_SUFFIX = re.compile(r"\s\((?:AP|Reuters|AFP|Reuters\.com|SPACE\.com|Ziff Davis|washingtonpost\.com)\)$")
WORD_SWAPS = {"says": "said", "wins": "takes", "rises": "climbs", "falls": "drops", "to": "will",
              "US": "U.S.", "new": "fresh", "hits": "strikes", "plans": "unveils", "cuts": "slashes"}
INSERT_WORDS = ["new", "latest", "big", "further", "major"]
BULLETS = ["\u2022 ", "- "]
SYNTH_CITIES = ["LONDON", "PARIS", "BERLIN", "MADRID", "ROME", "DUBLIN", "OSLO", "VIENNA"]


# --- text variations ---

def truncate(text: str, rng: random.Random) -> str:
    """The text cut at a word boundary after 15-30 words (not counting a dateline), ending in "..." or "…"."""
    tokens = text.split()
    limit = rng.randint(*TRUNCATE_WORDS) + len(tokens) - len(strip_dateline(text).split())
    if len(tokens) <= limit + 3:
        return text
    return " ".join(tokens[:limit]).rstrip(",;:") + rng.choice(["...", "\u2026", " ..."])


def quote_noise(text: str) -> str:
    """Quotes written as HTML entities, as some feeds do."""
    return text.replace('"', "&quot;").replace("'", "&#39;")


def near_copy(headline: str, rng: random.Random) -> str:
    """The headline with one word inserted, removed or changed."""
    tokens = headline.split()
    swappable = [i for i, t in enumerate(tokens) if t in WORD_SWAPS]
    choice = rng.random()
    if swappable and choice < 0.4:
        i = rng.choice(swappable)
        tokens[i] = WORD_SWAPS[tokens[i]]
    elif len(tokens) > 4 and choice < 0.7:
        del tokens[rng.randrange(1, len(tokens))]
    else:
        tokens.insert(rng.randrange(1, len(tokens)), rng.choice(INSERT_WORDS))
    return " ".join(tokens)


def headline_variant(headline: str, rng: random.Random) -> str:
    """Another page's version of the headline: wire suffix dropped, case changed, or a near copy."""
    if WIRE_SUFFIX.search(headline):
        return WIRE_SUFFIX.sub("", headline)
    choice = rng.random()
    if choice < 0.3:
        small = {"a", "an", "the", "of", "in", "on", "to", "for", "and", "at", "by", "with"}
        return " ".join(w if (i and w.lower() in small) else w[:1].upper() + w[1:] for i, w in enumerate(headline.split()))
    if choice < 0.5:
        first, *rest = headline.split()
        return " ".join([first, *(w if w.isupper() else w.lower() for w in rest)])
    return near_copy(headline, rng)


def caption_for(item: Item, rng: random.Random) -> str:
    """A short photo caption made from a named entity of the story, or its first headline words."""
    names = ENTITY.findall(f" {item.headline} {item.lede}")
    if names:
        return rng.choice(names[:3]) + rng.choice(CAPTION_SUFFIXES)
    return " ".join(item.headline.split()[:3])


def format_day(day: date, layouts: str, rng: random.Random) -> str:
    """A date line in one of the layout set's formats."""
    if layouts == "dev":
        return rng.choice([f"{day.day} {day:%B %Y}", day.isoformat()])
    return rng.choice([f"{day:%A}, {day.day} {day:%B %Y}", f"{day:%b} {day.day}, {day.year}"])


def shown_lede(item: Item, rng: random.Random, teaser: bool) -> str:
    """The lede as one appearance shows it: raw entity residue or clean, dateline or not, maybe truncated."""
    text = item.raw_lede if item.source == "ag" and rng.random() < RAW_ENTITY_SHARE else item.lede
    if rng.random() < DATELINE_STRIP_SHARE:
        text = re.sub(r"^\s*(?:[A-Z][A-Z.' ,]+\s)?\([A-Za-z.' ]+\)\s*-\s*|^\s*[A-Za-z.]+\s+-\s+", "", text, count=1)
    if rng.random() < QUOT_NOISE_SHARE:
        text = quote_noise(text)
    if teaser and rng.random() < TRUNCATE_SHARE:
        text = truncate(text, rng)
    return text.strip()


def shown_headline(item: Item, variant: bool, rng: random.Random) -> str:
    """The headline as one appearance shows it: the canonical one (maybe with entity residue) or a variant."""
    if variant:
        return headline_variant(item.headline, rng)
    return item.raw_headline.strip() if item.source == "ag" and rng.random() < RAW_ENTITY_SHARE else item.headline


# --- teaser layouts: one small function each, (headline, lede, item, rng) -> lines ---

@dataclass
class View:
    """One appearance of a story: the headline and lede this page shows."""

    headline: str
    lede: str
    item: Item
    site_name: str


def layout_repeat(v: View, rng: random.Random) -> list[str]:
    """(a) headline line, then a paragraph repeating it exactly and going on with the lede."""
    return [v.headline, f"{v.headline} {v.lede}"]


def layout_near_repeat(v: View, rng: random.Random) -> list[str]:
    """(b) a near copy of the headline on its own line, then the headline and lede."""
    return [near_copy(v.headline, rng), f"{v.headline} {v.lede}"]


def layout_runon(v: View, rng: random.Random) -> list[str]:
    """(c) headline and lede run together on one line."""
    return [f"{v.headline} {v.lede}"]


def layout_headline_lede(v: View, rng: random.Random) -> list[str]:
    """(d) headline line, then the lede paragraph."""
    return [v.headline, v.lede]


def layout_headline_after(v: View, rng: random.Random) -> list[str]:
    """(heldout) headline and lede run together, then the headline again on a line after."""
    return [f"{v.headline} {v.lede}", v.headline]


def layout_site_suffix(v: View, rng: random.Random) -> list[str]:
    """(heldout) "Headline | Site name" line, then the lede."""
    return [f"{v.headline} | {v.site_name}", v.lede]


def layout_bullet(v: View, rng: random.Random) -> list[str]:
    """(heldout) a bulleted run-on teaser."""
    return [f"{rng.choice(BULLETS)}{v.headline} {v.lede}"]


def layout_repeat_dateline(v: View, rng: random.Random) -> list[str]:
    """(heldout) headline line, then a paragraph repeating it followed by a dateline and the lede."""
    if strip_dateline(v.lede) != v.lede:  # the lede brings its own dateline
        return [v.headline, f"{v.headline} {v.lede}"]
    return [v.headline, f"{v.headline} {rng.choice(SYNTH_CITIES)} ({v.site_name}) - {v.lede}"]


def layout_markdown(v: View, rng: random.Random) -> list[str]:
    """(heldout) a markdown-ish "## Headline" line, then the lede."""
    return [f"## {v.headline}", v.lede]


LAYOUTS: dict[str, list[Callable[[View, random.Random], list[str]]]] = {
    "dev": [layout_runon, layout_runon, layout_repeat, layout_near_repeat, layout_headline_lede],
    "heldout": [layout_headline_after, layout_site_suffix, layout_bullet, layout_repeat_dateline, layout_markdown],
}


def caption_lines(caption: str, layouts: str, rng: random.Random) -> list[str]:
    """(e) one caption line (dev) or a caption plus a credit line (heldout)."""
    return [caption] if layouts == "dev" else [caption, rng.choice(CAPTION_CREDITS)]

"""Compose a crawl of news pages from real headline+lede data, and write down the truth.

    python bench/compose.py OUT_DIR [--stories N] [--seed S] [--layouts dev|heldout]
                            [--source ag|bbc|both] [--data-dir ../shared/corpora]

Writes OUT_DIR/crawl/<site>/... (the pages, for `lede index OUT_DIR/crawl`),
OUT_DIR/truth.jsonl (one line per story: key, headline, headlines, lede, body, pages)
and OUT_DIR/blocks.jsonl (per page, which story each block belongs to).
The source data is read at run time and never copied into the repository.
`dev` and `heldout` use disjoint layout variations and, by default, disjoint source rows
(dev: even rows, heldout: odd rows).
"""
from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import random
import re
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Callable

if __package__:
    from .quality import clean_text, headline_key, lede_shingles, shingles, strip_dateline, words
else:  # run as a script: bench/ is on sys.path
    from quality import clean_text, headline_key, lede_shingles, shingles, strip_dateline, words

# the research corpora sit beside the checkout (../shared/corpora); LEDE_CORPORA overrides
DEFAULT_DATA_DIR = Path(os.environ.get("LEDE_CORPORA", Path(__file__).resolve().parents[2] / "shared" / "corpora"))
DEFAULT_STORIES = 500
ROWS = {"even": (0,), "odd": (1,), "all": (0, 1)}  # which source rows feed the stories
DEFAULT_ROWS = {"dev": "even", "heldout": "odd"}
MIN_LEDE_WORDS = 8
MIN_HEADLINE_WORDS = 2
NEAR_DUP_SHARE = 0.4  # source stories sharing this much of a lede's first shingles are dropped
APPEARANCES = {1: 16, 2: 24, 3: 24, 4: 17, 5: 11, 6: 8}  # pages per story -> weight (mean about 3)
MAX_APPEARANCES = 6
ARTICLE_SHARE = {"bbc": 0.6, "ag": 0.3, "trap": 0.2}
TRAP_SHARE = 0.04
TRAP_DUP_SHARE = 0.25  # traps share their headline, so their ledes must differ more
MIN_TRAPS = 8
VARIANT_SHARE = 0.35  # teaser appearances (beyond the first) that show a headline variant
TRUNCATE_SHARE = 0.25
TRUNCATE_WORDS = (15, 30)
RAW_ENTITY_SHARE = 0.3  # AG text shown with its `#39;` / `\` residue
QUOT_NOISE_SHARE = 0.1  # quotes written as &quot; / &#39;
DATELINE_STRIP_SHARE = 0.4
CAPTION_SHARE = 0.25
CAPTION_REUSE_SHARE = 0.15
DATE_LINE_SHARE = 0.2
READ_MORE_SHARE = 0.15
RELATED_SHARE = 0.35
RELATED_COUNT = (2, 4)
TEASERS_PER_PAGE = (5, 14)
PAGINATED_SHARE = 0.4
PAGINATION_OVERLAP = 2
JSONL_SHARE = {"dev": 0.25, "heldout": 1.0}  # listing pages written as JSONL records
ARTICLE_JSONL_SHARE = 0.25
JSONL_URL_SHARE = 0.7
JSONL_BATCH = 12
GZIP_SHARE = 0.12
CP1252_SHARE = 0.06
SITES = {
    "dev": ["dailyherald", "worldwire", "metrotimes", "globepost", "citygazette"],
    "heldout": ["northstar", "evening-ledger", "bayreport", "capitolnews", "harbourpress"],
}
SECTIONS = ["world", "business", "sport", "technology", "politics", "entertainment", "latest"]
AG_CLASSES = {"1": "world", "2": "sport", "3": "business", "4": "technology"}
BOILERPLATE = {
    "dev": {
        "menu": ["Home", "World", "Sports", "Business", "Technology", "Entertainment"],
        "breadcrumb": "You are here",
        "footer": ["Read more", "Subscribe to our newsletter", "\u00a9 2004 {name}. All rights reserved."],
        "read_more": "Read more",
        "related": "Related stories",
    },
    "heldout": {
        "menu": ["Skip to content", "Front page", "Top stories", "Most read", "Opinion", "Weather"],
        "breadcrumb": "Home \u203a {section}",
        "footer": ["Back to top", "Terms of use | Privacy policy", "Copyright {name} 2004\u20132005"],
        "read_more": "Continue reading \u00bb",
        "related": "More on this story",
    },
}
CP1252_FLOURISH = "\u201cNews you can trust\u201d \u2013 caf\u00e9 edition"
CAPTION_SUFFIXES = ["", "", " headquarters", " (file photo)", " officials", " in a file picture"]
CAPTION_CREDITS = ["Photo: Reuters", "Picture: AP", "Image: AFP/Getty", "Photograph: staff"]
ENTITY = re.compile(r"(?<=\s)([A-Z][a-z]+(?:\s[A-Z][a-z]+)+)")
WIRE_SUFFIX = re.compile(r"\s\((?:AP|Reuters|AFP|Reuters\.com|SPACE\.com|Ziff Davis|washingtonpost\.com)\)$")
WORD_SWAPS = {"says": "said", "wins": "takes", "rises": "climbs", "falls": "drops", "to": "will",
              "US": "U.S.", "new": "fresh", "hits": "strikes", "plans": "unveils", "cuts": "slashes"}
INSERT_WORDS = ["new", "latest", "big", "further", "major"]
BULLETS = ["\u2022 ", "- "]
SYNTH_CITIES = ["LONDON", "PARIS", "BERLIN", "MADRID", "ROME", "DUBLIN", "OSLO", "VIENNA"]


GAP = "gap"  # block kind of the blank line that separates teasers on some sites


# --- records ---

@dataclass
class Item:
    """One story: a source row (AG or BBC) or a synthetic trap, cleaned; raw text kept for noise."""

    key: str
    source: str  # "ag" | "bbc" | "trap"
    section: str
    headline: str
    lede: str
    body: list[str]
    raw_headline: str
    raw_lede: str
    day: date


@dataclass
class Block:
    """One block (line) of a page and what it belongs to: a story key, "boilerplate", "caption" or "date"."""

    text: str
    kind: str


@dataclass
class Page:
    """One page to write: its blocks, where it goes and how it is encoded."""

    site: str
    section: str
    name: str
    title: str
    day: date
    stories: list[str] = field(default_factory=list)  # teaser stories in order
    article: str | None = None  # the story whose own page this is
    related: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    jsonl: bool = False
    gz: bool = False
    cp1252: bool = False
    url: str | None = None
    id: str = ""


@dataclass
class Truth:
    """What the composer knows about one story: headlines shown and pages."""

    headlines: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)

    def add_headline(self, headline: str) -> None:
        """Record a headline variant as shown (cleaned), once."""
        if headline not in self.headlines:
            self.headlines.append(headline)


# --- source data ---

def _usable(headline: str, lede: str) -> bool:
    """A source row the benchmark can use: long enough, no escaped HTML, lede not opening with the headline."""
    if any(mark in f"{headline} {lede}" for mark in ("<", ">", "&lt;", "&gt;", " lt;", " gt;")):
        return False
    if len(headline.split()) < MIN_HEADLINE_WORDS or len(lede.split()) < MIN_LEDE_WORDS:
        return False
    return not headline_key(lede).startswith(headline_key(headline))


def _random_day(rng: random.Random, start: date, days: int) -> date:
    """A day in [start, start + days)."""
    return start + timedelta(days=rng.randrange(days))


def load_ag(data_dir: Path, parity: int, rng: random.Random) -> list[Item]:
    """AG News test rows of the given parity (0 even, 1 odd) as items."""
    items = []
    with open(data_dir / "ag_news" / "test.csv", newline="", encoding="utf-8") as fh:
        for n, (cls, title, desc) in enumerate(csv.reader(fh)):
            if n % 2 != parity:
                continue
            title, desc = title.strip(), desc.strip()
            headline, lede = clean_text(title), clean_text(desc)
            if _usable(headline, lede):
                items.append(Item(f"ag-{n}", "ag", AG_CLASSES.get(cls, "latest"), headline, lede, [], title, desc,
                                  _random_day(rng, date(2004, 7, 1), 180)))
    return items


def _read_bbc_file(path: Path) -> str:
    """A BBC article's text (UTF-8, one file is Latin-1)."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def load_bbc(data_dir: Path, parity: int, rng: random.Random) -> list[Item]:
    """BBC articles of the given parity as items, exact duplicates dropped."""
    items, seen = [], set()
    files = sorted((data_dir / "bbc_news" / "bbc").glob("*/*.txt"))
    for n, path in enumerate(files):
        if n % 2 != parity:
            continue
        text = _read_bbc_file(path)
        if text in seen:
            continue
        seen.add(text)
        lines = [ln.strip() for ln in text.splitlines()]
        paras = [p for p in lines[1:] if p]
        if not lines or not paras:
            continue
        headline, lede = clean_text(lines[0]), clean_text(paras[0])
        if _usable(headline, lede):
            key = f"bbc-{path.parent.name}-{path.stem}"
            items.append(Item(key, "bbc", path.parent.name.replace("tech", "technology"), headline, lede,
                              [clean_text(p) for p in paras[1:]], lines[0], paras[0],
                              _random_day(rng, date(2004, 9, 1), 300)))
    return items


class NearDupFilter:
    """Accepts stories whose lede shares little with every accepted story's text, and the reverse."""

    def __init__(self) -> None:
        self.lede_postings: dict[tuple, list[int]] = {}  # shingle of an accepted lede's start -> stories
        self.text_postings: dict[tuple, list[int]] = {}  # shingle anywhere in an accepted story -> stories
        self.sizes: list[int] = []
        self.headlines: set[str] = set()

    @staticmethod
    def _hits(grams, postings: dict[tuple, list[int]]) -> dict[int, int]:
        """How many of the shingles each accepted story holds."""
        hits: dict[int, int] = {}
        for gram in grams:
            for i in postings.get(gram, ()):
                hits[i] = hits.get(i, 0) + 1
        return hits

    def accept(self, headline: str, lede: str, body: list[str] = (), share: float = NEAR_DUP_SHARE) -> bool:
        """Add the story unless its headline repeats, or its lede and another story's text overlap."""
        grams = lede_shingles(lede)
        text = set(shingles(words(" ".join([headline, lede, *body]))))
        hkey = headline_key(headline)
        if not grams or hkey in self.headlines:
            return False
        if any(c / len(grams) >= share for c in self._hits(grams, self.text_postings).values()):
            return False
        if any(c / self.sizes[i] >= share for i, c in self._hits(text, self.lede_postings).items()):
            return False
        n = len(self.sizes)
        self.sizes.append(len(grams))
        self.headlines.add(hkey)
        for gram in grams:
            self.lede_postings.setdefault(gram, []).append(n)
        for gram in text:
            self.text_postings.setdefault(gram, []).append(n)
        return True


# --- synthetic traps: recurring headlines with different ledes, shared sentences, same people ---

def _trap(key: str, section: str, headline: str, lede: str, day: date) -> Item:
    """A synthetic item (its raw text is its clean text)."""
    return Item(key, "trap", section, headline, lede, [], headline, lede, day)


def trap_schedule(rng: random.Random, n: int, day: date) -> Item:
    """A "Today's schedule" listing: same headline every day, different events and times."""
    events = ["The city marathon", "A jazz festival", "The farmers' market", "A council hearing", "The book fair",
              "A charity concert", "The flower show", "A chess tournament", "The river regatta", "A film premiere"]
    venues = ["Central Park", "the Town Hall", "Riverside Arena", "the Old Library", "Market Square",
              "the Royal Theatre", "Victoria Gardens", "the Civic Centre", "Harbour Pier", "the Corn Exchange"]
    e1, e2 = rng.sample(events, 2)
    v1, v2 = rng.sample(venues, 2)
    lede = (f"{e1} starts at {rng.randint(7, 11)}.{rng.choice(['00', '15', '30', '45'])} at {v1}, "
            f"where {rng.randint(20, 900)} people are expected. {e2.replace('The', 'the').replace('A ', 'a ', 1)} "
            f"follows at {rng.randint(1, 8)}pm at {v2}, with tickets at {rng.randint(3, 40)} pounds "
            f"and {rng.randint(2, 60)} stalls. Roads near {rng.choice(venues)} close at {rng.randint(5, 11)}pm.")
    return _trap(f"trap-schedule-{n}", "latest", "Today's schedule", lede, day)


def trap_around(rng: random.Random, n: int, day: date) -> Item:
    """An "Around the world" digest: same headline, different places and events."""
    places = ["In Lima", "In Oslo", "In Nairobi", "In Hanoi", "In Quito", "In Riga", "In Perth", "In Accra",
              "In Tbilisi", "In Manila", "In Dakar", "In Tallinn"]
    events = ["firefighters contained a forest blaze near the airport",
              "voters queued for hours at polling stations",
              "a new metro line opened to passengers",
              "fishermen protested against fuel prices",
              "a museum returned looted statues to a temple",
              "students marched against tuition fees",
              "a ferry ran aground without injuries",
              "the central bank left rates unchanged",
              "a heatwave broke records for the month",
              "farmers blocked a motorway with tractors",
              "a zoo welcomed twin panda cubs",
              "miners ended a week-long strike"]
    parts = [f"{p}, {e} on {rng.choice(['Monday', 'Tuesday', 'Friday', 'Sunday'])}."
             for p, e in zip(rng.sample(places, 3), rng.sample(events, 3))]
    return _trap(f"trap-around-{n}", "world", "Around the world", " ".join(parts), day)


def trap_weather(rng: random.Random, n: int, day: date) -> Item:
    """A daily weather report: one headline, numbers and places that change."""
    city = rng.choice(["London", "Leeds", "Cardiff", "Glasgow", "Belfast", "Bristol", "Norwich", "Exeter"])
    sky = rng.choice(["sunny spells", "heavy showers", "thick fog", "light drizzle", "clear skies", "gusty winds"])
    lede = (f"{city} can expect {sky} with highs of {rng.randint(4, 29)}C and lows of {rng.randint(-3, 15)}C, "
            f"winds of {rng.randint(5, 45)} mph from the {rng.choice(['north', 'south', 'east', 'west'])} "
            f"and a {rng.randint(5, 95)} per cent chance of rain after {rng.randint(1, 11)}pm. "
            f"Sunrise is at {rng.randint(5, 8)}.{rng.randint(10, 59)}am.")
    return _trap(f"trap-weather-{n}", "latest", "Weather: the outlook for today", lede, day)


def trap_market(rng: random.Random, n: int, day: date) -> Item:
    """A market close report: the same words every day, only the numbers change."""
    lede = (f"The FTSE 100 closed {rng.randint(2, 90)} points higher at {rng.randint(4300, 4999)} on "
            f"{day.day} {day:%B}, the Dow Jones added {rng.randint(3, 150)} to {rng.randint(9800, 10900)} and the "
            f"Nasdaq gained {rng.randint(2, 60)} to {rng.randint(1800, 2200)}. Brent crude ended at "
            f"{rng.randint(30, 55)}.{rng.randint(10, 99)} dollars and the pound at {rng.randint(170, 195)} cents.")
    return _trap(f"trap-market-{n}", "business", "Market report", lede, day)


PEOPLE_EVENTS = [
    ("Varga and Brandt open new bridge over the Sella",
     "Mayor Elena Varga and Governor Tomas Brandt cut the ribbon on the Sella river crossing, a four-lane bridge "
     "that took six years to build and replaces a ferry used by commuters since the 1950s."),
    ("Varga and Brandt clash over school budget",
     "Mayor Elena Varga accused Governor Tomas Brandt of starving city schools of money after the regional "
     "assembly voted to cut classroom funding by a tenth for the coming year."),
    ("Brandt backs Varga for second term",
     "Governor Tomas Brandt said he would campaign for Mayor Elena Varga in next spring's election, ending "
     "months of speculation about a rift between the two party colleagues."),
    ("Varga and Brandt visit flood-hit villages",
     "Mayor Elena Varga and Governor Tomas Brandt toured villages along the lower valley where floodwater "
     "forced hundreds of families from their homes over the weekend."),
    ("Varga hosts Brandt at harbour festival",
     "Thousands of visitors watched fireworks over the harbour as Mayor Elena Varga welcomed Governor Tomas "
     "Brandt to the opening night of the annual sea festival."),
    ("Brandt and Varga sign transport pact",
     "A regional transport agreement signed by Governor Tomas Brandt and Mayor Elena Varga promises a tram "
     "link to the airport and cheaper bus fares for pensioners by 2007."),
]


def trap_people(rng: random.Random, n: int, day: date) -> Item | None:
    """Different events about the same two (fictional) people."""
    if n >= len(PEOPLE_EVENTS):
        return None
    headline, lede = PEOPLE_EVENTS[n]
    return _trap(f"trap-people-{n}", "politics", headline, lede, day)


def _first_sentence(text: str) -> str:
    """The first sentence of a lede (dateline removed), when it plainly ends in a lowercase word and a full stop."""
    match = re.match(r"(.+? [a-z]{3,}[.!?])\s+[A-Z]", strip_dateline(text))
    return match.group(1) if match else ""


def _plain(item: Item) -> bool:
    """A source item whose lede has no dateline (a shared sentence can open it)."""
    return item.source != "trap" and strip_dateline(item.lede) == item.lede


def shared_sentence_pairs(items: list[Item], rng: random.Random, count: int) -> list[Item]:
    """Rewrite `count` items so each opens with a short first sentence of another item (they stay 2 stories)."""
    donors = [it for it in items if it.source != "trap" and 6 <= len(_first_sentence(it.lede).split()) <= 11
              and len(strip_dateline(it.lede).split()) >= 32][:count]
    rewritten, used = [], {it.key for it in donors}
    for donor in donors:
        pool = [it for it in items if it.section == donor.section and _plain(it) and it.key not in used]
        if not pool:
            continue
        target = rng.choice(pool)
        used.add(target.key)
        target.lede = target.raw_lede = f"{_first_sentence(donor.lede)} {target.lede}"
        target.key += "-shared"
        rewritten.append(target)
    return rewritten


TRAP_MAKERS: list[Callable] = [trap_schedule, trap_around, trap_weather, trap_market, trap_people]


def make_traps(rng: random.Random, count: int, dupes: NearDupFilter) -> list[Item]:
    """About `count` synthetic traps, each distinct enough from the others to be its own story."""
    traps, n_by_maker = [], {m.__name__: 0 for m in TRAP_MAKERS}
    attempts = 0
    while len(traps) < count and attempts < count * 20:
        attempts += 1
        maker = TRAP_MAKERS[attempts % len(TRAP_MAKERS)]
        n = n_by_maker[maker.__name__]
        item = maker(rng, n, _random_day(rng, date(2004, 8, 1), 150))
        if item is None:
            continue
        if dupes.accept(f"{item.headline} {item.key}", item.lede, share=TRAP_DUP_SHARE):  # headlines recur
            traps.append(item)
            n_by_maker[maker.__name__] += 1
    return traps


def select_items(data_dir: Path, stories: int, seed: int, layouts: str, source: str, rows: str) -> list[Item]:
    """N stories for this seed: source rows (even, odd or all), near duplicates dropped, plus traps."""
    rng = random.Random(seed)
    parities = ROWS[rows or DEFAULT_ROWS[layouts]]
    pool: list[Item] = []
    for parity in parities:
        if source in ("ag", "both"):
            pool += load_ag(data_dir, parity, rng)
        if source in ("bbc", "both"):
            pool += load_bbc(data_dir, parity, rng)
    rng.shuffle(pool)
    dupes = NearDupFilter()
    n_traps = min(stories // 2, max(MIN_TRAPS, round(stories * TRAP_SHARE)))
    traps = make_traps(rng, n_traps, dupes)
    chosen = []
    for item in pool:
        if len(chosen) >= stories - len(traps):
            break
        if dupes.accept(item.headline, item.lede, item.body):
            chosen.append(item)
    shared_sentence_pairs(chosen, rng, max(2, len(traps) // 5))
    items = chosen + traps
    rng.shuffle(items)
    return items


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


# --- laying stories out over pages ---

@dataclass
class Site:
    """A site: its folder, display name and fixed boilerplate."""

    folder: str
    name: str
    header: list[str]
    footer: list[str]
    blank_lines: bool  # blocks separated by blank lines, like the seed


def make_sites(rng: random.Random, layouts: str) -> list[Site]:
    """3-5 sites with their recurring navigation and footer lines."""
    vocab = BOILERPLATE[layouts]
    sites = []
    for folder in rng.sample(SITES[layouts], rng.randint(3, 5)):
        name = " ".join(w.capitalize() for w in folder.split("-"))
        menu = vocab["menu"] if rng.random() < 0.5 else [" | ".join(vocab["menu"])]
        footer = [line.format(name=name) for line in vocab["footer"]]
        sites.append(Site(folder, name, menu, footer, rng.random() < 0.5))
    return sites


def plan_appearances(items: list[Item], sites: list[Site], rng: random.Random) -> tuple[list[Page], dict[str, list]]:
    """Article pages, and per site the list of teaser appearances (story keys) to spread over listings."""
    weights = list(APPEARANCES.values())
    articles, teasers = [], {s.folder: [] for s in sites}
    for item in items:
        count = rng.choices(list(APPEARANCES), weights)[0]
        home = rng.choice(sites)
        if rng.random() < ARTICLE_SHARE[item.source]:
            slug = re.sub(r"[^a-z0-9]+", "-", item.headline.lower()).strip("-")[:50] or "story"
            articles.append(Page(home.folder, item.section, f"{slug}-{len(articles)}", item.headline, item.day,
                                 article=item.key))
            count -= 1
        for _ in range(count):
            teasers[rng.choice(sites).folder].append(item)
    return articles, teasers


def _chunk(queue: list[Item], size: int) -> list[Item]:
    """Take up to `size` distinct stories off the queue (a story appears once per page)."""
    page, keys, rest = [], set(), []
    while queue and len(page) < size:
        item = queue.pop(0)
        (rest if item.key in keys else page).append(item)
        keys.add(item.key)
    queue[:0] = rest
    return page


def plan_listings(teasers: dict[str, list[Item]], rng: random.Random) -> list[Page]:
    """Listing pages per site; some sections paginated with teasers overlapping from page 1 to page 2."""
    pages = []
    for folder, queue in teasers.items():
        rng.shuffle(queue)
        by_section: dict[str, int] = {}
        while queue:
            section = rng.choice(SECTIONS)
            chunk = _chunk(queue, rng.randint(*TEASERS_PER_PAGE))
            number = by_section[section] = by_section.get(section, 0) + 1
            day = max(it.day for it in chunk)
            page = Page(folder, section, f"page-{number}", section.capitalize(), day, [it.key for it in chunk])
            pages.append(page)
            if queue and rng.random() < PAGINATED_SHARE:
                follow = _chunk(queue, rng.randint(*TEASERS_PER_PAGE))
                overlap = [k for k in page.stories[-PAGINATION_OVERLAP:] if k not in {it.key for it in follow}]
                number = by_section[section] = number + 1
                pages.append(Page(folder, section, f"page-{number}", f"{section.capitalize()} (page {number})", day,
                                  overlap + [it.key for it in follow]))
    return pages


def add_related(articles: list[Page], items: list[Item], rng: random.Random) -> None:
    """Give some article pages a "Related stories" list of 2-4 other stories."""
    for page in articles:
        if rng.random() < RELATED_SHARE:
            others = [it.key for it in rng.sample(items, min(len(items), RELATED_COUNT[1] + 1)) if it.key != page.article]
            page.related = others[: rng.randint(*RELATED_COUNT)]


def choose_variants(pages: list[Page], rng: random.Random) -> set[tuple[int, str]]:
    """(page index, story key) teaser appearances that show a headline variant: always a minority per story."""
    shown: dict[str, list[int]] = {}
    for p, page in enumerate(pages):
        for key in page.stories + page.related:
            shown.setdefault(key, []).append(p)
    variants = set()
    for key, where in shown.items():
        budget = (len(where) - 1) // 2
        for p in where[1:]:
            if budget and rng.random() < VARIANT_SHARE:
                variants.add((p, key))
                budget -= 1
    return variants


# --- rendering ---

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


def teaser_blocks(item: Item, view: View, layouts: str, layout: Callable, rng: random.Random,
                  last_caption: list[str]) -> list[Block]:
    """One teaser's blocks: optional caption and date lines, the layout's lines, optional "read more"."""
    blocks = []
    if rng.random() < CAPTION_SHARE:
        reuse = last_caption and rng.random() < CAPTION_REUSE_SHARE
        caption = last_caption[0] if reuse else caption_for(item, rng)
        last_caption[:] = [caption]
        blocks += [Block(line, "caption") for line in caption_lines(caption, layouts, rng)]
    if rng.random() < DATE_LINE_SHARE:
        blocks.append(Block(format_day(item.day, layouts, rng), "date"))
    blocks += [Block(line, item.key) for line in layout(view, rng)]
    if rng.random() < READ_MORE_SHARE:
        blocks.append(Block(BOILERPLATE[layouts]["read_more"], "boilerplate"))
    return blocks


def page_header(site: Site, page: Page, layouts: str) -> list[Block]:
    """The navigation, breadcrumb and section lines every page of a site carries."""
    crumb = BOILERPLATE[layouts]["breadcrumb"].format(section=page.section.capitalize())
    lines = site.header + [crumb]
    if page.article is None:
        lines.append(f"{page.section.capitalize()} news" if layouts == "dev" else f"{page.section.upper()} \u2014 {site.name}")
    return [Block(line, "boilerplate") for line in lines]


def render_listing(page: Page, site: Site, items: dict[str, Item], layouts: str, variants: set, p: int,
                   truth: dict[str, Truth], rng: random.Random) -> None:
    """Fill a listing page's blocks; each page mixes a dominant layout with the others."""
    dominant = rng.choice(LAYOUTS[layouts])
    blocks = page_header(site, page, layouts)
    if rng.random() < DATE_LINE_SHARE:
        blocks.append(Block(format_day(page.day, layouts, rng), "date"))
    last_caption: list[str] = []
    for key in page.stories:
        blocks.append(Block("", GAP))
        item = items[key]
        view = View(shown_headline(item, (p, key) in variants, rng), shown_lede(item, rng, True), item, site.name)
        truth[key].add_headline(clean_text(view.headline))
        layout = dominant if rng.random() < 0.7 else rng.choice(LAYOUTS[layouts])
        blocks += teaser_blocks(item, view, layouts, layout, rng, last_caption)
    page.blocks = blocks + [Block("", GAP)] + [Block(line, "boilerplate") for line in site.footer]


def render_article(page: Page, site: Site, items: dict[str, Item], layouts: str, variants: set, p: int,
                   truth: dict[str, Truth], rng: random.Random) -> None:
    """Fill an article page: headline, date, lede, body, then maybe related-story teasers."""
    item = items[page.article]
    truth[item.key].add_headline(item.headline)
    blocks = page_header(site, page, layouts) + [Block(item.headline, item.key)]
    blocks.append(Block(format_day(item.day, layouts, rng), "date"))
    if rng.random() < CAPTION_SHARE:
        blocks += [Block(line, "caption") for line in caption_lines(caption_for(item, rng), layouts, rng)]
    blocks.append(Block(shown_lede(item, rng, False), item.key))
    blocks += [Block(para, item.key) for para in item.body]
    if page.related:
        blocks.append(Block(BOILERPLATE[layouts]["related"], "boilerplate"))
        for key in page.related:
            blocks.append(Block("", GAP))
            other = items[key]
            view = View(shown_headline(other, (p, key) in variants, rng), shown_lede(other, rng, True), other, site.name)
            truth[key].add_headline(clean_text(view.headline))
            blocks += [Block(line, key) for line in rng.choice(LAYOUTS[layouts])(view, rng)]
    page.blocks = blocks + [Block(line, "boilerplate") for line in site.footer]


# --- writing ---

def _encodable(page: Page) -> bool:
    """True when every block of the page can be written in cp1252."""
    try:
        "\n".join(b.text for b in page.blocks).encode("cp1252")
        return True
    except UnicodeEncodeError:
        return False


def choose_formats(pages: list[Page], layouts: str, rng: random.Random) -> None:
    """Decide per page: JSONL record or .txt file, gzipped, cp1252."""
    for page in pages:
        share = ARTICLE_JSONL_SHARE if page.article else JSONL_SHARE[layouts]
        page.jsonl = rng.random() < share
        page.gz = rng.random() < GZIP_SHARE
        if not page.jsonl and not page.gz and rng.random() < CP1252_SHARE:
            page.blocks.append(Block(CP1252_FLOURISH, "boilerplate"))
            page.cp1252 = _encodable(page)
            if not page.cp1252:
                page.blocks = [b for b in page.blocks if b.text != CP1252_FLOURISH]


def _page_text(page: Page, site: Site) -> str:
    """A page's blocks as text: one block per line; on some sites two blank lines between teasers (like the seed)."""
    gap = ["", ""] if site.blank_lines and not page.jsonl else []
    lines = [line for b in page.blocks for line in (gap if b.kind == GAP else [b.text])]
    return "\n".join(lines) + "\n"


def _write_bytes(path: Path, data: bytes, gz: bool) -> None:
    """Write a file, gzipped (deterministically: no name, no mtime) or not."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if gz:
        data = gzip.compress(data, mtime=0)
    path.write_bytes(data)


def write_pages(crawl: Path, pages: list[Page], sites: dict[str, Site], rng: random.Random) -> None:
    """Write .txt pages and JSONL batches, setting each page's id as Lede computes it."""
    batches: dict[tuple[str, bool], list[Page]] = {}
    for page in pages:
        site = sites[page.site]
        kind = "articles" if page.article else page.section
        rel = f"{page.site}/{kind}/{page.name}.txt" + (".gz" if page.gz else "")
        if page.jsonl:
            batches.setdefault((page.site, page.gz), []).append(page)
            continue
        page.id = rel
        text = _page_text(page, site)
        _write_bytes(crawl / rel, text.encode("cp1252" if page.cp1252 else "utf-8"), page.gz)
    for (folder, gz), members in sorted(batches.items()):
        for b in range(0, len(members), JSONL_BATCH):
            rel = f"{folder}/feeds/feed-{b // JSONL_BATCH + 1:03d}.jsonl" + (".gz" if gz else "")
            lines = []
            for n, page in enumerate(members[b : b + JSONL_BATCH], 1):
                kind = "articles" if page.article else page.section
                url = f"https://www.{folder}.example/{kind}/{page.name}" if rng.random() < JSONL_URL_SHARE else None
                page.url, page.id = url, url or f"{rel}:{n}"
                record = {"url": url, "title": page.title, "date": page.day.isoformat(),
                          "text": _page_text(page, sites[folder]).rstrip("\n")}
                if url is None:
                    del record["url"]
                lines.append(json.dumps(record, ensure_ascii=False))
            _write_bytes(crawl / rel, ("\n".join(lines) + "\n").encode("utf-8"), gz)


def write_truth(out: Path, items: list[Item], pages: list[Page], truth: dict[str, Truth]) -> None:
    """truth.jsonl (one line per story) and blocks.jsonl (per page, what each block is)."""
    for page in pages:
        for key in dict.fromkeys(b.kind for b in page.blocks if b.kind in truth):
            truth[key].pages.append(page.id)
    with open(out / "truth.jsonl", "w", encoding="utf-8") as fh:
        for item in items:
            t = truth[item.key]
            row = {"key": item.key, "source": item.source, "headline": item.headline,
                   "headlines": [item.headline] + [h for h in t.headlines if h != item.headline],
                   "lede": item.lede, "body": "\n\n".join(item.body), "date": item.day.isoformat(), "pages": t.pages}
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    with open(out / "blocks.jsonl", "w", encoding="utf-8") as fh:
        for page in pages:
            row = {"page": page.id, "blocks": [[b.kind, b.text[:80]] for b in page.blocks if b.kind != GAP]}
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def _decode_page(data: bytes) -> str:
    """A .txt page's text: UTF-8, else cp1252."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def read_crawl(crawl: str | Path) -> dict[str, list[str]]:
    """Every page of a composed crawl as {page id: non-empty lines}, ids as Lede computes them (for checks)."""
    crawl, pages = Path(crawl), {}
    for path in sorted(p for p in crawl.rglob("*") if p.is_file()):
        rel = path.relative_to(crawl).as_posix()
        data = path.read_bytes()
        data = gzip.decompress(data) if rel.endswith(".gz") else data
        if rel.removesuffix(".gz").endswith(".jsonl"):
            for n, line in enumerate(data.decode("utf-8").splitlines(), 1):
                if line.strip():
                    record = json.loads(line)
                    pages[record.get("url") or f"{rel}:{n}"] = [x for x in record["text"].split("\n") if x.strip()]
        else:
            pages[rel] = [x for x in _decode_page(data).splitlines() if x.strip()]
    return pages


def compose(out_dir: str | Path, stories: int = DEFAULT_STORIES, seed: int = 0, layouts: str = "dev",
            source: str = "both", data_dir: str | Path = DEFAULT_DATA_DIR, rows: str | None = None) -> dict:
    """Compose a crawl and its truth under out_dir; return a summary (counts of stories, pages, files)."""
    if layouts not in LAYOUTS:
        raise ValueError(f"layouts must be one of {sorted(LAYOUTS)}")
    out, rng = Path(out_dir), random.Random(seed)
    crawl = out / "crawl"
    if crawl.exists() and any(crawl.iterdir()):
        raise FileExistsError(f"{crawl} is not empty; choose a new OUT_DIR")
    items = select_items(Path(data_dir), stories, seed, layouts, source, rows)
    by_key = {it.key: it for it in items}
    sites = make_sites(rng, layouts)
    articles, teasers = plan_appearances(items, sites, rng)
    add_related(articles, items, rng)
    pages = articles + plan_listings(teasers, rng)
    variants = choose_variants(pages, rng)
    truth = {it.key: Truth() for it in items}
    site_by = {s.folder: s for s in sites}
    for p, page in enumerate(pages):
        render = render_article if page.article else render_listing
        render(page, site_by[page.site], by_key, layouts, variants, p, truth, rng)
    choose_formats(pages, layouts, rng)
    out.mkdir(parents=True, exist_ok=True)
    write_pages(crawl, pages, site_by, rng)
    write_truth(out, items, pages, truth)
    listings = sum(1 for t in truth.values() for _ in t.pages)
    return {"stories": len(items), "traps": sum(it.source == "trap" for it in items),
            "requested": stories, "pages": len(pages), "sites": len(sites),
            "files": sum(1 for f in crawl.rglob("*") if f.is_file()),
            "jsonl_pages": sum(p.jsonl for p in pages), "gz_pages": sum(p.gz for p in pages),
            "cp1252_pages": sum(p.cp1252 for p in pages), "mean_pages_per_story": round(listings / max(1, len(items)), 2)}


def main(argv: list[str] | None = None) -> int:
    """CLI: compose one crawl and print its summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir")
    parser.add_argument("--stories", type=int, default=DEFAULT_STORIES)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--layouts", choices=sorted(LAYOUTS), default="dev")
    parser.add_argument("--source", choices=["ag", "bbc", "both"], default="both")
    parser.add_argument("--data-dir", default=str(DEFAULT_DATA_DIR))
    parser.add_argument("--rows", choices=sorted(ROWS), help="source rows to use (default: even for dev, odd for heldout)")
    args = parser.parse_args(argv)
    summary = compose(args.out_dir, args.stories, args.seed, args.layouts, args.source, args.data_dir, args.rows)
    print(json.dumps(summary))
    if summary["stories"] < args.stories:
        print(f"note: only {summary['stories']} distinct stories available (capped at the source size)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

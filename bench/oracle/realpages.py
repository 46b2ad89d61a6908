"""Real-page benchmark: Lede on German news front and section pages, scored against the pages' own links.

    python -m bench.oracle.realpages [--snapshots 2026-03-01,2026-02-01] [--work DIR] [--html] [--export FILE] [--json]

The pages are the raw HTML of `de_news_frontpages/html/<snapshot>/<site>/<page>.html.gz` (six snapshots
of 15 German sites, in the research corpora; never copied into the project). The method is issue 13's:

- **Pages** (`load_pages`, `page_text`): every page but impressum*/datenschutz*, decoded as UTF-8 (bad
  bytes replaced), turned into block-per-line text: the contents of script, style, noscript, svg,
  iframe, select, template and head dropped, a line break at each block-level tag (`BLOCK_TAGS`),
  whitespace collapsed, empty lines and empty pages dropped. `write_text_pages` lays them out as
  `text/<site>/<snapshot>__<page>.txt`, `write_html_pages` the same pages' raw HTML as
  `html/<site>/<snapshot>__<page>.html`; either folder is indexed with the real CLI
  (`python -m indexer index`) and exported (`python -m indexer export`) by `index_and_export`.
- **Truth** (`page_links`, `build_truth`): every `<a>` whose address, resolved against
  `https://www.<site>/`, is on the page's site (its host without `www.` is the site) and looks like an
  article (its last path segment has `MIN_SLUG_HYPHENS` hyphens or a run of `MIN_ID_DIGITS` digits) is a
  teaser of the story at that address. Its headline is the text of the heading (h1-h6) inside the link,
  else of the heading around it, else the link's own text, text pieces joined by spaces; kept when it
  has 4 to 30 words. Addresses compare as host without `www.` plus path. A link's headline is its most
  frequent text; links whose headlines share `SAME_STORY_JACCARD` of their words are one truth story.
- **Scoring** (`record_holds`, `score`): words are `\\w+`, lowercased. A record holds a link when it
  lists a page the link is on and either one of its headlines has 80% of its words in the link's
  headline and holds half of the link's words or five of them (a link's text may carry a kicker), or
  its text opens with 80% of the link's words (found, under a wrong headline). Page names compare
  without their `.txt`/`.html` suffix, so an export of the text pages and one of the HTML pages are
  scored against the same truth. `truth_records` is the truth itself as an export, scored the same
  way to show the measure's own noise.

HTML is parsed with selectolax's Lexbor parser (one parse per page serves the text and the links).
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from math import ceil
from pathlib import Path
from typing import Iterable, Iterator
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from bench.oracle.stories import DEFAULT_DATA_DIR

CORPUS = DEFAULT_DATA_DIR / "de_news_frontpages" / "html"
SKIPPED_PAGES = ("impressum", "datenschutz")  # legal pages: no teasers, only boilerplate
DROPPED_TAGS = ("script", "style", "noscript", "svg", "iframe", "select", "template", "head")
BLOCK_TAGS = frozenset("""address article aside blockquote br dd div dl dt fieldset figcaption figure footer
    form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table td th tr ul title""".split())
HEADING_TAGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))

MIN_SLUG_HYPHENS = 3  # an article address's last segment is a slug of 4+ words ...
MIN_ID_DIGITS = 5  # ... or carries an article number
MIN_HEADLINE_WORDS = 4  # shorter link texts are menus, kickers, "mehr"
MAX_HEADLINE_WORDS = 30  # longer ones are whole teasers (headline and lede in one link)
SAME_STORY_JACCARD = 0.8  # links whose headlines share this much of their words are one story

HEADLINE_IN_LINK_SHARE = 0.8  # of a record headline's words that must be in the link's headline ...
LINK_WORDS_HELD_SHARE = 0.5  # ... while holding this share of the link's words ...
LINK_WORDS_HELD_ENOUGH = 5  # ... or this many of them (the link's text may carry a kicker)
TEXT_OPENING_SHARE = 0.8  # of the link's words a record's text must open with (found, wrong headline)
MERGED_JACCARD = 0.5  # a record holding links whose headlines share less than this merges stories

WORD = re.compile(r"\w+")
PAGE_SUFFIX = re.compile(r"\.(txt|html)$")


def words(text: str) -> list[str]:
    """The text's words: runs of \\w, lowercased."""
    return WORD.findall(text.lower())


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """Word-set Jaccard similarity (0 for two empty sets)."""
    return len(a & b) / len(a | b) if a or b else 0.0


def page_key(name: str) -> str:
    """A page name as records and truth compare it: `<site>/<snapshot>__<page>`, without .txt/.html."""
    return PAGE_SUFFIX.sub("", name)


# --- pages ---

@dataclass
class SourcePage:
    """One crawled page of a snapshot: its raw HTML and its block-per-line text."""

    site: str
    snapshot: str
    name: str  # the page's file stem, e.g. "politik"
    html: str
    text: str = ""

    @property
    def key(self) -> str:
        """The page's name in the benchmark's folders, without suffix: `<site>/<snapshot>__<page>`."""
        return f"{self.site}/{self.snapshot}__{self.name}"


def parse(html: str) -> LexborHTMLParser:
    """The page parsed, with the contents of DROPPED_TAGS removed."""
    tree = LexborHTMLParser(html)
    tree.strip_tags(list(DROPPED_TAGS))
    return tree


def _tree(page: str | LexborHTMLParser) -> LexborHTMLParser:
    return parse(page) if isinstance(page, str) else page


def page_text(page: str | LexborHTMLParser) -> str:
    """Block-per-line text of a page (HTML or parsed): a break at each BLOCK_TAGS tag, whitespace collapsed."""
    pieces: list[str] = []
    stack: list[tuple[LexborNode, bool]] = [(_tree(page).root, False)]
    while stack:  # depth first without recursion: pages nest deeper than Python's recursion allows
        node, leaving = stack.pop()
        tag = node.tag
        if leaving:
            pieces.append("\n")
        elif tag == "-text":
            pieces.append((node.text_content or "").replace("\n", " ").replace("\r", " "))  # a break in the source is a space
        elif not tag.startswith("-"):  # an element, not a comment or doctype
            if tag in BLOCK_TAGS:
                pieces.append("\n")
                stack.append((node, True))
            stack.extend((child, False) for child in reversed(list(node.iter(include_text=True))))
    lines = (" ".join(line.split()) for line in "".join(pieces).split("\n"))
    return "\n".join(line for line in lines if line)


def _skipped(name: str) -> bool:
    return name.startswith(SKIPPED_PAGES)


def snapshots(corpus: Path = CORPUS) -> list[str]:
    """The snapshot folders of the corpus, oldest first."""
    return sorted(p.name for p in corpus.iterdir() if p.is_dir())


def pick_snapshots(wanted: Iterable[str] | None, corpus: Path = CORPUS) -> list[str]:
    """The snapshots named (a name or its prefix each, e.g. "2026-03"), all when none are; unknown ones fail."""
    available = snapshots(corpus)
    if not wanted:
        return available
    picked = []
    for prefix in wanted:
        matches = [s for s in available if s.startswith(prefix)]
        if not matches:
            raise ValueError(f"no snapshot {prefix!r} in {corpus} (have {', '.join(available)})")
        picked += [s for s in matches if s not in picked]
    return picked


def iter_source_pages(picked: Iterable[str], corpus: Path = CORPUS) -> Iterator[SourcePage]:
    """The raw pages of the snapshots, impressum/datenschutz left out, decoded as UTF-8 with bad bytes replaced."""
    for snapshot in picked:
        for path in sorted((corpus / snapshot).glob("*/*.html.gz")):
            name = path.name.removesuffix(".html.gz")
            if _skipped(name):
                continue
            html = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
            yield SourcePage(site=path.parent.name, snapshot=snapshot, name=name, html=html)


# --- truth ---

@dataclass
class Link:
    """A story's address and its headline (most frequent text), with the pages that link to it."""

    address: str
    headline: str
    words: frozenset[str]
    pages: set[str]
    story: int = -1  # the truth story it belongs to (an index into Truth.stories)


@dataclass
class Truth:
    """The links of the benchmark's pages, grouped into truth stories."""

    links: list[Link]
    stories: list[list[int]]  # each story: the indexes of its links
    pages: list[str]  # page keys of the benchmark, with or without links
    by_page: dict[str, list[int]] = field(default_factory=dict)  # page key -> indexes of the links on it
    frequency: Counter = field(default_factory=Counter)  # word -> links whose headline has it
    by_word: dict[str, set[int]] = field(default_factory=dict)  # word -> links whose headline has it
    by_rare_word: dict[str, set[int]] = field(default_factory=dict)  # word -> links with it in rare_words


def _article_address(href: str, site: str) -> str | None:
    """The address (host without www., path) of an article on `site`, or None for anything else."""
    try:
        parts = urlsplit(urljoin(f"https://www.{site}/", href.strip()))
    except ValueError:
        return None
    host = (parts.hostname or "").removeprefix("www.")
    if parts.scheme not in ("http", "https") or host != site:  # subdomains (shop., jobs., sportbild.) are other sites
        return None
    last = parts.path.rstrip("/").rsplit("/", 1)[-1]
    if last.count("-") < MIN_SLUG_HYPHENS and not re.search(r"\d{%d,}" % MIN_ID_DIGITS, last):
        return None
    return host + parts.path


def _spaced_text(node: LexborNode) -> str:
    """A node's text, its pieces joined by spaces, whitespace collapsed."""
    return " ".join(node.text(deep=True, separator=" ").split())


def _teaser_headline(link: LexborNode) -> str:
    """The text of the heading inside the link, else around it, else the link's own text."""
    heading = link.css_first("h1, h2, h3, h4, h5, h6")
    if heading is None:
        parent = link.parent
        while parent is not None and parent.tag not in HEADING_TAGS:
            parent = parent.parent
        heading = parent
    return _spaced_text(heading if heading is not None else link)


def page_links(page: str | LexborHTMLParser, site: str) -> list[tuple[str, str]]:
    """The page's article links as (address, headline), headlines of 4 to 30 words only, in page order."""
    found = []
    for link in _tree(page).css("a[href]"):
        address = _article_address(link.attributes.get("href") or "", site)
        if address is None:
            continue
        headline = _teaser_headline(link)
        if MIN_HEADLINE_WORDS <= len(words(headline)) <= MAX_HEADLINE_WORDS:
            found.append((address, headline))
    return found


def load_pages(picked: Iterable[str], corpus: Path = CORPUS) -> tuple[list[SourcePage], dict[str, list[tuple[str, str]]]]:
    """The benchmark's pages (those with text) and each one's article links, from one parse per page."""
    pages, links = [], {}
    for page in iter_source_pages(picked, corpus):
        tree = parse(page.html)
        page.text = page_text(tree)
        if not page.text:
            continue
        pages.append(page)
        links[page.key] = page_links(tree, page.site)
    return pages, links


def _cluster(sets: list[frozenset[str]], threshold: float) -> list[list[int]]:
    """Groups of sets joined by Jaccard >= threshold (transitively), by prefix filtering on rare-first words."""
    parent = list(range(len(sets)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    frequency = Counter(w for s in sets for w in s)
    by_prefix_word: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(sets):
        ordered = sorted(s, key=lambda w: (frequency[w], w))
        prefix = ordered[: len(ordered) - ceil(threshold * len(ordered)) + 1]
        candidates = {j for w in prefix for j in by_prefix_word[w]}
        for j in candidates:
            if jaccard(s, sets[j]) >= threshold:
                parent[find(i)] = find(j)
        for w in prefix:
            by_prefix_word[w].append(i)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(sets)):
        groups[find(i)].append(i)
    return list(groups.values())


def build_truth(page_links_by_key: dict[str, list[tuple[str, str]]]) -> Truth:
    """Links (address, most frequent headline, pages) and truth stories from each page's article links."""
    texts: dict[str, Counter] = defaultdict(Counter)
    on_pages: dict[str, set[str]] = defaultdict(set)
    for key, found in page_links_by_key.items():
        for address, headline in found:
            texts[address][headline] += 1
            on_pages[address].add(key)
    links = []
    for address, counts in texts.items():
        headline = counts.most_common(1)[0][0]
        links.append(Link(address, headline, frozenset(words(headline)), on_pages[address]))
    stories = _cluster([link.words for link in links], SAME_STORY_JACCARD)
    for n, members in enumerate(stories):
        for i in members:
            links[i].story = n
    by_page: dict[str, list[int]] = defaultdict(list)
    for i, link in enumerate(links):
        for key in link.pages:
            by_page[key].append(i)
    frequency = Counter(w for link in links for w in link.words)
    by_word: dict[str, set[int]] = defaultdict(set)
    by_rare_word: dict[str, set[int]] = defaultdict(set)
    for i, link in enumerate(links):
        for w in link.words:
            by_word[w].add(i)
        for w in rare_words(link.words, TEXT_OPENING_SHARE, frequency):
            by_rare_word[w].add(i)
    return Truth(links=links, stories=stories, pages=sorted(page_links_by_key), by_page=dict(by_page),
                 frequency=frequency, by_word=dict(by_word), by_rare_word=dict(by_rare_word))


def rare_words(words_set: frozenset[str], share: float, frequency: Counter) -> list[str]:
    """The rarest words of a set, so many that any set holding `share` of its words holds one of them."""
    ordered = sorted(words_set, key=lambda w: (frequency[w], w))
    return ordered[: len(ordered) - ceil(share * len(ordered)) + 1]


# --- scoring ---

@dataclass
class Record:
    """An export record as the scorer reads it: its headlines' word sets, its text's opening, its pages."""

    headlines: list[frozenset[str]]
    opening: list[str]
    pages: frozenset[str]
    export: dict

    @classmethod
    def from_export(cls, story: dict) -> "Record":
        """The scorer's view of one `lede export` line."""
        names = [story.get("headline") or ""] + list(story.get("headlines") or [])
        headline_sets = list(dict.fromkeys(frozenset(words(h)) for h in names if words(h)))
        opening = words(" ".join((story.get("text") or "").split()[:MAX_HEADLINE_WORDS]))[:MAX_HEADLINE_WORDS]
        return cls(headline_sets, opening, frozenset(page_key(p) for p in story.get("pages") or ()), story)


def _as_record(record: Record | dict) -> Record:
    return record if isinstance(record, Record) else Record.from_export(record)


def held_by_headline(headline: frozenset[str], link: Link) -> bool:
    """A record headline holds a link: 80% of its words are in the link's, and it has half the link's or five."""
    shared = len(headline & link.words)
    return (shared >= HEADLINE_IN_LINK_SHARE * len(headline)
            and (shared >= LINK_WORDS_HELD_SHARE * len(link.words) or shared >= LINK_WORDS_HELD_ENOUGH))


def held_by_text(opening: list[str], link: Link) -> bool:
    """A record's text opens with 80% of the link's words (within as many words as the link's headline has)."""
    shared = link.words & frozenset(opening[: len(link.words)])
    return len(shared) >= TEXT_OPENING_SHARE * len(link.words)


def record_holds(record: Record | dict, link: Link) -> str | None:
    """How a record (or an export dict) holds a link: "headline", "text", or None when it does not."""
    record = _as_record(record)
    if not (record.pages & link.pages):
        return None
    if any(held_by_headline(h, link) for h in record.headlines):
        return "headline"
    return "text" if held_by_text(record.opening, link) else None


@dataclass
class Score:
    """The figures of one export against the truth, with what each record holds."""

    found: float  # truth stories held by a record
    right_headline: float  # truth stories held by a record's headline
    split: float  # truth stories held by 2+ records
    merged: float  # records holding links whose headlines share < MERGED_JACCARD of their words
    no_link: float  # records holding no link
    counts: dict
    holds: list[dict[int, str]]  # per record: link index -> "headline" | "text"

    def figures(self) -> dict[str, float]:
        """The five figures by name."""
        return {name: getattr(self, name) for name in FIGURES}


FIGURES = ("found", "right_headline", "split", "merged", "no_link")
FIGURE_NAMES = {
    "found": "linked stories found",
    "right_headline": "... with the right headline",
    "split": "stories split over 2+ records",
    "merged": "records merging different stories",
    "no_link": "records holding no linked story",
}


def record_links(record: Record | dict, truth: Truth) -> dict[int, str]:
    """The links a record holds (link index -> "headline" | "text"), looked up through its pages."""
    record = _as_record(record)
    on_pages = {i for key in record.pages for i in truth.by_page.get(key, ())}
    # only links that can pass a test: holding one of a headline's rarest words, or a rare word of theirs opening the text
    sharing = set()
    for headline in record.headlines:
        for w in rare_words(headline, HEADLINE_IN_LINK_SHARE, truth.frequency):
            sharing |= truth.by_word.get(w, set())
    for w in set(record.opening):
        sharing |= truth.by_rare_word.get(w, set())
    candidates = on_pages & sharing
    held = {}
    for i in sorted(candidates):
        how = record_holds(record, truth.links[i])
        if how:
            held[i] = how
    return held


def _merges(held: dict[int, str], truth: Truth) -> bool:
    """The record holds two links whose headlines share less than MERGED_JACCARD of their words."""
    sets = list({truth.links[i].words for i in held})
    return any(jaccard(a, b) < MERGED_JACCARD for n, a in enumerate(sets) for b in sets[n + 1:])


def score(records: Iterable[Record | dict], truth: Truth) -> Score:
    """The figures of an export (records or export dicts) against the truth."""
    records = [_as_record(r) for r in records]
    holds = [record_links(r, truth) for r in records]
    holders: dict[int, set[int]] = defaultdict(set)  # story -> records holding one of its links
    by_headline: set[int] = set()
    for n, held in enumerate(holds):
        for i, how in held.items():
            story = truth.links[i].story
            holders[story].add(n)
            if how == "headline":
                by_headline.add(story)
    stories, total = len(truth.stories) or 1, len(records) or 1
    counts = {"pages": len(truth.pages), "links": len(truth.links), "truth stories": len(truth.stories),
              "records": len(records)}
    return Score(
        found=len(holders) / stories,
        right_headline=len(by_headline) / stories,
        split=sum(len(r) >= 2 for r in holders.values()) / stories,
        merged=sum(_merges(held, truth) for held in holds) / total,
        no_link=sum(not held for held in holds) / total,
        counts=counts, holds=holds)


def _record_address(url: str | None) -> str | None:
    """A record's url as the truth writes addresses: host without www. and path."""
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return (parts.hostname or "").removeprefix("www.") + parts.path


def diagnose(records: list[Record | dict], truth: Truth, result: Score) -> dict[str, dict[str, int]]:
    """Why records hold no link and stories are not found, counted by what the record's own url
    says (a diagnosis beside the figures, which it does not change): a record at an address the
    truth has no headline for (its link's text is empty, or its first heading a short kicker),
    or at an address the truth does not take for an article's, is a teaser the truth cannot see."""
    exports = [(_as_record(r).export) for r in records]
    addresses = {link.address: i for i, link in enumerate(truth.links)}
    at: dict[str, list[int]] = defaultdict(list)
    for n, story in enumerate(exports):
        address = _record_address(story.get("url"))
        if address is not None:
            at[address].append(n)
    no_link: Counter = Counter()
    for n, held in enumerate(result.holds):
        if held:
            continue
        story = exports[n]
        address = _record_address(story.get("url"))
        if address is None:
            no_link["no url"] += 1
        elif address in addresses:
            i = addresses[address]
            kicker = frozenset(words(story.get("kicker") or ""))
            no_link["a truth link's address, the truth's headline its kicker" if kicker and truth.links[i].words <= kicker
                    else "a truth link's address, another headline"] += 1
        elif _article_address(story["url"], address.split("/", 1)[0]) is not None:
            no_link["an article address the truth has no headline for"] += 1
        else:
            no_link["an address the truth takes for no article's"] += 1
    found = {truth.links[i].story for held in result.holds for i in held}
    not_found: Counter = Counter()
    for story, members in enumerate(truth.stories):
        if story in found:
            continue
        there = [exports[n] for i in members for n in at.get(truth.links[i].address, ())]
        if not there:
            not_found["no record at its address"] += 1
        elif any(truth.links[members[0]].words <= frozenset(words(r.get("kicker") or "")) for r in there):
            not_found["a record at its address, whose kicker is the truth's headline"] += 1
        else:
            not_found["a record at its address, with another headline"] += 1
    return {"no link": dict(no_link.most_common()), "not found": dict(not_found.most_common())}


def check_floors(result: Score, floors: dict[str, float]) -> list[str]:
    """The figures that miss their floor (or exceed a `_max` ceiling), as messages; a figure with neither fails too."""
    failures = []
    for name in FIGURES:
        value = getattr(result, name)
        if name in floors:
            if value < floors[name]:
                failures.append(f"{name} = {value:.4f}, floor {floors[name]}")
        elif f"{name}_max" in floors:
            if value > floors[f"{name}_max"]:
                failures.append(f"{name} = {value:.4f}, max {floors[name + '_max']}")
        else:
            failures.append(f"{name} = {value:.4f} has no floor or max in the floors file")
    return failures


def truth_records(truth: Truth) -> list[dict]:
    """The truth as an export: one record per link, its headline, no text, its pages.

    Links of one truth story stay apart, as different stories under recurring headlines should, so
    the truth's own split shows how often near-identical headlines of different links hold each other.
    """
    return [{"id": f"truth-{n}", "headline": link.headline, "headlines": [link.headline], "text": "",
             "caption": None, "pages": sorted(key + ".txt" for key in link.pages)}
            for n, link in enumerate(truth.links)]


def _shown(record: Record) -> dict:
    """An export record cut short for reading: headline, headlines, caption, the text's opening, a page."""
    story = record.export
    return {"headline": story.get("headline"), "headlines": story.get("headlines"), "caption": story.get("caption"),
            "text": " ".join((story.get("text") or "").split()[:25]), "pages": (story.get("pages") or [])[:2]}


def failures(records: list[Record | dict], truth: Truth, result: Score, limit: int = 10) -> dict[str, list[dict]]:
    """Up to `limit` examples of each failure: stories not found or found by text only, split, merged, empty records."""
    records = [_as_record(r) for r in records]
    holders: dict[int, list[int]] = defaultdict(list)  # story -> records holding it
    how_held: dict[int, set[str]] = defaultdict(set)
    for n, held in enumerate(result.holds):
        for i, how in held.items():
            holders[truth.links[i].story].append(n)
            how_held[truth.links[i].story].add(how)
    by_page: dict[str, list[int]] = defaultdict(list)
    for n, record in enumerate(records):
        for key in record.pages:
            by_page[key].append(n)
    link_of = {story: members[0] for story, members in enumerate(truth.stories)}
    shown: dict[str, list[dict]] = {kind: [] for kind in ("not found", "wrong headline", "split", "merged", "no link")}

    def link_view(i: int) -> dict:
        link = truth.links[i]
        return {"headline": link.headline, "address": link.address, "pages": sorted(link.pages)[:2]}

    for story, members in enumerate(truth.stories):
        i = link_of[story]
        if story not in holders and len(shown["not found"]) < limit:
            key = sorted(truth.links[i].pages)[0]
            near = [records[n] for n in by_page.get(key, ())
                    if truth.links[i].words & (frozenset(records[n].opening) | frozenset().union(*records[n].headlines))]
            near.sort(key=lambda r: -max((len(h & truth.links[i].words) for h in r.headlines), default=0))
            shown["not found"].append({"link": link_view(i), "records on its page": [_shown(r) for r in near[:2]]})
        elif how_held[story] == {"text"} and len(shown["wrong headline"]) < limit:
            shown["wrong headline"].append({"link": link_view(i), "records": [_shown(records[n]) for n in holders[story][:2]]})
        if len(set(holders.get(story, ()))) >= 2 and len(shown["split"]) < limit:
            shown["split"].append({"link": link_view(i), "records": [_shown(records[n]) for n in sorted(set(holders[story]))[:3]]})
    for n, held in enumerate(result.holds):
        if not held and len(shown["no link"]) < limit:
            shown["no link"].append({"record": _shown(records[n])})
        elif held and _merges(held, truth) and len(shown["merged"]) < limit:
            shown["merged"].append({"record": _shown(records[n]), "links": [link_view(i) for i in list(held)[:3]]})
    return shown


# --- the crawl on disk, Lede's index and export ---

def _write_pages(pages: Iterable[SourcePage], out_dir: Path, suffix: str, content: str) -> int:
    count = 0
    for page in pages:
        path = out_dir / f"{page.key}{suffix}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(getattr(page, content), encoding="utf-8")
        count += 1
    return count


def write_text_pages(pages: Iterable[SourcePage], out_dir: Path) -> int:
    """Write each page's text as OUT/<site>/<snapshot>__<page>.txt; the number written."""
    return _write_pages(pages, out_dir, ".txt", "text")


def write_html_pages(pages: Iterable[SourcePage], out_dir: Path) -> int:
    """Write each page's HTML (decoded, as UTF-8) as OUT/<site>/<snapshot>__<page>.html; the number written."""
    return _write_pages(pages, out_dir, ".html", "html")


class IndexFailed(RuntimeError):
    """Lede's CLI could not index or export the benchmark's pages (its message says why)."""


def index_and_export(crawl: Path, index_dir: Path) -> list[dict]:
    """Index a folder with the real CLI (`python -m indexer index`) and read back `python -m indexer export`."""
    repo = Path(__file__).resolve().parents[2]
    cmd = [sys.executable, "-m", "indexer"]
    for args in (["index", str(crawl), "--index", str(index_dir), "--quiet"], ["export", "--index", str(index_dir)]):
        done = subprocess.run(cmd + args, cwd=repo, capture_output=True, text=True)
        if done.returncode != 0:
            raise IndexFailed(f"`python -m indexer {args[0]}` failed: {done.stderr.strip()}")
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def read_export(path: Path) -> list[dict]:
    """The records of an export file (JSON lines)."""
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


# --- the run ---

def run(work: Path, picked: list[str], html: bool = False, export: Path | None = None,
        corpus: Path = CORPUS) -> tuple[dict[str, Score], list[dict], Truth]:
    """Build the truth, index the pages (text, or HTML with html=True) or read `export`; both scores, records, truth."""
    pages, links = load_pages(picked, corpus)
    truth = build_truth(links)
    if export is not None:
        records = read_export(export)
    else:
        folder = work / ("html" if html else "text")
        (write_html_pages if html else write_text_pages)(pages, folder)
        records = index_and_export(folder, work / "index")
        with open(work / "export.jsonl", "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    return {"lede": score(records, truth), "truth": score(truth_records(truth), truth)}, records, truth


def format_table(scores: dict[str, Score], label: str = "Lede now") -> str:
    """A markdown table: the export's figures beside the truth's own, then the counts."""
    lede, truth = scores["lede"], scores["truth"]
    lines = [f"| | {label} | the truth itself, scored the same way |", "|---|---|---|"]
    lines += [f"| {FIGURE_NAMES[name]} | {getattr(lede, name):.1%} | {getattr(truth, name):.1%} |"
              for name in FIGURES]
    counts = lede.counts
    lines.append("")
    lines.append(f"pages {counts['pages']:,}, links {counts['links']:,}, truth stories {counts['truth stories']:,}, "
                 f"records {counts['records']:,} (truth as export: {truth.counts['records']:,})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snapshots", help="comma-separated snapshot names or prefixes (default: all six)")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="the de_news_frontpages/html folder")
    parser.add_argument("--work", type=Path, help="keep the pages, index and export here (default: a temp dir)")
    parser.add_argument("--html", action="store_true", help="index the raw HTML pages instead of their text")
    parser.add_argument("--export", type=Path, help="score this export (JSON lines) instead of indexing")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--examples", type=int, default=0, metavar="N",
                        help="also print N examples of each failure kind (JSON lines)")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        parser.error(f"no corpus at {args.corpus} (set LEDE_CORPORA or --corpus)")
    try:
        picked = pick_snapshots(args.snapshots.split(",") if args.snapshots else None, args.corpus)
    except ValueError as exc:
        parser.error(str(exc))
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        try:
            scores, records, truth = run(work, picked, html=args.html, export=args.export, corpus=args.corpus)
        except IndexFailed as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    diagnosis = diagnose(records, truth, scores["lede"])
    if args.json:
        print(json.dumps({**{name: {**s.figures(), "counts": s.counts} for name, s in scores.items()},
                          "diagnosis": diagnosis}, indent=1))
    else:
        print(f"snapshots: {', '.join(picked)}\n")
        print(format_table(scores, "Lede (HTML)" if args.html else "Lede now"))
        for kind, counts in diagnosis.items():
            print(f"\n{kind}: " + "; ".join(f"{count:,} {why}" for why, count in counts.items()))
    if args.examples:
        for kind, shown in failures(records, truth, scores["lede"], args.examples).items():
            print(f"\n## {kind}")
            for example in shown:
                print(json.dumps(example, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())

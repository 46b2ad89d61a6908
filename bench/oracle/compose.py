"""Compose a crawl of news pages from real headline+lede data, and write down the truth.

    python -m bench.oracle.compose OUT_DIR [--stories N] [--seed S] [--layouts dev|heldout]
                            [--source ag|bbc|both] [--data-dir ../shared/corpora]

Writes OUT_DIR/crawl/<site>/... (the pages, for `lede index OUT_DIR/crawl`),
OUT_DIR/truth.jsonl (one line per story: key, headline, headlines, lede, body, pages)
and OUT_DIR/blocks.jsonl (per page, which story each block belongs to).
The source data is read at run time and never copied into the repository.
`dev` and `heldout` use disjoint layout variations and, by default, disjoint source rows
(dev: even rows, heldout: odd rows). The stories come from `stories.py` (source rows and traps),
how each appearance reads from `layouts.py` (text variations and teaser layouts); this module
lays the stories out over pages, renders the pages and writes them.
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from bench.oracle.layouts import LAYOUTS, View, caption_for, caption_lines, format_day, shown_headline, shown_lede
from bench.oracle.quality import clean_text
from bench.oracle.stories import DEFAULT_DATA_DIR, ROWS, Item, select_items

DEFAULT_STORIES = 500
APPEARANCES = {1: 16, 2: 24, 3: 24, 4: 17, 5: 11, 6: 8}  # pages per story -> weight (mean about 3)
MAX_APPEARANCES = 6
ARTICLE_SHARE = {"bbc": 0.6, "ag": 0.3, "trap": 0.2}
VARIANT_SHARE = 0.35  # teaser appearances (beyond the first) that show a headline variant
CAPTION_SHARE = 0.25
CAPTION_REUSE_SHARE = 0.15
DATE_LINE_SHARE = 0.2
READ_MORE_SHARE = 0.15
RELATED_SHARE = 0.35
BARE_BYLINE_SHARE = 0.5  # a bare article page (`compose(bare_articles=True)`) has a byline under its headline this often
BYLINE_NAMES = ["Jane Doe", "Ann Reyes", "Tom Okafor", "Maria Lind", "Sam Patel"]
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


GAP = "gap"  # block kind of the blank line that separates teasers on some sites


# --- records ---

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


def plan_appearances(items: list[Item], sites: list[Site], rng: random.Random,
                     bare: bool = False) -> tuple[list[Page], dict[str, list]]:
    """Article pages, and per site the list of teaser appearances (story keys) to spread over listings.
    With `bare`, an article page's address is a number and its title the site's (nothing names it)."""
    weights = list(APPEARANCES.values())
    articles, teasers = [], {s.folder: [] for s in sites}
    for item in items:
        count = rng.choices(list(APPEARANCES), weights)[0]
        home = rng.choice(sites)
        if rng.random() < ARTICLE_SHARE[item.source]:
            slug = re.sub(r"[^a-z0-9]+", "-", item.headline.lower()).strip("-")[:50] or "story"
            name, title = (f"{rng.randrange(10**5, 10**6)}-{len(articles)}", home.name) if bare else \
                (f"{slug}-{len(articles)}", item.headline)
            articles.append(Page(home.folder, item.section, name, title, item.day, article=item.key))
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
                   truth: dict[str, Truth], rng: random.Random, bare: bool = False) -> None:
    """Fill an article page: headline, date, lede, body, then maybe related-story teasers. With
    `bare`, a byline or nothing stands where the date line would (BARE_BYLINE_SHARE)."""
    item = items[page.article]
    truth[item.key].add_headline(item.headline)
    blocks = page_header(site, page, layouts) + [Block(item.headline, item.key)]
    if not bare:
        blocks.append(Block(format_day(item.day, layouts, rng), "date"))
    elif rng.random() < BARE_BYLINE_SHARE:
        blocks.append(Block(f"By {rng.choice(BYLINE_NAMES)}", "boilerplate"))
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
            row = {"page": page.id, "blocks": [[b.kind, b.text[:80]] for b in page.blocks if b.kind != GAP],
                   "article": page.article}
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
            source: str = "both", data_dir: str | Path = DEFAULT_DATA_DIR, rows: str | None = None,
            bare_articles: bool = False) -> dict:
    """Compose a crawl and its truth under out_dir; return a summary (counts of stories, pages, files).
    With `bare_articles`, nothing but their shape tells article pages (no date line, no naming address or title)."""
    if layouts not in LAYOUTS:
        raise ValueError(f"layouts must be one of {sorted(LAYOUTS)}")
    out, rng = Path(out_dir), random.Random(seed)
    crawl = out / "crawl"
    if crawl.exists() and any(crawl.iterdir()):
        raise FileExistsError(f"{crawl} is not empty; choose a new OUT_DIR")
    items = select_items(Path(data_dir), stories, seed, layouts, source, rows)
    by_key = {it.key: it for it in items}
    sites = make_sites(rng, layouts)
    articles, teasers = plan_appearances(items, sites, rng, bare_articles)
    add_related(articles, items, rng)
    pages = articles + plan_listings(teasers, rng)
    variants = choose_variants(pages, rng)
    truth = {it.key: Truth() for it in items}
    site_by = {s.folder: s for s in sites}
    for p, page in enumerate(pages):
        if page.article:
            render_article(page, site_by[page.site], by_key, layouts, variants, p, truth, rng, bare_articles)
        else:
            render_listing(page, site_by[page.site], by_key, layouts, variants, p, truth, rng)
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

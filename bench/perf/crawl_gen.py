"""Generate a benchmark crawl of any size: synthetic stories recombined from AG News and BBC sentences, laid out as teasers.

    python -m bench.perf.crawl_gen OUT_DIR --size 100000 [--seed 0] [--data-dir ../shared/corpora]

The size is the number of teaser occurrences (a story shown on a page, listing or article);
each story appears on about 3 pages. ``bench/oracle/compose.py`` caps at the ~9,100 distinct source
stories, so each story here is a fresh headline and a lede of 2-4 source sentences drawn at
random; no sentence is more than about half a lede, so two stories never look like copies
of each other to Lede's deduplicator. Writes OUT_DIR/crawl/<site>/feed-NNNN.jsonl (pages as
JSON lines: url, title, date, text) and OUT_DIR/stories.jsonl (one line per story, for picking
queries). The source data is read at run time and never copied into the repository.

With --html the same pages are written as HTML files, OUT_DIR/crawl/<site>/<page>.html: a listing
page's teasers as `<article>` blocks (heading, link to the story's article on the page's site, lede,
sometimes a `<time>`) between a menu and a footer, an article page with og:type=article, an `<h1>`
and its paragraphs.
"""
from __future__ import annotations

import argparse
import csv
import html
import json
import random
import re
import sys
from datetime import date, timedelta
from pathlib import Path

from bench.oracle.compose import APPEARANCES, SECTIONS
from bench.oracle.layouts import LAYOUTS, View
from bench.oracle.quality import clean_text
from bench.oracle.stories import DEFAULT_DATA_DIR  # ../shared/corpora beside the checkout

SENTENCE_WORDS = (6, 25)  # sentences kept for the pool
LEDE_MIN_WORDS = 45  # a lede is at least this long, so one shared sentence is < 0.56 of it
HEADLINE_WORDS = (4, 10)
ARTICLE_SHARE = 0.2  # stories that also get an article page (one of their appearances)
ARTICLE_BODY_SENTENCES = (2, 5)
TEASERS_PER_PAGE = (5, 14)
PAGES_PER_FILE = 500
DATE_LINE_SHARE = 0.2
SITES = ["dailyherald", "worldwire", "metrotimes", "globepost", "citygazette"]
MENU = ["Home", "World", "Sports", "Business", "Technology", "Entertainment"]
FOOTER = ["Subscribe to our newsletter", "\u00a9 2004 {name}. All rights reserved."]
FIRST_DAY = date(2004, 7, 1)
DAYS = 300

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")
_WIRE = re.compile(r"^\s*(?:[A-Z][A-Z.' ,]+\s)?\([A-Za-z.' ]+\)\s*-+\s*|^\s*[A-Za-z.]+\s+-\s+|\s\([A-Za-z. ]+\)$")


def load_pool(data_dir: Path) -> tuple[list[str], list[list[str]]]:
    """Source sentences (AG ledes, BBC paragraphs) and headline word lists, deterministic order."""
    sentences, headlines = [], []

    def add_text(text: str) -> None:
        for s in _SENTENCE_END.split(_WIRE.sub("", clean_text(text))):
            n = len(s.split())
            if SENTENCE_WORDS[0] <= n <= SENTENCE_WORDS[1] and s[-1:] in ".!?":
                sentences.append(s)

    with open(data_dir / "ag_news" / "test.csv", newline="", encoding="utf-8") as fh:
        for _, title, desc in csv.reader(fh):
            headlines.append(_WIRE.sub("", clean_text(title)).split())
            add_text(desc)
    for path in sorted((data_dir / "bbc_news" / "bbc").glob("*/*.txt")):
        data = path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        if len(lines) > 1:
            headlines.append(clean_text(lines[0]).split())
            for para in lines[1:]:
                add_text(para)
    sentences = list(dict.fromkeys(sentences))
    headlines = [h for h in headlines if len(h) >= 3]
    return sentences, headlines


def make_story(n: int, sentences: list[str], headlines: list[list[str]], rng: random.Random) -> dict:
    """One synthetic story: a headline spliced from two source headlines, a lede of random sentences."""
    a, b = rng.choice(headlines), rng.choice(headlines)
    cut = max(2, len(a) // 2)
    words = (a[:cut] + b[len(b) // 2:])[:HEADLINE_WORDS[1]]
    if len(words) < HEADLINE_WORDS[0]:
        words += b[:HEADLINE_WORDS[0] - len(words)]
    lede: list[str] = []
    while sum(len(s.split()) for s in lede) < LEDE_MIN_WORDS or len(lede) < 2:
        lede.append(rng.choice(sentences))
    body = [rng.choice(sentences) for _ in range(rng.randint(*ARTICLE_BODY_SENTENCES))]
    return {"id": f"s{n}", "headline": " ".join(words), "lede": " ".join(lede), "body": " ".join(body),
            "section": rng.choice(SECTIONS), "date": (FIRST_DAY + timedelta(days=rng.randrange(DAYS))).isoformat()}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:50] or "story"


def _header(site: str, section: str | None) -> list[str]:
    lines = list(MENU) + ["You are here"]
    return lines + [f"{section.capitalize()} news"] if section else lines


def _footer(site: str) -> list[str]:
    return [line.format(name=site.capitalize()) for line in FOOTER]


def article_page(story: dict, site: str) -> dict:
    """A story's own page: headline, date, lede and body."""
    lines = _header(site, None) + [story["headline"], story["date"], story["lede"], story["body"]] + _footer(site)
    return {"url": f"https://www.{site}.example/articles/{_slug(story['headline'])}-{story['id']}",
            "title": story["headline"], "date": story["date"], "text": "\n".join(lines)}


def listing_page(stories: list[dict], site: str, section: str, number: int, rng: random.Random) -> dict:
    """A section front: 5-14 teasers in the layouts.py "dev" layouts, separated by blank lines."""
    lines = _header(site, section)
    for story in stories:
        lines.append("")
        if rng.random() < DATE_LINE_SHARE:
            lines.append(story["date"])
        lines += rng.choice(LAYOUTS["dev"])(View(story["headline"], story["lede"], None, site), rng)
    lines += [""] + _footer(site)
    return {"url": f"https://www.{site}.example/{section}/page-{number}", "title": section.capitalize(),
            "date": max(s["date"] for s in stories), "text": "\n".join(lines)}


def _html_frame(site: str, title: str, url: str, head: str, main: str) -> str:
    menu = "".join(f'<li><a href="/{item.lower()}/">{item}</a></li>' for item in MENU)
    footer = "".join(f"<p>{html.escape(line)}</p>" for line in _footer(site))
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f'<link rel="canonical" href="{url}">{head}</head><body><header><nav><ul>{menu}</ul></nav></header>'
            f'<main>{main}</main><footer>{footer}</footer></body></html>')


def _article_url(story: dict, site: str) -> str:
    return f"https://www.{site}.example/articles/{_slug(story['headline'])}-{story['id']}"


def html_page(page: dict, stories: list[dict], site: str, article: bool) -> str:
    """A page of the crawl as HTML: an article page, or a listing page of teaser blocks (drawn with
    a generator of the page's own, so that the crawl's pages are those of its JSONL twin)."""
    rng = random.Random(page["url"])
    if article:
        story = stories[0]
        body = "".join(f"<p>{html.escape(text)}</p>" for text in (story["lede"], story["body"]))
        main = f'<article><h1>{html.escape(story["headline"])}</h1><time datetime="{story["date"]}">{story["date"]}</time>{body}</article>'
        return _html_frame(site, story["headline"], page["url"], '<meta property="og:type" content="article">', main)
    teasers = []
    for story in stories:
        when = f'<time datetime="{story["date"]}">{story["date"]}</time>' if rng.random() < DATE_LINE_SHARE else ""
        teasers.append(f'<article><h2><a href="{_article_url(story, site)}">{html.escape(story["headline"])}</a></h2>'
                       f'{when}<p>{html.escape(story["lede"])}</p></article>')
    return _html_frame(site, page["title"], page["url"], "", "".join(teasers))


def generate(out_dir: str | Path, size: int, seed: int = 0, data_dir: str | Path = DEFAULT_DATA_DIR,
             as_html: bool = False) -> dict:
    """Write a crawl of about `size` teaser occurrences under out_dir (JSONL pages, or HTML files
    with `as_html`); return its summary."""
    out, rng = Path(out_dir), random.Random(seed)
    crawl = out / "crawl"
    if crawl.exists() and any(crawl.iterdir()):
        raise FileExistsError(f"{crawl} is not empty; choose a new OUT_DIR")
    sentences, headlines = load_pool(Path(data_dir))
    weights = list(APPEARANCES.values())
    stories, pages, occurrences = [], [], 0
    queues: dict[str, list[dict]] = {s: [] for s in SITES}
    while occurrences < size:
        story = make_story(len(stories), sentences, headlines, rng)
        stories.append(story)
        count = min(rng.choices(list(APPEARANCES), weights)[0], size - occurrences)
        occurrences += count
        if rng.random() < ARTICLE_SHARE:
            site = rng.choice(SITES)
            pages.append(article_page(story, site))
            if as_html:
                pages[-1]["html"] = html_page(pages[-1], [story], site, True)
            count -= 1
        for _ in range(count):
            queues[rng.choice(SITES)].append(story)
    for site, queue in queues.items():
        rng.shuffle(queue)
        numbers: dict[str, int] = {}
        while queue:
            take, seen, rest = rng.randint(*TEASERS_PER_PAGE), set(), []
            chunk = []
            while queue and len(chunk) < take:
                story = queue.pop()
                (rest if story["id"] in seen else chunk).append(story)
                seen.add(story["id"])
            queue.extend(rest)
            if not chunk:
                break
            section = rng.choice(SECTIONS)
            numbers[section] = numbers.get(section, 0) + 1
            pages.append(listing_page(chunk, site, section, numbers[section], rng))
            if as_html:
                pages[-1]["html"] = html_page(pages[-1], chunk, site, False)
    rng.shuffle(pages)
    raw = _write_html(crawl, pages) if as_html else _write(crawl, pages)
    with open(out / "stories.jsonl", "w", encoding="utf-8") as fh:
        for story in stories:
            fh.write(json.dumps(story, ensure_ascii=False) + "\n")
    summary = {"size": size, "seed": seed, "stories": len(stories), "pages": len(pages), "occurrences": occurrences,
               "raw_bytes": raw, "sentence_pool": len(sentences), "pages_per_story": round(occurrences / len(stories), 2)}
    (out / "summary.json").write_text(json.dumps(summary, indent=1))
    return summary


def _write(crawl: Path, pages: list[dict]) -> int:
    """Pages as JSONL files of PAGES_PER_FILE, grouped by site; return the bytes of page text."""
    raw, by_site = 0, {}
    for page in pages:
        by_site.setdefault(page["url"].split(".")[1], []).append(page)
    for site, members in sorted(by_site.items()):
        (crawl / site).mkdir(parents=True, exist_ok=True)
        for f in range(0, len(members), PAGES_PER_FILE):
            with open(crawl / site / f"feed-{f // PAGES_PER_FILE + 1:04d}.jsonl", "w", encoding="utf-8") as fh:
                for page in members[f:f + PAGES_PER_FILE]:
                    raw += len(page["text"].encode("utf-8"))
                    fh.write(json.dumps(page, ensure_ascii=False) + "\n")
    return raw


def _write_html(crawl: Path, pages: list[dict]) -> int:
    """Pages as HTML files, one a page, grouped by site; return the bytes of HTML."""
    raw = 0
    for page in pages:
        site, _, path = page["url"].removeprefix("https://www.").partition(".example/")
        out = crawl / site / (path.replace("/", "__") + ".html")
        out.parent.mkdir(parents=True, exist_ok=True)
        data = page["html"].encode("utf-8")
        raw += len(data)
        out.write_bytes(data)
    return raw


def main(argv: list[str] | None = None) -> int:
    """CLI: generate one crawl and print its summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir")
    parser.add_argument("--size", type=int, default=10_000, help="teaser occurrences")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data-dir", default=str(DEFAULT_DATA_DIR))
    parser.add_argument("--html", action="store_true", help="write the pages as HTML files instead of JSONL")
    args = parser.parse_args(argv)
    print(json.dumps(generate(args.out_dir, args.size, args.seed, args.data_dir, as_html=args.html)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A page becomes stories: boilerplate dropped, teasers recognised, headline repeats removed.

Segmentation runs in two passes over the crawl. The first (`CrawlStats.observe`)
counts how often each short line recurs across a site's pages, and remembers
the headlines and lede openings that pages print on lines of their own. The
second (`segment_page`) walks each page's lines:

- lines that recur on many pages of a site, and short lines that lead nowhere
  (breadcrumbs, section titles, "Read more"), are dropped as boilerplate;
- a date line dates the teasers after it;
- a paragraph takes the short line(s) just above it as its headline line or
  its caption, and its own opening when it repeats that headline line;
- a paragraph with no headline line is split into headline and lede
  (`headline.split_headline`);
- a headline line followed by a date line and paragraphs is an article: one
  story with its whole body, until the next short line ("Related stories").
"""
from __future__ import annotations

import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .headline import CONFIDENT_SPLIT, Known, repeated_prefix, split_headline
from .records import Page, Teaser
from .text import clean, find_date, fold, is_date_line

BOILERPLATE_MAX_WORDS = 15  # only lines this short are counted across a site
BOILERPLATE_MIN_PAGES = 3
BOILERPLATE_SHARE = 0.5  # a line on at least this share of a site's pages is boilerplate
HEADLINE_ONLY_MIN_WORDS = 6  # a lone short line this long is a headline-only teaser; shorter is navigation
PARA_MIN_WORDS = 20  # a line this long is a paragraph whatever its punctuation
PARA_SENTENCE_MIN_WORDS = 6  # ... and one this long ending like a sentence too
CAPTION_MAX_LINES = 2
ELLIPSES = ("...", "…", "[...]")


@dataclass
class CrawlStats:
    """What the first pass learns about the whole crawl."""

    site_pages: Counter = field(default_factory=Counter)
    line_pages: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    known: Known = field(default_factory=Known)

    def observe(self, page: Page) -> None:
        """Count the page's short lines for its site and learn its headline lines."""
        self.site_pages[page.site] += 1
        counts = self.line_pages[page.site]
        for line in {line for line in page.lines if len(line.split()) <= BOILERPLATE_MAX_WORDS}:
            counts[_line_key(line)] += 1
        for above, line in zip(page.lines, page.lines[1:]):
            if _is_paragraph(line) and not _is_paragraph(above) and repeated_prefix(above, line):
                self.known.add_headline(above)

    def is_boilerplate(self, site: str, line: str) -> bool:
        """A short line printed on a large share of the site's pages."""
        pages = self.site_pages[site]
        if pages < BOILERPLATE_MIN_PAGES or len(line.split()) > BOILERPLATE_MAX_WORDS:
            return False
        seen = self.line_pages[site][_line_key(line)]
        return seen >= BOILERPLATE_MIN_PAGES and seen >= BOILERPLATE_SHARE * pages


def _line_key(line: str) -> int:
    return zlib.crc32(fold(line).encode())


def _is_paragraph(line: str) -> bool:
    words = len(line.split())
    if words >= PARA_MIN_WORDS:
        return True
    return words >= PARA_SENTENCE_MIN_WORDS and line.rstrip("\"”'’ ").endswith((".", *ELLIPSES))


def segment_page(page: Page, stats: CrawlStats) -> list[Teaser]:
    """Every story the page shows, in page order."""
    lines = [clean(line) for line in page.lines if not stats.is_boilerplate(page.site, line)]
    repeats = any(_is_paragraph(b) and not _is_paragraph(a) and repeated_prefix(a, b)
                  for a, b in zip(lines, lines[1:]))
    teasers: list[Teaser] = []
    shorts: list[str] = []
    date, article = page.date, None
    after_date, detached = False, 0
    for line in lines:
        if not line:  # a blank line: the short lines above it are not the next paragraph's caption
            detached = len(shorts)
            continue
        if is_date_line(line):
            date = find_date(line) or date
            after_date = bool(shorts)
            continue
        if not _is_paragraph(line):
            if article is not None:
                article = None
            shorts.append(line)
            after_date = False
            continue
        if article is not None:  # the article's body runs on
            article.text = f"{article.text}\n{line}"
            article.truncated = article.truncated or line.endswith(ELLIPSES)
            continue
        is_article = bool(shorts) and (after_date or _is_title(shorts[-1], page.title))
        teaser, used = _teaser(shorts, detached, line, stats.known, repeats, is_article)
        teasers.extend(_headline_only(shorts[:len(shorts) - used], page, date))
        shorts, after_date, detached = [], False, 0
        teaser.page, teaser.site, teaser.date, teaser.url = page.id, page.site, date, page.url
        teasers.append(teaser)
        if is_article:
            teaser.article = True
            article = teaser
    teasers.extend(_headline_only(shorts, page, date))
    return teasers


def _is_title(line: str, title: str | None) -> bool:
    """The line is the page's own title (which may carry a " | Site name" suffix)."""
    return bool(title) and len(line.split()) >= 3 and fold(title).startswith(fold(line))


def _teaser(shorts: list[str], detached: int, para: str, known: Known, page_repeats: bool,
            is_article: bool) -> tuple[Teaser, int]:
    """One teaser from a paragraph and the short lines above it; also how many of those it used.

    Only lines with no blank line between them and the paragraph can be its caption.
    """
    words = para.split()
    headline_line = shorts[-1] if shorts else None
    captions = shorts[max(detached, len(shorts) - CAPTION_MAX_LINES):]
    if headline_line:
        k = repeated_prefix(headline_line, para)
        if k:
            headline = " ".join(words[:k])
            caption = captions[:-1] if captions and captions[-1] is headline_line else captions
            teaser = _make(headline, " ".join(words[k:]), caption, [headline, headline_line], "repeat")
            return teaser, len(caption) + 1
        if is_article:
            return _make(headline_line, para, [], [], "line"), 1
    k, score = split_headline(para, known)
    run_together = k > 0 and (not shorts or page_repeats or score >= CONFIDENT_SPLIT
                              or known.has_headline(words[:k]))
    if shorts and known.has_lede(words) and not known.has_headline(words[:k]):
        run_together = False
    if run_together:
        return _make(" ".join(words[:k]), " ".join(words[k:]), captions, [], "split"), len(captions)
    if headline_line:
        caption = captions[:-1] if captions and captions[-1] is headline_line else []
        return _make(headline_line, para, caption, [], "line"), len(caption) + 1
    return _make("", para, [], [], ""), 0


def _make(headline: str, text: str, captions: list[str], variants: list[str], how: str) -> Teaser:
    headlines = list(dict.fromkeys([headline, *variants])) if headline else []
    return Teaser(headline=headline, text=text, page="", site="", caption=" ".join(captions),
                  headlines=headlines, truncated=text.rstrip().endswith(ELLIPSES), headline_from=how)


def _headline_only(shorts: list[str], page: Page, date: str | None) -> list[Teaser]:
    """Lone short lines long enough to be headlines become text-less teasers; the rest is navigation."""
    return [Teaser(headline=line, text="", page=page.id, site=page.site, headlines=[line],
                   date=date, url=page.url, headline_from="line")
            for line in shorts if len(line.split()) >= HEADLINE_ONLY_MIN_WORDS]

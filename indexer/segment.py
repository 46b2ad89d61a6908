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

import re
import zlib
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator

from .headline import Known, key, repeated_prefix, split_headline, starts_like_lede
from .records import Page, Teaser
from .text import clean, find_date, first_words, fold, is_date_line, word_count

BOILERPLATE_MAX_WORDS = 15  # only lines this short are counted across a site
BOILERPLATE_MIN_PAGES = 3
BOILERPLATE_SHARE = 0.5  # a line on at least this share of a site's pages is boilerplate
NAV_MAX_WORDS = 3  # a line this short that recurs on a site is navigation ("World news", "Read more")
HEADLINE_LINE_MIN_WORDS = 3  # shorter lines can be captions but never headlines
HEADLINE_ONLY_MIN_WORDS = 6  # a lone short line this long is a headline-only teaser; shorter is navigation
PARA_MIN_WORDS = 20  # a line this long is a paragraph whatever its punctuation
PARA_SENTENCE_MIN_WORDS = 6  # ... and one this long ending like a sentence too
SHORT_LEDE_MIN_WORDS = 10  # ... and one this long under a headline line, with no paragraph after it
CAPTION_MAX_LINES = 2
BLANKS_EVERYWHERE = 0.8  # blank lines between this share of a page's lines are mere spacing
ARTICLE_MAX_SUBHEAD_LINES = 6  # more short lines in a row end an article's body
ARTICLE_MIN_PARAGRAPHS = 3  # without a title or address naming it, an article needs a body this long
ARTICLE_ADDRESS_SHARE = 0.6  # this share of the headline's words in the page's url or path: its article
ELLIPSES = ("...", "…", "[...]")
SUFFIX_MAX_WORDS = 4  # "Headline | Site name": a recurring tail this short is the site's, not the headline's

_MARKER = re.compile(r"^(?:#{1,6}|[•·▪►▸»*]|[-–—](?=\s))\s+")  # bullets and markdown headings
_RELATED = re.compile(  # headers of the boxes that follow an article (also found by recurrence)
    r"^(related|more on|more from|see also|read more|most read|recommended|you may also|top stories|"
    r"mehr zum thema|mehr zu|auch interessant|weitere artikel|das k[oö]nnte sie)")
_SUFFIX = re.compile(r"\s+(?:\||–|—|-|::)\s+([^|–—]{1,60})$")


@dataclass
class Consulted:
    """What segmenting one page read of the crawl's statistics. Under new statistics that give the
    same answers to all of it, segmenting the page again gives the same teasers: `--update` keeps
    the page's teasers (see `crawlstate`). Besides these, a page depends on whether its site has
    BOILERPLATE_MIN_PAGES pages.

    The fewer answers recorded, the fewer pages an update segments again: the code asks the crawl
    last in a condition, and `headline.split_headline` and `_crawl_decides` record only the lookups
    whose other answer could change their result (tests/test_segment.py flips the others)."""

    asks: list[int] = field(default_factory=list)  # Bloom set lookups: key << 2 | set << 1 | found
    lines: list[int] = field(default_factory=list)  # short lines whose counts on the site were read
    tails: list[int] = field(default_factory=list)  # line tails ("| Site name") whose counts were read


@dataclass
class CrawlStats:
    """What the first pass learns about the whole crawl."""

    site_pages: Counter = field(default_factory=Counter)
    line_pages: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    suffix_pages: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    known: Known = field(default_factory=Known)
    consulted: Consulted | None = field(default=None, repr=False, compare=False)

    @contextmanager
    def consulting(self, record: Consulted) -> Iterator[Consulted]:
        """Record in `record` what is read of these statistics within the block."""
        self.consulted = record
        self.known.lines.asked = self.known.openings.asked = record.asks
        try:
            yield record
        finally:
            self.consulted = self.known.lines.asked = self.known.openings.asked = None

    def observe(self, page: Page) -> None:
        """Count the page's short lines and line tails for its site and learn its headline lines."""
        self.site_pages[page.site] += 1
        counts = self.line_pages[page.site]
        short = {line for line in page.lines if 0 < word_count(line, BOILERPLATE_MAX_WORDS) <= BOILERPLATE_MAX_WORDS}
        for line in short:
            counts[line_key(line)] += 1
        tails = {fold(m.group(1)) for line in short if (m := _SUFFIX.search(line))
                 and len(m.group(1).split()) <= SUFFIX_MAX_WORDS}
        self.suffix_pages[page.site].update(tails)
        for line in page.lines:
            line = _MARKER.sub("", line)
            if _is_paragraph(line):
                self.known.add_paragraph(line)
            elif word_count(line, HEADLINE_LINE_MIN_WORDS) >= HEADLINE_LINE_MIN_WORDS:
                self.known.add_line(line)
                if m := _SUFFIX.search(line):
                    self.known.add_line(line[:m.start()])

    def merge(self, other: "CrawlStats") -> None:
        """Add what another worker learnt from its share of the crawl."""
        self.site_pages.update(other.site_pages)
        for mine, theirs in ((self.line_pages, other.line_pages), (self.suffix_pages, other.suffix_pages)):
            for site, counts in theirs.items():
                mine[site].update(counts)
        self.known.merge(other.known)

    def forget_rare(self) -> None:
        """Drop the counts of lines and tails seen on fewer pages than any rule asks (most of them,
        on a large crawl): the second pass reads the rest, and holds only that."""
        for counters in (self.line_pages, self.suffix_pages):
            for site, counts in counters.items():
                counters[site] = Counter({k: n for k, n in counts.items() if n >= BOILERPLATE_MIN_PAGES})

    def tidy(self, site: str, line: str) -> str:
        """A line without bullets, entity noise and the site's name tacked on ("... | Capitolnews")."""
        line = _MARKER.sub("", clean(line))
        m = _SUFFIX.search(line)
        if m:
            tail = fold(m.group(1))
            if self.consulted is not None:
                self.consulted.tails.append(tail_key(tail))
            if self.suffix_pages[site][tail] >= BOILERPLATE_MIN_PAGES:
                line = line[:m.start()]
        return line

    def is_boilerplate(self, site: str, line: str) -> bool:
        """A short line printed on a large share of the site's pages."""
        pages = self.site_pages[site]
        if pages < BOILERPLATE_MIN_PAGES or not 0 < word_count(line, BOILERPLATE_MAX_WORDS) <= BOILERPLATE_MAX_WORDS:
            return False
        key = line_key(line)
        if self.consulted is not None:
            self.consulted.lines.append(key)
        if is_date_line(line):
            return False
        navigation, common = boilerplate_by_count(self.line_pages[site][key], pages)
        return navigation if len(line.split()) <= NAV_MAX_WORDS else common


def boilerplate_by_count(seen: int, pages: int) -> tuple[bool, bool]:
    """Whether a short line that is not a date is boilerplate, from the pages of its site it is on
    and its site's pages: (for a line of at most NAV_MAX_WORDS words, for a longer one). `--update`
    compares these before and after new pages are counted."""
    common = pages >= BOILERPLATE_MIN_PAGES and seen >= BOILERPLATE_MIN_PAGES
    return common, common and seen >= BOILERPLATE_SHARE * pages


def line_key(line: str) -> int:
    return zlib.crc32(fold(line).encode())


def tail_key(tail: str) -> int:
    return zlib.crc32(tail.encode())


def _paragraphs(lines: list[str | None]) -> list[bool]:
    """Which lines are paragraphs: long or sentence-like lines, and a shorter line that follows a
    headline line and leads nowhere (a one-sentence lede without its full stop)."""
    flags = [bool(line) and _is_paragraph(line) for line in lines]
    content = [n for n, line in enumerate(lines) if line]
    for before, n, after in zip([None, *content], content, [*content[1:], None]):
        if (not flags[n] and word_count(lines[n], PARA_MIN_WORDS) >= SHORT_LEDE_MIN_WORDS and before is not None
                and not flags[before] and lines[before] is not BREAK
                and HEADLINE_LINE_MIN_WORDS <= word_count(lines[before], PARA_MIN_WORDS) < word_count(lines[n], PARA_MIN_WORDS)
                and not is_date_line(lines[before]) and not (after is not None and lines[after] and is_date_line(lines[after]))
                and (after is None or lines[after] is BREAK or not flags[after])):
            flags[n] = True
    return flags


def _is_paragraph(line: str) -> bool:
    words = word_count(line, PARA_MIN_WORDS)
    if words >= PARA_MIN_WORDS:
        return True
    return words >= PARA_SENTENCE_MIN_WORDS and line.rstrip("\"”'’ ").endswith((".", *ELLIPSES))


def segment_page(page: Page, stats: CrawlStats) -> list[Teaser]:
    """Every story the page shows, in page order."""
    lines = _content_lines(page, stats)
    paragraph = _paragraphs(lines)
    # a lone page's habit of repeating headlines says captions; a crawl has better evidence
    habit = stats.site_pages[page.site] < BOILERPLATE_MIN_PAGES and any(
        paragraph[n + 1] and not paragraph[n] and repeated_prefix(a, b)
        for n, (a, b) in enumerate(zip(lines, lines[1:])) if a and b)
    teasers: list[Teaser] = []
    shorts: list[str] = []
    date, article, dated = page.date, None, None
    detached = 0
    inside: list[str] = []  # short lines met inside an article's body: subheads, unless a list follows
    for n, line in enumerate(lines):
        if line is BREAK or (article and line and not paragraph[n] and _RELATED.match(fold(line))):
            article = None  # boilerplate or a "Related stories" header: the article's body ends here
            shorts, inside = shorts + inside, []
            continue
        if not line:  # a blank line: the short lines above it are not the next paragraph's caption
            detached = len(shorts)
            continue
        if article is not None and not paragraph[n]:
            inside.append(line)
            if len(inside) > ARTICLE_MAX_SUBHEAD_LINES:  # a list of links, not a subhead
                article, shorts, inside = None, shorts + inside, []
            continue
        if is_date_line(line):
            date = find_date(line) or date
            dated = len(shorts) - 1 if shorts else dated
            continue
        if not paragraph[n]:
            article = None
            last = teasers[-1] if teasers else None
            if not shorts and last and last.text and n and lines[n - 1] and repeated_prefix(
                    line, f"{last.headline} {last.text}"):
                last.headlines = list(dict.fromkeys([*last.headlines, line]))  # printed again below
                continue
            shorts.append(line)
            continue
        if article is not None and not _opens_with_headline(line, stats.known):
            article.text = "\n".join([article.text, *inside, line])  # the article's body runs on
            article.truncated = line.endswith(ELLIPSES)
            inside = []
            continue
        article, shorts, inside = None, shorts + inside, []
        own = None if any(t.article for t in teasers) else _article_headline(
            shorts, page, dated if not teasers else None, paragraph, n)
        if own is not None:
            teaser = _make(shorts[own], line, shorts[own + 1:], [], "line")
            teasers.extend(_headline_only(shorts[:own], page, date))
            teaser.article = True
            article = teaser
        else:
            teaser, used = _teaser(shorts, detached, line, stats.known, habit)
            teasers.extend(_headline_only(shorts[:len(shorts) - used], page, date))
        shorts, detached, dated = [], 0, None
        teaser.page, teaser.site, teaser.date, teaser.url = page.id, page.site, date, page.url
        teasers.append(teaser)
    teasers.extend(_headline_only(shorts + inside, page, date))
    return teasers


def _opens_with_headline(paragraph: str, known: Known) -> bool:
    """The paragraph starts with a headline printed as a line elsewhere, and a lede follows it:
    a teaser, not body text (a subhead repeated in the next sentence does not count)."""
    words = first_words(paragraph, 21)
    return any(starts_like_lede(words[k]) and not words[k - 1].endswith(",") and known.has_line(words[:k])
               for k in range(HEADLINE_LINE_MIN_WORDS + 1, len(words)))  # (the crawl asked last: see Consulted)


BREAK = None  # stands in the page for a boilerplate line


def _content_lines(page: Page, stats: CrawlStats) -> list[str | None]:
    """The page's lines, cleaned, with boilerplate as BREAK; blank lines only where they mean something."""
    lines = [BREAK if stats.is_boilerplate(page.site, line) else stats.tidy(page.site, line)
             for line in page.lines]
    lines = [line for n, line in enumerate(lines) if line != "" or (n and lines[n - 1] != "")]
    blanks = sum(line == "" for line in lines)
    if blanks >= BLANKS_EVERYWHERE * (len(lines) - blanks - 1):
        lines = [line for line in lines if line != ""]  # every line is set apart: blanks say nothing
    return lines


def _article_headline(shorts: list[str], page: Page, dated: int | None,
                      paragraph: list[bool], n: int) -> int | None:
    """Which short line, if any, is the headline of the page's own article: the one the page's
    title or address names, else one a date line follows when a body of paragraphs comes after."""
    best, best_fit = None, (ARTICLE_ADDRESS_SHARE, 0)
    title = fold(page.title or "")
    address = set(fold(page.url or page.id).split())
    for i, line in enumerate(shorts):
        words = fold(line).split()
        if len(words) < HEADLINE_LINE_MIN_WORDS:
            continue
        share = 1.0 if title.startswith(" ".join(words)) else sum(w in address for w in words) / len(words)
        if (share, len(words)) >= best_fit:  # the best named; of equals, the fullest (not a caption of its words)
            best, best_fit = i, (share, len(words))
    if best is None and dated is not None and dated < len(shorts) \
            and len(shorts[dated].split()) >= HEADLINE_LINE_MIN_WORDS:
        body = 0
        while n + body < len(paragraph) and paragraph[n + body]:
            body += 1
        return dated if body >= ARTICLE_MIN_PARAGRAPHS else None
    return best


def _teaser(shorts: list[str], detached: int, para: str, known: Known,
            page_repeats: bool) -> tuple[Teaser, int]:
    """One teaser from a paragraph and the short lines above it; also how many of those it used.

    Only lines with no blank line between them and the paragraph can be its caption.
    """
    words = para.split()
    headline_line = shorts[-1] if shorts and len(shorts[-1].split()) >= HEADLINE_LINE_MIN_WORDS else None
    captions = shorts[max(detached, len(shorts) - CAPTION_MAX_LINES):]
    if headline_line:
        k = repeated_prefix(headline_line, para)
        if k:
            headline = " ".join(words[:k])
            caption = captions[:-1] if captions and captions[-1] is headline_line else captions
            teaser = _make(headline, " ".join(words[k:]), caption, [headline, headline_line], "repeat")
            return teaser, len(caption) + 1
    k, confident = split_headline(para, known)
    if k and headline_line:
        # A caption above a "headline lede" paragraph, or a headline above its lede? The crawl
        # decides when it can: the paragraph's opening printed as a line elsewhere, or the line
        # opening a paragraph elsewhere. Otherwise the page's habit and the split's strength do.
        if fold(para).startswith(fold(headline_line)):
            run_together = True  # the paragraph runs on from the line mid-phrase: a caption made of its words
        else:
            run_together = _crawl_decides(words[:k], headline_line, page_repeats or confident, known)
    else:
        run_together = k > 0
    if run_together:
        return _make(" ".join(words[:k]), " ".join(words[k:]), captions, [], "split"), len(captions)
    if headline_line:
        caption = captions[:-1] if captions and captions[-1] is headline_line else []
        return _make(headline_line, para, caption, [], "line"), len(caption) + 1
    return _make("", para, captions, [], ""), len(captions)


def _crawl_decides(opening: list[str], line: str, otherwise: bool, known: Known) -> bool:
    """Whether a paragraph runs its headline into its lede (and the line above it is a caption):
    yes when its opening was printed as a line elsewhere, no when the line opens a paragraph
    elsewhere; when both or neither, `otherwise`. Records for the crawl state only the answers the
    result depends on, whatever the other is (see `Consulted`)."""
    opening_hash, line_hash = key(" ".join(opening)), key(line)
    is_line, opens = known.lines.holds(opening_hash), known.openings.holds(line_hash)
    if otherwise != is_line:  # (when they agree, `is_line` decides alone)
        known.openings.note(line_hash, opens)
    if otherwise == is_line or opens != is_line:  # (when it agrees with `opens`, that decides alone)
        known.lines.note(opening_hash, is_line)
    return is_line if is_line != opens else otherwise


def _make(headline: str, text: str, captions: list[str], variants: list[str], how: str) -> Teaser:
    headlines = list(dict.fromkeys([headline, *variants])) if headline else []
    return Teaser(headline=headline, text=text, page="", site="", caption=" ".join(captions),
                  headlines=headlines, truncated=text.rstrip().endswith(ELLIPSES), headline_from=how)


def _headline_only(shorts: list[str], page: Page, date: str | None) -> list[Teaser]:
    """Lone short lines long enough to be headlines become text-less teasers; the rest is navigation."""
    return [Teaser(headline=line, text="", page=page.id, site=page.site, headlines=[line],
                   date=date, url=page.url, headline_from="line")
            for line in shorts if len(line.split()) >= HEADLINE_ONLY_MIN_WORDS]

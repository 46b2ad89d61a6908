"""A page becomes stories: boilerplate dropped, teasers recognised, headline repeats removed.

Segmentation runs in two passes over the crawl. The first (`sitelines.CrawlStats.observe`)
counts how often each short line, line shape and line tail recurs across a site's pages, and
remembers the headlines and lede openings that pages print on lines of their own. The second
(`segment_page`, here) walks each page's lines:

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
from collections import Counter
from dataclasses import dataclass, field

from .crawlview import LINES, OPENINGS, Consulted, CrawlView, key
from .headline import is_sentence_end, repeated_prefix, split_headline, starts_like_lede
from .records import Page, Teaser
from .sitelines import (BOILERPLATE_MAX_WORDS, BOILERPLATE_MIN_PAGES, DIGITS, ELLIPSES, HEADLINE_LINE_MIN_WORDS,
                        KICKER_MAX_WORDS, PARA_MIN_WORDS, SHORT_HEADLINE_MIN_WORDS, TAIL_MAX_WORDS, CrawlStats, boilerplate_by_count,
                        byline_apart, headline_over_lede, in_kicker_position, is_boilerplate, is_metadata, is_notice, is_paragraph,
                        kept_as_kicker, leads_on, tidy)
from .text import FUNCTION_WORDS, Memo, clean, find_date, first_words, fold, fold_word, fold_words, is_date_line, word_count

HEADLINE_ONLY_MIN_WORDS = 6  # a lone short line this long is a headline-only teaser; shorter is navigation
SHORT_LEDE_MIN_WORDS = 10  # ... and one this long under a headline line, with no paragraph after it
CAPTION_MAX_LINES = 2
TEMPLATE_MIN_TIMES = 3  # a short line with a number that a page prints this often, numbers aside, is its teasers' metadata
KICKER_TEMPLATE_SHARE = 0.5  # a line printed where kickers go, more often than this share of them on a page, is template
BLANKS_EVERYWHERE = 0.8  # blank lines between this share of a page's lines are mere spacing
ARTICLE_MAX_SUBHEAD_LINES = 6  # more short lines in a row are a list: a paragraph after them is no longer the body
ARTICLE_LIST_OWN_SHARE = 0.5  # ... unless more than this share of them the crawl shows nowhere else as headlines
ARTICLE_MIN_PARAGRAPHS = 3  # without a title or address naming it, an article needs a body this long
ARTICLE_ADDRESS_SHARE = 0.6  # this share of the headline's words in the page's url or path names it (never enough alone)
ARTICLE_SHAPE_MIN_PARAGRAPHS = 4  # with no date line or address naming it, an article's body runs this many paragraphs
ARTICLE_SHAPE_MIN_WORDS = 100  # ... or, in two paragraphs or more, this many words (a lede and one long paragraph)
ARTICLE_PARAGRAPH_MIN_WORDS = 25  # ... this long, running text: a teaser's lede is one paragraph, rarely this many
ARTICLE_BODY_SHARE = 0.5  # ... this share of their words at least (quotes and one-line paragraphs are shorter; an English
# split on a capitalised name may look "confident" in a body paragraph), and none opening with a headline printed elsewhere
ARTICLE_SHARE_MAX_WORDS = 2 * ARTICLE_SHAPE_MIN_WORDS  # ... a paragraph counting no more than this many words
# there (one long paragraph of body text outweighs a short lede and a quote read as "headline lede"; one very long
# paragraph alone cannot make a run of teasers a body)
ARTICLE_HEAD_LINES = 3  # the headline of an article known by its shape is among this many lines above its body
CAPTION_NAMES_SHARE = 0.5  # a photo caption names its story: this share of its words (3+ letters) are in the teaser
RUN_TOGETHER_MIN_WORDS = PARA_MIN_WORDS  # a paragraph holding a headline and its lede is this long; under a
# headline line longer than the headline it would split off, a shorter one is that line's lede
LEDE_HABIT_MIN = 3  # a page prints its teasers as a headline line over a lede when this many of the paragraphs right
LEDE_HABIT_SHARE = 0.8  # under a headline line, and this share of them, split into no confident headline and lede
# (on the real German pages, the truth names the line over a confident split 1,318 times, the split's headline 6
# times; four in five takes in the pages of 1,231 of the 1,318, nine in ten those of 521)

PREFIXED_TEMPLATE_MIN = 3  # paragraphs under `Kicker: headline` lines that show a page's teasers are headline and lede,
PREFIXED_TEMPLATE_SHARE = 0.5  # ... when they are this share of the lines under such lines (not a list of headlines)
TRAILER_MIN_TIMES = 3  # a page prints its teasers' bylines under their ledes when it prints a short line under this
TRAILER_SHARE = 0.5  # ... many paragraphs, and under this share of them (a list of teasers has a headline there)
NAME_MIN_CAPITALISED = 2  # a person's name has two capitalised words at least (first name and surname) ...
NAME_PARTICLE_MAX_LETTERS = 3  # ... and lowercase words between names no longer than this ("von", "und", "de")
NAME_INITIAL_MAX_CHARS = 2  # an initial ("U.") ends on a full stop and is a name's, not a sentence's end
NAME_ABBREVIATION_MAX_CHARS = 3  # a list of names may end on short lowercase abbreviations, its "and others" ("u. a.",
# "et al.": two letters and the full stop at most; a sentence's last word is longer)
_NAME_PUNCTUATION = frozenset("&+/")  # what stands between names in a list of them, besides commas
MENU_MIN_SEPARATORS = 2  # a line with this many " | " is a menu run into one line, never a headline
_MENU_SEPARATOR = re.compile(r"\s[|•·]\s")
MENU_MIN_GLUED = 3  # ... or with this many words glued to the next item ("DealsBILD", "ShopOnline": a page's
MENU_GLUED_SHARE = 0.5  # links printed with no space between them), and as many as this share of its words. A name
#   glues two words ("iOS", "TikTok", "OpenStreetMap"), and a tech site's headline may hold three such names in ten
#   words ("macOS 12.2, watchOS 8.4 und tvOS 15.3"); on the real pages, records whose headline has 3 glued words
#   in half its words: 36 holding no linked story (menus), 1 holding one (a menu of sports naming a link's words)
PAGE_NUMBERS_MIN = 2  # ... or page numbers: this many numbers, more than its words ("1 2 3 4 5 ... 115",
#   "Page 1 / 12", "1 - 3 of 11"); a headline with numbers has as many words at least ("2:1 for Bayern")
_KICKER_PREFIX = re.compile(r"^(.{1,60}?)(?::|\s[-–—|])\s+(?=\S)")  # "Kicker: headline", "Kicker - headline"
_CONTINUES = re.compile(r"^[:|]\s*")  # a headline line opening with a colon goes on from its kicker ("Kicker" / ":Headline"), printed or not


def _paragraphs(lines: list[str | None]) -> list[bool]:
    """Which lines are paragraphs: long or sentence-like lines, and a shorter line that follows a
    headline line and leads nowhere (a one-sentence lede without its full stop), unless it is one
    of a run of headline-sized lines (a list of headline-only teasers), each with its metadata under it
    or not (gmx.net: headline / "vor 8 Tagen von ..." / headline / ...), or a date line follows it,
    right under it or under a byline (an article's headline under its kicker: "BLACK DEATH FEARS" /
    "Hunter diagnosed with bubonic plague after ..." / "Debbie White" / "18 Nov 2019, 19:09")."""
    flags = [bool(line) and is_paragraph(line) for line in lines]
    content = [n for n, line in enumerate(lines) if line]
    plain = [n for n in content if _plain(lines[n])]  # a run's lines, the metadata between them left out
    at = {n: q for q, n in enumerate(plain)}
    for p, n in enumerate(content):
        before = content[p - 1] if p else None
        after = content[p + 1] if p + 1 < len(content) else None
        q = at.get(n)
        under = content[p + 2] if p + 2 < len(content) else None
        if (not flags[n] and q is not None and word_count(lines[n], PARA_MIN_WORDS) >= SHORT_LEDE_MIN_WORDS
                and before is not None and not flags[before] and lines[before] is not BREAK
                and HEADLINE_LINE_MIN_WORDS <= word_count(lines[before], PARA_MIN_WORDS) < word_count(lines[n], PARA_MIN_WORDS)
                and not is_date_line(lines[before]) and not (after is not None and lines[after] and is_date_line(lines[after]))
                and not (under is not None and _plain(lines[after]) and not flags[after] and _plain(lines[under])
                         and is_date_line(lines[under]))
                and (after is None or lines[after] is BREAK or not flags[after])
                and not any(k is not None and _headline_sized(lines[k], flags[k])
                            for k in (plain[q - 2] if q >= 2 else None, plain[q + 1] if q + 1 < len(plain) else None))):
            flags[n] = True
    _ledes_under_prefixed_headlines(lines, flags)
    return flags


def _ledes_under_prefixed_headlines(lines: list[str | None], flags: list[bool]) -> None:
    """On a page whose teasers are a `Kicker: headline` line over a one-sentence lede (PREFIXED_TEMPLATE_MIN
    times a paragraph, and PREFIXED_TEMPLATE_SHARE of the lines under such lines a paragraph or a lede as
    `_lede_shaped` reads it, ending like a sentence; the prefix up to `_KICKER_PREFIX`'s 60 characters,
    bild.de's run long), a headline-sized line under such a line that has no such prefix of its own, reads
    as a lede and heads no paragraph is a lede too: one ending on "!" or "?", or a few words short of a
    paragraph (bild.de's "Vogelgrippe fegt Regale leer : Akuter Eier-Mangel" / "Sie feiert in der
    Winterpause ihre Traumhochzeit!" were two headline-only stories; so were half of the ledes of pages
    whose ledes end on "!" and "?" more often than on a full stop, when only paragraphs counted for the
    template). A run of prefixed lines (a list of headline-only teasers) is left as it is, and counts once
    against the template, as one list: a page printing lists of such lines beside its teasers (bild.de's
    section pages) still prints its teasers so; a line under a list's last line is no evidence of ledes (a
    list of "Kicker: headline" lines may hold a question headline without a prefix)."""
    prefixed = [not flag and _plain(line) and _KICKER_PREFIX.match(line) is not None  # (paragraphs need not be asked)
                for line, flag in zip(lines, flags)]
    under = [n for n in range(1, len(lines)) if prefixed[n - 1] and not flags[n - 1] and _plain(lines[n])]
    over = [n for n in under if not prefixed[n]]
    lists = sum(prefixed[n] and not (n + 1 < len(lines) and prefixed[n + 1]) for n in under)  # (each run once)
    ledes = [n for n in over if not flags[n] and not (n + 1 < len(lines) and flags[n + 1]) and _lede_shaped(lines[n])]
    shown = sum(flags[n] for n in over)
    ended = sum(_ends_sentence(lines[n]) for n in ledes if not (n >= 2 and prefixed[n - 2]))  # (not a list's)
    if shown < PREFIXED_TEMPLATE_MIN or shown + ended < PREFIXED_TEMPLATE_SHARE * (len(over) + lists):
        return
    for n in ledes:
        flags[n] = True


def _lede_shaped(line: str) -> bool:
    """A headline-sized line that reads as a one-sentence lede: it ends like a sentence (on "!" or "?" too),
    or runs SHORT_LEDE_MIN_WORDS long."""
    words = word_count(line, SHORT_LEDE_MIN_WORDS)
    return words >= HEADLINE_ONLY_MIN_WORDS and (words >= SHORT_LEDE_MIN_WORDS or _ends_sentence(line))


def _ends_sentence(line: str) -> bool:
    """The line ends as a sentence does: on a full stop, "!", "?" or an ellipsis (quotes aside)."""
    return line.rstrip("\"”'’»« ").endswith((".", "!", "?", *ELLIPSES))


def _plain(line: str | None) -> bool:
    """A line of text: not a blank, boilerplate or metadata line."""
    return bool(line) and not isinstance(line, _Metadata)


def _headline_sized(line: str | None, paragraph: bool) -> bool:
    """A line that could be a headline-only teaser: not a paragraph, not a date, HEADLINE_ONLY_MIN_WORDS long."""
    return bool(line) and not paragraph and word_count(line, PARA_MIN_WORDS) >= HEADLINE_ONLY_MIN_WORDS \
        and not is_date_line(line)


BREAK = None  # stands in the page for a boilerplate line
METADATA = "\x00metadata"  # stands in the page for a teaser's metadata line (`is_metadata`): it parts
# the lines around it, as a blank line does, and takes no part in a teaser's headline or text


class _Metadata(str):
    """A metadata line as it stands in the page: METADATA, with the line itself as `line`; the
    teaser it belongs to keeps it as a caption (searchable, as its link prints it)."""

    line: str


def _metadata(line: str) -> _Metadata:
    meta = _Metadata(METADATA)
    meta.line = line
    return meta


def _metadata_leads(lines: list[str | None]) -> bool:
    """Whether the page prints a teaser's metadata over its headline ("09:04 Newsticker" / headline),
    not under it (headline / "dpa Berlin"): more of its metadata lines open a run of lines (after a
    blank or boilerplate line) than close one."""
    opens = closes = 0
    for n, line in enumerate(lines):
        if isinstance(line, _Metadata):
            opens += n == 0 or not lines[n - 1]
            closes += n + 1 == len(lines) or not lines[n + 1]
    return opens > closes


def segment_page(page: Page, stats: CrawlStats, record: Consulted | None = None) -> list[Teaser]:
    """Every story the page shows, in page order; what it read of `stats` goes to `record`."""
    walk = _Walk.of(page, CrawlView(stats, page.site, record))
    for n, line in enumerate(walk.lines):
        walk.step(n, line)
    return walk.finish()


@dataclass
class _Walk:
    """Segmenting one page, line by line: the teasers so far, and the short lines waiting for the
    paragraph that will tell what they are (its headline line, its caption, headline-only teasers)."""

    page: Page
    crawl: CrawlView
    lines: list[str | None]
    paragraph: list[bool]  # which lines are paragraphs
    habit: bool  # a lone page that repeats its headlines at the start of its paragraphs
    ledes: bool  # a page that prints its teasers as a headline line over a lede (`_ledes_under_lines`)
    date: str | None  # the date of the teasers that follow
    teasers: list[Teaser] = field(default_factory=list)
    shorts: list[str] = field(default_factory=list)
    detached: int = 0  # how many of `shorts` a blank line sets apart from the next paragraph
    dated: int | None = None  # which of `shorts` a date line followed
    parted: set[int] = field(default_factory=set)  # which of `shorts` a blank, boilerplate or metadata line came before
    credited: set[int] = field(default_factory=set)  # ... which a boilerplate line came before (a photo credit, a byline)
    article: Teaser | None = None  # the page's own article, while its body runs on
    leads: bool = False  # the page prints a teaser's metadata over its headline (`_metadata_leads`)
    meta: dict[int, list[str]] = field(default_factory=dict)  # metadata lines by the one of `shorts` they belong to
    inside: list[str] = field(default_factory=list)  # short lines inside an article's body: subheads, unless a list follows

    @classmethod
    def of(cls, page: Page, crawl: CrawlView) -> "_Walk":
        lines = _content_lines(page, crawl)
        lines, paragraph = _bylines_apart(lines, _paragraphs(lines), crawl)
        return cls(page, crawl, lines, paragraph, _repeats_headlines(lines, paragraph, crawl),
                   _ledes_under_lines(lines, paragraph, crawl), page.date, leads=_metadata_leads(lines))

    def metadata(self, line: str) -> None:
        """A teaser's metadata line goes with the short line below it or above it (as the page prints
        it), else with the last teaser."""
        at = len(self.shorts) if self.leads else len(self.shorts) - 1
        if at >= 0:
            self.meta.setdefault(at, []).append(line)
        elif self.teasers:
            last = self.teasers[-1]
            last.caption = f"{last.caption} {line}".strip()

    def step(self, n: int, line: str | None) -> None:
        """Take in line n: each kind of line has its step."""
        if line is BREAK or (self.article and line and not self.paragraph[n] and _box_header(line, self.crawl)):
            self.close_article()  # boilerplate or a "Related stories" header: the article's body ends here
            self.parted.add(len(self.shorts))
            self.credited.add(len(self.shorts))
        elif not line or isinstance(line, _Metadata):  # a blank or metadata line: the short lines above
            self.detached = len(self.shorts)  # it are not the next paragraph's caption
            self.parted.add(len(self.shorts))
            if line and line.line:
                self.metadata(line.line)
        elif self.article is not None and not self.paragraph[n]:
            self.subhead(line)
        elif is_date_line(line):
            self.date_line(line)
        elif not self.paragraph[n]:
            self.short_line(n, line)
        elif self.article is not None and not _opens_with_headline(line, self.crawl) \
                and (len(self.inside) <= ARTICLE_MAX_SUBHEAD_LINES or _own_list(self.inside, self.crawl)):
            self.body(line)
        else:
            self.new_teaser(n, line)

    def close_article(self) -> None:
        """The article's body ends at a line the site prints on many pages (boilerplate, a box
        header): the short lines after its last paragraph close it (a note, a list of scorers), as few
        as ARTICLE_MAX_SUBHEAD_LINES, or more where the crawl shows most of them nowhere else as
        headlines (`_own_list`: a table of seeds, not a list of links). (Where the page just ends, the
        site's boilerplate unknown, they stay what they are: a lone page's "Related stories" box.)"""
        if self.article is not None and self.inside and (
                len(self.inside) <= ARTICLE_MAX_SUBHEAD_LINES or _own_list(self.inside, self.crawl)):
            self.article.text = "\n".join([self.article.text, *self.inside])
            self.inside = []
        self.end_article()

    def end_article(self) -> None:
        """The article's body ends: short lines met inside it wait for a paragraph like any other."""
        self.article, self.shorts, self.inside = None, self.shorts + self.inside, []

    def subhead(self, line: str) -> None:
        """A short line inside an article's body. Too many in a row are a list: the article's own when
        the body does not go on after them (`close_article`), else a list of links that ends it (the
        paragraph after them is a teaser's)."""
        self.inside.append(line)

    def date_line(self, line: str) -> None:
        """A date line dates the teasers after it, and marks the short line above it."""
        self.date = find_date(line) or self.date
        self.dated = len(self.shorts) - 1 if self.shorts else self.dated
        self.parted.add(len(self.shorts))

    def short_line(self, n: int, line: str) -> None:
        """A short line waits for the next paragraph, unless it prints the last teaser's headline again, right
        under it (no blank line between; over a metadata line, a byline closing the teaser, only as it is: the
        next teaser's headline may open as the last one's did, "Die besten Serien im Januar" / lede / byline /
        "Die besten Serien im Dezember")."""
        self.article = None
        last = self.teasers[-1] if self.teasers else None
        if not self.shorts and last and last.text and n and self.lines[n - 1] and last.headline_from == "line" \
                and not last.article and (k := repeated_prefix(line, last.text)):
            _headline_below(last, line, k)
        elif not self.shorts and last and last.text and n and self.lines[n - 1] and (
                _plain(self.lines[n - 1]) or fold(line) in {fold(h) for h in last.headlines}) and repeated_prefix(
                line, f"{last.headline} {last.text}"):
            last.headlines = list(dict.fromkeys([*last.headlines, line]))  # printed again below
        else:
            self.shorts.append(line)

    def body(self, line: str) -> None:
        """A paragraph of the article's body, with the subheads above it."""
        self.article.text = "\n".join([self.article.text, *self.inside, line])
        self.article.truncated = line.endswith(ELLIPSES)
        self.inside = []

    def new_teaser(self, n: int, line: str) -> None:
        """A paragraph that opens a teaser (or the page's article) with the short lines above it;
        those it does not take are headline-only teasers or navigation."""
        self.end_article()
        shorts = self.shorts
        teaser, used = _teaser(shorts, self.detached, line, self.crawl, self.habit,
                               not self.teasers and len(shorts) in self.credited, self.ledes)
        own = None if any(t.article for t in self.teasers) else _article_headline(
            shorts, self.page, self.dated if not self.teasers else None, self.lines, self.paragraph, n,
            self.crawl, teaser.headline_from == "split")
        if own is not None:
            under = shorts[own + 1:]  # a byline, a photo caption, a standfirst (the lede, as a line of its own)
            standfirst = [u for u in under if word_count(u, SHORT_LEDE_MIN_WORDS) >= SHORT_LEDE_MIN_WORDS]
            teaser = _make(shorts[own], "\n".join([*standfirst, line]), [u for u in under if u not in standfirst],
                           [], "line")
            self.teasers.extend(self.uncaptioned(_headline_only(shorts[:own], self.page, self.date, self.crawl,
                                                                self.parted, self.meta)))
            teaser.article = True
            self.article = teaser
        else:
            self.teasers.extend(self.uncaptioned(_headline_only(shorts[:len(shorts) - used], self.page, self.date,
                                                                self.crawl, self.parted, self.meta)))
        first = own if own is not None else len(shorts) - used
        teaser.caption = " ".join([teaser.caption, *(m for at in sorted(self.meta) if at >= first for m in self.meta[at])]).strip()
        self.shorts, self.detached, self.dated, self.parted, self.credited, self.meta = [], 0, None, set(), set(), {}
        teaser.page, teaser.site, teaser.date, teaser.url = self.page.id, self.page.site, self.date, self.page.url
        self.teasers.append(teaser)

    def finish(self) -> list[Teaser]:
        """The teasers, with the short lines left over as headline-only teasers; but for the page's
        signature (`_signature`)."""
        if self.shorts and not self.inside and self.shorts[-1] is _signature(self.lines):
            self.shorts.pop()
        return self.teasers + self.uncaptioned(_headline_only(self.shorts + self.inside, self.page, self.date,
                                                              self.crawl, self.parted | {len(self.shorts)}, self.meta))

    def uncaptioned(self, lone: list[Teaser]) -> list[Teaser]:
        """Headline-only teasers but those whose line the page printed before as a teaser's caption or
        kicker: a photo caption printed again over another teaser is still a caption, not a story."""
        if not lone:
            return lone
        taken = {fold(line) for t in self.teasers for line in (t.caption, t.kicker) if line}
        return [t for t in lone if fold(t.headline) not in taken]


def _signature(lines: list[str | None]) -> str | None:
    """The page's signature, if it ends on one: one short line after its footer (the last of its
    boilerplate lines), "“News you can trust” – café edition"; a teaser stands among others."""
    after = [line for line in lines[len(lines) - lines[::-1].index(BREAK):] if line] if BREAK in lines else []
    return after[0] if len(after) == 1 and not isinstance(after[0], _Metadata) and not is_paragraph(after[0]) else None


def _own_list(lines: list[str], crawl: CrawlView) -> bool:
    """A list of short lines that is an article's own, not a list of links to other stories: the crawl
    shows more than ARTICLE_LIST_OWN_SHARE of them nowhere else as headlines (printed on
    BOILERPLATE_MIN_PAGES of the site's pages, or run into a lede at the start of a paragraph)."""
    elsewhere = sum(crawl.pages_with_line(line) >= BOILERPLATE_MIN_PAGES or _opens_paragraph(line, crawl)
                    for line in lines)
    return len(lines) - elsewhere > ARTICLE_LIST_OWN_SHARE * len(lines)


def _headline_below(teaser: Teaser, line: str, k: int) -> None:
    """The line right under a teaser repeats the opening k words of its paragraph: it is the teaser's
    headline, printed again below its "headline lede" paragraph; the line above that the paragraph
    took for its headline is its caption (a photo's: "Gets Past Ark (file photo)")."""
    words = teaser.text.split()
    teaser.caption = " ".join([teaser.headline, teaser.caption]).strip()
    teaser.headline, teaser.text = " ".join(words[:k]), " ".join(words[k:])
    teaser.headlines, teaser.headline_from = list(dict.fromkeys([teaser.headline, line])), "repeat"


def _box_header(line: str, crawl: CrawlView) -> bool:
    """The header of a box of teasers after an article ("Related stories", "Mehr zum Thema"): a short
    line inside an article's body that BOILERPLATE_MIN_PAGES of the site's pages print (an article's
    subheads are its own; a box header recurs over the site's articles, if not on most of its pages)."""
    return boilerplate_by_count(crawl.pages_with_line(line), crawl.site_pages)[0]


def _repeats_headlines(lines: list[str | None], paragraph: list[bool], crawl: CrawlView) -> bool:
    """A lone page's habit of repeating its headlines at the start of paragraphs says captions; a
    crawl has better evidence (False)."""
    return crawl.site_pages < BOILERPLATE_MIN_PAGES and any(
        paragraph[n + 1] and not paragraph[n] and repeated_prefix(a, b)
        for n, (a, b) in enumerate(zip(lines, lines[1:])) if a and b)


def _ledes_under_lines(lines: list[str | None], paragraph: list[bool], crawl: CrawlView) -> bool:
    """Whether the page prints its teasers as a headline line over a lede: of the paragraphs right under a
    headline line (`_is_headline_line`; not repeating it), LEDE_HABIT_MIN at least and LEDE_HABIT_SHARE of them
    split into no confident headline and lede (`split_headline`). There, one that does split so is still the
    line's lede, opening on a question or a short sentence ("Der Personal Trainer: Die Kniebeuge" / "Kann doch
    jeder? Die Kniebeuge sieht einfach aus, ..."), not a "headline lede" paragraph under a photo caption."""
    under = [n for n in range(1, len(lines)) if paragraph[n] and _plain(lines[n - 1]) and not paragraph[n - 1]
             and _is_headline_line(lines[n - 1]) and not repeated_prefix(lines[n - 1], lines[n])]
    if len(under) < LEDE_HABIT_MIN:
        return False
    ledes = sum(not all(split_headline(lines[n], crawl)) for n in under)
    return ledes >= LEDE_HABIT_SHARE * len(under)


def _opens_with_headline(paragraph: str, crawl: CrawlView) -> bool:
    """The paragraph starts with a headline printed as a line elsewhere, and a lede follows it:
    a teaser, not body text (a subhead repeated in the next sentence does not count, nor an opening
    holding a date: "PUBLISHED: 10:48, Tue, Nov 19, 2019 | UPDATED: ..." under an article's lede is
    its date line, printed before its " | " as a line of its own)."""
    words = first_words(paragraph, 21)
    return any(starts_like_lede(words[k]) and not words[k - 1].endswith(",") and crawl.printed_as_line(words[:k])
               and find_date(" ".join(words[:k])) is None
               for k in range(HEADLINE_LINE_MIN_WORDS + 1, len(words)))  # (the crawl asked last: fewer answers recorded)


def _content_lines(page: Page, crawl: CrawlView) -> list[str | None]:
    """The page's lines, cleaned, with boilerplate as BREAK; blank lines only where they mean something."""
    raw = page.lines
    labels = Counter(fold(raw[n]) for n in range(len(raw)) if in_kicker_position(raw, n))
    template = _page_template(raw)
    bylines = _bylines_under_ledes(raw, crawl)
    lines = [_metadata(clean(line)) if template and _label(line) in template or n in bylines
             or is_metadata(line, crawl) and not is_paragraph(line) and not _kicker_here(raw, n, labels, crawl)
             and not _heads_lede(raw, n, crawl) and not _in_kicker_pair(raw, n)
             and not _printed_as_headline(raw, n, crawl)
             else _metadata("") if is_notice(line, crawl)  # (the same notice under every teaser of a kind: none's own)
             else BREAK if is_boilerplate(line, crawl) and not _kicker_here(raw, n, labels, crawl)
             and not (headline_over_lede(raw, n) and not _is_menu(line))
             else tidy(line, crawl) for n, line in enumerate(raw)]
    lines = [line for n, line in enumerate(lines) if line != "" or (n and lines[n - 1] != "")]
    lines = _printed_once(lines)
    blanks = sum(line == "" for line in lines)
    if blanks >= BLANKS_EVERYWHERE * (len(lines) - blanks - 1):
        lines = [line for line in lines if line != ""]  # every line is set apart: blanks say nothing
    return lines


def _bylines_apart(lines: list[str | None], paragraph: list[bool],
                   crawl: CrawlView) -> tuple[list[str | None], list[bool]]:
    """The page's lines (and which are paragraphs) with the byline run into a headline line's end
    (`sitelines.byline_apart`: "... Schnittige Japaner Von Peter Wagner") set apart as a metadata line under
    it, its teaser's caption. (Once the page's template is read: the line stood where a headline stands.)"""
    out, flags = [], []
    for line, flag in zip(lines, paragraph):
        headline, byline = byline_apart(line, crawl) if _plain(line) and not flag else (line, "")
        out.extend([headline, _metadata(byline)] if byline else [line])
        flags.extend([flag, False] if byline else [flag])
    return out, flags


def _bylines_under_ledes(lines: list[str], crawl: CrawlView) -> set[int]:
    """The lines of a page that are its teasers' bylines, printed under their ledes: where the page prints a
    short line under TRAILER_SHARE of its paragraphs (TRAILER_MIN_TIMES at least) that heads no paragraph
    of its own (`_trailer`: a byline, a place, a date), those of them shaped as person names
    (`_name_shaped`: "Julia Löhr, Hanna Decker", "Von Christina Rietz, Berlin") are metadata, the
    teaser's caption, not headline-only stories. A headline-only teaser after a lede is rarely a list of
    names; on a page with no such habit, nothing is taken."""
    paragraphs = [is_paragraph(line) and not _name_shaped(line) for line in lines]  # ("... Lucie Liu u. a." ends on a stop)
    trailers = [n for n in range(1, len(lines)) if _trailer(lines, paragraphs, n, crawl)]
    if len(trailers) < TRAILER_MIN_TIMES or len(trailers) < TRAILER_SHARE * sum(paragraphs):
        return set()
    return {n for n in trailers if _name_shaped(lines[n])}


def _trailer(lines: list[str], paragraphs: list[bool], n: int, crawl: CrawlView) -> bool:
    """Line n stands right under a paragraph and over no paragraph (but a notice): it closes a teaser."""
    return paragraphs[n - 1] and not paragraphs[n] and not (
        n + 1 < len(lines) and paragraphs[n + 1] and not is_notice(lines[n + 1], crawl))


def _name_shaped(line: str) -> bool:
    """A line shaped as a list of person names: NAME_MIN_CAPITALISED capitalised words or more (none ending a
    clause with ":", "?", "!" or a full stop, but initials), between them short lowercase particles and
    connectors (NAME_PARTICLE_MAX_LETTERS: "von", "und", "de", "and"), never two in a row, and no punctuation
    but a list's (`_NAME_PUNCTUATION`): "Julia Löhr, Hanna Decker", "Von Jakob von Lindern und Meike Laaff",
    "Anne Reimers, London"; at its end, short lowercase abbreviations (NAME_ABBREVIATION_MAX_CHARS: "Von Lisa
    Kern, Jan Roth u. a.", "Anne Reimers et al."). A headline has longer lowercase words, runs of short ones
    ("für ein"), or a colon or dash between its parts, in every language that capitalises names."""
    words = line.split()
    while words and len(words[-1]) <= NAME_ABBREVIATION_MAX_CHARS and words[-1].endswith(".") \
            and words[-1][:-1].isalpha() and words[-1].islower():
        words.pop()  # "and others", abbreviated
    capitalised, lowercase_before = 0, False
    for word in words:
        core = word.strip(",()")
        if not any(ch.isalnum() for ch in core):
            if core and core not in _NAME_PUNCTUATION:
                return False
            continue
        if core[:1].isupper():
            if core.endswith((":", "?", "!")) or (core.endswith(".") and len(core) > NAME_INITIAL_MAX_CHARS):
                return False
            capitalised, lowercase_before = capitalised + 1, False
        elif core.isalpha() and core.islower() and len(core) <= NAME_PARTICLE_MAX_LETTERS and not lowercase_before:
            lowercase_before = True
        else:
            return False
    return capitalised >= NAME_MIN_CAPITALISED


def _heads_lede(lines: list[str], n: int, crawl: CrawlView) -> bool:
    """Line n, whose shape recurs as a teaser's metadata's does, stands right over a paragraph (no notice)
    and is shaped as a title: no number, and no lowercase word longer than NAME_PARTICLE_MAX_LETTERS
    (`_particles_only`). It is that paragraph's headline line: a title's shape recurs by chance in a
    language that capitalises its nouns ("X im X": faz.net's "Schmuckstück im Ozean", "Das X von X"),
    while a byline or a source stands under its headline, over the next teaser or after its lede, not over
    a lede of its own. A line with a number (a time, a count) is metadata wherever it stands, and so is one
    with a longer fixed word, a photo caption's template ("Graeme Souness (file photo)")."""
    return n + 1 < len(lines) and not DIGITS.search(lines[n]) and _particles_only(lines[n]) \
        and is_paragraph(lines[n + 1]) and not is_notice(lines[n + 1], crawl)


def _in_kicker_pair(lines: list[str], n: int) -> bool:
    """Line n is a label leading on into the line below it (`leads_on`: "Hanau kreisfrei:" / "Das Versprechen
    der Bürgernähe"), or that line, and neither holds a number nor is a paragraph or a date: a teaser's kicker and
    headline, however the shape of either recurs (a title's shape recurs by chance as a byline's does, "X der X",
    in a language that capitalises its nouns). Metadata leads on into no headline and takes no label leading on
    into it; a label over a number is metadata's ("Veröffentlicht/Aktualisiert:" / "Kommentare: 1")."""
    def pair(k: int) -> bool:
        return 0 <= k and k + 1 < len(lines) and leads_on(lines[k]) and not leads_on(lines[k + 1]) \
            and not any(DIGITS.search(lines[j]) or is_date_line(lines[j]) for j in (k, k + 1)) \
            and not is_paragraph(lines[k + 1])
    return pair(n) or pair(n - 1)


def _printed_as_headline(lines: list[str], n: int, crawl: CrawlView) -> bool:
    """Line n, whose shape recurs as a teaser's metadata's does, is printed as a headline is: it has no number,
    is SHORT_HEADLINE_MIN_WORDS long and no list of names (`_name_shaped`: a byline), and the page prints it
    twice in a row (for two screen sizes, over its lede: zeit.de's "Kinderwunsch: Die Illusion von Kontrolle"),
    or again under itself with a time run into it ("Headline Gestern, 15:11" / "Headline"), or between two
    metadata lines with numbers, in a list of headlines each with its time and source ("Gestern, 14:48 dpa
    Berlin" / "Brauchtum: Tausende Sportfans bei Silvesterlauf in Hannover" / "Gestern, 14:47 dpa Niedersachsen").
    A teaser's metadata stands once by its headline; a title's shape recurs by chance in a language that
    capitalises its nouns ("X: X X X gestorben")."""
    line = lines[n]
    if DIGITS.search(line) or word_count(line, SHORT_HEADLINE_MIN_WORDS) < SHORT_HEADLINE_MIN_WORDS \
            or _name_shaped(line):
        return False
    above, below = (lines[n - 1] if n else ""), (lines[n + 1] if n + 1 < len(lines) else "")
    this = fold(line)
    if this in (fold(above), fold(below)) or _with_tail(fold(above), this):
        return True
    return all(DIGITS.search(other) and is_metadata(other, crawl) for other in (above, below))


def _particles_only(line: str) -> bool:
    """Whether every lowercase word of the line (punctuation aside) is NAME_PARTICLE_MAX_LETTERS long at most."""
    return all(len(core) <= NAME_PARTICLE_MAX_LETTERS for word in line.split()
               if (core := "".join(ch for ch in word if ch.isalpha())) and core[0].islower())


def _printed_once(lines: list[str | None]) -> list[str | None]:
    """The lines with a line printed twice in a row (for two screen sizes) once; also one printed with
    its time or reading time run into it and again without (zeit.de's "Headline Gestern, 09:42" over
    "Headline"): the copy without, the tail being the next line's metadata, not the headline's words."""
    folded = [fold(line) if line and (n and lines[n - 1] or n + 1 < len(lines) and lines[n + 1]) else line
              for n, line in enumerate(lines)]  # (only a line with a neighbour is compared, each folded once)
    out: list[str | None] = []
    for n, line in enumerate(lines):
        before = lines[n - 1] if n else None
        if not (line and before) or isinstance(line, _Metadata) or isinstance(before, _Metadata):
            if not (line and before and folded[n] == folded[n - 1] and _same_metadata(line, before)):
                out.append(line)
            continue
        this, that = folded[n], folded[n - 1]
        if this == that or _with_tail(this, that):
            continue
        if _with_tail(that, this) and out and out[-1] is before:
            out[-1] = line
            continue
        out.append(line)
    return out


def _same_metadata(line: str, before: str) -> bool:
    """Two lines in a row printed alike: both metadata lines must be the same line ("Widerstand in
    Minnesota:" over "Das Gegenteil von MAGA" both stand as METADATA, and are two)."""
    if isinstance(line, _Metadata) != isinstance(before, _Metadata):
        return False
    return not isinstance(line, _Metadata) or fold(line.line) == fold(before.line)


def _with_tail(longer: str, shorter: str) -> bool:
    """Whether a folded line is another plus a tail of at most TAIL_MAX_WORDS words holding a number."""
    if not longer.startswith(shorter + " ") or word_count(shorter, HEADLINE_LINE_MIN_WORDS) < HEADLINE_LINE_MIN_WORDS:
        return False
    tail = longer[len(shorter) + 1:]
    return word_count(tail, TAIL_MAX_WORDS) <= TAIL_MAX_WORDS and DIGITS.search(tail) is not None


def _kicker_here(lines: list[str], n: int, labels: Counter, crawl: CrawlView) -> bool:
    """Line n, which the crawl would drop, is the kicker of the teaser below it (`kept_as_kicker`),
    unless the page prints it over and over where kickers go, more than KICKER_TEMPLATE_SHARE of
    them (`labels`: how often the page prints each line there): a part of the page's template
    ("Continue reading »" after every lede, a photo credit), where kickers vary; or unless the line
    above it is a photo caption naming that teaser: then it is the photo's credit ("Emilio Botin in
    a file picture" / "Photograph: staff" / headline / lede)."""
    times = labels[fold(lines[n])]
    return kept_as_kicker(lines, n, crawl) and not (times > 1 and times > KICKER_TEMPLATE_SHARE * sum(labels.values())) \
        and not (n and not is_paragraph(lines[n - 1]) and _names(lines[n - 1], f"{lines[n + 1]} {lines[n + 2]}"))


def _page_template(lines: list[str]) -> set[str]:
    """The labels (`_label`) of the page's short lines with a number that it prints TEMPLATE_MIN_TIMES
    times or more, numbers aside: a reading time or a comment count under every teaser ("4 Min Zur
    Merkliste hinzufügen"), each teaser's metadata, however often the crawl prints each number. A line
    printed twice in a row counts once (`_printed_once`: zeit.de prints each headline as its link's text and
    its heading; a headline with a number, "... seit 15 Jahren", on a teaser the page shows twice was template)."""
    counts = Counter(label for n, line in enumerate(lines)
                     if (label := _template_label(line)) is not None and not (n and lines[n - 1] == line))
    return {label for label, times in counts.items() if times >= TEMPLATE_MIN_TIMES}


def _template_label_of(line: str) -> str | None:
    """The line's `_label` when it is short, holds a number and is no date line; else None."""
    if DIGITS.search(line) and not is_date_line(line) and word_count(line, BOILERPLATE_MAX_WORDS + 1) <= BOILERPLATE_MAX_WORDS:
        return _label(line)
    return None


_template_label = Memo(_template_label_of).__getitem__  # (a crawl prints its lines on many pages: `text.Memo`)


def _label(line: str) -> str:
    """A line with its numbers as one ("4 Min Zur Merkliste hinzufügen" and "11 Min ..."), folded."""
    return fold(DIGITS.sub("0", line))


def _is_menu(line: str) -> bool:
    """A menu run into one line: "Skip to content | Front page | Top stories" (MENU_MIN_SEPARATORS or more),
    or "NewsSportWeather LocalTravel" (MENU_MIN_GLUED words glued to the next, MENU_GLUED_SHARE of them),
    or page numbers ("1 2 3 ... 115": PAGE_NUMBERS_MIN)."""
    words = line.split()
    return (len(_MENU_SEPARATOR.findall(line)) >= MENU_MIN_SEPARATORS
            or _glued_menu(words) or _page_numbers(words))


def _page_numbers(words: list[str]) -> bool:
    numbers = sum(word[0].isdigit() and not any(map(str.isalpha, word)) for word in words)
    return numbers >= PAGE_NUMBERS_MIN and numbers > sum(any(map(str.isalpha, word)) for word in words)


def _glued_menu(words: list[str]) -> bool:
    glued = sum(map(_glued, words))
    return glued >= MENU_MIN_GLUED and glued >= MENU_GLUED_SHARE * len(words)


def _glued(word: str) -> bool:
    """A word that runs into the next with no space: a lowercase letter right before an uppercase one."""
    rest = word[1:]
    return rest != rest.lower() and any(a.islower() and b.isupper() for a, b in zip(word, rest))


def _article_headline(shorts: list[str], page: Page, dated: int | None, lines: list[str | None],
                      paragraph: list[bool], n: int, crawl: CrawlView, runs_together: bool) -> int | None:
    """Which short line, if any, is the headline of the page's own article, whose body starts at
    paragraph n: one a date line follows, or one the page's title or address names, when a body
    follows (not a paragraph that `runs_together`, holding its own headline); else, by shape
    alone, the headline above a long run of body paragraphs."""
    body = _body_run(lines, paragraph, n)
    if dated is not None and dated < len(shorts) and len(shorts[dated].split()) >= HEADLINE_LINE_MIN_WORDS \
            and not _is_menu(shorts[dated]) and body >= ARTICLE_MIN_PARAGRAPHS:
        return dated
    named = _named_line(shorts, page)
    if named is not None and (body >= ARTICLE_MIN_PARAGRAPHS or dated is not None
                              or not runs_together):
        return named  # the address names it, and what follows is a body, not teasers
    run = lines[n:n + body]
    if (body >= ARTICLE_SHAPE_MIN_PARAGRAPHS or body >= 2 and sum(
            word_count(p, ARTICLE_SHAPE_MIN_WORDS) for p in run) >= ARTICLE_SHAPE_MIN_WORDS) \
            and _reads_as_body_run(run, [_broken_sentence(lines, k) for k in range(n, n + body)], crawl):
        return _headline_over_body(shorts, crawl)
    return None


def _body_run(lines: list[str | None], paragraph: list[bool], n: int) -> int:
    """How many lines from line n run on as paragraphs: paragraphs, the pieces of a sentence broken
    over short lines among them (`_broken_sentence`: a body whose links were cut out, "... secured
    qualification for" / "against Olympiakos on Wednesday evening."), and a line too short for a
    headline between two paragraphs ("Advertisement", "Photo: iFixit": a teaser's headline between
    ledes is longer)."""
    body = 0
    while n + body < len(paragraph) and (paragraph[n + body] or _broken_sentence(lines, n + body)
                                         or _between_paragraphs(lines, paragraph, n + body)):
        body += 1
    return body


def _between_paragraphs(lines: list[str | None], paragraph: list[bool], n: int) -> bool:
    """Line n is a short line too short for a headline line (HEADLINE_LINE_MIN_WORDS) between two paragraphs."""
    return 0 < n < len(lines) - 1 and paragraph[n - 1] and paragraph[n + 1] and _plain(lines[n]) \
        and word_count(lines[n], HEADLINE_LINE_MIN_WORDS) < HEADLINE_LINE_MIN_WORDS


def _broken_sentence(lines: list[str | None], n: int) -> bool:
    """Whether line n is a piece of a sentence broken over lines: it goes on in the next line, or goes
    on from the line above (`_goes_on`)."""
    if not _plain(lines[n]):
        return False
    return n + 1 < len(lines) and _plain(lines[n + 1]) and _goes_on(lines[n], lines[n + 1]) \
        or n > 0 and _plain(lines[n - 1]) and _goes_on(lines[n - 1], lines[n])


def _goes_on(line: str, below: str) -> bool:
    """Whether a sentence goes on from a line into the one below it: the one below opens with a comma
    or a semicolon (no sentence does), or opens in lower case under a line ending on a comma or a
    function word (no headline or sentence ends so, and no lede opens in lower case after one)."""
    opening = below.lstrip()[:1]
    if opening in (",", ";"):
        return not line.rstrip().endswith((".", "!", "?", *ELLIPSES))
    return opening.islower() and (line.rstrip().endswith(",") or _ends_on_function_word(line))


def _named_line(shorts: list[str], page: Page) -> int | None:
    """The short line the page's title or address names best (ARTICLE_ADDRESS_SHARE of its words at
    least); of equals, the fullest (not a caption made of its words)."""
    best, best_fit = None, (ARTICLE_ADDRESS_SHARE, 0)
    title = fold(page.title or "")
    address = set(fold(page.url or page.id).split())
    for i, line in enumerate(shorts):
        words = fold(line).split()
        if len(words) < HEADLINE_LINE_MIN_WORDS:
            continue
        share = 1.0 if title.startswith(" ".join(words)) else sum(w in address for w in words) / len(words)
        if (share, len(words)) >= best_fit:
            best, best_fit = i, (share, len(words))
    return best


def _reads_as_body_run(run: list[str], broken: list[bool], crawl: CrawlView) -> bool:
    """A run of paragraphs that reads as an article's body, not as teasers: none opens with a headline
    printed elsewhere in the crawl, and ARTICLE_BODY_SHARE of its words are in paragraphs that read as
    running text (a short article is a lede, a long paragraph and a one-line quote; teasers' paragraphs
    are all alike, and each holds a headline), or in the pieces of a sentence broken over lines
    (`broken`, `_broken_sentence`: a teaser's lines are whole sentences)."""
    if any(_opens_with_headline(p, crawl) for p in run):
        return False
    words = [word_count(p, ARTICLE_SHARE_MAX_WORDS) for p in run]
    return sum(w for p, w, piece in zip(run, words, broken) if piece or _reads_as_body(p, crawl)) \
        >= ARTICLE_BODY_SHARE * sum(words)


def _reads_as_body(paragraph: str, crawl: CrawlView) -> bool:
    """A paragraph of running text, not a teaser: long, not opening with a headline printed
    elsewhere, and no confident headline split in it, unless it runs to ARTICLE_SHAPE_MIN_WORDS (a
    teaser's headline and lede are shorter: a split by shape alone is a sentence's opening there)."""
    words = word_count(paragraph, ARTICLE_SHAPE_MIN_WORDS)
    return words >= ARTICLE_PARAGRAPH_MIN_WORDS and not _opens_with_headline(paragraph, crawl) \
        and (words >= ARTICLE_SHAPE_MIN_WORDS or not split_headline(paragraph, crawl)[1])


def _headline_over_body(shorts: list[str], crawl: CrawlView) -> int | None:
    """The headline above an article's body: of the last ARTICLE_HEAD_LINES short lines (headline,
    byline, photo caption, in that order), the first that can be a headline: not a menu run into one
    line ("Home | World | Sport": MENU_MIN_SEPARATORS), not a label over the headline (`_label_over`)."""
    start = max(0, len(shorts) - ARTICLE_HEAD_LINES)
    for i in range(start, len(shorts)):
        line = shorts[i]
        if len(line.split()) >= HEADLINE_LINE_MIN_WORDS and not _is_menu(line) \
                and not _label_over(line, shorts[i + 1] if i + 1 < len(shorts) else None, crawl):
            return i
    return None


def _label_over(line: str, below: str | None, crawl: CrawlView) -> bool:
    """A kicker or breadcrumb over an article's headline, not the headline over its photo caption (a
    caption is often the longer line: "Rock star sued by ex-girlfriend" / "Mick Mars in a file
    picture"): a short line over a longer one (`_is_kicker`) that the crawl never runs into a lede,
    where the crawl shows the line below as a headline (run into its lede at the start of a paragraph,
    or printed on BOILERPLATE_MIN_PAGES of the site's pages, a story's teasers on its listings) or
    prints this one on as many pages (a label: "Home › Entertainment", "Ukraine-Krieg"). On a site of
    fewer pages the crawl cannot tell: a short line over a longer one is read as a label."""
    if not _is_kicker(line, below) or _opens_paragraph(line, crawl):
        return False
    return crawl.site_pages < BOILERPLATE_MIN_PAGES or crawl.pages_with_line(line) >= BOILERPLATE_MIN_PAGES \
        or _opens_paragraph(below, crawl) or crawl.pages_with_line(below) >= BOILERPLATE_MIN_PAGES


def _opens_paragraph(line: str, crawl: CrawlView) -> bool:
    """Whether the crawl prints the line at the start of a paragraph (a headline run into its lede)."""
    return crawl.decide(lambda opens: opens, [(OPENINGS, key(line))])


def _teaser(shorts: list[str], detached: int, para: str, crawl: CrawlView,
            page_repeats: bool, credited: bool = False, page_ledes: bool = False) -> tuple[Teaser, int]:
    """One teaser from a paragraph and the short lines above it; also how many of those it used.
    A byline between the headline line and the paragraph ("Thomas Gutschker") is its caption; so is
    a photo caption over its credit (`_caption_over_credit`; `credited`: a boilerplate line stands
    between the last short line and the paragraph).

    Only lines with no blank line between them and the paragraph can be its caption.
    """
    if _caption_under_headline(shorts, detached, para, crawl) or _caption_over_credit(shorts, detached, para, credited, crawl):
        teaser, used = _teaser_under_line(shorts[:-1], detached, para, crawl, page_repeats, page_ledes)
        if teaser.headline_from in ("line", "repeat"):
            teaser.caption = " ".join([teaser.caption, shorts[-1]]).strip()
            return teaser, used + 1
    byline = _byline_under_headline(shorts, detached)
    if byline:
        teaser, used = _teaser_under_line(shorts[:-byline], detached, para, crawl, page_repeats, page_ledes)
        if teaser.headline_from in ("line", "repeat"):
            teaser.caption = " ".join([teaser.caption, *shorts[-byline:]]).strip()
            return teaser, used + byline
    return _teaser_under_line(shorts, detached, para, crawl, page_repeats, page_ledes)


def _caption_under_headline(shorts: list[str], detached: int, para: str, crawl: CrawlView) -> bool:
    """Whether the last short line above a paragraph is a photo caption under the teaser's headline,
    not its headline: it names the paragraph (`_names`), and the crawl runs the line above it into a
    lede at the start of a paragraph elsewhere (a headline), and never this one ("Hummer going smaller
    for share of big market" / "General Motors in a file picture" / lede). The line above is
    headline-sized (`_headline_sized`: a shorter one opening some paragraph is as likely a common
    phrase, "In mehreren Bundesländern:", a kicker) and can stand over a byline (`_over_byline`: not a
    lede's opening cut off on a function word), and no blank line parts them from the paragraph."""
    return len(shorts) - 2 >= detached and _headline_sized(shorts[-2], False) and _over_byline(shorts[-2]) \
        and _names(shorts[-1], para) and _opens_paragraph(shorts[-2], crawl) \
        and not _opens_paragraph(shorts[-1], crawl)


def _caption_over_credit(shorts: list[str], detached: int, para: str, credited: bool, crawl: CrawlView) -> bool:
    """Whether the last short line above a paragraph is a photo caption over its credit, under the
    teaser's headline: a line the site prints on many pages (a boilerplate line: "Picture: AP") parts
    it from the paragraph (`credited`), it names the teaser (`_names`: the headline above and the
    paragraph), and the line above it, with no blank line between them, can stand over a byline
    (`_over_byline`: a headline line) and is no label over it: it does not end on a colon, and is no
    kicker where the crawl can tell (`_label_over`; "Zwischen Eigennutz und Gemeinwohl:" / "Welche
    Interessen Politikberater verfolgen" / "Gastbeitrag" / lede is a kicker, a headline and a label)."""
    if not credited or len(shorts) - 2 < detached:
        return False
    above, line = shorts[-2], shorts[-1]
    return _over_byline(above) and not above.rstrip().endswith(":") and _names(line, f"{above} {para}") \
        and not _label_over(above, line, crawl)


def _byline_under_headline(shorts: list[str], detached: int) -> int:
    """How many of the last short lines above a paragraph are its byline, with a headline line right
    above it and no blank line between them and the paragraph: a line too short for a headline line
    (a name, "Von X"), after one line ending on a function word ("Ein Kommentar von" / "Thomas
    Klemm") or none; 0 when there is none. The headline line may be as short as a kicker leading on into
    it lets it be (`_under_leading_kicker`: "Starmer bei Trump:" / "Britische Charmeoffensive" / "Ein
    Kommentar von" / "Tatjana Heid"). Under such a pair, a line shaped as a person's names too short for a
    headline-only teaser (`_name_shaped`, under HEADLINE_ONLY_MIN_WORDS) is the byline even when it is as long
    as a headline line ("Christoph Becker, Mailand", after "Ein Kommentar von" or not): the pair is the
    teaser's head."""
    if shorts and _name_shaped(shorts[-1]) \
            and word_count(shorts[-1], HEADLINE_ONLY_MIN_WORDS) < HEADLINE_ONLY_MIN_WORDS:
        if len(shorts) - 3 >= detached and _under_leading_kicker(shorts[:-1], detached):
            return 1
        if len(shorts) - 4 >= detached and _ends_on_function_word(shorts[-2]) \
                and _under_leading_kicker(shorts[:-2], detached):
            return 2
    if len(shorts) - 2 < detached or _is_headline_line(shorts[-1]) or leads_on(shorts[-2]):
        return 0
    if _over_byline(shorts[-2]) or _under_leading_kicker(shorts[:-1], detached):
        return 1
    if len(shorts) - 3 >= detached and _ends_on_function_word(shorts[-2]) and (
            _over_byline(shorts[-3]) or _under_leading_kicker(shorts[:-2], detached)):
        return 2
    return 0


def _over_byline(line: str) -> bool:
    """A line that can be the headline line over a byline: not ending on a function word, not a menu."""
    return _is_headline_line(line) and not _ends_on_function_word(line) and not _is_menu(line)


def _ends_on_function_word(line: str) -> bool:
    """A line ending on "von", "of", "the": a phrase that goes on in the next line, never a headline."""
    return fold_word(line.split()[-1]) in FUNCTION_WORDS


def _is_headline_line(line: str) -> bool:
    """A short line that can be a teaser's headline line: HEADLINE_LINE_MIN_WORDS long, or one going on
    from its kicker (":Bodö glimmt"); never a menu run into one line (`_is_menu`)."""
    return (word_count(line, HEADLINE_LINE_MIN_WORDS) >= HEADLINE_LINE_MIN_WORDS or bool(_CONTINUES.match(line))) \
        and not _is_menu(line)


def _teaser_under_line(shorts: list[str], detached: int, para: str, crawl: CrawlView,
                       page_repeats: bool, page_ledes: bool = False) -> tuple[Teaser, int]:
    """One teaser from a paragraph and the short lines above it, the last of them its headline line
    when it can be one; also how many of them it used. `page_ledes`: the page prints its teasers as a
    headline line over a lede (`_ledes_under_lines`)."""
    words = para.split()
    headline_line = shorts[-1] if shorts and (_is_headline_line(shorts[-1]) or _under_leading_kicker(shorts, detached)) \
        else None
    captions = shorts[max(detached, len(shorts) - CAPTION_MAX_LINES):]
    above = captions[:-1] if captions and captions[-1] is headline_line else []
    if headline_line:
        k = repeated_prefix(headline_line, para)
        if k:
            headline = " ".join(words[:k])
            kicker, caption = _over_headline(above if captions and captions[-1] is headline_line else captions,
                                             headline_line, para)
            teaser = _make(headline, " ".join(words[k:]), caption, [headline, headline_line, *_led_on(kicker, headline)],
                           "repeat", kicker)
            return teaser, len(caption) + bool(kicker) + 1
    k, confident = split_headline(para, crawl)
    if k and headline_line and _under_leading_kicker(shorts, detached):
        # a kicker leads on into the line ("Blizzard in den USA:" / "New York geht im Schnee unter"): the
        # pair is a teaser's head, the paragraph its lede; a photo caption has no kicker of its own
        run_together = False
    elif k and headline_line and word_count(para, RUN_TOGETHER_MIN_WORDS) < RUN_TOGETHER_MIN_WORDS \
            and word_count(headline_line, k + 1) > k - (crawl.site_pages >= BOILERPLATE_MIN_PAGES):
        # a one-sentence lede under its headline line, longer than a headline cut from it (or as long, on a
        # site the crawl has pages of: the split's headline is not printed as a line, the line is)
        run_together = False
    elif k and headline_line:
        # A caption above a "headline lede" paragraph, or a headline above its lede? The crawl
        # decides when it can: the paragraph's opening printed as a line elsewhere, or the line
        # opening a paragraph elsewhere. Otherwise the page's habit and the split's strength do (a
        # confident split at a sentence's end not where the page's paragraphs under lines read as ledes,
        # `page_ledes`: there, it is the lede's first sentence), unless the line is headline-sized and
        # longer than the headline the split would cut, on a site the crawl has pages of (where a
        # headline is printed as a line, the split's is not): a headline over its lede (a caption over a
        # "headline lede" paragraph is the shorter).
        if fold(para).startswith(fold(headline_line)):
            run_together = True  # the paragraph runs on from the line mid-phrase: a caption made of its words
        else:
            longer = crawl.site_pages >= BOILERPLATE_MIN_PAGES and (word_count(
                headline_line, max(k, HEADLINE_ONLY_MIN_WORDS) + 1) > max(k, HEADLINE_ONLY_MIN_WORDS - 1)
                or _unnamed_headline(headline_line, para))
            lede_opening = page_ledes and is_sentence_end(words[k - 1])  # a question or a short sentence opening a lede
            run_together = _crawl_decides(words[:k], headline_line,
                                          (page_repeats or confident and not lede_opening) and not longer, crawl)
    else:
        run_together = k > 0
    if run_together:
        return _make(" ".join(words[:k]), " ".join(words[k:]), captions, [], "split"), len(captions)
    if headline_line:
        kicker, caption = _over_headline(above, headline_line, para)
        whole = _CONTINUES.sub("", headline_line)
        prefix, headline = _kicker_prefix(whole, crawl)
        return _make(headline, para, caption, [whole] if prefix else _led_on(kicker, headline), "line", kicker or prefix), \
            len(caption) + bool(kicker) + 1
    return _make("", para, captions, [], ""), len(captions)


def _under_leading_kicker(shorts: list[str], detached: int) -> bool:
    """The last short line stands under a kicker leading on into it ("Seltsamer Fossilienfund:" / "Dorniger
    Drache"), with no blank line between: the teaser's headline line, however short."""
    return len(shorts) - 2 >= detached and _is_kicker(shorts[-2], shorts[-1]) and leads_on(shorts[-2])


def _led_on(kicker: str, headline: str) -> list[str]:
    """A kicker leading on into its headline ("Kicker:" / "Headline") is read with it, as one headline:
    a headline variant "Kicker: Headline" (searchable as the page prints it); none for other kickers."""
    return [f"{kicker} {headline}"] if kicker and leads_on(kicker) else []


def _unnamed_headline(line: str, para: str) -> bool:
    """A line over a paragraph that reads as a headline and does not name the paragraph: the paragraph's
    headline, not its caption (a photo caption names its story, `_names`; a headline need not: faz.net's
    "Schmuckstück im Ozean" over "Christoph Kolumbus nannte sie „Die Ersehnte“. ..."). It reads as a
    headline: HEADLINE_LINE_MIN_WORDS words, not a sentence, not ending on a function word (a caption
    cut short: "Players sought for")."""
    return len(fold_words(line)) >= HEADLINE_LINE_MIN_WORDS and not _ends_on_function_word(line) \
        and not line.rstrip("\"”'’ ").endswith((".", *ELLIPSES)) and not _names(line, para)


def _over_headline(above: list[str], headline: str, para: str) -> tuple[str, list[str]]:
    """What the line right above a headline line is to its teaser (headline and paragraph): its
    kicker, its caption, or nothing (a headline-sized line that does not name the teaser: a
    headline-only teaser of its own). Returns (kicker, captions)."""
    if not above:
        return "", []
    if _is_kicker(above[-1], headline):
        return above[-1], []
    if word_count(above[-1], HEADLINE_ONLY_MIN_WORDS) >= HEADLINE_ONLY_MIN_WORDS \
            and not _names(above[-1], f"{headline} {para}"):
        return "", []
    return "", above


def _kicker_prefix(line: str, crawl: CrawlView) -> tuple[str, str]:
    """A "Kicker: headline" line as (kicker, headline) when the crawl printed the headline alone as a
    line elsewhere (the kicker varies across the pages of one story), or a kicker run into the headline with
    no separator (`_run_in_kicker`); else ("", line). The whole line stays a headline variant of its
    teaser: a story keeps one kicker, and the others stay searchable."""
    m = _KICKER_PREFIX.match(line)
    if m is None or word_count(m.group(1), KICKER_MAX_WORDS + 1) > KICKER_MAX_WORDS:
        return _run_in_kicker(line, crawl)
    rest = line[m.end():]
    if word_count(rest, HEADLINE_LINE_MIN_WORDS) < HEADLINE_LINE_MIN_WORDS or not crawl.printed_as_line(rest.split()):
        return "", line
    return m.group(1).strip(), rest


def _run_in_kicker(line: str, crawl: CrawlView) -> tuple[str, str]:
    """A kicker run into its headline with no separator, as (kicker, headline): up to KICKER_MAX_WORDS
    words, fewer than the headline's and not ending on a function word, before a capitalised headline of
    SHORT_HEADLINE_MIN_WORDS that the site printed alone as a line on another page (spiegel.de's
    "Empfehlungen zu Weihnachten Kochbücher zum Verschenken – ..."; a name or label printed alone,
    "Schlechte Sicht auf" / "Planeten-Parade am Nachthimmel", is no headline). A headline printed alone
    anywhere in the crawl (`printed_as_line`: its headline lines, cleaned) counts too when it is
    HEADLINE_ONLY_MIN_WORDS long under a kicker of two words or more: another site's shorter headline for
    the same news ("Russische Schachlegende" / "Boris Spasski ist tot") and a one-word label ("Video") are
    no evidence. Else ("", line)."""
    words = line.split()
    for k in range(1, min(KICKER_MAX_WORDS, len(words) - SHORT_HEADLINE_MIN_WORDS) + 1):
        if k < len(words) - k and words[k][:1].isupper() and fold_word(words[k - 1]) not in FUNCTION_WORDS and (
                crawl.pages_with_line(" ".join(words[k:])) or k > 1 and len(words) - k >= HEADLINE_ONLY_MIN_WORDS
                and crawl.printed_as_line(words[k:])):
            return " ".join(words[:k]), " ".join(words[k:])
    return "", line


def _names(caption: str, teaser: str) -> bool:
    """Whether a caption names its teaser: CAPTION_NAMES_SHARE of its words of 3+ letters are the teaser's."""
    words = [w for w in fold_words(caption) if len(w) >= 3]
    if not words:
        return False
    named = set(fold_words(teaser))
    return sum(w in named for w in words) >= CAPTION_NAMES_SHARE * len(words)


def _is_kicker(line: str, after: str | None) -> bool:
    """A short topical label over the headline line `after`: at most KICKER_MAX_WORDS words and fewer
    than the headline's, not a sentence; or any short line that a line opening with a colon goes on
    from ("Kicker" / ":Headline"); or a label of as many words leading on into the line below it
    ("Kicker:" / "Headline", `leads_on`), however short that line."""
    if after is None or _CONTINUES.match(line):
        return False
    if _CONTINUES.match(after):
        return True
    words = word_count(line, KICKER_MAX_WORDS + 1)
    if leads_on(line):  # "Kicker:" over its headline, however short
        return words <= KICKER_MAX_WORDS and not leads_on(after) and not is_date_line(after)
    return words <= KICKER_MAX_WORDS and word_count(after, words + 1) > words \
        and word_count(after, HEADLINE_LINE_MIN_WORDS) >= HEADLINE_LINE_MIN_WORDS \
        and not line.rstrip("\"”'’ ").endswith((".", ",", ":", *ELLIPSES))


def _crawl_decides(opening: list[str], line: str, otherwise: bool, crawl: CrawlView) -> bool:
    """Whether a paragraph runs its headline into its lede (and the line above it is a caption):
    yes when its opening was printed as a line elsewhere, no when the line opens a paragraph
    elsewhere; when both or neither, `otherwise`."""
    def runs_together(is_line: bool, opens: bool) -> bool:
        return is_line if is_line != opens else otherwise

    return crawl.decide(runs_together, [(LINES, key(" ".join(opening))), (OPENINGS, key(line))])


def _make(headline: str, text: str, captions: list[str], variants: list[str], how: str,
          kicker: str = "") -> Teaser:
    headlines = list(dict.fromkeys([headline, *variants])) if headline else []
    return Teaser(headline=headline, text=text, page="", site="", caption=" ".join(captions),
                  headlines=headlines, truncated=text.rstrip().endswith(ELLIPSES), headline_from=how, kicker=kicker)


def _headline_only(shorts: list[str], page: Page, date: str | None, crawl: CrawlView,
                   parted: set[int] = frozenset(), meta: dict[int, list[str]] | None = None) -> list[Teaser]:
    """Lone short lines long enough to be headlines become text-less teasers, each with the kicker
    right above it; the rest is navigation. A shorter line (SHORT_HEADLINE_MIN_WORDS) is a headline
    too where the crawl can tell navigation, which recurs, from a teaser (on a site of
    BOILERPLATE_MIN_PAGES pages or more): under a kicker (a menu item has none), or printed on fewer
    than BOILERPLATE_MIN_PAGES of the site's pages. `parted`: which lines a blank or boilerplate line came before;
    `meta`: the metadata lines of each line, its caption."""
    knows_site = crawl.site_pages >= BOILERPLATE_MIN_PAGES
    teasers, kicker = [], ""
    for n, line in enumerate(shorts):
        after = shorts[n + 1] if n + 1 < len(shorts) and n + 1 not in parted else None
        if _is_kicker(line, after):
            kicker = line
            continue
        whole = _CONTINUES.sub("", line)
        prefix, headline = _kicker_prefix(whole, crawl)
        kicker = kicker or prefix
        words = word_count(headline, HEADLINE_ONLY_MIN_WORDS)
        if _is_menu(headline):
            pass  # a menu run into one line
        elif words >= HEADLINE_ONLY_MIN_WORDS or (knows_site and words >= SHORT_HEADLINE_MIN_WORDS and (
                kicker or crawl.pages_with_line(headline) < BOILERPLATE_MIN_PAGES)):
            teasers.append(Teaser(headline=headline, text="", page=page.id, site=page.site,
                                  headlines=list(dict.fromkeys([headline, whole, *_led_on(kicker, headline)])),
                                  date=date, url=page.url, headline_from="line", kicker=kicker,
                                  caption=" ".join((meta or {}).get(n, []))))
        kicker = ""
    return teasers

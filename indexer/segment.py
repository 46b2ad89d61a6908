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

The walk is here; the rules it asks are in `pagelines` (what each line of a page is: boilerplate, a
teaser's metadata or byline, a paragraph, a short line), `teasers` (a paragraph and the short lines over it
as one teaser; headline-only teasers) and `articles` (a page's own article, by its shape).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .articles import article_headline
from .crawlview import Consulted, CrawlView
from .headline import repeated_prefix, split_headline
from .pagelines import (BREAK, SHORT_LEDE_MIN_WORDS, Metadata, bylines_apart, content_lines, ends_sentence,
                        is_text_line, headlines_as_lines, ledes_under_lines, metadata_leads, opens_with_headline,
                        paragraph_flags)
from .records import Page, Teaser
from .sitelines import (BOILERPLATE_MIN_PAGES, ELLIPSES, KICKER_MAX_WORDS, PARA_MIN_WORDS, CrawlStats,
                        boilerplate_by_count, is_paragraph)
from .teasers import headline_only_teasers, make_teaser, opens_paragraph, paragraph_teaser
from .text import find_date, fold, is_date_line, word_count

ARTICLE_MAX_SUBHEAD_LINES = 6  # more short lines in a row are a list: a paragraph after them is no longer the body
ARTICLE_LIST_OWN_SHARE = 0.5  # ... unless more than this share of them the crawl shows nowhere else as headlines
BODY_RUN_MAX_PARAGRAPHS = 5  # a story's body goes on in this many paragraphs in a row at most (no line between them) on
# a listing page (an evergreen text under a section heading, a notice in two paragraphs); a longer run of paragraphs
# is a list of teasers printed as one paragraph each (a box of podcasts: "Title Description."), each its own story
BODY_PARAGRAPH_MIN_WORDS = 2 * PARA_MIN_WORDS  # a paragraph this long is a body's, no teaser's lede (a sentence or two,
# shorter: the composed crawls' ledes, run into the next teaser's "headline lede" paragraph, hold 22-38 words)


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
    ledes: bool  # a page that prints its teasers as a headline line over a lede (`ledes_under_lines`)
    date: str | None  # the date of the teasers that follow
    teasers: list[Teaser] = field(default_factory=list)
    shorts: list[str] = field(default_factory=list)
    detached: int = 0  # how many of `shorts` a blank line sets apart from the next paragraph
    dated: int | None = None  # which of `shorts` a date line followed
    parted: set[int] = field(default_factory=set)  # which of `shorts` a blank, boilerplate or metadata line came before
    credited: set[int] = field(default_factory=set)  # ... which a boilerplate line came before (a photo credit, a byline)
    article: Teaser | None = None  # the page's own article, while its body runs on
    leads: bool = False  # the page prints a teaser's metadata over its headline (`metadata_leads`)
    meta: dict[int, list[str]] = field(default_factory=dict)  # metadata lines by the one of `shorts` they belong to
    lined: bool = False  # the page prints its teasers' headlines as lines of their own (`headlines_as_lines`)
    inside: list[str] = field(default_factory=list)  # short lines inside an article's body: subheads, unless a list follows
    runs: list[int] = field(default_factory=list)  # how many paragraphs in a row each line's run holds (0: no paragraph)

    @classmethod
    def of(cls, page: Page, crawl: CrawlView) -> "_Walk":
        lines = content_lines(page, crawl)
        lines, paragraph = bylines_apart(lines, paragraph_flags(lines), crawl)
        return cls(page, crawl, lines, paragraph, _repeats_headlines(lines, paragraph, crawl),
                   ledes_under_lines(lines, paragraph, crawl), page.date, leads=metadata_leads(lines),
                   lined=headlines_as_lines(lines, paragraph), runs=_paragraph_runs(lines, paragraph))

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
            self.close_article(line is not BREAK and self.heads_paragraph(n))  # boilerplate or a "Related
            # stories" header, or a teaser's headline that the site prints on many pages: the body ends here
            self.parted.add(len(self.shorts))
            self.credited.add(len(self.shorts))
        elif not line or isinstance(line, Metadata):  # a blank or metadata line: the short lines above
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
        elif self.article is not None and not opens_with_headline(line, self.crawl) \
                and (len(self.inside) <= ARTICLE_MAX_SUBHEAD_LINES or _own_list(self.inside, self.crawl)):
            self.body(line)
        else:
            self.new_teaser(n, line)

    def close_article(self, at_teaser: bool = False) -> None:
        """The article's body ends at a line the site prints on many pages (boilerplate, a box
        header): the short lines after its last paragraph close it (a note, a list of scorers), as few
        as ARTICLE_MAX_SUBHEAD_LINES, or more where the crawl shows most of them nowhere else as
        headlines (`_own_list`: a table of seeds, not a list of links). Where that line is a teaser's
        headline over its paragraph (`at_teaser`), they are the header of its box ("Related stories"), no
        part of the article. (Where the page just ends, the site's boilerplate unknown, they stay what
        they are: a lone page's "Related stories" box.)"""
        if at_teaser:
            self.inside = []
        elif self.article is not None and self.inside and (
                len(self.inside) <= ARTICLE_MAX_SUBHEAD_LINES or _own_list(self.inside, self.crawl)):
            self.article.text = "\n".join([self.article.text, *self.inside])
            self.inside = []
        self.end_article()

    def heads_paragraph(self, n: int) -> bool:
        """Line n is printed again at the start of the paragraph right under it: a teaser's headline."""
        return n + 1 < len(self.lines) and self.paragraph[n + 1] \
            and bool(repeated_prefix(self.lines[n], self.lines[n + 1]))

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
                is_text_line(self.lines[n - 1]) or fold(line) in {fold(h) for h in last.headlines}) and repeated_prefix(
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
        if self.goes_on(n, line):
            last = self.teasers[-1]
            last.text = "\n".join([last.text, line])
            return
        self.end_article()
        shorts = self.shorts
        teaser, used = paragraph_teaser(shorts, self.detached, line, self.crawl, self.habit,
                               not self.teasers and len(shorts) in self.credited, self.ledes, self.lined)
        own = None if any(t.article for t in self.teasers) else article_headline(
            shorts, self.page, self.dated if not self.teasers else None, self.lines, self.paragraph, n,
            self.crawl, teaser.headline_from == "split")
        if own is not None:
            under = shorts[own + 1:]  # a byline, a photo caption, a standfirst (the lede, as a line of its own)
            standfirst = [u for u in under if word_count(u, SHORT_LEDE_MIN_WORDS) >= SHORT_LEDE_MIN_WORDS]
            teaser = make_teaser(shorts[own], "\n".join([*standfirst, line]), [u for u in under if u not in standfirst],
                           [], "line")
            self.teasers.extend(self.uncaptioned(headline_only_teasers(shorts[:own], self.page, self.date, self.crawl,
                                                                self.parted, self.meta)))
            teaser.article = True
            self.article = teaser
        else:
            self.teasers.extend(self.uncaptioned(headline_only_teasers(shorts[:len(shorts) - used], self.page, self.date,
                                                                self.crawl, self.parted, self.meta)))
        first = own if own is not None else len(shorts) - used
        teaser.caption = " ".join([teaser.caption, *(m for at in sorted(self.meta) if at >= first for m in self.meta[at])]).strip()
        self.shorts, self.detached, self.dated, self.parted, self.credited, self.meta = [], 0, None, set(), set(), {}
        teaser.page, teaser.site, teaser.date, teaser.url = self.page.id, self.page.site, self.date, self.page.url
        self.teasers.append(teaser)

    def goes_on(self, n: int, line: str) -> bool:
        """Paragraph n is the next paragraph of the last teaser's text, not a teaser of its own: it stands right
        under the paragraph that text ends on (no line of any kind between them: a teaser opens on its headline
        line, or after a blank or boilerplate line), a body-long one (BODY_PARAGRAPH_MIN_WORDS) ending as a sentence
        (a lede cut to a length does not), in a run of no more than BODY_RUN_MAX_PARAGRAPHS; it ends as a sentence
        too (not cut on an ellipsis, as teasers' ledes are) and opens on no headline: none the crawl prints as a line
        (`opens_with_headline`), no label before a colon or question mark ("Fall Epstein: ...", a date), none that
        a split cuts with confidence (a "headline lede" paragraph), not the paragraph above printed again; and the
        page repeats no headlines in its paragraphs (`habit`) nor prints its teasers' headlines as lines of their
        own (`lined`: there a lone paragraph is a teaser whose headline is in its link only). Such paragraphs were
        cut into a headline and a lede at some word: an evergreen text's next paragraph under its section heading."""
        if self.shorts or not self.teasers or self.habit or self.lined or not n or not self.paragraph[n - 1] \
                or not is_text_line(self.lines[n - 1]) or self.runs[n] > BODY_RUN_MAX_PARAGRAPHS \
                or word_count(self.lines[n - 1], BODY_PARAGRAPH_MIN_WORDS) < BODY_PARAGRAPH_MIN_WORDS:
            return False
        last, above = self.teasers[-1], self.lines[n - 1]
        return bool(last.text) and last.text.endswith(above) and ends_sentence(above.rstrip(") ")) \
            and ends_sentence(line.rstrip(") ")) and not line.rstrip().endswith(ELLIPSES) and not _labelled(line) \
            and not repeated_prefix(above, line) and not opens_with_headline(line, self.crawl) \
            and not split_headline(line, self.crawl)[1]

    def finish(self) -> list[Teaser]:
        """The teasers, with the short lines left over as headline-only teasers; but for the page's
        signature (`_signature`)."""
        if self.shorts and not self.inside and self.shorts[-1] is _signature(self.lines):
            self.shorts.pop()
        return self.teasers + self.uncaptioned(headline_only_teasers(self.shorts + self.inside, self.page, self.date,
                                                              self.crawl, self.parted | {len(self.shorts)}, self.meta))

    def uncaptioned(self, lone: list[Teaser]) -> list[Teaser]:
        """Headline-only teasers but those whose line the page printed before as a teaser's caption or
        kicker: a photo caption printed again over another teaser is still a caption, not a story."""
        if not lone:
            return lone
        taken = {fold(line) for t in self.teasers for line in (t.caption, t.kicker) if line}
        return [t for t in lone if fold(t.headline) not in taken]


def _paragraph_runs(lines: list[str | None], paragraph: list[bool]) -> list[int]:
    """For each line, how many paragraphs in a row (no other line between them) its run holds; 0 for other lines."""
    runs = [0] * len(lines)
    start = 0
    for n in range(len(lines) + 1):
        if n < len(lines) and paragraph[n] and is_text_line(lines[n]):
            continue
        runs[start:n] = [n - start] * (n - start)
        start = n + 1
    return runs


def _labelled(line: str) -> bool:
    """The paragraph opens on a label ending on a colon or a question mark, KICKER_MAX_WORDS long at most ("Fall
    Epstein:", "25.01.2022:", "Wie war das im Osten?"): a teaser led by its title, as a box of one-paragraph teasers
    prints each."""
    return any(word.endswith((":", "?")) for word in line.split()[:KICKER_MAX_WORDS])


def _signature(lines: list[str | None]) -> str | None:
    """The page's signature, if it ends on one: one short line after its footer (the last of its
    boilerplate lines), "“News you can trust” – café edition"; a teaser stands among others."""
    after = [line for line in lines[len(lines) - lines[::-1].index(BREAK):] if line] if BREAK in lines else []
    return after[0] if len(after) == 1 and not isinstance(after[0], Metadata) and not is_paragraph(after[0]) else None


def _own_list(lines: list[str], crawl: CrawlView) -> bool:
    """A list of short lines that is an article's own, not a list of links to other stories: the crawl
    shows more than ARTICLE_LIST_OWN_SHARE of them nowhere else as headlines (printed on
    BOILERPLATE_MIN_PAGES of the site's pages, or run into a lede at the start of a paragraph)."""
    elsewhere = sum(crawl.pages_with_line(line) >= BOILERPLATE_MIN_PAGES or opens_paragraph(line, crawl)
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

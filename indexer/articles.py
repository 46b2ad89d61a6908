"""A page's own article, known by its shape (`article_headline`): the headline over a long run of body
paragraphs, with or without a date line, whatever the page's address."""

from __future__ import annotations

from .crawlview import CrawlView
from .headline import split_headline
from .menus import is_menu
from .pagelines import ends_on_function_word, is_text_line, opens_with_headline
from .records import Page
from .sitelines import ELLIPSES, HEADLINE_LINE_MIN_WORDS
from .teasers import label_over
from .text import fold, word_count

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


def article_headline(shorts: list[str], page: Page, dated: int | None, lines: list[str | None],
                      paragraph: list[bool], n: int, crawl: CrawlView, runs_together: bool) -> int | None:
    """Which short line, if any, is the headline of the page's own article, whose body starts at
    paragraph n: one a date line follows, or one the page's title or address names, when a body
    follows (not a paragraph that `runs_together`, holding its own headline); else, by shape
    alone, the headline above a long run of body paragraphs."""
    body = _body_run(lines, paragraph, n)
    if dated is not None and dated < len(shorts) and len(shorts[dated].split()) >= HEADLINE_LINE_MIN_WORDS \
            and not is_menu(shorts[dated]) and body >= ARTICLE_MIN_PARAGRAPHS:
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
    return 0 < n < len(lines) - 1 and paragraph[n - 1] and paragraph[n + 1] and is_text_line(lines[n]) \
        and word_count(lines[n], HEADLINE_LINE_MIN_WORDS) < HEADLINE_LINE_MIN_WORDS


def _broken_sentence(lines: list[str | None], n: int) -> bool:
    """Whether line n is a piece of a sentence broken over lines: it goes on in the next line, or goes
    on from the line above (`_goes_on`)."""
    if not is_text_line(lines[n]):
        return False
    return n + 1 < len(lines) and is_text_line(lines[n + 1]) and _goes_on(lines[n], lines[n + 1]) \
        or n > 0 and is_text_line(lines[n - 1]) and _goes_on(lines[n - 1], lines[n])


def _goes_on(line: str, below: str) -> bool:
    """Whether a sentence goes on from a line into the one below it: the one below opens with a comma
    or a semicolon (no sentence does), or opens in lower case under a line ending on a comma or a
    function word (no headline or sentence ends so, and no lede opens in lower case after one)."""
    opening = below.lstrip()[:1]
    if opening in (",", ";"):
        return not line.rstrip().endswith((".", "!", "?", *ELLIPSES))
    return opening.islower() and (line.rstrip().endswith(",") or ends_on_function_word(line))


def _named_line(shorts: list[str], page: Page) -> int | None:
    """The short line the page's title or address names best (ARTICLE_ADDRESS_SHARE of its words at
    least); of equals, the fullest (not a caption made of its words). The site's own name is in every
    page's address and names no line of one ("Frag t-online" on t-online.de's front page)."""
    best, best_fit = None, (ARTICLE_ADDRESS_SHARE, 0)
    title = fold(page.title or "")
    address = set(fold(page.url or page.id).split()) - set(fold(page.site or "").split())
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
    if any(opens_with_headline(p, crawl) for p in run):
        return False
    words = [word_count(p, ARTICLE_SHARE_MAX_WORDS) for p in run]
    return sum(w for p, w, piece in zip(run, words, broken) if piece or _reads_as_body(p, crawl)) \
        >= ARTICLE_BODY_SHARE * sum(words)


def _reads_as_body(paragraph: str, crawl: CrawlView) -> bool:
    """A paragraph of running text, not a teaser: long, not opening with a headline printed
    elsewhere, and no confident headline split in it, unless it runs to ARTICLE_SHAPE_MIN_WORDS (a
    teaser's headline and lede are shorter: a split by shape alone is a sentence's opening there)."""
    words = word_count(paragraph, ARTICLE_SHAPE_MIN_WORDS)
    return words >= ARTICLE_PARAGRAPH_MIN_WORDS and not opens_with_headline(paragraph, crawl) \
        and (words >= ARTICLE_SHAPE_MIN_WORDS or not split_headline(paragraph, crawl)[1])


def _headline_over_body(shorts: list[str], crawl: CrawlView) -> int | None:
    """The headline above an article's body: of the last ARTICLE_HEAD_LINES short lines (headline,
    byline, photo caption, in that order), the first that can be a headline: not a menu run into one
    line ("Home | World | Sport": MENU_MIN_SEPARATORS), not a label over the headline (`label_over`)."""
    start = max(0, len(shorts) - ARTICLE_HEAD_LINES)
    for i in range(start, len(shorts)):
        line = shorts[i]
        if len(line.split()) >= HEADLINE_LINE_MIN_WORDS and not is_menu(line) \
                and not label_over(line, shorts[i + 1] if i + 1 < len(shorts) else None, crawl):
            return i
    return None

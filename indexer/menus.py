"""Menus run into one line: a page's links printed with separators ("Home | World | Sport"), with no space
between them ("NewsSportWeather"), or with spaces between them (the site's own navigation lines run together),
and page numbers. A menu is navigation, never a teaser's headline."""

from __future__ import annotations

import re

from .crawlview import CrawlView
from .sitelines import BOILERPLATE_MIN_PAGES, ELLIPSES, NAV_MAX_WORDS, boilerplate_by_count, list_opening
from .text import Memo

MENU_MIN_SEPARATORS = 2  # a line with this many " | " is a menu run into one line, never a headline
_MENU_SEPARATOR = re.compile(r"\s[|•·]\s")
MENU_MIN_GLUED = 3  # ... or with this many words glued to the next item ("DealsBILD", "ShopOnline": a page's
MENU_GLUED_SHARE = 0.5  # links printed with no space between them), and as many as this share of its words. A name
#   glues two words ("iOS", "TikTok", "OpenStreetMap"), and a tech site's headline may hold three such names in ten
#   words ("macOS 12.2, watchOS 8.4 und tvOS 15.3"); on the real pages, records whose headline has 3 glued words
#   in half its words: 36 holding no linked story (menus), 1 holding one (a menu of sports naming a link's words)
MENU_MIN_JOINS = 3  # ... or with this many items run into the next with no space ("Über t-onlineSo arbeitet die
#   RedaktionAutoren bei t-onlineNachricht", "FilmeSerienLiteraturMusikAktuelle Themen": a join is a word's lowercase
#   letters run into a capitalised word, `_joins`), however many words of their own its items have. A name joins
#   once ("MongoBleed", "HateAid", printed three times in one headline: counted once), and a kicker run into its
#   headline opens the line ("AlertMongoBleed in DeutschlandMehr als ..."): its first join is not counted. On the
#   real pages, lines of three joins: ~50 records holding no linked story, all menus or lists of links
MENU_JOINS_SHARE = 0.1  # ... a join in ten words at least, the line ending on no full stop: a list of links joins
#   every few words and ends on a link, running text naming brands ("Macrovision says its new RipGuard ...", "Verizon
#   Buys NextWave Licenses (NewsFactor) NewsFactor - ...": 3 joins in 32 words) joins rarely and ends its sentence
_LOWER_UPPER = re.compile("[{}][{}]".format(*("".join(re.escape(c) for c in map(chr, range(0x10000)) if test(c))
                                                for test in (str.islower, str.isupper))))  # (every script's cased letters)
_JOIN_PUNCTUATION = "\"“”„'’«»()[]:;,.!?&"  # what may stand around a word whose joins are counted
PAGE_NUMBERS_MIN = 2  # ... or page numbers: this many numbers, more than its words ("1 2 3 4 5 ... 115",
#   "Page 1 / 12", "1 - 3 of 11"); a headline with numbers has as many words at least ("2:1 for Bayern")
MENU_MIN_ITEMS = 3  # ... or a line run together from this many of its site's navigation lines, printed with spaces
#   between them ("Bundesliga 2. Liga Champions League Tennis"): each item a line of its own on BOILERPLATE_MIN_PAGES of
#   the site's pages (or elsewhere on the page), at most NAV_MAX_WORDS words long, and no fewer items will do
#   (`run_of_site_lines`). A headline runs together its site's lines rarely: its verbs and particles are lines nowhere.
#   On the real pages: 23 records, all holding no linked story (welt.de's and zeit.de's section menus); with two items,
#   9 more holding none but one holding a link ("Alerts! alle Alert-Meldungen"), and a time and a byline run together
MENU_LOWERCASE_SHARE = 1 / 3  # ... whose words open in lowercase no more than this share of them: a menu's items are
#   names and sections ("Essen Trinken Entdecken Zutaten und Zubehör": 1 in 6), a headline has its verbs and particles
#   ("Biden verlegt weitere US-Soldaten nach Osteuropa": 3 in 6); on the real pages no line the rule takes has more,
#   and three in four lines are asked no count


def _is_menu(line: str) -> bool:
    """A menu run into one line: "Skip to content | Front page | Top stories" (MENU_MIN_SEPARATORS or more),
    or "NewsSportWeather LocalTravel" (MENU_MIN_GLUED words glued to the next, MENU_GLUED_SHARE of them),
    or page numbers ("1 2 3 ... 115": PAGE_NUMBERS_MIN)."""
    words = line.split()
    return len(_MENU_SEPARATOR.findall(line)) >= MENU_MIN_SEPARATORS or _page_numbers(words) or is_glued_menu(line)


def _is_glued_menu(line: str) -> bool:
    """A page's links printed with no space between them (MENU_MIN_GLUED words `_glued`, or `_joins`), ending on
    no full stop: navigation, never a teaser's part, whatever stands around it (a menu with separators or page
    numbers may be a teaser's date line)."""
    if line.rstrip("\"”'’ ").endswith((".", *ELLIPSES)) or not _LOWER_UPPER.search(line):
        return False  # (a list of links ends on no full stop; most lines run no lowercase letter into a capital)
    words = line.split()
    capitals = [(n, word) for n, word in enumerate(words) if word[1:] != word[1:].lower()]
    glued = sum(_glued(word) for _, word in capitals)
    if glued >= MENU_MIN_GLUED and glued >= MENU_GLUED_SHARE * len(words):
        return True
    joins = _joins(capitals)
    return joins >= MENU_MIN_JOINS and joins >= MENU_JOINS_SHARE * len(words)


def _joins(capitals: list[tuple[int, str]]) -> int:
    """How many items a line's words (those with a capital after their first letter, with their place) run into
    the next with no space (`MENU_MIN_JOINS`): in each word once ("HateAid ... HateAid" is one), a lowercase letter
    after another right before a capitalised word's first letters ("RedaktionAutoren"; not "iPhone", "ChatGPT");
    the line's first word's first join aside."""
    joins = 0
    for word, n in dict(((word, n) for n, word in reversed(capitals))).items():
        if not word.strip(_JOIN_PUNCTUATION).replace("-", "").isalpha():
            continue  # (an address, a number: "…/play?awCollectionId=…")
        inside = sum(word[i - 2].islower() and word[i - 1].islower() and word[i].isupper() and word[i + 1].islower()
                     for i in range(2, len(word) - 1))
        joins += inside - 1 if n == 0 and inside else inside
    return joins


def run_of_site_lines(line: str, crawl: CrawlView, page_lines: set[str] = frozenset()) -> bool:
    """A menu printed with spaces between its links, few of its words in lowercase (MENU_LOWERCASE_SHARE): the line
    is MENU_MIN_ITEMS or more lines of NAV_MAX_WORDS words at most that the site prints as lines of their own on
    BOILERPLATE_MIN_PAGES of its pages, or the page itself elsewhere (`page_lines`: its menu printed twice, as one line
    and as a list), run together, and no fewer such lines make it up. Asked word by word from the line's start: most
    lines fail at their first words."""
    words = _menu_words(line)
    if words is None or crawl.site_pages < BOILERPLATE_MIN_PAGES:
        return False  # (asked first, with no count: most lines are running text or a headline's)
    fewest: list[int | None] = [0] + [None] * len(words)  # the fewest site lines the first n words make up
    reached = 0  # the most words that site lines make up so far
    for start in range(len(words)):
        if start > reached:
            return False  # (no site line goes on from here: the line is none of them run together)
        if fewest[start] is None:
            continue
        for end in range(start + 1, min(len(words), start + NAV_MAX_WORDS) + 1):
            if (fewest[end] is None or fewest[end] > fewest[start] + 1) and (
                    (item := " ".join(words[start:end])) in page_lines
                    or boilerplate_by_count(crawl.pages_with_line(item), crawl.site_pages)[0]):
                fewest[end], reached = fewest[start] + 1, max(reached, end)
    return fewest[-1] is not None and fewest[-1] >= MENU_MIN_ITEMS


def list_of_links(line: str, crawl: CrawlView) -> bool:
    """A long list of links printed with spaces (a footer, a section's shop links: `sitelines.list_opening`) whose
    opening the site prints so on BOILERPLATE_MIN_PAGES of its pages: its furniture, never a teaser. Its items need
    be printed nowhere as lines of their own (`run_of_site_lines` asks that of shorter menus)."""
    opening = list_opening(line)
    return opening is not None and crawl.site_pages >= BOILERPLATE_MIN_PAGES \
        and boilerplate_by_count(crawl.pages_with_line(opening), crawl.site_pages)[0]


def _menu_words_of(line: str) -> tuple[str, ...] | None:
    """The line's words where it may be a menu printed with spaces (`run_of_site_lines`): MENU_MIN_ITEMS words at
    least, no more than MENU_LOWERCASE_SHARE of them opening in lowercase."""
    words = line.split()
    if len(words) < MENU_MIN_ITEMS or sum(word[:1].islower() for word in words) > MENU_LOWERCASE_SHARE * len(words):
        return None
    return tuple(words)


# (asked of a line by several rules, on every page printing it: `text.Memo`)
_menu_words = Memo(_menu_words_of).__getitem__
is_menu, is_glued_menu = Memo(_is_menu).__getitem__, Memo(_is_glued_menu).__getitem__


def _page_numbers(words: list[str]) -> bool:
    numbers = sum(word[0].isdigit() and not any(map(str.isalpha, word)) for word in words)
    return numbers >= PAGE_NUMBERS_MIN and numbers > sum(any(map(str.isalpha, word)) for word in words)


def _glued(word: str) -> bool:
    """A word that runs into the next with no space: a lowercase letter right before an uppercase one."""
    rest = word[1:]
    return rest != rest.lower() and any(a.islower() and b.isupper() for a, b in zip(word, rest))

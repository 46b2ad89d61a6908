"""A page's lines as the walk (`segment.segment_page`) reads them: which are boilerplate, a teaser's
metadata or byline, paragraphs or short lines; and what each kind of line looks like (a list of names, a
caption naming its teaser; a menu run into one line is `menus`'s)."""

from __future__ import annotations

import re
from collections import Counter

from .crawlview import CrawlView
from .headline import repeated_prefix, split_headline, starts_like_lede
from .menus import is_glued_menu, is_menu, list_of_links, run_of_site_lines
from .records import Page
from .sitelines import (BOILERPLATE_MAX_WORDS, DIGITS, ELLIPSES, HEADLINE_LINE_MIN_WORDS, KICKER_MAX_WORDS,
                        NAME_ABBREVIATION_MAX_CHARS, PARA_MIN_WORDS, SHORT_HEADLINE_MIN_WORDS, TAIL_MAX_WORDS,
                        byline_apart, headline_over_lede, in_kicker_position, is_boilerplate, is_byline_line,
                        is_metadata, is_notice, is_paragraph, kept_as_kicker, leads_on, opens_bylines, tidy)
from .text import (FUNCTION_WORDS, Memo, clean, find_date, first_words, fold, fold_word, fold_words, is_date_line,
                   word_count)

HEADLINE_ONLY_MIN_WORDS = 6  # a lone short line this long is a headline-only teaser; shorter is navigation
LONG_HEADLINE_MAX_WORDS = 30  # a headline line with its kicker glued on runs up to this long (the truth's own cap
# on a link's headline); longer lines not ending like a sentence are ledes whose byline or tail was cut
SHORT_LEDE_MIN_WORDS = 10  # ... and one this long under a headline line, with no paragraph after it
TEMPLATE_MIN_TIMES = 3  # a short line with a number that a page prints this often, numbers aside, is its teasers' metadata
KICKER_TEMPLATE_SHARE = 0.5  # a line printed where kickers go, more often than this share of them on a page, is template
BLANKS_EVERYWHERE = 0.8  # blank lines between this share of a page's lines are mere spacing
CAPTION_NAMES_SHARE = 0.5  # a photo caption names its story: this share of its words (3+ letters) are in the teaser
LEDE_HABIT_MIN = 3  # a page prints its teasers as a headline line over a lede when this many of the paragraphs right
LINED_PAGE_SHARE = 0.75  # a page prints its headlines as lines when this share of its paragraphs stand under one
# (the real German listing pages: 0.8 to 0.97; a page of "headline lede" paragraphs such as the seed page: under 0.5)
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
_NAME_PUNCTUATION = frozenset("&+/")  # what stands between names in a list of them, besides commas
KICKER_PREFIX = re.compile(r"^(.{1,60}?)(?::|\s[-–—|])\s+(?=\S)")  # "Kicker: headline", "Kicker - headline"
CONTINUES = re.compile(r"^[:|]\s*")  # a headline line opening with a colon goes on from its kicker ("Kicker" / ":Headline"), printed or not


def paragraph_flags(lines: list[str | None]) -> list[bool]:
    """Which lines are paragraphs: long or sentence-like lines, and a shorter line that follows a
    headline line and leads nowhere (a one-sentence lede without its full stop), unless it is one
    of a run of headline-sized lines (a list of headline-only teasers), each with its metadata under it
    or not (gmx.net: headline / "vor 8 Tagen von ..." / headline / ...), or a date line follows it,
    right under it or under a byline (an article's headline under its kicker: "BLACK DEATH FEARS" /
    "Hunter diagnosed with bubonic plague after ..." / "Debbie White" / "18 Nov 2019, 19:09")."""
    flags = [bool(line) and is_paragraph(line) for line in lines]
    content = [n for n, line in enumerate(lines) if line]  # (blank and boilerplate lines left out, and not asked about:
    # asking for none between a headline line and its lede costs real pages 2 found stories and 0.07 points of no link
    # for 0.2 of split and of merged, bench/oracle/REALPAGES.md)
    plain = [n for n in content if is_text_line(lines[n])]  # a run's lines, the metadata between them left out
    at = {n: q for q, n in enumerate(plain)}
    for p, n in enumerate(content):
        before = content[p - 1] if p else None
        after = content[p + 1] if p + 1 < len(content) else None
        q = at.get(n)
        under = content[p + 2] if p + 2 < len(content) else None
        if (not flags[n] and q is not None and word_count(lines[n], PARA_MIN_WORDS) >= SHORT_LEDE_MIN_WORDS
                and before is not None and not flags[before]
                and HEADLINE_LINE_MIN_WORDS <= word_count(lines[before], PARA_MIN_WORDS) < word_count(lines[n], PARA_MIN_WORDS)
                and not is_date_line(lines[before]) and not (after is not None and lines[after] and is_date_line(lines[after]))
                and not (under is not None and is_text_line(lines[after]) and not flags[after] and is_text_line(lines[under])
                         and is_date_line(lines[under]))
                and (after is None or not flags[after])
                and not any(k is not None and headline_sized(lines[k], flags[k])
                            for k in (plain[q - 2] if q >= 2 else None, plain[q + 1] if q + 1 < len(plain) else None,
                                      _next_headline_under_kicker(lines, plain, q, after)))):
            flags[n] = True
    _ledes_under_prefixed_headlines(lines, flags)
    _headlines_cut_short(lines, flags)
    _headlines_run_long(lines, flags)
    return flags


def _next_headline_under_kicker(lines: list[str | None], plain: list[int], q: int, after: int | None) -> int | None:
    """Where the line plain[q] is closed by a metadata line with a number (its time) and the next teaser opens on a
    kicker-sized line (KICKER_MAX_WORDS at most: "auto motor und sport"), the line under that kicker, the next
    teaser's headline (a list of headline-only teasers, each a kicker, a headline and its metadata); else None."""
    if after is None or not isinstance(lines[after], Metadata) or not DIGITS.search(lines[after].line) \
            or q + 2 >= len(plain):
        return None  # (a teaser's time closes it: a lede's byline under it, "Von A B", holds no number)
    return plain[q + 2] if word_count(lines[plain[q + 1]], KICKER_MAX_WORDS + 1) <= KICKER_MAX_WORDS else None


def _headlines_cut_short(lines: list[str | None], flags: list[bool]) -> None:
    """A line under PARA_MIN_WORDS that reads as a paragraph only by the ellipsis the page set apart at its end
    (a word of its own: text cut at a length, "... verteidigt Noem gegen „linke …"), right over a paragraph (no
    blank or boilerplate line between them), is a headline cut short, no paragraph: its teaser's lede is the
    paragraph under it, not a teaser of its own cut into a headline and a text. (A lede cut short stands under its
    headline, and apart from the next teaser's paragraph: a blank line, a "Continue reading" between; a sentence
    trailing off ends on an ellipsis run into its last word.)"""
    for n in range(len(lines) - 1):
        line, below = lines[n], n + 1
        if flags[n] and flags[below] and is_text_line(line) and is_text_line(lines[below]) \
                and line.split()[-1] in ELLIPSES and word_count(line, PARA_MIN_WORDS) < PARA_MIN_WORDS:
            flags[n] = False


def _headlines_run_long(lines: list[str | None], flags: list[bool]) -> None:
    """On a page that prints its headlines as lines (`headlines_as_lines`), a line read as a paragraph only by its
    length (PARA_MIN_WORDS up to LONG_HEADLINE_MAX_WORDS, ending on no sentence end), right over a paragraph, and
    with no line over it that could head it (a blank, boilerplate or metadata line, or a paragraph), is a headline
    run long, no paragraph: a kicker glued to its headline ("Tödliches Rasen Um 20.13 Uhr fährt ... wieder auf" over
    its lede). It was a teaser of its own cut into a headline and a text, and its lede another, cut likewise."""
    if not headlines_as_lines(lines, flags):
        return
    for n in range(len(lines) - 1):
        line = lines[n]
        if flags[n] and flags[n + 1] and is_text_line(line) and is_text_line(lines[n + 1]) \
                and not (n + 2 < len(lines) and flags[n + 2] and is_text_line(lines[n + 2])) \
                and (n == 0 or not is_text_line(lines[n - 1]) or flags[n - 1]) \
                and not ends_sentence(line) \
                and word_count(line, LONG_HEADLINE_MAX_WORDS + 1) <= LONG_HEADLINE_MAX_WORDS:
            flags[n] = False


def _ledes_under_prefixed_headlines(lines: list[str | None], flags: list[bool]) -> None:
    """On a page whose teasers are a `Kicker: headline` line over a one-sentence lede (PREFIXED_TEMPLATE_MIN
    times a paragraph, and PREFIXED_TEMPLATE_SHARE of the lines under such lines a paragraph or a lede as
    `_lede_shaped` reads it, ending like a sentence; the prefix up to `KICKER_PREFIX`'s 60 characters,
    bild.de's run long), a headline-sized line under such a line that has no such prefix of its own, reads
    as a lede and heads no paragraph is a lede too: one ending on "!" or "?", or a few words short of a
    paragraph (bild.de's "Vogelgrippe fegt Regale leer : Akuter Eier-Mangel" / "Sie feiert in der
    Winterpause ihre Traumhochzeit!" were two headline-only stories; so were half of the ledes of pages
    whose ledes end on "!" and "?" more often than on a full stop, when only paragraphs counted for the
    template). A run of prefixed lines (a list of headline-only teasers) is left as it is, and counts once
    against the template, as one list: a page printing lists of such lines beside its teasers (bild.de's
    section pages) still prints its teasers so; a line under a list's last line is no evidence of ledes (a
    list of "Kicker: headline" lines may hold a question headline without a prefix)."""
    prefixed = [not flag and is_text_line(line) and KICKER_PREFIX.match(line) is not None  # (paragraphs need not be asked)
                for line, flag in zip(lines, flags)]
    under = [n for n in range(1, len(lines)) if prefixed[n - 1] and not flags[n - 1] and is_text_line(lines[n])]
    over = [n for n in under if not prefixed[n]]
    lists = sum(prefixed[n] and not (n + 1 < len(lines) and prefixed[n + 1]) for n in under)  # (each run once)
    ledes = [n for n in over if not flags[n] and not (n + 1 < len(lines) and flags[n + 1]) and _lede_shaped(lines[n])]
    shown = sum(flags[n] for n in over)
    ended = sum(ends_sentence(lines[n]) for n in ledes if not (n >= 2 and prefixed[n - 2]))  # (not a list's)
    if shown < PREFIXED_TEMPLATE_MIN or shown + ended < PREFIXED_TEMPLATE_SHARE * (len(over) + lists):
        return
    for n in ledes:
        flags[n] = True
    _prefixed_ledes_in_the_rhythm(lines, flags, prefixed)


def _prefixed_ledes_in_the_rhythm(lines: list[str | None], flags: list[bool], prefixed: list[bool]) -> None:
    """On such a page, a lede holding a ":" or " – " of its own reads as a prefixed line too ("Ein Gericht erlaubte
    es: Jeder Toilettengang zählt als Pause!" under its "Kicker: headline" line), and became a headline-only story.
    It keeps the page's rhythm: the prefixed line over it stands alone (no prefixed line over that), and the line
    under it is a prefixed line over a lede (a paragraph) -- headline, lede, headline, lede. Two prefixed lines in a
    row in a list of headline-only teasers have a third (or a headline-only line) on one side of the pair. And it
    ends like a sentence (on "!" or "?" too), as the page's ledes do: two headline-only "Kicker: headline" lines
    between teasers with ledes keep that rhythm too, and were merged (zeit.de's recipes, "Linsenbolognese: Linsen
    statt ETFs" over "Fingerfood aus dem Airfryer: So werden Sie ... zur Snack-Queen").
    The rhythm may be kept on the side before it instead (the next teaser's lede too short for a paragraph, a
    section label after it): the teaser before is closed by its lede (a paragraph) over the prefixed line, the lede
    is longer than that line, and no list follows (the next line is no prefixed line over another), nor is the line
    over it a headline printed again after its own lede (zeit.de: headline, lede, headline) -- bild.de's
    "Penisbeutel, Silikon : Die irren Tricks bei Sexszenen" / "Eine Intimitätskoordinatorin verrät: So ...!"."""
    for n in range(1, len(lines) - 2):
        if prefixed[n] and prefixed[n - 1] and not flags[n] and not flags[n - 1] \
                and not (n >= 2 and prefixed[n - 2] and not flags[n - 2]) \
                and prefixed[n + 1] and not flags[n + 1] and flags[n + 2] and is_text_line(lines[n + 2]) \
                and ends_sentence(lines[n]):
            flags[n] = True
        elif n >= 2 and prefixed[n] and prefixed[n - 1] and not flags[n] and not flags[n - 1] \
                and flags[n - 2] and is_text_line(lines[n - 2]) and not flags[n + 1] \
                and not (prefixed[n + 1] and prefixed[n + 2] and not flags[n + 2]) \
                and not (n >= 3 and lines[n - 1] == lines[n - 3]) \
                and ends_sentence(lines[n]) \
                and word_count(lines[n], PARA_MIN_WORDS) > word_count(lines[n - 1], PARA_MIN_WORDS):
            flags[n] = True


def _lede_shaped(line: str) -> bool:
    """A headline-sized line that reads as a one-sentence lede: it ends like a sentence (on "!" or "?" too),
    or runs SHORT_LEDE_MIN_WORDS long."""
    words = word_count(line, SHORT_LEDE_MIN_WORDS)
    return words >= HEADLINE_ONLY_MIN_WORDS and (words >= SHORT_LEDE_MIN_WORDS or ends_sentence(line))


def ends_sentence(line: str) -> bool:
    """The line ends as a sentence does: on a full stop, "!", "?" or an ellipsis (quotes aside)."""
    return line.rstrip("\"”'’»« ").endswith((".", "!", "?", *ELLIPSES))


def is_text_line(line: str | None) -> bool:
    """A line of text: not a blank, boilerplate or metadata line."""
    return bool(line) and not isinstance(line, Metadata)


def headline_sized(line: str | None, paragraph: bool) -> bool:
    """A line that could be a headline-only teaser: not a paragraph, not a date, HEADLINE_ONLY_MIN_WORDS long."""
    return bool(line) and not paragraph and word_count(line, PARA_MIN_WORDS) >= HEADLINE_ONLY_MIN_WORDS \
        and not is_date_line(line)


BREAK = None  # stands in the page for a boilerplate line
METADATA = "\x00metadata"  # stands in the page for a teaser's metadata line (`is_metadata`): it parts
# the lines around it, as a blank line does, and takes no part in a teaser's headline or text


class Metadata(str):
    """A metadata line as it stands in the page: METADATA, with the line itself as `line`; the
    teaser it belongs to keeps it as a caption (searchable, as its link prints it)."""

    line: str


def _metadata(line: str) -> Metadata:
    meta = Metadata(METADATA)
    meta.line = line
    return meta


def metadata_leads(lines: list[str | None]) -> bool:
    """Whether the page prints a teaser's metadata over its headline ("09:04 Newsticker" / headline),
    not under it (headline / "dpa Berlin"): more of its metadata lines open a run of lines (after a
    blank or boilerplate line) than close one."""
    opens = closes = 0
    for n, line in enumerate(lines):
        if isinstance(line, Metadata):
            opens += n == 0 or not lines[n - 1]
            closes += n + 1 == len(lines) or not lines[n + 1]
    return opens > closes


def ledes_under_lines(lines: list[str | None], paragraph: list[bool], crawl: CrawlView) -> bool:
    """Whether the page prints its teasers as a headline line over a lede: of the paragraphs right under a
    headline line (`is_headline_line`; not repeating it), LEDE_HABIT_MIN at least and LEDE_HABIT_SHARE of them
    split into no confident headline and lede (`split_headline`). There, one that does split so is still the
    line's lede, opening on a question or a short sentence ("Der Personal Trainer: Die Kniebeuge" / "Kann doch
    jeder? Die Kniebeuge sieht einfach aus, ..."), not a "headline lede" paragraph under a photo caption."""
    under = [n for n in range(1, len(lines)) if paragraph[n] and is_text_line(lines[n - 1]) and not paragraph[n - 1]
             and is_headline_line(lines[n - 1]) and not repeated_prefix(lines[n - 1], lines[n])]
    if len(under) < LEDE_HABIT_MIN:
        return False
    ledes = sum(not all(split_headline(lines[n], crawl)) for n in under)
    return ledes >= LEDE_HABIT_SHARE * len(under)


def headlines_as_lines(lines: list[str | None], paragraph: list[bool]) -> bool:
    """Whether the page prints its teasers' headlines as lines of their own: LINED_PAGE_SHARE of its paragraphs
    stand right under a headline line (`is_headline_line`). There, a paragraph with no such line over it is a
    lede whose headline the page printed only in its link, not a "headline lede" paragraph."""
    paragraphs = under = 0
    for n in range(1, len(lines)):
        if paragraph[n]:
            paragraphs += 1
            under += bool(is_text_line(lines[n - 1]) and not paragraph[n - 1] and is_headline_line(lines[n - 1]))
    return paragraphs >= LEDE_HABIT_MIN and under >= LINED_PAGE_SHARE * paragraphs


def opens_with_headline(paragraph: str, crawl: CrawlView) -> bool:
    """The paragraph starts with a headline printed as a line elsewhere, and a lede follows it:
    a teaser, not body text (a subhead repeated in the next sentence does not count, nor an opening
    holding a date: "PUBLISHED: 10:48, Tue, Nov 19, 2019 | UPDATED: ..." under an article's lede is
    its date line, printed before its " | " as a line of its own)."""
    words = first_words(paragraph, 21)
    return any(starts_like_lede(words[k]) and not words[k - 1].endswith(",") and crawl.printed_as_line(words[:k])
               and find_date(" ".join(words[:k])) is None
               for k in range(HEADLINE_LINE_MIN_WORDS + 1, len(words)))  # (the crawl asked last: fewer answers recorded)


def content_lines(page: Page, crawl: CrawlView) -> list[str | None]:
    """The page's lines, cleaned, with boilerplate as BREAK; blank lines only where they mean something."""
    raw = page.lines
    labels = Counter(fold(raw[n]) for n in range(len(raw)) if in_kicker_position(raw, n))
    template = _page_template(raw)
    bylines = _bylines_under_ledes(raw, crawl)
    printed = set(raw)
    lines = [_metadata(clean(line)) if template and _label(line) in template or n in bylines
             or is_metadata(line, crawl) and not is_paragraph(line) and not _kicker_here(raw, n, labels, crawl)
             and not _heads_lede(raw, n, crawl) and not _in_kicker_pair(raw, n)
             and not _printed_as_headline(raw, n, crawl)
             else _metadata("") if is_notice(line, crawl)  # (the same notice under every teaser of a kind: none's own)
             else BREAK if is_boilerplate(line, crawl) and not _kicker_here(raw, n, labels, crawl)
             and not (headline_over_lede(raw, n) and not is_menu(line))
             else BREAK if is_glued_menu(line) or run_of_site_lines(line, crawl, printed) or list_of_links(line, crawl)
             # (links run into one line: no teaser's part, whatever stands around it)
             else _metadata(clean(line)) if is_byline_line(tidied := tidy(line, crawl), crawl)
             and not _over_paragraph(raw, n, crawl)
             else tidied for n, line in enumerate(raw)]
    lines = [line for n, line in enumerate(lines) if line != "" or (n and lines[n - 1] != "")]
    lines = _printed_once(lines)
    blanks = sum(line == "" for line in lines)
    if blanks >= BLANKS_EVERYWHERE * (len(lines) - blanks - 1):
        lines = [line for line in lines if line != ""]  # every line is set apart: blanks say nothing
    return lines


def _over_paragraph(lines: list[str], n: int, crawl: CrawlView) -> bool:
    """Line n stands right over a paragraph (no blank line between): it heads it, whatever it reads as. A notice
    (`is_notice`: "Ihr Browser unterstützt die Wiedergabe von Audio Dateien nicht ...", printed under every teaser of
    a kind) is no paragraph a line heads: it stands under the teaser's byline as under its other metadata."""
    return n + 1 < len(lines) and is_paragraph(lines[n + 1]) and not is_notice(lines[n + 1], crawl)


def bylines_apart(lines: list[str | None], paragraph: list[bool],
                   crawl: CrawlView) -> tuple[list[str | None], list[bool]]:
    """The page's lines (and which are paragraphs) with the byline run into a headline line's end
    (`sitelines.byline_apart`: "... Schnittige Japaner Von Peter Wagner") set apart as a metadata line under
    it, its teaser's caption. (Once the page's template is read: the line stood where a headline stands.)"""
    out, flags = [], []
    for line, flag in zip(lines, paragraph):
        headline, byline = byline_apart(line, crawl) if is_text_line(line) and not flag else (line, "")
        out.extend([headline, _metadata(byline)] if byline else [line])
        flags.extend([flag, False] if byline else [flag])
    return out, flags


def _bylines_under_ledes(lines: list[str], crawl: CrawlView) -> set[int]:
    """The lines of a page that are its teasers' bylines, printed under their ledes: where the page prints a
    short line under TRAILER_SHARE of its paragraphs (TRAILER_MIN_TIMES at least) that heads no paragraph
    of its own (`_trailer`: a byline, a place, a date), those of them shaped as person names
    (`name_shaped`: "Julia Löhr, Hanna Decker", "Von Christina Rietz, Berlin", or after a label, `_labelled_names`:
    "Protokoll: Anna Berg") are metadata, the
    teaser's caption, not headline-only stories. A headline-only teaser after a lede is rarely a list of
    names; on a page with no such habit, nothing is taken."""
    paragraphs = [is_paragraph(line) and not name_shaped(line) for line in lines]  # ("... Lucie Liu u. a." ends on a stop)
    trailers = [n for n in range(1, len(lines)) if _trailer(lines, paragraphs, n, crawl)]
    if len(trailers) < TRAILER_MIN_TIMES or len(trailers) < TRAILER_SHARE * sum(paragraphs):
        return set()
    return {n for n in trailers if name_shaped(lines[n]) or _labelled_names(lines[n], crawl)}


def _labelled_names(line: str, crawl: CrawlView) -> bool:
    """A list of person names (`name_shaped`) after a label a colon ends ("Protokoll: Anna Berg"), where the label
    opens bylines on some of the site's pages (`opens_bylines`): a headline's prefix ("Überraschungs-Transfer:
    Bundesliga-Profi vor Wechsel zu Dynamo", capitalised nouns read as names) opens no lists of names elsewhere."""
    label, _, names = line.partition(" ")
    return len(label) > 1 and label.endswith(":") and label[:-1].isalpha() and name_shaped(names) \
        and opens_bylines(label, crawl)


def _trailer(lines: list[str], paragraphs: list[bool], n: int, crawl: CrawlView) -> bool:
    """Line n stands right under a paragraph and over no paragraph (but a notice): it closes a teaser."""
    return paragraphs[n - 1] and not paragraphs[n] and not (
        n + 1 < len(lines) and paragraphs[n + 1] and not is_notice(lines[n + 1], crawl))


def name_shaped(line: str) -> bool:
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
    is SHORT_HEADLINE_MIN_WORDS long and no list of names (`name_shaped`: a byline), and the page prints it
    twice in a row (for two screen sizes, over its lede: zeit.de's "Kinderwunsch: Die Illusion von Kontrolle"),
    or again under itself with a time run into it ("Headline Gestern, 15:11" / "Headline"), or between two
    metadata lines with numbers, in a list of headlines each with its time and source ("Gestern, 14:48 dpa
    Berlin" / "Brauchtum: Tausende Sportfans bei Silvesterlauf in Hannover" / "Gestern, 14:47 dpa Niedersachsen").
    A teaser's metadata stands once by its headline; a title's shape recurs by chance in a language that
    capitalises its nouns ("X: X X X gestorben")."""
    line = lines[n]
    if DIGITS.search(line) or word_count(line, SHORT_HEADLINE_MIN_WORDS) < SHORT_HEADLINE_MIN_WORDS \
            or name_shaped(line):
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
        if not (line and before) or isinstance(line, Metadata) or isinstance(before, Metadata):
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
    if isinstance(line, Metadata) != isinstance(before, Metadata):
        return False
    return not isinstance(line, Metadata) or fold(line.line) == fold(before.line)


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
        and not (n and not is_paragraph(lines[n - 1]) and caption_names(lines[n - 1], f"{lines[n + 1]} {lines[n + 2]}"))


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



def ends_on_function_word(line: str) -> bool:
    """A line ending on "von", "of", "the": a phrase that goes on in the next line, never a headline."""
    return fold_word(line.split()[-1]) in FUNCTION_WORDS


def is_headline_line(line: str) -> bool:
    """A short line that can be a teaser's headline line: HEADLINE_LINE_MIN_WORDS long, or one going on
    from its kicker (":Bodö glimmt"); never a menu run into one line (`is_menu`)."""
    return (word_count(line, HEADLINE_LINE_MIN_WORDS) >= HEADLINE_LINE_MIN_WORDS or bool(CONTINUES.match(line))) \
        and not is_menu(line)


def caption_names(caption: str, teaser: str) -> bool:
    """Whether a caption names its teaser: CAPTION_NAMES_SHARE of its words of 3+ letters are the teaser's."""
    words = [w for w in fold_words(caption) if len(w) >= 3]
    if not words:
        return False
    named = set(fold_words(teaser))
    return sum(w in named for w in words) >= CAPTION_NAMES_SHARE * len(words)

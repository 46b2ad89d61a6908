"""What a line is to its site, learned over the whole crawl: the first pass of segmenting.

`CrawlStats.observe` counts, for each site, on how many pages each short line is printed, each line's
shape (numbers as 0, capitalised words as X: "X, 0:0 dpa X"), each line tail ("| Site name", "...
Gestern, 10:52"), each long line's opening, each label printed as a kicker with the line before it, and
each word that opens a run of names at the end of lines ("... Von Peter Wagner", `byline_apart`);
and remembers the headlines and lede openings printed on lines of their own (`headline.Known`). The
second pass (`segment.segment_page`) asks these counts, through the page's `CrawlView`, what a line is:
boilerplate (`is_boilerplate`), a teaser's metadata (`is_metadata`), a notice (`is_notice`), a recurring
label that is a kicker where it stands (`kept_as_kicker`), a recurring headline over its lede
(`headline_over_lede`); `tidy` cuts the site's name and a teaser's time off a headline line.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .crawlview import CrawlView, key
from .headline import Known
from .records import Page
from .text import FUNCTION_WORDS, Memo, clean, first_words, fold, fold_word, is_date_line, word_count

BOILERPLATE_MAX_WORDS = 15  # only lines this short are counted across a site
BOILERPLATE_MIN_PAGES = 3
BOILERPLATE_SHARE = 0.5  # a line on at least this share of a site's pages is boilerplate
NAV_MAX_WORDS = 3  # a line this short that recurs on a site is navigation ("World news", "Read more")
HEADLINE_LINE_MIN_WORDS = 3  # shorter lines can be captions but never headlines
PARA_MIN_WORDS = 20  # a line this long is a paragraph whatever its punctuation
PARA_SENTENCE_MIN_WORDS = 6  # ... and one this long ending like a sentence too
ELLIPSES = ("...", "…", "[...]")
SUFFIX_MAX_WORDS = 4  # "Headline | Site name": a recurring tail this short is the site's, not the headline's
KICKER_MAX_WORDS = 5  # a label over a headline ("Ukraine-Krieg", "Neue Studie zeigt") is this short, and shorter than it
SHORT_HEADLINE_MIN_WORDS = 4  # under a kicker, a headline-only teaser may be this short (a menu item has no kicker)
_MARKER = re.compile(r"^(?:#{1,6}|[•·▪►▸»*]|[-–—](?=\s))\s+")  # bullets and markdown headings
DIGITS = re.compile(r"\d+")
SHAPE_MIN_ON_PAGE = 2  # a shape counts for a page when it recurs there, over several teasers (not a headline's)
SHAPE_MARK = "lineshape"  # a word that starts a line's shape, so a shape is never counted as a line
TAIL_MARK = "lineend"  # ... and one that starts the shape of a line's tail
OPENING_MARK = "lineopen"  # ... and one that starts a long line's opening
NOTICE_OPENING_WORDS = 6  # a long line opening with these words SHAPE_MIN_ON_PAGE times on a page is a notice
TAIL_MAX_WORDS = 4  # a teaser's time or reading time run into its headline line ("... Gestern, 10:52", "... Politik • 4 Min")
_SEPARATOR = re.compile(r"^[•·|–—-]$")  # a word that only sets a tail apart
_SUFFIX = re.compile(r"\s+(?:\||–|—|-|::)\s+([^|–—]{1,60})$")
HEAD_MARK = "linehead"  # ... and one that starts the shape of a line's head (`_head`)
HEAD_MAX_WORDS = 2  # a metadata line's label before its number is this short ("vor 3 Tagen", "Artikel vom: 27.2.2026")
_LETTERS = re.compile(r"[^\W\d_]+")
PAIR_MARK = "linepair"  # a word that sets apart the key of a line and the line before it, counted for kickers
BYLINE_MARK = "linebyline"  # ... and one that starts the key of a byline's marker run into a line's end (`_byline_tails`)
BYLINE_MIN_NAMES = 2  # a byline run into a line names a person: first name and surname at least ("Von Peter Wagner") ...
BYLINE_MAX_WORDS = 8  # ... and no more than this many words after its marker ("Von A B, C D und E F": three authors)
NAME_CONNECTOR_MAX_LETTERS = 3  # a lowercase word between names in a byline is this short ("und", "von", "de")
NAME_ABBREVIATION_MAX_CHARS = 3  # a list of names may end on short lowercase abbreviations, its "and others" ("u. a.",
# "et al.": two letters and the full stop at most; a sentence's last word is longer)
LIST_MARK = "linelist"  # a word that starts the opening of a long list of links printed as one line (`list_opening`)
LIST_MIN_WORDS = 12  # a line of this many words or more, with no punctuation but joiners and few small words, is a
#   list of names (`list_opening`): a site's footer or its shop links printed with spaces ("Impressum Datenschutz
#   Nutzungsbedingungen Cookies & Tracking Newsletter Kontakt ...", "Staubsauger Bluetooth Kopfhörer Grill Test ...").
#   A headline this long names what happens, with its verbs and particles or a colon; on the real pages, lines of 10
#   or 11 words so shaped and recurring are kicker / headline pairs run together ("Zehn Tage im Kloster Suan Mokkh in
#   Thailand Der Schweigemarathon"), which the truth names
LIST_SMALL_SHARE = 1 / 4  # ... no more than this share of its words opening in lowercase or function words (a list of
#   sections and brands: "Geldanlage und Finanzen SZ Geld Altersvorsorge-Serie ...", 3 in 15; a title-case headline
#   has its particles: "Biden Says US Will Send Troops To Europe", 3 in 8)
_LIST_CHARACTERS = re.compile(r"^[\w\s&+'’-]+$")  # what a list of links prints: words, "&", "+", hyphens (no
#   brackets: faz.net's comment form "(Mehrere Adressen durch Kommas trennen) Ihre E-Mail Adresse Ihr Name (optional)
#   ..." is such a line too, but with it gone the page's teasers were cut anew at worse words: one story lost)
OPENER_MARK = "linebylineopen"  # ... and one that starts the key of the word opening bylines printed as lines
BYLINE_OPENER_SHARE = 0.3  # a word opening two different bylines printed as lines ("Von A B, C D" / "Von E F") on a page
# does so on this share of its site's pages: a byline's opener recurs under every author, while a headline's first word
# opens two lists of names on a page by chance (on the real pages: bylines' openers on 0.38-0.86 of their sites' pages
# where the site prints such lines, other first words on 0.25 at most: "Telegram YouTube X", web.de's "Video Neue Studie")


@dataclass
class CrawlStats:
    """What the first pass learns about the whole crawl."""

    site_pages: Counter = field(default_factory=Counter)
    line_pages: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    suffix_pages: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    known: Known = field(default_factory=Known)

    def observe(self, page: Page) -> None:
        """Count the page's short lines and line tails for its site and learn its headline lines."""
        self.site_pages[page.site] += 1
        counts = self.line_pages[page.site]
        short = {line for line in page.lines if 0 < word_count(line, BOILERPLATE_MAX_WORDS) <= BOILERPLATE_MAX_WORDS}
        for line in short:
            counts[key(line)] += 1
        shapes = Counter(shape for line in page.lines if line in short and (shape := _shape(line)))
        shapes.update(tail for line in page.lines if line in short and (tail := _tail(line)))
        shapes.update(head for line in page.lines if line in short and (head := _head(line)))
        shapes.update(_opening(line) for line in page.lines
                      if word_count(line, BOILERPLATE_MAX_WORDS + 1) > BOILERPLATE_MAX_WORDS)
        for shape, times in shapes.items():
            if times >= SHAPE_MIN_ON_PAGE:
                counts[key(shape)] += 1
        for opening in {opening for line in page.lines if (opening := list_opening(line))}:
            counts[key(opening)] += 1
        for pair in {_after_pair(page.lines, n) for n in range(len(page.lines)) if in_kicker_position(page.lines, n)}:
            counts[key(pair)] += 1
        markers = Counter(marker for line in page.lines for marker, _ in _byline_tails(line))
        for marker, times in markers.items():
            if times >= SHAPE_MIN_ON_PAGE:
                counts[key(marker)] += 1
        openers = Counter(opener for line in short if (opener := _byline_opener(line)))  # (different lines: a set)
        for opener, times in openers.items():
            if times >= SHAPE_MIN_ON_PAGE:
                counts[key(opener)] += 1
        tails = {fold(m.group(1)) for line in short if (m := _SUFFIX.search(line))
                 and len(m.group(1).split()) <= SUFFIX_MAX_WORDS}
        self.suffix_pages[page.site].update(tails)
        headline_lines, paragraphs = [], []  # (added to the Bloom sets in one go)
        for line in page.lines:
            line = _MARKER.sub("", line)
            if is_paragraph(line):
                paragraphs.append(line)
            elif word_count(line, HEADLINE_LINE_MIN_WORDS) >= HEADLINE_LINE_MIN_WORDS:
                headline_lines.append(line)
                if m := _SUFFIX.search(line):
                    headline_lines.append(line[:m.start()])
        self.known.add_page(headline_lines, paragraphs)

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


def tidy(line: str, crawl: CrawlView) -> str:
    """A line without bullets, entity noise, the site's name tacked on ("... | Capitolnews") and a
    teaser's time run into it ("... Gestern, 10:52": `_tail`)."""
    unchanged, cut, suffix, cut_tail, tail = _TIDY_PARTS[line]
    printed = line
    line = line if unchanged else _MARKER.sub("", clean(line))
    if cut >= 0 and (suffixed := boilerplate_by_count(crawl.pages_with_tail(suffix), crawl.site_pages))[0] \
            and (suffixed[1] or crawl.pages_with_line(printed) < BOILERPLATE_MIN_PAGES):
        line, tail = line[:cut], cut_tail  # (the site's: on half its pages, or after other lines than this one; not
        # a teaser's own tail printed with it on every page that shows the teaser, "... – mehrere Verletzte")
    if tail is not None and not _tail_is_the_lines(line, int(tail.split()[1])) \
            and boilerplate_by_count(crawl.pages_with_line(tail), crawl.site_pages)[0]:
        line = " ".join(line.split()[:-int(tail.split()[1])]).rstrip(" •·|–—-")
        # a duration of two units ("... Politik • 1 Std 37 Min"): its last unit is cut above, and what is left ends
        # on a recurring tail set apart by a separator ("Politik • 1 Std"), cut too; a tail set apart by nothing
        # is left ("... Vor 2 Stunden 18 Kommentare" keeps "Vor 2 Stunden")
        tail = _tail(line)
        if tail is not None and any(_SEPARATOR.match(w) for w in tail.split()[2:]) \
                and not _tail_is_the_lines(line, int(tail.split()[1])) \
                and boilerplate_by_count(crawl.pages_with_line(tail), crawl.site_pages)[0]:
            line = " ".join(line.split()[:-int(tail.split()[1])]).rstrip(" •·|–—-")
    return line


def _tidy_parts(line: str) -> tuple[bool, int, str | None, str | None, str | None]:
    """What `tidy` reads of a line, whatever the crawl says: whether cleaning and unbulleting leave it as
    it is, where its site-name suffix ("| Site name") starts (-1: none) and the suffix folded, and its
    tail (`_tail`) with the suffix cut off and without."""
    tidied = _MARKER.sub("", clean(line))
    m = _SUFFIX.search(tidied)
    if m is None:
        return tidied == line, -1, None, None, _tail(tidied)
    return tidied == line, m.start(), fold(m.group(1)), _tail(tidied[:m.start()]), _tail(tidied)


_TIDY_PARTS = Memo(_tidy_parts)  # (a crawl prints its lines on many pages: each is read once, `text.Memo`)


def _tail_is_the_lines(line: str, length: int) -> bool:
    """Whether the line's last `length` words, shaped as a teaser's time or count is ("... 20 Straftäter."), are
    the line's own words, not a tail run into it: the line is a paragraph ending like a sentence (a lede's
    sentence ends on its number and the words after it, and its full stop; a time run into a headline line,
    however long, ends on no full stop: "... Politik • 6 Min"), or the word
    before them is a lowercase function word that governs the number ("... stirbt mit 93 Jahren",
    "meldet mehr als 1.000 Neuinfektionen": a time or reading time run into a headline follows its last
    word, which no function word is)."""
    if is_paragraph(line) and line.rstrip("\"”'’ ").endswith((".", *ELLIPSES)):
        return True
    before = line.split()[:-length]
    return bool(before) and before[-1].islower() and before[-1][-1].isalpha() \
        and fold_word(before[-1]) in FUNCTION_WORDS  # (an abbreviation governs no number: "... u. a. 210 Kommentare";
    # nor does a word a quote closes: "»... Präsident ist« Politik • 56 Min")


def byline_apart(line: str, crawl: CrawlView) -> tuple[str, str]:
    """A headline line and the byline run into its end ("Santoku-Messer im Test: Schnittige Japaner Von Peter
    Wagner"), as (headline, byline); (line, "") when there is none. A byline is a marker word and a person's
    names (`_byline_tails`) where the marker opens such a run of names at the end of lines on half of the site's
    pages or more (BOILERPLATE_SHARE): a byline's marker recurs under every author's name, while a headline
    ending on a title and a name ("... trifft Kanzler Olaf Scholz") ends on another title each time. Asked of
    lines that are no paragraphs: a paragraph keeps its byline in its text."""
    for marker, length in _byline_tails(line):
        if boilerplate_by_count(crawl.pages_with_line(marker), crawl.site_pages)[1]:
            words = line.split()
            return " ".join(words[:-length]), " ".join(words[-length:])
    return line, ""


def _byline_tails(line: str) -> list[tuple[str, int]]:
    """Where a byline may be run into the line's end, from the longest: a capitalised word (its marker, keyed
    as the line's shape is, apart from the lines counted with it) after HEADLINE_LINE_MIN_WORDS words, followed by
    BYLINE_MIN_NAMES to BYLINE_MAX_WORDS words that read as names (`_names_only`); with the length of each."""
    words = line.split()
    if len(words) < HEADLINE_LINE_MIN_WORDS + 1 + BYLINE_MIN_NAMES \
            or not all(w[:1].isupper() for w in words[-BYLINE_MIN_NAMES:]):
        return []  # (the last words are names, capitalised: most lines end otherwise)
    return [(f"{BYLINE_MARK} {fold(words[i])}", len(words) - i)
            for i in range(max(HEADLINE_LINE_MIN_WORDS, len(words) - 1 - BYLINE_MAX_WORDS), len(words) - BYLINE_MIN_NAMES)
            if words[i][:1].isupper() and words[i].isalpha() and _names_only(words[i + 1:])]


def _byline_opener_of(line: str) -> str | None:
    """The key of the word opening a byline printed as a line of its own, where the line reads as one: a word (or a
    label a colon ends, `_opener_word`: "Interview: Anna Berg und Jan Roth"), then
    BYLINE_MIN_NAMES words or more, up to BOILERPLATE_MAX_WORDS in all, that read as names (`_names_only`, initials
    as names: "Von Anna Berg, Jan Roth", "Eine Analyse von Anna Berg", "von A. Berg, J. Roth"); else None."""
    if not line[:1].isalpha():
        return None
    last = line.rsplit(None, 1)[-1]
    if not (last[:1].isupper() or (
            len(last) <= NAME_ABBREVIATION_MAX_CHARS and last.endswith(".") and last.islower())):
        return None  # (a list of names ends on a name: most lines end otherwise, and are not split)
    words = _without_others(line).split(None, BOILERPLATE_MAX_WORDS)
    if not BYLINE_MIN_NAMES < len(words) <= BOILERPLATE_MAX_WORDS or not _opener_word(words[0]) \
            or not _names_only(["X" if _initial(word) else word for word in words[1:]]):
        return None
    return f"{OPENER_MARK} {fold(words[0])}"


def _opener_word(word: str) -> bool:
    """A word that may open a byline printed as a line: a word of letters ("Von"), or a label a colon ends
    ("Interview:", "Protokoll:": the kind of piece, then its authors)."""
    return word.isalpha() or (len(word) > 1 and word.endswith(":") and word[:-1].isalpha())


def opens_bylines(word: str, crawl: CrawlView) -> bool:
    """The word opens two different bylines printed as lines (`_byline_opener`) on one page, on BOILERPLATE_MIN_PAGES
    of its site's pages at least: a label the site prints over its authors' names ("Protokoll:"), if on fewer pages
    than a byline line's opener needs (BYLINE_OPENER_SHARE)."""
    return boilerplate_by_count(crawl.pages_with_line(f"{OPENER_MARK} {fold(word)}"), crawl.site_pages)[0]


def _without_others(line: str) -> str:
    """A list of names without the short lowercase abbreviations its end may hold, its "and others"
    (NAME_ABBREVIATION_MAX_CHARS: "Von A B, C D u. a."): no sentence's full stop."""
    words = line.split()
    while len(words) > 1 and len(words[-1]) <= NAME_ABBREVIATION_MAX_CHARS and words[-1].endswith(".") \
            and words[-1][:-1].isalpha() and words[-1].islower():
        words.pop()
    return " ".join(words)


_byline_opener = Memo(_byline_opener_of).__getitem__  # (a crawl prints its lines on many pages: each is read once)


def _initial(word: str) -> bool:
    """A first name's initial: a capital letter and a full stop ("J.", a comma after it or not)."""
    core = word.rstrip(",")
    return len(core) == 2 and core[0].isupper() and core[1] == "."


def is_byline_line(line: str, crawl: CrawlView) -> bool:
    """A byline printed as a line of its own ("Von Anna Berg, Jan Roth" under its teaser's headline): a word and names
    (`_byline_opener`), the word opening two different such lines on a page on BYLINE_OPENER_SHARE of the site's pages
    (BOILERPLATE_MIN_PAGES at least), no paragraph. A headline reading as a word and names ("Der Euro-Irrtum von
    Friedrich Merz und Lars Klingbeil") opens with a word that does not open bylines all over its site."""
    opener = _byline_opener(line)
    if opener is None or is_paragraph(_without_others(line)):
        return False
    return boilerplate_by_count(crawl.pages_with_line(opener), crawl.site_pages)[2]


def _names_only(words: list[str]) -> bool:
    """Words that read as a list of person names: capitalised words (a comma after one), the first of them and
    the last BYLINE_MIN_NAMES (a name and surname end the list: "Kommentar von Anna Berg", not "Schiff am Himmel"),
    with lowercase connectors between them (NAME_CONNECTOR_MAX_LETTERS: "und", "von"), never two in a row."""
    if not (words[0][:1].isupper() and all(w[:1].isupper() for w in words[-BYLINE_MIN_NAMES:])):
        return False
    connector = False
    for word in words:
        core = word.rstrip(",")
        if core[:1].isupper() and core.replace("-", "").isalpha():
            connector = False
        elif core.isalpha() and core.islower() and len(core) <= NAME_CONNECTOR_MAX_LETTERS and not connector \
                and not word.endswith(","):
            connector = True
        else:
            return False
    return True


def _tail_of(line: str) -> str | None:
    """The shape of a line's tail holding a number (a time, a date, a reading time: "Gestern, 10:52",
    "28. Januar, 13:46", "Politik • 4 Min"), counted like a line's shape: from its last word with a
    digit back over words with digits, words a comma ends and a separator with the word before it;
    with its length, so that it can be cut. None when there is none, when it runs over
    TAIL_MAX_WORDS, when it is numbers alone, or when too little is left for a headline. Such a tail recurring over a site's
    teasers is no headline's."""
    if not any(DIGITS.search(w) for w in line.rsplit(None, TAIL_MAX_WORDS)[-TAIL_MAX_WORDS:]):
        return None  # (its last number is among its last TAIL_MAX_WORDS words: a long line is not split)
    words = line.split()
    last = next((i for i in range(len(words) - 1, max(-1, len(words) - 1 - TAIL_MAX_WORDS), -1)
                 if DIGITS.search(words[i])), 0)  # (one further back makes a tail too long: none)
    start = last
    while start > HEADLINE_LINE_MIN_WORDS:
        before = words[start - 1]
        if DIGITS.search(before) or before.endswith(","):
            start -= 1
        elif _SEPARATOR.match(before) and start - 1 > HEADLINE_LINE_MIN_WORDS:
            start -= 2
            break
        else:
            break
    if start < HEADLINE_LINE_MIN_WORDS or len(words) - start > TAIL_MAX_WORDS \
            or all(DIGITS.search(w) for w in words[start:]):
        return None  # (a number alone ends many headlines: "Houston 8, Pittsburgh 6", "Oil above $52")
    shape = [DIGITS.sub("0", w) if DIGITS.search(w) else "X" if w[:1].isupper() else w for w in words[start:]]
    if not any(_SEPARATOR.match(w) or w.endswith(",") for w in words[start:]) and not DIGITS.search(words[-1]):
        shape[-1] = fold_word(words[-1])  # a number and a word set apart by nothing: a count's unit recurs as it is
        # ("35 Kommentare"), while a capitalised noun ends many headlines ("... über 200.000 Neuinfektionen")
    return f"{TAIL_MARK} {len(words) - start} {' '.join(shape)}"


def is_boilerplate(line: str, crawl: CrawlView) -> bool:
    """A short line printed on a large share of the site's pages."""
    pages = crawl.site_pages
    if pages < BOILERPLATE_MIN_PAGES or not 0 < word_count(line, BOILERPLATE_MAX_WORDS) <= BOILERPLATE_MAX_WORDS:
        return False
    seen = crawl.pages_with_line(line)
    if is_date_line(line):
        return False
    navigation, common = boilerplate_by_count(seen, pages)[:2]
    return navigation if len(line.split()) <= NAV_MAX_WORDS else common


def is_metadata(line: str, crawl: CrawlView) -> bool:
    """A teaser's metadata (a time and source, a reading time, a byline, a comment count): a short
    line whose shape (`_shape`), or whose head (`_head`: "Artikel vom: 27.2.2026Von ...", "vor 1 Tag von
    ..."), recurs SHAPE_MIN_ON_PAGE times on each of BOILERPLATE_MIN_PAGES of the site's pages while the
    line itself does not. Never a headline; a date line is read for its date."""
    if crawl.site_pages < BOILERPLATE_MIN_PAGES or word_count(line, BOILERPLATE_MAX_WORDS) > BOILERPLATE_MAX_WORDS:
        return False
    shape, head = _shape(line), _head(line)
    if shape is None and head is None:
        return False
    if is_date_line(line):
        return False
    if boilerplate_by_count(crawl.pages_with_line(line), crawl.site_pages)[0]:
        # (a line printed on many pages is a headline, or an author's byline under the same teaser on many pages)
        shape = None
        if head is None or not _time_and_byline(line):
            return False
    return any(boilerplate_by_count(crawl.pages_with_line(it), crawl.site_pages)[0] for it in (shape, head) if it)


def _time_and_byline(line: str) -> bool:
    """A line opening on a lowercase label and a number and ending on a word and a person's names (`_names_only`):
    "vor 1 Tag von Anna Berg", as a teaser's time and byline read (a headline's label is a name: "iOS 18.4 ... in
    Apple Mail")."""
    words = line.split()
    label = next((n for n, word in enumerate(words) if DIGITS.search(word)), 0)
    return 0 < label and all(word.islower() for word in words[:label]) and any(
        words[i].isalpha() and _names_only(words[i + 1:]) for i in range(label + 1, len(words) - BYLINE_MIN_NAMES))


def in_kicker_position(lines: list[str], n: int) -> bool:
    """Line n is printed as a kicker is: a short label (KICKER_MAX_WORDS at most, neither a sentence
    nor a date), right over a headline line longer than it, right over a paragraph (a teaser); or a
    short label leading on into the line below it (`leads_on`: "Seltsamer Fossilienfund:" / "Dorniger
    Drache"), over a headline line however short, itself over a paragraph."""
    if n + 2 >= len(lines):
        return False
    line, head = lines[n], lines[n + 1]
    words = word_count(line, KICKER_MAX_WORDS + 1)
    if not (0 < words <= KICKER_MAX_WORDS and is_paragraph(lines[n + 2]) and not is_paragraph(head)) \
            or is_date_line(line):
        return False
    if leads_on(line):
        return not leads_on(head) and not is_date_line(head)
    return word_count(head, max(words, HEADLINE_LINE_MIN_WORDS)) >= max(words + 1, HEADLINE_LINE_MIN_WORDS) \
        and not line.rstrip("\"”'’ ").endswith((".", ",", ":", *ELLIPSES))


def leads_on(line: str) -> bool:
    """A line ending on a colon after a word ("Seltsamer Fossilienfund:"): it goes on in the line below, as
    a kicker printed over its headline does (the mirror of a headline line opening with a colon)."""
    return len(line) > 1 and line.endswith(":") and not line[-2].isspace() and not line[-2] == ":"


def _after_pair(lines: list[str], n: int) -> str:
    """Line n with the line before it, as counted across a site's pages (for `kept_as_kicker`)."""
    return f"{PAIR_MARK} {lines[n - 1] if n else ''} {PAIR_MARK} {lines[n]}"


def kept_as_kicker(lines: list[str], n: int, crawl: CrawlView) -> bool:
    """A line the crawl would drop (a recurring label, or one whose shape recurs: "Corona",
    "Ukraine-Krise", "Hass im Netz") kept as the kicker of the teaser below it: it is printed as a
    kicker is (`in_kicker_position`), and after other lines on each page. The one menu item in that
    place, the menu's last, comes after the same item on every page (BOILERPLATE_MIN_PAGES of the
    site's pages); a kicker comes after the teaser before it, and teasers move. (A kicker and its
    headline recur together wherever their story is shown: the line after it says nothing.)"""
    return in_kicker_position(lines, n) and not boilerplate_by_count(
        crawl.pages_with_line(_after_pair(lines, n)), crawl.site_pages)[0]


def headline_over_lede(lines: list[str], n: int) -> bool:
    """Line n, printed on many of the site's pages, is still a headline: SHORT_HEADLINE_MIN_WORDS long
    (longer than a menu item or a box header) and right over a paragraph, its lede (a story shown on
    the front page and on its section pages, on a small crawl: half of the site's pages)."""
    return n + 1 < len(lines) and word_count(lines[n], SHORT_HEADLINE_MIN_WORDS) >= SHORT_HEADLINE_MIN_WORDS \
        and not is_paragraph(lines[n]) and is_paragraph(lines[n + 1])


def is_notice(line: str, crawl: CrawlView) -> bool:
    """A notice printed with every teaser of a kind ("Your browser does not support audio ... <address>"):
    a long line whose opening (`_opening`) recurs SHAPE_MIN_ON_PAGE times on each of BOILERPLATE_MIN_PAGES
    of the site's pages. A lede recurs on other pages, not over and over on one. Metadata, not a story.
    Openings are counted on long lines only (a short headline is often printed twice on a page), but
    once known, they tell a shorter copy of the notice too (one with a shorter address: 15 words)."""
    return crawl.site_pages >= BOILERPLATE_MIN_PAGES \
        and word_count(line, NOTICE_OPENING_WORDS + 1) > NOTICE_OPENING_WORDS \
        and boilerplate_by_count(crawl.pages_with_line(_opening(line)), crawl.site_pages)[0]


def _list_opening_of(line: str) -> str | None:
    """The opening (NOTICE_OPENING_WORDS words, marked) of a line that reads as a list of names printed with spaces:
    LIST_MIN_WORDS words or more, nothing but words and joiners (`_LIST_CHARACTERS`), no more than LIST_SMALL_SHARE
    of them small (lowercase or function words). A site prints such a list on many pages, its items changing by page
    (the shop links of each section) but its opening the same; `menus.list_of_links` asks its count."""
    if not _LIST_CHARACTERS.match(line):
        return None  # (asked first: running text stops at its first comma or full stop)
    words = line.split()
    small = sum(word[:1].islower() or fold_word(word) in FUNCTION_WORDS for word in words)
    if len(words) < LIST_MIN_WORDS or small > LIST_SMALL_SHARE * len(words):
        return None
    return f"{LIST_MARK} {' '.join(words[:NOTICE_OPENING_WORDS])}"


_list_openings = Memo(_list_opening_of)
LIST_MIN_CHARS = 2 * LIST_MIN_WORDS - 1  # LIST_MIN_WORDS words and a space between each: a shorter line is no list


def list_opening(line: str) -> str | None:
    """`_list_opening_of`, remembered; asked of every line of every page in both passes, so a line too short to
    hold LIST_MIN_WORDS words (most of them: menus, kickers, headlines) is answered by its length alone."""
    return None if len(line) < LIST_MIN_CHARS else _list_openings[line]


def _opening(line: str) -> str:
    """A long line's first NOTICE_OPENING_WORDS words, marked apart from the lines counted with them."""
    return f"{OPENING_MARK} {' '.join(first_words(line, NOTICE_OPENING_WORDS))}"


def _shape_of(line: str) -> str | None:
    """A line with its numbers and capitalised words (names, places) abstracted ("X, 0:0 dpa X",
    "X X X und X X"), marked apart from the lines it is counted with; None for a line with
    nothing abstracted, or nothing but capitalised words (a name, a title-case headline)."""
    numbers = DIGITS.search(line) is not None  # (when the line has none, no word needs searching)
    if not numbers:  # (the same, counted once: with no number, what is kept is what is not capitalised)
        words = line.split()
        capitalised = [w[:1].isupper() for w in words]
        if not 0 < sum(capitalised) < len(words):
            return None
        return f"{SHAPE_MARK} {' '.join('X' if cap else w for w, cap in zip(words, capitalised))}"
    words = [DIGITS.sub("0", w) if numbers and DIGITS.search(w) else "X" if w[:1].isupper() else w for w in line.split()]
    kept = sum(w != "X" and not (numbers and DIGITS.search(w)) for w in words)
    if kept == len(words) or not (kept or numbers):
        return None
    return f"{SHAPE_MARK} {' '.join(words)}"


def _head_of(line: str) -> str | None:
    """The head of a line up to its first number, its words as printed and the number's digits as 0, when
    HEAD_MAX_WORDS words or fewer come before the number, one of them lowercase, and the line goes on after
    it: "artikel vom:
    0.0.0" of "Artikel vom: 27.2.2026Von Juri Auel" and of "Artikel vom: 3.1.2026Kommentar von A B und C D",
    "vor 0" of "vor 3 Tagen von Lara Lattek". Metadata whose names make every line's shape another still
    share their head, counted like a line's shape; a headline's words before its number vary ("Pakistan:
    Mehr als 70 Tote ..."). None for anything else."""
    if not DIGITS.search(line):
        return None
    words = line.split()
    if not words or DIGITS.search(words[0]):
        return None  # (a line opening with its number is known by its shape)
    for i, word in enumerate(words[1:HEAD_MAX_WORDS + 1], 1):
        if DIGITS.search(word) is None:
            continue
        cut = max(d.end() for d in DIGITS.finditer(word))
        if i + 1 == len(words) and cut == len(word):
            return None  # the line ends on its number: its shape is its head
        if not any(w[:1].islower() for w in words[:i]):
            return None  # a label and its number open many headlines: "Folge 4: ...", "Kriminalität: 31 Jahre ..."
        number = DIGITS.sub("0", _LETTERS.sub("X", word[:cut]))
        return f"{HEAD_MARK} {fold(' '.join(words[:i]))} {number}"
    return None


def boilerplate_by_count(seen: int, pages: int) -> tuple[bool, bool, bool]:
    """Whether a short line that is not a date is boilerplate, from the pages of its site it is on
    and its site's pages: (for a line of at most NAV_MAX_WORDS words, for a longer one), and whether a
    byline opener's count reaches BYLINE_OPENER_SHARE (`is_byline_line`). `--update` compares these
    before and after new pages are counted: every share a rule asks of a count is here."""
    common = pages >= BOILERPLATE_MIN_PAGES and seen >= BOILERPLATE_MIN_PAGES
    return common, common and seen >= BOILERPLATE_SHARE * pages, common and seen >= BYLINE_OPENER_SHARE * pages


def _is_paragraph(line: str) -> bool:
    """A line of running text: PARA_MIN_WORDS long, or PARA_SENTENCE_MIN_WORDS ending like a sentence."""
    words = word_count(line, PARA_MIN_WORDS)
    if words >= PARA_MIN_WORDS:
        return True
    return words >= PARA_SENTENCE_MIN_WORDS and line.rstrip("\"”'’ ").endswith((".", *ELLIPSES))


# each read once per line: a crawl prints its lines on many pages, and rules ask them again (`text.Memo`)
_tail, _shape, _head = Memo(_tail_of).__getitem__, Memo(_shape_of).__getitem__, Memo(_head_of).__getitem__
is_paragraph = Memo(_is_paragraph).__getitem__

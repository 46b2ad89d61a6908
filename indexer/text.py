"""Small text helpers shared by the segmenter and the deduplicator: cleaning, normalising, dates."""
from __future__ import annotations

import html
import re
import unicodedata
from typing import Callable

# closed-class words a headline does not end on and a lede does not start a name with (EN, DE)
FUNCTION_WORDS = frozenset("""
a an the and or but nor of to in on at for with by from as into onto about over after before
under between than that which who whom whose this these those is are was were be been being
has have had do does did will would can could should may might must not no its his her their
our your my via per vs amid among against during without within upon up down off out if so
der die das den dem des ein eine einer eines einem einen und oder aber von zu im am mit fur auf
aus bei nach vor uber unter um an ist sind war wird werden wie als auch nicht noch nur
""".split())  # folded, as every use compares folded words (`fold_word`): "fur", "uber" are "für", "über"

# words that, capitalised, usually open a sentence rather than continue a name
SENTENCE_STARTERS = frozenset("""
the a an on in at it he she they we i this that these those his her its their our there here
after before when while as if for with by from according more some many most all two three
four five six ten one despite since although though but and so yet now today yesterday
police officials authorities researchers scientists experts shares prices
der die das ein eine es er sie wir am im nach vor seit bei laut
""".split())

MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS.update({"sept": 9, "januar": 1, "februar": 2, "märz": 3, "juni": 6, "juli": 7,
               "oktober": 10, "dezember": 12})

_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
# A day and a month's name are a date even run into the word before them or the number after them:
# block-per-line text glues inline elements ("Von Anna Berg30. Januar 202248", a byline, the date and a
# comment count). Numeric dates keep their word bounds: "Artikel vom: 2.1.2026Von Anna Berg" is a
# caption whose names stay searchable (as a date line it would be dropped, the byline with it).
_DATE_PATTERNS = [
    re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)(?!\d)"),
    re.compile(rf"(?<!\d)(?P<d>\d{{1,2}})\.?\s+(?P<mon>{_MONTH_RE})\.?,?\s+(?P<y>(?:19|20)\d\d)", re.I),
    re.compile(rf"\b(?P<mon>{_MONTH_RE})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)", re.I),
    re.compile(r"\b(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>(?:19|20)\d\d)\b"),
]
DATE_LINE_MAX_WORDS = 9
# `Memo`: a crawl prints each line about 4.5 times (the 4,000-page bench crawl: 111,062 lines, 24,481
# distinct; a snapshot of the German front pages 2.7 times), on its site's pages and in its teasers' other
# listings; the lines asked about again are short ones (boilerplate, headlines, metadata) and ledes
MEMO_KEPT = 1 << 14  # texts a memo holds: the distinct lines of a few thousand pages (at most 6.5 MB of them) ...
MEMO_MAX_CHARS = 400  # ... none longer (the bench crawl's ledes run to 400 characters; longer paragraphs are rarer)
WORDS_KEPT = 1 << 16  # words the word memo holds (`fold_word`): a news crawl's vocabulary is tens of thousands
_DIGIT = re.compile(r"\d")

_ENTITY_RESIDUE = re.compile(r"(?<![&\w])#(\d{2,4});")
_APOSTROPHE_RESIDUE = re.compile(r"\s?(?<![&\w])#39;")
_NAMED_RESIDUE = re.compile(r"(?<![&\w])(quot|amp|lt|gt|apos|nbsp);")  # "&" lost: " quot;Digital Joy quot;"
_NAMED = {"quot": '"', "amp": "&", "lt": "<", "gt": ">", "apos": "'", "nbsp": " "}
_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^\w\s]+")
_ASCII_PUNCTUATION = {c: " " for c in range(128) if not chr(c).isalnum() and chr(c) != "_" and not chr(c).isspace()}
# `fold` of plain ASCII as one bytes.translate: capitals to small letters, punctuation to spaces
_ASCII_FOLD = bytes(c + 32 if 65 <= c <= 90 else 32 if c in _ASCII_PUNCTUATION else c for c in range(256))


class _Uncombining(dict):
    """A str.translate table that drops combining characters (accents) and keeps every other
    character: filled in as characters are met, so that a text is translated in C, not a character
    at a time in Python."""

    def __missing__(self, code: int) -> int | None:
        kept = self[code] = None if unicodedata.combining(chr(code)) else code
        return kept


_UNCOMBINED = _Uncombining()


def clean(text: str) -> str:
    """Undo entity and escaping noise (``#39;``, ``&quot;``, ``\\``) and collapse whitespace."""
    if "&" in text:
        text = html.unescape(text)
    if ";" in text:
        text = _NAMED_RESIDUE.sub(lambda m: _NAMED[m.group(1)], text)
    if "#" in text:
        text = _APOSTROPHE_RESIDUE.sub("'", text)
        text = _ENTITY_RESIDUE.sub(lambda m: chr(int(m.group(1))), text)
    if "\\" in text:
        text = text.replace("\\", " ")
    if "  " not in text and text.isprintable():  # no whitespace but single spaces: nothing to collapse
        return text.strip()
    return _SPACES.sub(" ", text).strip()


def fold(text: str) -> str:
    """Lowercase, strip accents and punctuation: the form used to compare texts (remembered: `Memo`)."""
    return _FOLDED[text]


def _fold(text: str) -> str:
    """`fold`, worked out."""
    if text.isascii():
        if text.isalnum():
            return text.lower()  # most single words: nothing to clean, strip or fold
        if not ("&" in text or ";" in text or "#" in text or "\\" in text):  # plain ASCII, no entity or escaping
            return " ".join(text.encode().translate(_ASCII_FOLD).decode().split())  # noise: no regular expressions
    text = clean(text).lower()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        if not text.isascii():
            text = text.translate(_UNCOMBINED)  # (the accents NFKD set apart, dropped)
    return _SPACES.sub(" ", _NON_WORD.sub(" ", text)).strip()


class Memo(dict):
    """A pure function of a text, remembered for the texts it was last asked about: a text asked
    again is one dictionary lookup in C. A text longer than MEMO_MAX_CHARS is worked out each time and
    not kept (a long paragraph rarely recurs, and no memo should hold megabytes); when `kept` texts
    are held, the memo starts again empty (cheaper than a least-recently-used order kept on every
    hit). The answers are the function's own, whatever the memo holds (tests/test_fast_paths.py)."""

    every: list["Memo"] = []  # (so that `forget_memos` can empty them all)

    def __init__(self, function: Callable[[str], object], kept: int = MEMO_KEPT) -> None:
        super().__init__()
        self.function, self.kept = function, kept
        Memo.every.append(self)

    def __missing__(self, text: str) -> object:
        value = self.function(text)
        if len(text) <= MEMO_MAX_CHARS:
            if len(self) >= self.kept:
                self.clear()
            self[text] = value
        return value


def forget_memos() -> None:
    """Empty every memo: when a build has segmented its pages, what they remember is of no more use."""
    for memo in Memo.every:
        memo.clear()


# `fold` of one word, remembered (`Memo`: `fold_word(w)`, or `map(fold_word, words)` in C): the
# headline splitter folds every word of every paragraph, and a crawl's words recur
fold_word = Memo(_fold, kept=WORDS_KEPT).__getitem__
_FOLDED = Memo(_fold)


def word_count(text: str, cap: int) -> int:
    """How many words a text has, counting no further than cap + 1 (cheap on a 20 MB line)."""
    return len(text.split(None, cap))


def first_words(text: str, n: int) -> list[str]:
    """The text's first n words, without splitting the rest."""
    return text.split(None, n)[:n]


def fold_words(text: str) -> list[str]:
    """The folded words of a text."""
    if len(text) > MEMO_MAX_CHARS and text.isascii() and not ("&" in text or ";" in text or "#" in text or "\\" in text):
        return text.encode().translate(_ASCII_FOLD).decode().split()  # (`fold`'s plain ASCII, not joined to be split again)
    return fold(text).split()


def find_date(line: str) -> str | None:
    """The first date written in a line, as ``YYYY-MM-DD``, or None."""
    if not _DIGIT.search(line):
        return None  # (every pattern holds a number)
    for pattern in _DATE_PATTERNS:
        m = pattern.search(line)
        if not m:
            continue
        parts = m.groupdict()
        month = int(parts["m"]) if parts.get("m") else MONTHS.get(parts["mon"].lower().rstrip("."))
        day, year = int(parts["d"]), int(parts["y"])
        if month and 1 <= month <= 12 and 1 <= day <= 31:
            return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def is_date_line(line: str) -> bool:
    """A short line that is mostly a date ("25 August 2004", "Published: 2004-08-25 10:00"); remembered."""
    return _DATE_LINES[line]


def _is_date_line(line: str) -> bool:
    return word_count(line, DATE_LINE_MAX_WORDS) <= DATE_LINE_MAX_WORDS and find_date(line) is not None


_DATE_LINES = Memo(_is_date_line)

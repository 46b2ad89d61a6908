"""Finding a teaser's headline: where a run-together "headline lede" line splits, and repeats.

A listing page often prints a teaser as one line, the headline followed by the
lede with no separator ("Belarus to cancel visas with Brazil, Ecuador Belarus
has completed ..."). `split_headline` scores every plausible word boundary and
returns the best; headlines and lede openings seen elsewhere in the crawl
(`Known`) outweigh everything else. `repeated_prefix` finds a headline line
repeated, exactly or nearly, at the start of the paragraph that follows it.
"""
from __future__ import annotations

import functools
import re
import zlib
from collections import OrderedDict
from dataclasses import dataclass, field
from difflib import SequenceMatcher

import numpy as np

from .crawlview import LINES, OPENINGS, Candidate, CrawlView, key
from .text import FUNCTION_WORDS, MONTHS, SENTENCE_STARTERS, WORDS_KEPT, Memo, first_words, fold_word, fold_words

MIN_HEADLINE_WORDS = 3
MAX_HEADLINE_WORDS = 30
IDEAL_HEADLINE_WORDS = (4, 7)
MIN_LEDE_WORDS = 6
TITLE_CASE_AFTER_WORDS = 8  # the words after a boundary whose capitals tell whether a title-case headline ends there
SPLIT_CONTEXT_WORDS = 60  # the lede words a split looks at (recurring pairs, title case)
OPENING_MAX_WORDS = 14  # paragraph openings up to this long are remembered
BLOOM_BITS_LOG2 = 27  # 16 MB per set of remembered lines or openings: ~1% false hits at 10 million
BLOOM_BATCH_MIN = 16  # keys from which numpy sets a Bloom set's bits faster than a Python loop does (~10 us a call)
KNOWN_LINE = 10.0  # a boundary whose headline was printed elsewhere as a line of its own
KNOWN_SHORT_LINE = 2.0  # ... unless it is this short: then it may be a caption made of its words
KNOWN_LEDE = 4.0  # a boundary after which the words open a paragraph elsewhere in the crawl
LEDE_KEY_WORDS = 6
CONFIDENT_SPLIT = 1.5  # a split scoring this much is trusted over a separate short line
REPEAT_MIN_RATIO = 0.85
REPEATS_KEPT = 8192  # (headline line, paragraph) pairs whose repeat is remembered: teasers recur over a crawl's pages
# weights of the boundary evidence, fitted on headline+lede pairs (bench/tune_headline.py)
W = {"short": 1.2, "long": 0.3, "dateline": 2.0, "starter": 1.5, "digit": 0.5,
     "bigram": 3.0, "restate3": 3.0, "title": 0.5, "source": 4.0, "fullstop": 3.0, "quote": 1.0,
     "sentence": 3.0}  # how close a paragraph's opening must be to the headline line

_DATELINE = re.compile(  # "NEW YORK (Reuters) - ", "QUETTA, Pakistan - ", "AP - "
    r"^(?:[A-Z][A-Z.'\-]+,?(?: [A-Z][A-Za-z.'\-]+,?){0,3} (?:\([A-Za-z. ]+\) )?|[A-Z][\w.]+ )(?:-{1,2}|–|—) ")
_PAIRED = "\x00"  # a character no folded word holds (`text.fold` makes control characters spaces)
_DASHES = frozenset(("-", "--", "–", "—"))  # the dashes `_DATELINE` ends on, each a word between spaces
_SOURCE_SUFFIX = re.compile(r"\((?:AP|AFP|Reuters|[A-Z][\w.]+\.com)\)$")
_ABBREVIATION = re.compile(r"^(?:[A-Z]\.)+$|^(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Gov|Sen|Rep|Gen|Lt|Col|Inc|Co|Corp|Ltd|No|vs|Ky|Calif|Mass|Fla|Wash)\.$")
_OPENERS = "\"“‘'«„"
_SENTENCE_LAST = ".?!\"”"  # the last character of every word `is_sentence_end` answers yes for
NO_CRAWL = CrawlView(None)  # a page read alone: the crawl knows nothing


class BloomSet:
    """A set of 32-bit hashes in a fixed bytearray (a Bloom filter): no false negatives, rare false
    positives, and the same few megabytes for a thousand pages or a million."""

    PROBES = (0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D)  # odd multipliers: one bit per probe

    def __init__(self, bits_log2: int = BLOOM_BITS_LOG2):
        self.bits = bytearray(1 << (bits_log2 - 3))
        self.shift = 32 - bits_log2

    def add(self, key: int) -> None:
        bits, shift = self.bits, self.shift
        for multiplier in self.PROBES:
            bit = ((key * multiplier) & 0xFFFFFFFF) >> shift
            bits[bit >> 3] |= 1 << (bit & 7)

    def add_all(self, keys: list[int]) -> None:
        """`add` for every key, the bits worked out and set by numpy: a page's few hundred keys at once
        for the cost of a dozen Python steps (a set bit is set whatever the order)."""
        if len(keys) < BLOOM_BATCH_MIN:
            for k in keys:
                self.add(k)
            return
        bits, shift = np.frombuffer(self.bits, np.uint8), np.uint64(self.shift)
        # every key times every probe's multiplier at once (keys are 32-bit: exact in 64 bits)
        bit = ((np.array(keys, np.uint64)[:, None] * _PROBES) & np.uint64(0xFFFFFFFF)) >> shift
        np.bitwise_or.at(bits, (bit >> np.uint64(3)).astype(np.intp).ravel(),
                         np.left_shift(np.uint8(1), (bit & np.uint64(7)).astype(np.uint8)).ravel())

    def merge(self, other: "BloomSet") -> None:
        """Hold every key the other set holds too (the union of two sets of the same size), in place:
        numpy's OR takes a millisecond where Python's big integers took 0.3 s for 16 MB."""
        mine = np.frombuffer(self.bits, np.uint8)
        np.bitwise_or(mine, np.frombuffer(other.bits, np.uint8), out=mine)

    def __contains__(self, key: int) -> bool:
        bits, shift = self.bits, self.shift
        for multiplier in self.PROBES:
            bit = ((key * multiplier) & 0xFFFFFFFF) >> shift
            if not bits[bit >> 3] & (1 << (bit & 7)):
                return False
        return True


_PROBES = np.array(BloomSet.PROBES, np.uint64)


@dataclass
class Known:
    """What the whole crawl says about headlines: short lines printed on their own, and how
    paragraphs open (a headline line on one page is a paragraph's opening on another). Segmenting
    reads it through `crawlview.CrawlView`."""

    lines: BloomSet = field(default_factory=BloomSet)
    openings: BloomSet = field(default_factory=BloomSet)

    def __post_init__(self) -> None:
        # the last lines split (`split_headline`, `CrawlView.remembered`) and how: they hold while nothing is added
        self.splits: OrderedDict[str, tuple[int, bool, list[int] | None]] = OrderedDict()

    def __getstate__(self) -> dict:
        return {name: value for name, value in self.__dict__.items() if name != "splits"}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self.__post_init__()

    def add_line(self, line: str) -> None:
        self.add_page([line], [])

    def add_paragraph(self, paragraph: str) -> None:
        self.add_page([], [paragraph])

    def add_page(self, lines: list[str], paragraphs: list[str]) -> None:
        """`add_line` for each of the lines and `add_paragraph` for each of the paragraphs, in one go."""
        self.splits.clear()
        self.lines.add_all([key(line) for line in lines])
        openings: list[int] = []
        for paragraph in paragraphs:
            openings.extend(_opening_keys(paragraph))
        self.openings.add_all(openings)

    def merge(self, other: "Known") -> None:
        self.splits.clear()
        self.lines.merge(other.lines)
        self.openings.merge(other.openings)


def _opening_keys_of(paragraph: str) -> tuple[int, ...]:
    """The keys of a paragraph's openings Known remembers: of its first n words, for n from
    MIN_HEADLINE_WORDS to OPENING_MAX_WORDS."""
    words = fold_words(" ".join(first_words(paragraph, OPENING_MAX_WORDS + 4)))
    keys = _prefix_keys(words[:OPENING_MAX_WORDS])  # the checksums of words[:n] for every n
    return tuple(keys[MIN_HEADLINE_WORDS:min(len(words), OPENING_MAX_WORDS) + 1])


_opening_keys = Memo(_opening_keys_of).__getitem__  # (a lede is printed on several pages: `text.Memo`)


def is_sentence_end(word: str) -> bool:
    """A word that closes a sentence (not an abbreviation such as "U.S." or "St.")."""
    if word.endswith(("?", "!", "?\"", "!\"", ".\"", ".”", "?”")):
        return True
    return word.endswith(".") and not _ABBREVIATION.match(word) and len(word) > 2


def starts_like_lede(word: str) -> bool:
    first = word.lstrip(_OPENERS)
    return bool(first) and (first[0].isupper() or first[0].isdigit() or word[0] in _OPENERS)


def _is_capitalised(word: str) -> bool:
    first = word.lstrip(_OPENERS)
    return bool(first) and first[0].isupper()


def split_headline(line: str, crawl: CrawlView = NO_CRAWL) -> tuple[int, bool]:
    """`_split_headline`, remembered: a teaser printed on many pages of a crawl is split once."""
    return crawl.remembered(line, _split_headline)


def _split_headline(line: str, crawl: CrawlView) -> tuple[int, bool]:
    """Where a run-together "headline lede" line splits: (number of headline words, whether the
    split is confident: scores at least CONFIDENT_SPLIT).

    Every word boundary where a headline can end is scored; what the crawl knows weighs in, and the
    best wins. Returns (0, False) when no boundary is plausible: the line is all lede.
    """
    words = first_words(line, MAX_HEADLINE_WORDS + SPLIT_CONTEXT_WORDS)
    folded = list(map(fold_word, words))
    pairs = _PAIRED + _PAIRED.join(folded) + _PAIRED  # (`_recurring_pair_score`)
    ends = MAX_HEADLINE_WORDS + 1  # where a headline can end
    prefixes = _prefix_keys(folded[:ends])
    cases = list(map(_word_case, words[:ends + TITLE_CASE_AFTER_WORDS]))
    title_case = _title_case_prefixes(cases[:ends])
    candidates: list[Candidate] = []
    sentences = 0  # full stops passed: a headline rarely has one, never two
    for i in range(MIN_HEADLINE_WORDS - 1, min(len(words) - MIN_LEDE_WORDS + 1, MAX_HEADLINE_WORDS + 1)):
        # (asked only of words that can answer yes: a sentence ends on one of _SENTENCE_LAST, a lede
        # never starts with a small letter)
        if words[i - 2][-1] in _SENTENCE_LAST and is_sentence_end(words[i - 2]):
            sentences += 1
            if sentences > 1:
                break
        if not words[i][0].islower() and _can_end_before(words, folded, i):
            candidates.append(_boundary(words, folded, pairs, cases, i, crawl, prefixes[i], title_case[i],
                                        W["sentence"] * sentences))
    best, confident = crawl.choose(candidates, CONFIDENT_SPLIT)
    return (best.at, confident) if best else (0, False)


def _can_end_before(words: list[str], folded: list[str], i: int) -> bool:
    """Whether a headline can end before word i: a lede may start there, and no phrase runs on."""
    prev, word = words[i - 1], words[i]
    if not starts_like_lede(word):
        return False
    if folded[i - 1] in FUNCTION_WORDS or prev.endswith((",", ":", ";", "-", "–", "—")) or prev in "-–—|":
        return False
    return not (folded[i - 1] in MONTHS and word[0].isdigit())  # "February 2" is a date


def _boundary(words: list[str], folded: list[str], pairs: str, cases: list[int], i: int, crawl: CrawlView,
              prefix_key: int, title_case: bool, penalty: float) -> Candidate:
    """The boundary before word i, scored (higher is likelier) less `penalty`: its headline printed
    elsewhere as a line of its own decides alone, else the crawl's ledes and the words' shape weigh
    in. prefix_key is key(" ".join(words[:i])), title_case whether words[:i] are title case."""
    if_line = (KNOWN_LINE if i > MIN_HEADLINE_WORDS else KNOWN_SHORT_LINE) - penalty  # (or a caption)
    c = Candidate(i, if_line, prefix_key, crawl.answer(LINES, prefix_key), if_line)
    if c.line_found:
        return c
    if i + LEDE_KEY_WORDS <= len(words):  # elsewhere a paragraph opens with these words: a lede printed on its own
        c.opening_key, c.opening_weight = _words_key(folded[i:i + LEDE_KEY_WORDS]), KNOWN_LEDE
        c.opening_found = crawl.answer(OPENINGS, c.opening_key)
    prev = words[i - 1]
    c.score = ((KNOWN_LEDE if c.opening_found else 0.0) + _length_score(i) + _headline_end_score(prev)
               + _dateline_score(words, i) + _lede_start_score(words, folded, i, title_case)
               + _recurring_pair_score(folded, pairs, i) + _restated_score(folded, i)
               + _title_case_score(cases, i, title_case)
               - penalty)
    return c


def _length_score(i: int) -> float:
    """Headlines of IDEAL_HEADLINE_WORDS are likeliest."""
    low, high = IDEAL_HEADLINE_WORDS
    if i < low:
        return -(W["short"] * (low - i))
    return -(W["long"] * (i - high)) if i > high else 0.0


def _headline_end_score(prev: str) -> float:
    """How the headline's last word ends: a source "(AP)", "?" or "!" close one; a full stop
    rarely does (ledes' first sentences end so); a quote may."""
    if _SOURCE_SUFFIX.search(prev) or prev.endswith(("?", "!")):
        return W["source"]
    if is_sentence_end(prev):
        return -W["fullstop"]
    return W["quote"] if prev.endswith(("\"", "”", ")")) else 0.0


def _dateline_score(words: list[str], i: int) -> float:
    """The lede opens with a dateline ("NEW YORK (Reuters) - "): its dash opens the lede's first sentence,
    so the word after it is in no small letters (a capitalised word and a dash in mid-sentence are no dateline:
    German nouns are capitalised, "... spielte das Match seines Lebens – und unterlag ...")."""
    if _DASHES.isdisjoint(words[i + 1:i + 7]):
        return 0.0  # (a dateline's dash is a word of its own among them: `_DATELINE`)
    opening = " ".join(words[i:i + 8])
    m = None if words[i - 1].isupper() else _DATELINE.match(opening)
    return W["dateline"] if m and not opening[m.end():m.end() + 1].islower() else 0.0


def _lede_start_score(words: list[str], folded: list[str], i: int, title_case: bool) -> float:
    """How the lede's first word reads: a sentence starter (unless a title-case run goes on), a
    digit or an opening quote."""
    word = words[i]
    after = words[i + 1] if i + 1 < len(words) else ""
    runs_on = title_case and bool(after) and (_is_capitalised(after) or after[0].isdigit())
    if folded[i] in SENTENCE_STARTERS and not runs_on:
        return W["starter"]
    return W["digit"] if word[0].isdigit() or word[0] in _OPENERS else 0.0


def _recurring_pair_score(folded: list[str], pairs: str, i: int) -> float:
    """A word pair recurring in the line is a name or a phrase, not a boundary. `pairs` is the line's
    folded words each between two _PAIRED: the pair is there twice (or overlapping itself) where it recurs."""
    pair = f"{_PAIRED}{folded[i - 1]}{_PAIRED}{folded[i]}{_PAIRED}"
    return -W["bigram"] if pairs.find(pair, pairs.find(pair) + 1) != -1 else 0.0


def _restated_score(folded: list[str], i: int) -> float:
    """A lede opens by restating the headline's first words."""
    return W["restate3"] if folded[i:i + 3] == folded[0:3] else 0.0


def _title_case_score(cases: list[int], i: int, title_case: bool) -> float:
    """A title-case headline ends where the capitals stop (`cases`: `_word_case` of each word)."""
    if not title_case:
        return 0.0
    return W["title"] * (1 - 2 * _capitalised_share(cases[i + 1:i + 1 + TITLE_CASE_AFTER_WORDS]))


def _words_key(folded: list[str]) -> int:
    """key(" ".join(words)) of words folded one by one (folding them one by one and joining those left
    is folding their join: `_prefix_keys`)."""
    return zlib.crc32(" ".join(filter(None, folded)).encode())


def _prefix_keys(folded: list[str]) -> list[int]:
    """key(" ".join(words[:i])) for every i, by one running checksum (folding the words one by one
    and joining them is folding their join)."""
    keys, crc, empty = [zlib.crc32(b"")], 0, True
    for word in folded:
        if word:
            crc = zlib.crc32((word if empty else " " + word).encode(), crc)
            empty = False
        keys.append(crc)
    return keys


def _title_case_prefixes(cases: list[int]) -> list[bool]:
    """For every i, whether words[:i] are title case ("Boeing Offers 777 Cargo Freighter"): most of
    their content words capitalised, counted once along the words (`cases`: `_word_case` of each)."""
    flags, content, capitalised = [False], 0, 0
    for case in cases:
        if case:
            content += 1
            capitalised += case == CAPITALISED
        flags.append(content >= 3 and capitalised >= 0.8 * content)
    return flags


def _capitalised_share(cases: list[int]) -> float:
    """The share of content words that are capitalised (0.5 when there are none), of words' `_word_case`."""
    content = [case for case in cases if case]
    return sum(case == CAPITALISED for case in content) / len(content) if content else 0.5


NOT_CONTENT, SMALL, CAPITALISED = 0, 1, 2  # what a word is to title case (`_word_case`)


def _word_case_of(word: str) -> int:
    """What a word is to title case: no content word (a function word, a number, punctuation), a content
    word in small letters, or a capitalised one."""
    f = fold_word(word)
    if not f or f in FUNCTION_WORDS or f[0].isdigit():
        return NOT_CONTENT
    return CAPITALISED if _is_capitalised(word) else SMALL


_word_case = Memo(_word_case_of, kept=WORDS_KEPT).__getitem__  # (asked of the first 39 words of every line split)


@functools.lru_cache(maxsize=REPEATS_KEPT)
def repeated_prefix(headline: str, paragraph: str) -> int:
    """How many words of `paragraph` repeat `headline` (exactly or nearly); 0 when none do (remembered)."""
    head = fold_words(headline)
    words = first_words(paragraph, len(head) + 8)
    if len(head) < 2 or len(words) <= len(head) // 2:
        return 0
    folded = list(map(fold_word, words[:len(head) + 6]))
    if head[0] not in " ".join(folded[:2]).split():
        return 0  # a repeat, even a loose one, starts where the headline starts
    flat = lambda ws: [t for w in ws for t in w.split()]
    best, best_ratio = 0, 0.0
    for k in range(max(1, len(head) - 3), min(len(words), len(head) + 4) + 1):
        if k < len(words) and not starts_like_lede(words[k]):
            continue  # the lede would open mid-sentence: this is not where the repeat ends
        repeat = flat(folded[:k])
        if repeat == head:  # (the ratio's most, 1.0: no later k scores more)
            best, best_ratio = k, 1.0
            break
        matcher = SequenceMatcher(None, head, repeat, autojunk=False)
        if matcher.real_quick_ratio() < REPEAT_MIN_RATIO or matcher.quick_ratio() < REPEAT_MIN_RATIO:
            continue  # (upper bounds of the ratio: it cannot make a repeat, whatever came before)
        ratio = matcher.ratio()
        if ratio > best_ratio + 1e-9:
            best, best_ratio = k, ratio
    return best if best_ratio >= REPEAT_MIN_RATIO else 0

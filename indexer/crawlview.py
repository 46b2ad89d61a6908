"""What segmenting reads of the crawl's statistics, through one door, and what `--update` keeps of it.

Segmenting a page (`segment.segment_page`) asks the crawl's statistics (`segment.CrawlStats`) a
few things, always through the page's `CrawlView`: how many of the site's pages print a short
line, or a line tail; whether some words were printed as a line of their own somewhere; and, where
a rule weighs such answers against each other, which option they favour (`choose`, `decide`).

Given a `Consulted`, the view records the answers the page's teasers depend on, so that `--update`
segments a page again only when one of them is now another (`crawlstate`, `update`). Of the
answers a choice read, it records only those whose other value could change the outcome: the
fewer recorded, the fewer pages an update segments again (tests/test_segment.py flips every
unrecorded answer and checks that the outcome stands).
"""
from __future__ import annotations

import functools
import itertools
import zlib
from dataclasses import dataclass, field
from typing import Callable, Sequence

from .text import Memo, fold


LINES, OPENINGS = 0, 1  # the two Bloom sets of `headline.Known`, as tagged in `Consulted.asks`
ROUNDING = 1e-9  # scores this close count as equal when deciding what a choice depends on
SETTLINGS_KEPT = 1024  # rules' tables and answers whose settling answers are remembered (a rule of two answers has 64)
SPLITS_KEPT = 8192  # lines whose split `headline.Known` remembers (~0.5 KB each): teasers recur over a crawl's pages


def key(text: str) -> int:
    """A compact, stable hash of a text's folded form: how lines and openings are counted and remembered
    (remembered: a crawl prints its lines on many pages, `text.Memo`)."""
    return _KEYS[text]


def _key(text: str) -> int:
    return zlib.crc32(fold(text).encode())


_KEYS = Memo(_key)


def tail_key(tail: str) -> int:
    """The hash of a line tail ("| Site name"), already folded."""
    return zlib.crc32(tail.encode())


@dataclass
class Consulted:
    """What segmenting one page read of the crawl's statistics. Under new statistics that give the
    same answers to all of it, segmenting the page again gives the same teasers: `--update` keeps
    the page's teasers (see `crawlstate`). Besides these, a page depends on whether its site has
    `segment.BOILERPLATE_MIN_PAGES` pages."""

    asks: list[int] = field(default_factory=list)  # Bloom set lookups: key << 2 | set << 1 | found
    lines: list[int] = field(default_factory=list)  # short lines whose counts on the site were read
    tails: list[int] = field(default_factory=list)  # line tails ("| Site name") whose counts were read


@dataclass(slots=True)
class Candidate:
    """One option of a choice the crawl weighs in on (a word boundary of `headline.split_headline`):
    its score, and the answers it was scored with. Its words printed as a line elsewhere made (or
    would make) it score `if_line`, whatever else; if not, its continuation opening a paragraph
    elsewhere adds `opening_weight`."""

    at: int
    score: float
    line_key: int
    line_found: bool
    if_line: float
    opening_key: int | None = None  # None: not asked (too few words follow, or the line was found)
    opening_found: bool = False
    opening_weight: float = 0.0


class CrawlView:
    """The crawl's statistics as the segmenting of one page of `site` reads them; what it reads goes
    to `record` when one is given."""

    def __init__(self, stats: "object | None", site: str = "", record: Consulted | None = None):
        self.stats, self.site, self.record = stats, site, record
        self.site_pages = stats.site_pages[site] if stats is not None else 0  # (see Consulted)
        self.line_keys: dict[str, int] = {}  # key() of each line asked about: a page asks of most lines twice

    def pages_with_line(self, line: str) -> int:
        """On how many of the site's pages the short line is printed (as counted by `line_key`)."""
        k = self.line_keys.get(line)
        if k is None:
            k = self.line_keys[line] = key(line)
        if self.record is not None:
            self.record.lines.append(k)
        return self.stats.line_pages[self.site][k] if self.stats is not None else 0

    def pages_with_tail(self, tail: str) -> int:
        """On how many of the site's pages a line ends in this (folded) tail."""
        if self.record is not None:
            self.record.tails.append(tail_key(tail))
        return self.stats.suffix_pages[self.site][tail] if self.stats is not None else 0

    def printed_as_line(self, words: Sequence[str]) -> bool:
        """Whether these words were printed as a line of their own somewhere in the crawl."""
        k = key(" ".join(words))
        found = self.answer(LINES, k)
        self._note(LINES, k, found)
        return found

    def remembered(self, line: str, split: Callable[[str, "CrawlView"], tuple[int, bool]]) -> tuple[int, bool]:
        """split(line, self), which depends on the line and the crawl's `headline.Known` alone: from
        what Known remembers of the line (with the answers it recorded, recorded again), else worked out
        and remembered (SPLITS_KEPT lines at most)."""
        if self.stats is None:
            return split(line, self)
        splits, record = self.stats.known.splits, self.record
        held = splits.get(line)
        if held is not None and (record is None or held[2] is not None):
            splits.move_to_end(line)
            if record is not None:
                record.asks.extend(held[2])
            return held[0], held[1]
        asked = len(record.asks) if record is not None else 0
        at, confident = split(line, self)
        splits[line] = (at, confident, record.asks[asked:] if record is not None else None)
        if len(splits) > SPLITS_KEPT:
            splits.popitem(last=False)
        return at, confident

    def answer(self, which: int, k: int) -> bool:
        """A Bloom set's answer for a choice (`choose`, `decide`), which records what it depends on."""
        if self.stats is None:
            return False
        known = self.stats.known
        return k in (known.lines if which == LINES else known.openings)

    def choose(self, candidates: list[Candidate], confident_at: float) -> tuple[Candidate | None, bool]:
        """The best-scoring candidate (the first of equals), and whether it scores `confident_at`;
        records the answers whose other value could change either."""
        best: Candidate | None = None
        for c in candidates:
            if best is None or c.score > best.score:
                best = c
        if best is None:
            return None, False
        confident = best.score >= confident_at
        if self.record is not None:
            self._note_deciding(candidates, best, confident, confident_at)
        return best, confident

    def _note_deciding(self, candidates: list[Candidate], best: Candidate, confident: bool,
                       confident_at: float) -> None:
        """Record the answers whose other value could change what `choose` returns:

        - every answer found: not found, its candidate scores less, or (a line) anything;
        - an answer not found for another candidate that, found, would score at least the best;
        - one not found for the chosen candidate that, found, would score less (a line found sets
          the score, whatever it was before), or make an unconfident choice confident.

        No answer left out can change the result, alone or with others: raised, no other candidate
        reaches the best, and the chosen one stays chosen, as confident as it was; lowered, no
        candidate that was not chosen becomes chosen. (Rounding aside: a near tie counts as a change.)"""
        top = best.score

        def changes(c: Candidate, score: float) -> bool:  # the candidate scoring this instead changes the result
            if c is best:
                return score <= top + ROUNDING or not confident and score >= confident_at - ROUNDING
            return score >= top - ROUNDING

        for c in candidates:
            if c.line_found or changes(c, c.if_line):
                self._note(LINES, c.line_key, c.line_found)
            if c.opening_key is not None and (c.opening_found or changes(c, c.score + c.opening_weight)):
                self._note(OPENINGS, c.opening_key, c.opening_found)

    def decide(self, rule: Callable[..., bool], asks: Sequence[tuple[int, int]]) -> bool:
        """`rule` applied to the Bloom sets' answers for `asks` (pairs of LINES or OPENINGS and a
        key); records the fewest answers that settle the result whatever the others are (`_settling`)."""
        answers = tuple(self.answer(which, k) for which, k in asks)
        result = rule(*answers)
        if self.record is None:
            return result
        table = tuple(rule(*values) for values in itertools.product((False, True), repeat=len(asks)))
        for n in _settling(table, answers):
            self._note(*asks[n], answers[n])
        return result

    def _note(self, which: int, k: int, found: bool) -> None:
        if self.record is not None:
            self.record.asks.append(k << 2 | which << 1 | found)


@functools.lru_cache(maxsize=SETTLINGS_KEPT)
def _settling(table: tuple[bool, ...], answers: tuple[bool, ...]) -> tuple[int, ...]:
    """Which of a rule's answers settle its result whatever the others are, the fewest (the first such
    of each size, in order), for the rule whose result for each combination of answers (in
    itertools.product's order) is `table`: worked out once for each rule's table and answers."""
    result = table[_row(answers)]
    for size in range(len(answers) + 1):
        for kept in itertools.combinations(range(len(answers)), size):
            free = [n for n in range(len(answers)) if n not in kept]
            if all(table[_row(_with(list(answers), free, values))] == result
                   for values in itertools.product((False, True), repeat=len(free))):
                return kept
    return tuple(range(len(answers)))  # (not reached: with every answer kept, the result is settled)


def _row(answers: Sequence[bool]) -> int:
    """The row of a rule's table for these answers (the last one varying fastest, as itertools.product)."""
    row = 0
    for answer in answers:
        row = row << 1 | answer
    return row


def _with(answers: list[bool], free: list[int], values: tuple[bool, ...]) -> list[bool]:
    """The answers with those at `free` replaced by `values`."""
    out = list(answers)
    for n, value in zip(free, values):
        out[n] = value
    return out

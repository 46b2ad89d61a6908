"""The same story on many pages becomes one record: exact copies, truncations, variants, datelines.

Teasers arrive one at a time. An exact copy of a text already seen (after
cleaning entity noise, datelines and ellipses) joins its story at once.
Otherwise MinHash LSH over the first words of the text (datasketch) proposes
candidate stories, and a candidate is accepted only when the shorter text is
contained in the longer one (containment, not Jaccard: teasers are truncated)
and every number of the shorter one is in the longer (daily reports that
differ only in their figures stay apart). Teasers with no text join a story
with the same headline when exactly one has it. Each story keeps its most
complete text, every headline variant and every page it appears on.
"""
from __future__ import annotations

import hashlib
from difflib import SequenceMatcher
import re
import zlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterator

from datasketch import MinHash, MinHashLSH

from .headline import repeated_prefix
from .records import Story, Teaser
from .text import FUNCTION_WORDS, first_words, fold_words

SHINGLE = 3  # words per shingle
COMPARE_MAX_WORDS = 2000  # texts are compared (and found exactly equal) on their first words
LSH_WORDS = 40  # candidates are found from the text's first words ...
VERIFY_WORDS = 80  # ... and verified on its first words
NUM_PERM = 64
LSH_THRESHOLD = 0.3
MIN_CONTAINMENT = 0.75
MIN_VERIFY_SHINGLES = 4  # shorter texts only merge as exact copies
MAX_VARIANTS_CHECKED = 5
MAX_VARIANTS_RANKED = 30  # beyond this many variants, votes alone rank them (closeness is quadratic)
CLOSENESS_VOTE = 0.8  # how much being the variant the others reword counts, against one page's vote
FRAGMENT_PENALTY = 0.5  # share of all votes a variant ending on a function word loses
EXACT_MIN_WORDS = 8
OPENING_WORDS = 8  # texts opening with this many equal words are always compared
LONE_LINE_MIN_WORDS = 12  # a text-less teaser this long may be a whole teaser on one short line: compare it  # texts this long are exact copies on their own; shorter ones with their headline
# how much a page's headline counts when a story's variants are put to the vote
HEADLINE_VOTE = {"line": 1.0, "repeat": 1.0, "split": 0.7, "": 0.0}
ARTICLE_VOTE = 100.0  # the story's own article page decides
VARIANT_VOTE = 0.3  # a headline line that the paragraph under it repeated in other words

_DATELINE = re.compile(
    r"^\s*(?:[A-Z][A-Z.'\-]+(?:[ ,]+[A-Z][A-Za-z.'\-]+){0,3},? ?(?:\([^)]{1,30}\))?|\([^)]{1,30}\)|[A-Z][\w.]+)\s*(?:-{1,2}|–|—)\s+")
_INNER_DATELINE = re.compile(  # "... NEW YORK (Reuters) - ..." after a headline that ran into the text
    r"(?:\b[A-Z][A-Z.'\-]+(?:[ ,]+[A-Z][A-Za-z.'\-]+){0,3},? )?\((?:Reuters|AP|AFP|[A-Z][\w. ]{1,25})\) ?(?:-{1,2}|–|—)\s+"
    r"|\b[A-Z]{2,}(?: [A-Z]{2,}){0,2},?(?: [A-Z][a-z.]+)? (?:--|–|—) ")
_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|…|\[\.\.\.\])\s*$")
_NUMBER = re.compile(r"\d")


def comparable_words(text: str) -> list[str]:
    """A text's folded words without a leading dateline or a trailing ellipsis."""
    text = " ".join(first_words(text, COMPARE_MAX_WORDS))
    text = _ELLIPSIS.sub("", _DATELINE.sub("", text, count=1))
    return fold_words(_INNER_DATELINE.sub(" ", text, count=1))


def shingles(words: list[str]) -> set[int]:
    """Hashed word n-grams."""
    if len(words) < SHINGLE:
        return {zlib.crc32(" ".join(words).encode())} if words else set()
    return {zlib.crc32(" ".join(words[i:i + SHINGLE]).encode()) for i in range(len(words) - SHINGLE + 1)}


@dataclass
class _Draft:
    """A story while it is being merged."""

    key: str
    teasers: int = 0
    best: Teaser | None = None
    votes: Counter = field(default_factory=Counter)  # headline variant -> weighted votes
    pages: dict[str, None] = field(default_factory=dict)
    sites: dict[str, None] = field(default_factory=dict)
    captions: dict[str, None] = field(default_factory=dict)
    dates: set[str] = field(default_factory=set)
    shingles: set[int] = field(default_factory=set)
    numbers: set[str] = field(default_factory=set)


class Deduplicator:
    """Feed it teasers with `add`; `stories()` gives the merged stories."""

    def __init__(self) -> None:
        self.lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
        self.template = MinHash(num_perm=NUM_PERM)  # its permutations are drawn once, not per text
        self.drafts: list[_Draft] = []
        self.by_text: dict[bytes, int] = {}
        self.by_opening: dict[int, list[int]] = {}  # the first words of a story's text (not headline)
        self.headline_only: list[Teaser] = []
        self.teasers_seen = 0
        self.merged = 0

    def add(self, teaser: Teaser) -> None:
        """Merge one teaser into the story it belongs to, or start a new story."""
        self.teasers_seen += 1
        text = comparable_words(teaser.text)
        if not text and len(teaser.headline.split()) < LONE_LINE_MIN_WORDS:
            self.headline_only.append(teaser)
            return
        # Headline and text are compared as one run of words, so that where a page's
        # "headline lede" line was split does not matter.
        words = fold_words(teaser.headline) + text
        exact = text if len(text) >= EXACT_MIN_WORDS else words
        text_key = hashlib.blake2b(" ".join(exact).encode(), digest_size=12).digest()
        index = self.by_text.get(text_key)
        if index is None:
            window = words[:VERIFY_WORDS]
            own = shingles(window)
            numbers = {w for w in window if _NUMBER.search(w)}
            opening = zlib.crc32(" ".join(text[:OPENING_WORDS]).encode()) if len(text) >= OPENING_WORDS else None
            index = self._find(words, own, numbers, self.by_opening.get(opening, []))
            if index is None:
                index = self._new(teaser, words, own, numbers)
            if opening is not None and index not in self.by_opening.setdefault(opening, []):
                self.by_opening[opening].append(index)
            else:
                self._widen(self.drafts[index], own, numbers, words)
            self.by_text[text_key] = index
        self._join(self.drafts[index], teaser)

    def _find(self, words: list[str], own: set[int], numbers: set[str], same_opening: list[int]) -> int | None:
        """The story whose text contains this one (or is contained in it), if any: candidates come
        from MinHash LSH and from texts that open with the same words."""
        if len(own) < MIN_VERIFY_SHINGLES:
            return None
        best, best_score = None, MIN_CONTAINMENT
        for index in sorted(set(self.lsh.query(_minhash(words, self.template))) | set(same_opening)):
            draft = self.drafts[index]
            small, large = (own, draft.shingles) if len(own) <= len(draft.shingles) else (draft.shingles, own)
            score = len(small & large) / len(small)
            few, many = (numbers, draft.numbers) if len(own) <= len(draft.shingles) else (draft.numbers, numbers)
            if score >= best_score and few <= many:
                best, best_score = index, score
        return best

    def _new(self, teaser: Teaser, words: list[str], own: set[int], numbers: set[str]) -> int:
        index = len(self.drafts)
        self.drafts.append(_Draft(key=" ".join(words[:VERIFY_WORDS]), shingles=own, numbers=numbers))
        if len(own) >= MIN_VERIFY_SHINGLES:
            self.lsh.insert(index, _minhash(words, self.template))
        return index

    def _widen(self, draft: _Draft, own: set[int], numbers: set[str], words: list[str]) -> None:
        """Keep the longer version's shingles, so later copies compare against the fullest text."""
        if len(own) > len(draft.shingles):
            draft.shingles, draft.numbers = own, numbers

    def _join(self, draft: _Draft, teaser: Teaser) -> None:
        if draft.teasers:
            self.merged += 1
        draft.teasers += 1
        if draft.best is None or _completeness(teaser) > _completeness(draft.best):
            draft.best = teaser
        self._add_headlines(draft, teaser)
        draft.pages.setdefault(teaser.page)
        draft.sites.setdefault(teaser.site)
        if teaser.caption:
            draft.captions.setdefault(teaser.caption)
        if teaser.date:
            draft.dates.add(teaser.date)

    def _add_headlines(self, draft: _Draft, teaser: Teaser) -> None:
        vote = ARTICLE_VOTE if teaser.article else HEADLINE_VOTE.get(teaser.headline_from, 0.0)
        for n, headline in enumerate(teaser.headlines):
            draft.votes[headline] += vote if n == 0 else VARIANT_VOTE

    def stories(self) -> Iterator[Story]:
        """Every merged story, with stable ids, in the order first seen."""
        self._attach_headline_only()
        used: set[str] = set()
        for draft in self.drafts:
            yield _story(draft, used)

    def _attach_headline_only(self) -> None:
        """A teaser with no text joins the one story with its headline, else stands alone."""
        by_headline: dict[str, list[int]] = {}
        for index, draft in enumerate(self.drafts):
            for headline in draft.votes:
                by_headline.setdefault(" ".join(fold_words(headline)), []).append(index)
        for teaser in self.headline_only:
            key = " ".join(fold_words(teaser.headline))
            owners = set(by_headline.get(key, []))
            if len(owners) != 1:
                self.drafts.append(_Draft(key=key))
                by_headline[key] = [len(self.drafts) - 1]
                owners = {len(self.drafts) - 1}
            self._join(self.drafts[owners.pop()], teaser)
        self.headline_only = []


def _minhash(words: list[str], template: MinHash) -> MinHash:
    head = words[:LSH_WORDS]
    grams = [" ".join(head[i:i + SHINGLE]).encode() for i in range(max(1, len(head) - SHINGLE + 1))]
    mh = MinHash(num_perm=NUM_PERM, permutations=template.permutations, scheme=template.scheme)
    mh.update_batch(grams)
    return mh


def _completeness(teaser: Teaser) -> tuple:
    """Which version of a story to keep: its article page, then untruncated, then longest."""
    return (teaser.article, not teaser.truncated, len(teaser.text), bool(teaser.headline))


def _story(draft: _Draft, used: set[str]) -> Story:
    headlines = _ranked_headlines(draft.votes)
    best = draft.best
    story_id = _story_id(draft.key, used)
    return Story(id=story_id, headline=headlines[0] if headlines else "", headlines=headlines,
                 text=_without_headline(best.text, headlines) if best else "", caption=" ".join(draft.captions),
                 pages=list(draft.pages), sites=list(draft.sites),
                 date=min(draft.dates) if draft.dates else None)


def _ranked_headlines(votes: Counter) -> list[str]:
    """Headline variants, best first: by their votes, then by how close they are to the others
    (the variant the others are rewordings of); one ending on "to", "could", "the" is a fragment."""
    words = {h: fold_words(h) for h in votes}
    total = sum(votes.values())

    def rank(h: str) -> float:
        others = [(w, votes[o]) for o, w in words.items() if o != h]
        weight = sum(v for _, v in others)
        closeness = sum(v * SequenceMatcher(None, words[h], w, autojunk=False).ratio()
                        for w, v in others) / weight if weight else 0.0
        fragment = bool(words[h]) and words[h][-1] in FUNCTION_WORDS
        return votes[h] + CLOSENESS_VOTE * closeness - (FRAGMENT_PENALTY * total if fragment else 0.0)

    if len(votes) > MAX_VARIANTS_RANKED:
        return sorted(votes, key=lambda h: -votes[h])
    return sorted(votes, key=lambda h: -rank(h))  # stable: first seen wins ties


def _without_headline(text: str, headlines: list[str]) -> str:
    """The text without a copy of one of its headlines at its start (a page's repeat we missed)."""
    for headline in headlines[:MAX_VARIANTS_CHECKED]:
        k = repeated_prefix(headline, text)
        if k:
            return text.split(None, k)[-1] if len(text.split()) > k else text
    return text


def _story_id(key: str, used: set[str]) -> str:
    """A short id from the text the story was first seen with, so the same crawl gives the same ids."""
    base = hashlib.sha1(key.encode()).hexdigest()[:12]
    story_id, n = base, 1
    while story_id in used:
        n += 1
        story_id = f"{base}-{n}"
    used.add(story_id)
    return story_id

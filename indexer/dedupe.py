"""The same story on many pages becomes one record: exact copies, truncations, variants, datelines.

Teasers arrive one at a time. An exact copy of a text already seen (after
cleaning entity noise, datelines and ellipses) joins its story at once.
Otherwise candidate stories are those sharing an anchor with it: a run of
eight words among its first ones (headline and text taken as one run, so
that where a "headline lede" line was split does not matter). A candidate is
accepted only when the shorter text is contained in the longer one
(containment, not Jaccard: teasers are truncated) and every number of the
shorter one is in the longer (daily reports that differ only in their
figures stay apart). Teasers with no text join a story with the same
headline when exactly one has it. Each story keeps its most complete text,
every headline variant and every page it appears on.

Why anchors and not MinHash LSH (datasketch): LSH's band tables cost about
5.7 KB a story, 5 GB at a million teasers; anchors cost a few dictionary
entries a story and find every teaser that shares a run of 12 words with a
story's opening, which truncated teasers, datelines and headline variants all
do.
"""
from __future__ import annotations

import hashlib
import re
import tempfile
import zlib
from array import array
from collections import OrderedDict
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from operator import attrgetter
from typing import Iterator

from .address import article_key
from .headline import repeated_prefix
from .records import Story, Teaser
from .text import FUNCTION_WORDS, first_words, fold_words

SHINGLE = 3  # words per shingle
COMPARE_MAX_WORDS = 2000  # texts are compared (and found exactly equal) on their first words
INNER_DATELINE_WORDS = 40  # a headline that ran into the text, and its dateline, lie within these
ANCHOR_WORDS = 8  # an anchor is a run of this many words ...
ANCHOR_SPAN = 24  # ... a story is anchored within its first words ...
ANCHOR_STEP = 4  # ... every few words; a teaser looks up every offset
VERIFY_WORDS = 80  # candidates are verified on their first words
MIN_CONTAINMENT = 0.75
MIN_VERIFY_SHINGLES = 4  # shorter texts only merge as exact copies
MAX_VARIANTS_CHECKED = 5
MAX_VARIANTS_RANKED = 30  # beyond this many variants, votes alone rank them (closeness is quadratic)
CLOSENESS_VOTE = 0.8  # how much being the variant the others reword counts, against one page's vote
FRAGMENT_PENALTY = 0.5  # share of all votes a variant ending on a function word loses
EXACT_MIN_WORDS = 8  # texts this long are exact copies on their own; shorter ones with their headline
LONE_LINE_MIN_WORDS = 12  # a text-less teaser this long may be a whole teaser on one short line: compare it
# how much a page's headline counts when a story's variants are put to the vote
HEADLINE_VOTE = {"line": 1.0, "repeat": 1.0, "split": 0.7, "": 0.0}
ARTICLE_VOTE = 100.0  # the story's own article page decides
VARIANT_VOTE = 0.3  # a headline line that the paragraph under it repeated in other words
FINGERPRINTS_KEPT = 8192  # fingerprints a worker remembers (about 1.5 KB each): teasers recur over a crawl's pages

_DATELINE = re.compile(
    r"^\s*(?:[A-Z][A-Z.'\-]+(?:[ ,]+[A-Z][A-Za-z.'\-]+){0,3},? ?(?:\([^)]{1,30}\))?|\([^)]{1,30}\)|[A-Z][\w.]+)\s*(?:-{1,2}|–|—)\s+")
_INNER_DATELINE = re.compile(  # "... NEW YORK (Reuters) - ..." after a headline that ran into the text
    r"(?:\b[A-Z][A-Z.'\-]+(?:[ ,]+[A-Z][A-Za-z.'\-]+){0,3},? )?\((?:Reuters|AP|AFP|[A-Z][\w. ]{1,25})\) ?(?:-{1,2}|–|—)\s+"
    r"|\b[A-Z]{2,}(?: [A-Z]{2,}){0,2},?(?: [A-Z][a-z.]+)? (?:--|–|—) ")
ELLIPSES = ("[...]", "...", "…")
_NUMBER = re.compile(r"\d")
_NO_SHINGLES = array("I")


def comparable_words(text: str) -> list[str]:
    """A text's folded words without a leading dateline, one after a headline that ran into the
    text, or a trailing ellipsis."""
    words = first_words(_DATELINE.sub("", text, count=1), COMPARE_MAX_WORDS)
    opening = " ".join(words[:INNER_DATELINE_WORDS])
    if "(" in opening and ")" in opening or "--" in opening or "–" in opening or "—" in opening:
        opening = _INNER_DATELINE.sub(" ", opening, count=1)  # (it has a dash, or a source in brackets)
    text = " ".join([opening, *words[INNER_DATELINE_WORDS:]]).rstrip()
    for ellipsis in ELLIPSES:
        if text.endswith(ellipsis):
            text = text[:-len(ellipsis)]
            break
    return fold_words(text)


def shingles(words: list[str]) -> set[int]:
    """Hashed word n-grams."""
    if len(words) < SHINGLE:
        return {zlib.crc32(" ".join(words).encode())} if words else set()
    crc32 = zlib.crc32  # (the runs of SHINGLE words as tuples from zip: no list sliced for each)
    return {crc32(" ".join(run).encode()) for run in zip(*(words[k:] for k in range(SHINGLE)))}


def _run_key(words: list[str]) -> int:
    return zlib.crc32(" ".join(words).encode())


@dataclass(slots=True)
class _Draft:
    """A story while it is being merged: kept small, a million of them may be alive at once."""

    base_id: str
    shingles: array = field(default_factory=lambda: array("I"))  # sorted, of the fullest version seen
    numbers: frozenset = frozenset()
    teasers: int = 0
    best: tuple | None = None  # how complete the kept version is (`_completeness`) ...
    text_at: tuple = ()  # ... and where its text lies in the deduplicator's TextStore
    votes: dict = field(default_factory=dict)  # headline variant -> weighted votes
    pages: list = field(default_factory=list)
    page_dates: list = field(default_factory=list)  # the earliest date a teaser gave, per page
    sites: list = field(default_factory=list)
    captions: list = field(default_factory=list)
    kickers: dict | None = None  # kicker -> how many teasers printed it (None until one does)
    author: str = ""
    date: str | None = None
    lang: str | None = None  # what the first of its pages to declare a language declares
    url: str | None = None  # the article's address, from the first teaser that links to it
    page_urls: list = field(default_factory=list)  # each page's address ("" when unknown), as `pages`


@dataclass(slots=True, frozen=True)
class Fingerprint:
    """What the deduplicator compares of a teaser; computed apart from it (in a worker process)."""

    exact: bytes  # hash of the text (or, for a short one, headline and text): exact copies share it
    base_id: str  # the story id this teaser would give a story it starts
    shingles: array  # sorted hashed 3-word runs of its first words
    numbers: frozenset  # the numbers among those words: "3 dead" and "4 dead" are different reports
    probes: array  # anchors to look up: runs of words at every offset of its opening
    anchors: array  # anchors to file the story under when it starts or extends one

    def __reduce__(self):  # pickled as its fields in order, three times faster than dataclasses do
        return Fingerprint, _fingerprint_fields(self)


_fingerprint_fields = attrgetter(*Fingerprint.__slots__)  # a fingerprint's fields in order, as a tuple (read in C)


def fingerprint_of(teaser: Teaser) -> Fingerprint | None:
    """The teaser's fingerprint; None for a teaser with only a short headline (no text to compare)."""
    text = comparable_words(teaser.text)
    if not text and len(teaser.headline.split()) < LONE_LINE_MIN_WORDS:
        return None
    words = fold_words(teaser.headline) + text
    exact = text if len(text) >= EXACT_MIN_WORDS else words
    window = words[:VERIFY_WORDS]
    own = shingles(window)
    verifiable = len(own) >= MIN_VERIFY_SHINGLES
    runs = [_run_key(words[j:j + ANCHOR_WORDS])  # runs at every offset of its opening ...
            for j in range(0, max(1, min(len(words), ANCHOR_SPAN + ANCHOR_STEP) - ANCHOR_WORDS + 1))]
    anchors = set(runs[:max(1, min(len(words), ANCHOR_SPAN) - ANCHOR_WORDS + 1):ANCHOR_STEP])  # ... every few
    probes = set(runs)
    probes.add(_run_key(text[:ANCHOR_WORDS]))  # and its text's opening
    anchors.add(_run_key(text[:ANCHOR_WORDS]))
    return Fingerprint(exact=hashlib.blake2b(" ".join(exact).encode(), digest_size=12).digest(),
                       base_id=hashlib.sha1(" ".join(window).encode()).hexdigest()[:12],
                       shingles=array("I", sorted(own)),
                       numbers=frozenset(w for w in window if not w.isalpha() and _NUMBER.search(w)),
                       probes=array("I", sorted(probes) if verifiable else ()),
                       anchors=array("I", sorted(anchors) if verifiable else ()))


class Fingerprints:
    """`fingerprint_of`, remembered for the last FINGERPRINTS_KEPT headlines and texts it was asked
    for: a teaser printed on many pages is fingerprinted once (a fingerprint is never changed)."""

    def __init__(self, kept: int = FINGERPRINTS_KEPT) -> None:
        self.kept = kept
        self.known: OrderedDict[tuple[str, str], Fingerprint | None] = OrderedDict()

    def __call__(self, teaser: Teaser) -> Fingerprint | None:
        """The teaser's fingerprint (`fingerprint_of`): remembered, or computed and remembered."""
        key = (teaser.headline, teaser.text)
        if key in self.known:
            self.known.move_to_end(key)
            return self.known[key]
        fingerprint = self.known[key] = fingerprint_of(teaser)
        if len(self.known) > self.kept:
            self.known.popitem(last=False)
        return fingerprint


class Deduplicator:
    """Feed it teasers with `add`; `stories()` gives the merged stories."""

    def __init__(self) -> None:
        self.drafts: list[_Draft | None] = []
        self.by_text: dict[bytes, int] = {}
        self.by_url: dict[str, int] = {}  # article address (`address.article_key`) -> its story
        self.anchors: dict[int, int | list[int]] = {}  # run of words -> the story (or stories) opening with it
        self.headline_only: list[Teaser] = []
        self.texts = TextStore()
        self.finished = False  # `finish` has run: no teaser may be added any more
        self.teasers_seen = 0
        self.merged = 0

    def add(self, teaser: Teaser) -> None:
        """Merge one teaser into the story it belongs to, or start a new story."""
        self.add_fingerprinted(teaser, fingerprint_of(teaser))

    def add_fingerprinted(self, teaser: Teaser, fingerprint: Fingerprint | None) -> None:
        """`add`, with the teaser's fingerprint computed already (in a worker process). A teaser that
        links to an article joins the story of that article's address first; else (and for text
        pages) it is compared by its text."""
        self.teasers_seen += 1
        key = article_key(teaser.url) if teaser.url else None
        index = self.by_url.get(key) if key else None
        if index is None and fingerprint is None:  # a headline alone: decided once every text is in (`finish`)
            self.headline_only.append(teaser)
            return
        elif fingerprint is not None:
            if index is None:
                index = self.by_text.get(fingerprint.exact)
                if index is not None and not self._may_join(index, key):
                    index = None
                if index is None:
                    index = self._find(fingerprint, key)
                if index is None:
                    index = self._new_draft(fingerprint.base_id)
            draft = self.drafts[index]
            if len(fingerprint.shingles) > len(draft.shingles):  # compare later copies against the fullest text
                draft.shingles, draft.numbers = fingerprint.shingles, fingerprint.numbers
            for anchor in fingerprint.anchors:
                self._anchor(anchor, index)
            self.by_text.setdefault(fingerprint.exact, index)
        if key:
            self.by_url.setdefault(key, index)
            if self.drafts[index].url is None or teaser.article:  # the article's own address wins
                self.drafts[index].url = teaser.url
        self._join(self.drafts[index], teaser)

    def _new_draft(self, base_id: str) -> int:
        self.drafts.append(_Draft(base_id=base_id))
        return len(self.drafts) - 1

    def _may_join(self, index: int, key: str | None) -> bool:
        """Whether a teaser linking to `key` may join a story by its text: not when the story is
        another article of the same site (two reports alike, e.g. daily figures, stay apart);
        the same report at another site's address (syndication) may."""
        theirs = self.drafts[index].url
        if key is None or theirs is None:
            return True
        other = article_key(theirs)
        return other == key or other.split("/", 1)[0] != key.split("/", 1)[0]

    def _anchor(self, key: int, index: int) -> None:
        held = self.anchors.get(key)
        if held is None:
            self.anchors[key] = index
        elif isinstance(held, int):
            if held != index:
                self.anchors[key] = [held, index]
        elif index not in held:
            held.append(index)

    def _find(self, fingerprint: Fingerprint, key: str | None = None) -> int | None:
        """The story whose text contains this one (or is contained in it), if any."""
        candidates: set[int] = set()
        for probe in fingerprint.probes:
            held = self.anchors.get(probe)
            if held is not None:
                candidates.update((held,) if isinstance(held, int) else held)
        own, numbers = set(fingerprint.shingles), fingerprint.numbers
        best, best_score = None, MIN_CONTAINMENT
        for index in sorted(candidates):
            draft = self.drafts[index]
            theirs = set(draft.shingles)
            small, large = (own, theirs) if len(own) <= len(theirs) else (theirs, own)
            few, many = (numbers, draft.numbers) if len(own) <= len(theirs) else (draft.numbers, numbers)
            score = len(small & large) / len(small)
            if score >= best_score and few <= many and self._may_join(index, key):
                best, best_score = index, score
        return best

    def _join(self, draft: _Draft, teaser: Teaser) -> None:
        if draft.teasers:
            self.merged += 1
        draft.teasers += 1
        completeness = _completeness(teaser)
        if draft.best is None or completeness > draft.best:
            draft.best, draft.text_at = completeness, self.texts.put(teaser.text)
        vote = ARTICLE_VOTE if teaser.article else HEADLINE_VOTE.get(teaser.headline_from, 0.0)
        for n, headline in enumerate(teaser.headlines):
            draft.votes[headline] = draft.votes.get(headline, 0.0) + (vote if n == 0 else VARIANT_VOTE)
        if teaser.page and teaser.page not in draft.pages:
            draft.pages.append(teaser.page)
            draft.page_dates.append(teaser.date)
            if teaser.page_url or draft.page_urls:
                draft.page_urls.extend([""] * (len(draft.pages) - 1 - len(draft.page_urls)))
                draft.page_urls.append(teaser.page_url or "")
        elif teaser.page and teaser.date:
            at = draft.pages.index(teaser.page)
            if draft.page_dates[at] is None or teaser.date < draft.page_dates[at]:
                draft.page_dates[at] = teaser.date
        for items, item in ((draft.sites, teaser.site), (draft.captions, teaser.caption)):
            if item and item not in items:
                items.append(item)
        if teaser.kicker:
            draft.kickers = draft.kickers or {}
            draft.kickers[teaser.kicker] = draft.kickers.get(teaser.kicker, 0) + 1
        if teaser.author and (teaser.article or not draft.author):
            draft.author = teaser.author
        if teaser.date and (draft.date is None or teaser.date < draft.date):
            draft.date = teaser.date
        if teaser.lang and draft.lang is None:
            draft.lang = teaser.lang

    def finish(self) -> None:
        """No more teasers: text-less ones join their stories, and the lookup tables are freed."""
        if self.finished:
            return
        if self.headline_only:  # else there is nothing to attach: spare folding every headline
            self._attach_headline_only()
        self.by_text, self.anchors, self.by_url = {}, {}, {}
        for draft in self.drafts:
            draft.shingles, draft.numbers = _NO_SHINGLES, frozenset()
        self.finished = True

    def stories(self) -> Iterator[Story]:
        """Every merged story, with stable ids, in the order first seen (each draft freed once given)."""
        self.finish()
        used: set[str] = set()
        for index, draft in enumerate(self.drafts):
            self.drafts[index] = None
            yield _story(draft, used, self.texts)
        self.texts.close()

    def _attach_headline_only(self) -> None:
        """A teaser with no text joins its article's story (one that had text), else the one story with
        its headline, else stands alone."""
        by_headline: dict[str, list[int]] = {}
        for index, draft in enumerate(self.drafts):
            for headline in draft.votes:
                by_headline.setdefault(" ".join(fold_words(headline)), []).append(index)
        for teaser in self.headline_only:
            key = " ".join(fold_words(teaser.headline))
            link = article_key(teaser.url) if teaser.url else None
            index = self.by_url.get(link) if link else None  # its article's story, once one had text
            if index is None:  # else the one story with its headline (not another article of its site)
                owners = set(by_headline.get(key, []))
                if len(owners) == 1 and self._may_join(min(owners), link):
                    index = owners.pop()
            if index is None:
                index = self._new_draft(hashlib.sha1((link or key).encode()).hexdigest()[:12])
                by_headline[key] = [index]
            if link:
                self.by_url.setdefault(link, index)
                if self.drafts[index].url is None:
                    self.drafts[index].url = teaser.url
            self._join(self.drafts[index], teaser)
        self.headline_only = []


def _completeness(teaser: Teaser) -> tuple:
    """Which version of a story to keep: its article page, then untruncated, then longest."""
    return (teaser.article, not teaser.truncated, len(teaser.text), bool(teaser.headline))


def _story(draft: _Draft, used: set[str], texts: "TextStore") -> Story:
    headlines = _ranked_headlines(draft.votes)
    story_id = _story_id(draft.base_id, used)
    text = texts.get(draft.text_at) if draft.best is not None else ""
    return Story(id=story_id, headline=headlines[0] if headlines else "", headlines=headlines,
                 text=_without_headline(text, headlines), caption=" ".join(draft.captions),
                 pages=draft.pages, sites=draft.sites, date=draft.date, page_dates=draft.page_dates,
                 declared_language=draft.lang, url=draft.url, author=draft.author,
                 kicker=_kicker(draft.kickers, headlines[0] if headlines else ""),
                 page_urls=draft.page_urls + [""] * (len(draft.pages) - len(draft.page_urls)) if draft.page_urls else [])


def _kicker(kickers: dict | None, headline: str) -> str:
    """The kicker the story's pages print most (the first seen among equals), unless its headline
    already opens with it ("Kicker: Headline", the form one of its pages printed)."""
    if not kickers:
        return ""
    kicker = max(kickers, key=kickers.get)
    return "" if fold_words(headline)[:len(fold_words(kicker))] == fold_words(kicker) else kicker


class TextStore:
    """The kept text of every story, in a temporary file while they merge: at a million teasers the
    texts are half of what the merging holds, and are read only once, when the stories are given."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile()
        self.end = 0

    def put(self, text: str) -> tuple[int, int]:
        data = text.encode("utf-8", "surrogatepass")
        self.file.write(data)
        self.end += len(data)
        return self.end - len(data), len(data)

    def get(self, where: tuple[int, int]) -> str:
        self.file.seek(where[0])
        return self.file.read(where[1]).decode("utf-8", "surrogatepass")

    def close(self) -> None:
        self.file.close()


def _ranked_headlines(votes: dict[str, float]) -> list[str]:
    """Headline variants, best first: by their votes, then by how close they are to the others
    (the variant the others are rewordings of); one ending on "to", "could", "the" is a fragment."""
    if len(votes) > MAX_VARIANTS_RANKED:
        return sorted(votes, key=lambda h: -votes[h])
    words = {h: fold_words(h) for h in votes}
    total = sum(votes.values())
    similar: dict[tuple[str, str], float] = {}  # each pair compared once (the ratio taken as symmetric)
    variants = list(votes)
    for n, a in enumerate(variants):
        for b in variants[n + 1:]:
            similar[a, b] = similar[b, a] = SequenceMatcher(None, words[a], words[b], autojunk=False).ratio()

    def rank(h: str) -> float:
        weight = total - votes[h]
        closeness = sum(votes[o] * similar[h, o] for o in votes if o != h) / weight if weight else 0.0
        fragment = bool(words[h]) and words[h][-1] in FUNCTION_WORDS
        return votes[h] + CLOSENESS_VOTE * closeness - (FRAGMENT_PENALTY * total if fragment else 0.0)

    return sorted(votes, key=lambda h: -rank(h))  # stable: first seen wins ties


def _without_headline(text: str, headlines: list[str]) -> str:
    """The text without a copy of one of its headlines at its start (a page's repeat we missed)."""
    for headline in headlines[:MAX_VARIANTS_CHECKED]:
        k = repeated_prefix(headline, text)
        if k:
            return text.split(None, k)[-1] if len(text.split()) > k else text
    return text


def _story_id(base: str, used: set[str]) -> str:
    """The id drawn from the text the story was first seen with (the same crawl gives the same ids),
    made unique."""
    story_id, n = base, 1
    while story_id in used:
        n += 1
        story_id = f"{base}-{n}"
    used.add(story_id)
    return story_id

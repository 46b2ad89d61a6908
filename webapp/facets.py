"""Facets, the date filter and the timeline: every story a query matches, counted in bulk.

The stories a query matches come out of Whoosh as one numpy array of document numbers
(`matching_docs`: a word's posting blocks are read as arrays, AND, OR and NOT are set operations
over them); the generation's columns (`indexer/columns.py`) then give every match's key (its
combination of sites and language) and day slot, and `count` narrows the matches to the filters
and tallies them by key (each facet's counts) and by day (the timeline). No stored field is read
for any of it.

With search.py and highlight.py, the only webapp code that imports Whoosh.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher

from indexer.columns import NO_DAY, NO_SLOT, Columns, Facet

FACET_NAMES = ("site", "language")  # facets a request may name (a generation may lack "language")
FACET_TOP = 10  # values of each facet shown before "more" on the page
FACET_MAX = 100  # values of each facet returned at most (the commonest)
DAY_BUCKETS_UP_TO = 62  # a span of this many days or fewer is drawn a bar a day ...
WEEK_BUCKETS_UP_TO = 60  # ... of this many weeks or fewer a bar a week, else a bar a month
# Tallying the matches' day slots zeroes a counter for every possible one (np.bincount), unless the
# matches are fewer than 1 in this many of those: then sorting them (np.unique) is cheaper.
TALLY_SORT_BELOW = 16
EMPTY = np.empty(0, dtype=np.int64)
# `date:2025-03-01..2025-03-31`, `date:2025-03-01..`, `date:..2025-03-31`, `date:2025-03-01`
_DATE_TERM = re.compile(r"(?<![\w:.-])date:(\S*)")


class FilterError(ValueError):
    """A filter parameter cannot be read; the message says what to change (HTTP 400)."""


@dataclass(slots=True, frozen=True)
class Filters:
    """What a search is narrowed to, beside its query: a site, a language, a span of days."""

    site: str | None = None
    language: str | None = None
    first: date | None = None  # the first day included
    last: date | None = None  # the last day included

    @property
    def dated(self) -> bool:
        return self.first is not None or self.last is not None

    @property
    def any(self) -> bool:
        return bool(self.site or self.language or self.dated)


# ---------------------------------------------------------------- reading filters

def parse_day(value: str | None, name: str) -> date | None:
    """A YYYY-MM-DD parameter as a date (None when empty), or FilterError naming the parameter."""
    value = (value or "").strip()
    if not value:
        return None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise FilterError(f"{name} must be a date written YYYY-MM-DD, not {value!r}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise FilterError(f"{name} is not a real date: {value!r}") from None


def take_date_terms(q: str) -> tuple[str, date | None, date | None]:
    """The query without its `date:` terms, and the span they ask for (None for an open end)."""
    first = last = None
    for match in _DATE_TERM.finditer(q):
        value = match.group(1)
        start, dots, end = value.partition("..")
        a = parse_day(start, f"the start of date:{value}") if start else None
        b = parse_day(end, f"the end of date:{value}") if end else (None if dots else a)
        if a is None and b is None:
            raise FilterError(f"date:{value} has no date: write date:YYYY-MM-DD..YYYY-MM-DD "
                              "(either end may be left out)")
        first = a if first is None or a is not None and a > first else first
        last = b if last is None or b is not None and b < last else last
    return _DATE_TERM.sub(" ", q).strip(), first, last


def make_filters(q: str, site: str | None, language: str | None, first: str | None,
                 last: str | None) -> tuple[str, Filters]:
    """The query left to parse and every filter of a request (`from`/`to` and the query's
    `date:` terms together), or FilterError."""
    q, q_first, q_last = take_date_terms(q)
    a, b = parse_day(first, "from"), parse_day(last, "to")
    a = max(x for x in (a, q_first) if x) if a or q_first else None
    b = min(x for x in (b, q_last) if x) if b or q_last else None
    if a and b and a > b:
        raise FilterError(f"from ({a.isoformat()}) is after to ({b.isoformat()}): "
                          "swap them, or leave one out")
    return q, Filters(site=(site or "").strip().lower() or None,
                      language=(language or "").strip().lower() or None, first=a, last=b)


def check_facet_names(names: list[str]) -> list[str]:
    """The facets a request asks for, or FilterError for a name Lede does not count by."""
    for name in names:
        if name not in FACET_NAMES:
            raise FilterError(f"unknown facet {name!r}: facets are {', '.join(FACET_NAMES)}")
    return names


# ---------------------------------------------------------------- matching documents

def matching_docs(searcher, q) -> np.ndarray:
    """The sorted document numbers of every story a parsed query matches, as one numpy array."""
    parts = [_segment_docs(sub, q) + offset for sub, offset in searcher.leaf_searchers()]
    return np.concatenate(parts) if parts else EMPTY


def _segment_docs(searcher, q) -> np.ndarray:
    """The matches of q in one segment: words from their posting blocks, AND/OR/NOT as set
    operations, anything else (phrases) through Whoosh's own matcher."""
    if isinstance(q, wq.Term):
        return _term_docs(searcher.reader(), q.fieldname, q.text)
    size = searcher.reader().doc_count_all()
    if isinstance(q, wq.Or):
        return _union([_segment_docs(searcher, c) for c in q.subqueries], size)
    if isinstance(q, wq.And):
        keep = [c for c in q.subqueries if not isinstance(c, wq.Not)]
        drop = [c.query for c in q.subqueries if isinstance(c, wq.Not)]
        if keep:
            docs = _segment_docs(searcher, keep[0])
            for child in keep[1:]:
                docs = _intersect(docs, _segment_docs(searcher, child), size)
            if drop:
                docs = _minus(docs, _union([_segment_docs(searcher, c) for c in drop], size), size)
            return docs
    if isinstance(q, wq.AndNot):
        return _minus(_segment_docs(searcher, q.a), _segment_docs(searcher, q.b), size)
    return np.fromiter(q.docs(searcher), dtype=np.int64)


# Set operations on sorted document numbers through a mask of the segment's documents: linear in
# the lists, where numpy's union1d/intersect1d sort their inputs again.

def _union(parts: list[np.ndarray], size: int) -> np.ndarray:
    if len(parts) == 1:
        return parts[0]
    mask = np.zeros(size, dtype=bool)
    for part in parts:
        mask[part] = True
    return np.flatnonzero(mask)


def _intersect(a: np.ndarray, b: np.ndarray, size: int) -> np.ndarray:
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    mask = np.zeros(size, dtype=bool)
    mask[large] = True
    return small[mask[small]]


def _minus(a: np.ndarray, b: np.ndarray, size: int) -> np.ndarray:
    mask = np.zeros(size, dtype=bool)
    mask[b] = True
    return a[~mask[a]]


def _term_docs(reader, fieldname: str, text) -> np.ndarray:
    """One word's documents in a segment, read a posting block at a time, less deleted ones."""
    if (fieldname, text) not in reader:
        return EMPTY
    matcher = reader.postings(fieldname, text)
    deleted = None
    if not isinstance(matcher, W3LeafMatcher):  # a segment with deletions wraps it in a filter
        deleted, matcher = reader.deleted_docs_set, getattr(matcher, "child", matcher)
    if not isinstance(matcher, W3LeafMatcher):
        return np.fromiter(reader.postings(fieldname, text).all_ids(), dtype=np.int64)
    blocks = []
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        blocks.append(np.asarray(matcher._ids[matcher._i:matcher._blocklength], dtype=np.int64))
        matcher._next_block()
    docs = np.concatenate(blocks) if blocks else EMPTY
    if deleted:
        docs = docs[~np.isin(docs, np.fromiter(deleted, dtype=np.int64))]
    return docs


# ---------------------------------------------------------------- narrowing and counting

@dataclass(slots=True)
class Counts:
    """The matches a query's filters leave, counted by facet and over time."""

    docs: np.ndarray  # the matches the filters leave (sorted document numbers)
    keep: np.ndarray | None  # which of the matches given those are (None: all, no filter)
    undated: int  # matches without a date, before the date filter
    facets: dict[str, list[dict]] | None  # the facets asked for (None when none were)
    timeline: list[dict] | None  # None when not asked for


def count(docs: np.ndarray, columns: Columns, filters: Filters = Filters(),
          facets: tuple | list = FACET_NAMES, timeline: bool = True) -> Counts:
    """The matches (sorted document numbers) narrowed by the filters, and counted by each facet in
    `facets` and over time: each match's day slot and key read once, tallied once."""
    slots = columns.days[docs]
    keys = columns.keys[docs] if facets or filters.site or filters.language else None
    keep = None
    for name, value in (("site", filters.site), ("language", filters.language)):
        if value:
            holds = _keys_holding(columns, name, value)[keys]
            keep = holds if keep is None else keep & holds
    present, per_slot = _tally(slots if keep is None else slots[keep], columns.slots)
    undated = int(per_slot[0]) if len(present) and present[0] == NO_SLOT else 0
    low, high = 1, columns.slots - 1  # the slots the date filter leaves (every dated one without one)
    if filters.dated:
        low = max(low, columns.slot(filters.first)) if filters.first else low
        high = min(high, columns.slot(filters.last)) if filters.last else high
        in_span = (slots >= low) & (slots <= high)
        keep = in_span if keep is None else keep & in_span
    counted = None
    if facets:  # (keys are combinations of values that stories have: far fewer than stories)
        per_key = np.bincount(keys if keep is None else keys[keep], minlength=columns.key_count)
        counted = {name: _value_counts(columns.facets[name], per_key) for name in facets if name in columns.facets}
    spans = None
    if timeline:
        dated = (present >= low) & (present <= high)
        spans = _buckets(present[dated].astype(np.int64) + (columns.first_day - 1), per_slot[dated])
    return Counts(docs=docs if keep is None else docs[keep], keep=keep, undated=undated, facets=counted,
                  timeline=spans)


def _tally(values: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values (ascending) of an array of integers in 0..size-1, and how often each is
    there: by a counter per possible value, or by sorting when the values are few against `size`
    (fewer than one in TALLY_SORT_BELOW: zeroing and scanning every counter would cost more)."""
    if len(values) * TALLY_SORT_BELOW < size:
        return np.unique(values, return_counts=True)
    counts = np.bincount(values)
    present = np.flatnonzero(counts)
    return present, counts[present]


def _keys_holding(columns: Columns, name: str, value: str) -> np.ndarray:
    """For each key, whether its values of facet `name` hold `value` (all False when no story has it)."""
    holds = np.zeros(columns.key_count, dtype=bool)
    facet = columns.facets.get(name)
    code = facet.code(value) if facet is not None else None
    if code is not None:
        holds[facet.owner[facet.codes == code]] = True
    return holds


def _value_counts(facet: Facet, per_key: np.ndarray, limit: int = FACET_MAX) -> list[dict]:
    """The commonest values of a facet, from how many matches have each key (a story on several
    sites counts under each); ties in value order."""
    counts = np.bincount(facet.codes, weights=per_key[facet.owner],
                         minlength=len(facet.values)).astype(np.int64)  # (sums of counts: exact)
    found = np.flatnonzero(counts)
    order = sorted(zip((-counts[found]).tolist(), [facet.values[c] for c in found.tolist()]))[:limit]
    return [{"value": value, "count": -minus} for minus, value in order]


def _buckets(days: np.ndarray, per_day: np.ndarray) -> list[dict]:
    """Distinct day numbers (ascending) and the matches on each, counted per day, ISO week (from
    Monday) or month, whichever fits their span: every bucket from the first day's to the last's,
    `start` included, `end` excluded."""
    if not len(days):
        return []
    first, last = int(days[0]), int(days[-1])
    if last - first < DAY_BUCKETS_UP_TO:
        bucket = days - first
        starts = np.arange(first, last + 2).astype("datetime64[D]")
    else:
        weeks = (days + 3) // 7  # day -3 (1969-12-29) was a Monday
        low, high = int(weeks[0]), int(weeks[-1])
        if high - low < WEEK_BUCKETS_UP_TO:
            bucket = weeks - low
            starts = (np.arange(low, high + 2) * 7 - 3).astype("datetime64[D]")
        else:
            months = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
            low, high = int(months[0]), int(months[-1])
            bucket = months - low
            starts = np.arange(low, high + 2).astype("datetime64[M]").astype("datetime64[D]")
    counts = np.bincount(bucket, weights=per_day).astype(np.int64).tolist()  # (sums of counts: exact)
    edges = np.datetime_as_string(starts).tolist()  # every bucket's start, and the last one's end
    return [{"start": edges[n], "end": edges[n + 1], "count": c} for n, c in enumerate(counts)]


def last_day(bucket: dict) -> str:
    """The last day a bucket includes (its end is excluded), for a `to` filter."""
    return (date.fromisoformat(bucket["end"]) - timedelta(days=1)).isoformat()

"""Facets, the date filter and the timeline: every story a query matches, counted in bulk.

The stories a query matches come out of Whoosh as one numpy array of document numbers
(`matching_docs`: a word's posting blocks are read as arrays, AND, OR and NOT are set operations
over them); the generation's columns (`indexer/columns.py`) then give every match's sites,
language and day, and numpy counts them (`facet_counts`, `timeline`) and narrows them to the
filters (`narrow`). No stored field is read for any of it.

With search.py and highlight.py, the only webapp code that imports Whoosh.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher

from indexer.columns import NO_DAY, Columns

FACET_NAMES = ("site", "language")  # facets a request may name (a generation may lack "language")
FACET_TOP = 10  # values of each facet shown before "more" on the page
FACET_MAX = 100  # values of each facet returned at most (the commonest)
DAY_BUCKETS_UP_TO = 62  # a span of this many days or fewer is drawn a bar a day ...
WEEK_BUCKETS_UP_TO = 60  # ... of this many weeks or fewer a bar a week, else a bar a month
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

def narrow(docs: np.ndarray, columns: Columns, filters: Filters) -> tuple[np.ndarray, int]:
    """The matches left by the filters, and how many of those before the date filter have no date."""
    for name, value in (("site", filters.site), ("language", filters.language)):
        if value:
            docs = docs[_has_value(docs, columns, name, value)]
    days = np.asarray(columns.days[docs])
    undated = int(np.count_nonzero(days == NO_DAY))
    if filters.dated:
        low = _day(filters.first) if filters.first else NO_DAY + 1
        high = _day(filters.last) if filters.last else np.iinfo(np.int32).max
        docs = docs[(days >= low) & (days <= high)]
    return docs, undated


def _day(day: date) -> int:
    return (day - date(1970, 1, 1)).days


def _has_value(docs: np.ndarray, columns: Columns, name: str, value: str) -> np.ndarray:
    """For each document, whether the facet `name` holds `value` (all False when no story has it)."""
    facet = columns.facets.get(name)
    code = facet.code(value) if facet is not None else None
    if code is None:
        return np.zeros(len(docs), dtype=bool)
    if facet.single:
        return np.asarray(facet.codes[docs]) == code
    starts, ends = np.asarray(facet.starts[docs]), np.asarray(facet.starts[docs + 1])
    hit = np.asarray(facet.codes) == code  # which entries are this value, then which docs own one
    before = np.concatenate(([0], np.cumsum(hit, dtype=np.int64)))
    return before[ends] > before[starts]


def facet_counts(docs: np.ndarray, columns: Columns, name: str, limit: int = FACET_MAX) -> list[dict]:
    """The commonest values of a facet among the documents, with how many hold each (a story on
    several sites counts under each); ties in value order."""
    facet = columns.facets.get(name)
    if facet is None or not len(docs):
        return []
    if facet.single:
        codes = np.asarray(facet.codes[docs])
    else:
        starts, ends = np.asarray(facet.starts[docs]), np.asarray(facet.starts[docs + 1])
        lengths = ends - starts
        # every entry of every document: its row's start, plus its place in the row
        row_start = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
        codes = np.asarray(facet.codes[row_start + np.arange(int(lengths.sum()))])
    counts = np.bincount(codes, minlength=len(facet.values))
    found = np.flatnonzero(counts)
    order = sorted(found.tolist(), key=lambda c: (-int(counts[c]), facet.values[c]))[:limit]
    return [{"value": facet.values[c], "count": int(counts[c])} for c in order]


def timeline(docs: np.ndarray, columns: Columns) -> list[dict]:
    """The documents counted per day, ISO week (from Monday) or month, whichever fits their span:
    every bucket from the first match's to the last's, `start` included, `end` excluded."""
    days = np.asarray(columns.days[docs])
    days = days[days != NO_DAY].astype(np.int64)
    if not len(days):
        return []
    first, last = int(days.min()), int(days.max())
    if last - first < DAY_BUCKETS_UP_TO:
        counts = np.bincount(days - first)
        starts = np.arange(first, first + len(counts) + 1).astype("datetime64[D]")
    else:
        weeks = (days + 3) // 7  # day -3 (1969-12-29) was a Monday
        low = int(weeks.min())
        if int(weeks.max()) - low < WEEK_BUCKETS_UP_TO:
            counts = np.bincount(weeks - low)
            starts = (np.arange(low, low + len(counts) + 1) * 7 - 3).astype("datetime64[D]")
        else:
            months = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
            low = int(months.min())
            counts = np.bincount(months - low)
            starts = np.arange(low, low + len(counts) + 1).astype("datetime64[M]").astype("datetime64[D]")
    edges = np.datetime_as_string(starts).tolist()  # every bucket's start, and the last one's end
    return [{"start": edges[n], "end": edges[n + 1], "count": c} for n, c in enumerate(counts.tolist())]


def last_day(bucket: dict) -> str:
    """The last day a bucket includes (its end is excluded), for a `to` filter."""
    return (date.fromisoformat(bucket["end"]) - timedelta(days=1)).isoformat()

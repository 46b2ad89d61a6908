"""Per-story columns kept beside each index generation: the sites (and languages) and the date of
every Whoosh document, in arrays a searcher memory-maps to count facets and a timeline in bulk.

Written after the Whoosh writer commits, from the committed index itself: the sortable `site`,
`date` (and, when the schema has one, `language`) fields keep a value per document number,
whatever segments the writer processes made and whatever an update deleted, so position `n` of
every array is Whoosh's document `n`. A deleted document has no values and no date (it never
matches a query anyway).

Layout in a generation (numpy's .npy, read with ``mmap_mode="r"``)::

    columns.json              documents, and each facet's values (code -> name)
    col-date.npy              int32 day number (days since 1970-01-01) per document; NO_DAY when none
    col-<facet>-starts.npy    int64, documents + 1: document n's codes are codes[starts[n]:starts[n+1]]
    col-<facet>-codes.npy     int32 codes into the facet's values

A facet of one value per story (a language) has the same layout, with one code per document.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

COLUMNS_META = "columns.json"
DATE_COLUMN = "col-date.npy"
NO_DAY = np.iinfo(np.int32).min  # a story without a date
EPOCH = date(1970, 1, 1).toordinal()
FACETS = ("site", "language")  # what a story may be counted by; a generation may lack any of them
FIELDS = {"site": "site", "language": "lang", "date": "date"}  # the sortable schema field each is read from
COLUMNS_VERSION = 1


class ColumnsMissing(Exception):
    """The generation has no columns, or columns that do not fit its index."""


def day_number(iso: str | None) -> int:
    """An ISO date "YYYY-MM-DD" as days since 1970-01-01; NO_DAY for none or an unreadable one."""
    if not iso:
        return int(NO_DAY)
    try:
        return date.fromisoformat(iso[:10]).toordinal() - EPOCH
    except ValueError:
        return int(NO_DAY)


def day_date(day: int) -> date:
    """A day number back as a date."""
    return date.fromordinal(int(day) + EPOCH)


@dataclass
class Facet:
    """One facet's column: the codes of every document, and the names the codes stand for."""

    values: list[str]
    starts: np.ndarray
    codes: np.ndarray
    single: bool = False  # exactly one code per document: codes[n] is document n's
    lookup: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self):
        self.lookup = {v: n for n, v in enumerate(self.values)}

    def code(self, value: str) -> int | None:
        """The code of a value, or None when no story has it."""
        return self.lookup.get(value)


@dataclass(slots=True)
class Columns:
    """Every column of one generation, memory-mapped."""

    documents: int
    days: np.ndarray
    facets: dict[str, Facet] = field(default_factory=dict)


def write_columns(gen: Path, ix) -> None:
    """Write the columns of a committed index from its sortable site, date and language fields."""
    with ix.reader() as reader:
        total = reader.doc_count_all()
        live = np.zeros(total, dtype=bool)
        live[np.fromiter(reader.all_doc_ids(), dtype=np.int64)] = True
        values = {name: _column(reader, FIELDS[name], total) for name in FACETS + ("date",)
                  if FIELDS[name] in ix.schema and ix.schema[FIELDS[name]].column_type is not None}
    days = np.full(total, NO_DAY, dtype=np.int32)
    for n, value in enumerate(values.get("date", [])):
        if live[n]:
            days[n] = day_number(value)
    np.save(gen / DATE_COLUMN, days)
    meta = {"version": COLUMNS_VERSION, "documents": total, "facets": {}}
    for name in FACETS:
        if name not in values:
            continue
        lookup: dict[str, int] = {}
        rows = [[lookup.setdefault(v, len(lookup)) for v in value.lower().split(",") if v] if live[n] else []
                for n, value in enumerate(values[name])]
        if not lookup:  # no story has a value: no facet
            continue
        lengths = np.fromiter((len(r) for r in rows), dtype=np.int64, count=total)
        starts = np.zeros(total + 1, dtype=np.int64)
        np.cumsum(lengths, out=starts[1:])
        codes = np.fromiter((c for r in rows for c in r), dtype=np.int32, count=int(starts[-1]))
        np.save(gen / f"col-{name}-starts.npy", starts)
        np.save(gen / f"col-{name}-codes.npy", codes)
        meta["facets"][name] = {"values": list(lookup), "single": bool((lengths == 1).all())}
    (gen / COLUMNS_META).write_text(json.dumps(meta, ensure_ascii=False))


def _column(reader, name: str, total: int) -> list[str]:
    """A sortable text field's value for every document number ("" for none)."""
    if not total:
        return []
    return [v.decode("utf-8") if isinstance(v, bytes) else (v or "") for v in reader.column_reader(name)]


def read_columns(gen: Path, documents: int) -> Columns:
    """The columns of a generation, memory-mapped; ColumnsMissing when absent or not for `documents`."""
    try:
        meta = json.loads((gen / COLUMNS_META).read_text(encoding="utf-8"))
        if meta.get("version") != COLUMNS_VERSION or meta.get("documents") != documents:
            raise ColumnsMissing(f"the columns in {gen} do not fit its index")
        days = np.load(gen / DATE_COLUMN, mmap_mode="r")
        facets = {}
        for name, info in meta["facets"].items():
            facets[name] = Facet(values=info["values"], single=info["single"],
                                 starts=np.load(gen / f"col-{name}-starts.npy", mmap_mode="r"),
                                 codes=np.load(gen / f"col-{name}-codes.npy", mmap_mode="r"))
    except (OSError, ValueError, KeyError) as exc:
        raise ColumnsMissing(f"the columns in {gen} are missing or damaged ({exc})") from None
    if len(days) != documents:
        raise ColumnsMissing(f"the columns in {gen} do not fit its index")
    return Columns(documents=documents, days=days, facets=facets)

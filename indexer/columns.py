"""Per-story columns kept beside each index generation: the sites (and languages) and the date of
every Whoosh document, in arrays a searcher memory-maps to count facets and a timeline in bulk.

Written after the Whoosh writer commits, from the committed index itself: the sortable `site`,
`date` (and, when the schema has one, `language`) fields keep a value per document number,
whatever segments the writer processes made and whatever an update deleted, so position `n` of
every array is Whoosh's document `n`. A deleted document has no values and no date (it never
matches a query anyway).

Counting the matches of a query then takes two gathers and two tallies, however many sites a story
is on: every document has a *key*, one per distinct combination of facet values (`{dailyherald,
worldwire}` in English is one key), and a *day slot*, its day counted from the index's first day
(0 for no date). A query's matches are tallied by key and by slot; a small table gives each key's
values, so each facet's counts are the key counts spread over the keys' values.

Layout in a generation (numpy's .npy, read with ``mmap_mode="r"``)::

    columns.json              documents, keys, first day and slots, each facet's values (code -> name)
    col-day.npy               int32 per document: its day slot, 0 without a date, else day - first day + 1
    col-key.npy               int32 per document: its key
    col-<facet>-starts.npy    int64, keys + 1: key k's codes are codes[starts[k]:starts[k+1]]
    col-<facet>-codes.npy     int32 codes into the facet's values
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

COLUMNS_META = "columns.json"
DAY_COLUMN = "col-day.npy"
KEY_COLUMN = "col-key.npy"
NO_DAY = np.iinfo(np.int32).min  # a story without a date
NO_SLOT = 0  # the day slot of a story without a date
EPOCH = date(1970, 1, 1).toordinal()
FACETS = ("site", "language")  # what a story may be counted by; a generation may lack any of them
FIELDS = {"site": "site", "language": "lang", "date": "date"}  # the sortable schema field each is read from
COLUMNS_VERSION = 2  # 2: a key per document (its combination of facet values) and day slots


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
    """One facet's table: the codes of each key's values, and the names the codes stand for."""

    values: list[str]
    starts: np.ndarray  # int64, keys + 1
    codes: np.ndarray  # int32
    lookup: dict[str, int] = field(init=False, repr=False)
    owner: np.ndarray = field(init=False, repr=False)  # the key of each entry of codes

    def __post_init__(self):
        self.lookup = {v: n for n, v in enumerate(self.values)}
        self.owner = np.repeat(np.arange(len(self.starts) - 1), np.diff(self.starts))

    def code(self, value: str) -> int | None:
        """The code of a value, or None when no story has it."""
        return self.lookup.get(value)


@dataclass(slots=True)
class Columns:
    """Every column of one generation (plain arrays over the memory maps, or in memory)."""

    documents: int
    days: np.ndarray  # int32 day slot per document
    keys: np.ndarray  # int32 key per document
    first_day: int  # the day number of slot 1
    slots: int  # day slots in use, NO_SLOT included (every value of `days` is below it)
    key_count: int  # keys in use (every value of `keys` is below it)
    facets: dict[str, Facet] = field(default_factory=dict)

    def slot(self, day: date) -> int:
        """A day's slot (below 1 before the first day, `slots` or more after the last)."""
        return day.toordinal() - EPOCH - self.first_day + 1


def columns_of(dates: list[str], facets: dict[str, list[str]]) -> Columns:
    """The columns of documents, from each one's date ("" for none) and its values of each facet,
    comma-separated as the index keeps them (a facet no document has a value of is left out)."""
    number = {d: day_number(d) for d in set(dates)}  # (a crawl has few distinct dates)
    numbers = np.fromiter((number[d] for d in dates), dtype=np.int64, count=len(dates))
    dated = numbers != NO_DAY
    first_day = int(numbers[dated].min()) if dated.any() else 0
    days = np.where(dated, numbers - first_day + 1, NO_SLOT).astype(np.int32)
    names = [name for name in FACETS if name in facets]
    key_of: dict[tuple[str, ...], int] = {}  # each distinct combination of the documents' values
    rows = zip(*(facets[name] for name in names)) if names else (() for _ in dates)
    keys = np.fromiter((key_of.setdefault(row, len(key_of)) for row in rows), dtype=np.int32, count=len(dates))
    table = {}
    for i, name in enumerate(names):
        lookup: dict[str, int] = {}
        coded = [[lookup.setdefault(v, len(lookup)) for v in dict.fromkeys(row[i].lower().split(",")) if v]
                 for row in key_of]  # each key's values, in key order (dicts keep insertion order)
        if not lookup:
            continue
        starts = np.zeros(len(coded) + 1, dtype=np.int64)
        np.cumsum([len(c) for c in coded], out=starts[1:])
        codes = np.fromiter((c for row in coded for c in row), dtype=np.int32, count=int(starts[-1]))
        table[name] = Facet(values=list(lookup), starts=starts, codes=codes)
    return Columns(documents=len(dates), days=days, keys=keys, first_day=first_day,
                   slots=int(days.max()) + 1 if len(days) else 1, key_count=len(key_of), facets=table)


def write_columns(gen: Path, ix) -> None:
    """Write the columns of a committed index from its sortable site, date and language fields."""
    with ix.reader() as reader:
        total = reader.doc_count_all()
        live = np.zeros(total, dtype=bool)
        live[np.fromiter(reader.all_doc_ids(), dtype=np.int64)] = True
        values = {name: _column(reader, FIELDS[name], total) for name in FACETS + ("date",)
                  if FIELDS[name] in ix.schema and ix.schema[FIELDS[name]].column_type is not None}
    deleted = np.flatnonzero(~live).tolist()
    for column in values.values():  # a deleted document has no values and no date
        for n in deleted:
            column[n] = ""
    columns = columns_of(values.pop("date", [""] * total), values)
    np.save(gen / DAY_COLUMN, columns.days)
    np.save(gen / KEY_COLUMN, columns.keys)
    meta = {"version": COLUMNS_VERSION, "documents": total, "first_day": columns.first_day,
            "slots": columns.slots, "keys": columns.key_count, "facets": {}}
    for name, facet in columns.facets.items():
        np.save(gen / f"col-{name}-starts.npy", facet.starts)
        np.save(gen / f"col-{name}-codes.npy", facet.codes)
        meta["facets"][name] = {"values": facet.values}
    (gen / COLUMNS_META).write_text(json.dumps(meta, ensure_ascii=False))


def _column(reader, name: str, total: int) -> list[str]:
    """A sortable text field's value for every document number ("" for none)."""
    if not total:
        return []
    return [v.decode("utf-8") if isinstance(v, bytes) else (v or "") for v in reader.column_reader(name)]


def read_columns(gen: Path, documents: int) -> Columns:
    """The columns of a generation, memory-mapped; ColumnsMissing when absent or not for `documents`.
    The arrays are plain ndarray views of the maps (np.memmap's own indexing costs a Python call)."""
    def load(name: str) -> np.ndarray:
        return np.asarray(np.load(gen / name, mmap_mode="r"))

    try:
        meta = json.loads((gen / COLUMNS_META).read_text(encoding="utf-8"))
        if meta.get("version") != COLUMNS_VERSION or meta.get("documents") != documents:
            raise ColumnsMissing(f"the columns in {gen} do not fit its index")
        columns = Columns(documents=documents, days=load(DAY_COLUMN), keys=load(KEY_COLUMN),
                          first_day=meta["first_day"], slots=meta["slots"], key_count=meta["keys"],
                          facets={name: Facet(values=info["values"], starts=load(f"col-{name}-starts.npy"),
                                              codes=load(f"col-{name}-codes.npy"))
                                  for name, info in meta["facets"].items()})
    except (OSError, ValueError, KeyError) as exc:
        raise ColumnsMissing(f"the columns in {gen} are missing or damaged ({exc})") from None
    if len(columns.days) != documents or len(columns.keys) != documents:
        raise ColumnsMissing(f"the columns in {gen} do not fit its index")
    return columns

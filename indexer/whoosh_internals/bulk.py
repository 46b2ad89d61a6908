"""Common words in bulk: frequent words' posting lists as numpy arrays beside the index, so a query of
common words is matched, counted, scored and ranked over whole arrays, with Whoosh's own scores.

Lede keeps stop words (phrases are exact) and counts every match, so `the`, `in the` or `"of the"`
make Whoosh walk tens of thousands of postings one at a time in Python. At build, `write_arrays`
copies the posting list of every (field, word) held by BULK_MIN_DOCS stories or more out of the
finished index into ``gen/bulk/``: story numbers (int32), weights (float32) and positions (int32),
concatenated, with a JSON table of where each word's run starts. The fields are whatever the schema
has, so fields added later (per-language text, facets) get arrays without change here.

`BulkSearch` evaluates a parsed query over those arrays (memory-mapped) and, for the rarer words of
the same query, over posting lists read from Whoosh a block at a time: words, OR, AND, NOT, phrases
(positions compared only for the stories holding every word), a site filter, order by date. Scores are
Whoosh's BM25F, computed with the same inputs (idf, average and per-story field length, weight), only
summed in another order: the same stories in the same order, up to ties within about 1e-12 relative.
A query it cannot evaluate exactly so (anything else, or a non-default weighting) gets None, and
Whoosh's own search runs instead.
"""
from __future__ import annotations

import json
import shutil
from itertools import chain
from pickle import loads
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher, W3TermInfo
from whoosh.fields import NUMERIC
from whoosh.formats import Positions
from whoosh.scoring import BM25F
from whoosh.util.numeric import byte_to_length

from . import _length_bytes

BULK_DIR = "bulk"
# A word gets arrays when it is in BULK_MIN_DOCS stories, or in BULK_MIN_SHARE of them in a smaller
# index, but never under BULK_MIN_FLOOR: Whoosh walks a list that short in a few milliseconds.
BULK_MIN_DOCS = 1000
BULK_MIN_SHARE = 0.1
BULK_MIN_FLOOR = 100
TABLE = "terms.json"
NO_ARRAYS: dict = {}
ARRAYS = {"docs": np.int32, "weights": np.float32, "starts": np.int64, "positions": np.int32}  # in gen/bulk
COPY_BYTES = 1 << 20  # an array file is copied into its .npy this much at a time
_COUNT_BYTES = 4  # Whoosh's Positions value starts with the number of positions
_PICKLED_LIST = b"\x80\x02]q\x00"  # ... then its gaps pickled (protocol 2): a list, memoized
_BININT1 = ord("K")  # the opcode of a pickled int below 256, its one byte after it
_PICKLE_BATCH = 1000  # pickle appends a list's items in batches of this many
_MARK, _APPEND, _APPENDS = ord("("), ord("a"), ord("e")  # (a list of one is appended, of more marked)
_STOP = ord(".")  # the pickle's end, which Whoosh may have cut off (its decode_positions puts it back)
LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)  # a length byte's length


@dataclass
class Matches:
    """Stories a query matches (sorted story numbers) and each one's score."""

    docs: np.ndarray  # int64, ascending, unique
    scores: np.ndarray  # float64

    def where(self, keep: np.ndarray) -> "Matches":
        """The matches where `keep` (a mask over them) is True."""
        return Matches(self.docs[keep], self.scores[keep])


@dataclass
class Postings:
    """One word's postings in one field over the whole index (deleted stories left out)."""

    docs: np.ndarray  # int64, ascending
    weights: np.ndarray  # float64
    starts: np.ndarray | None  # int64, len(docs) + 1: positions[starts[i]:starts[i + 1]] are docs[i]'s
    positions: np.ndarray | None  # int64


@dataclass
class BulkHit:
    """A hit as search.py uses Whoosh's: its stored fields and score."""

    searcher: object
    docnum: int
    score: float | None

    def fields(self) -> dict:
        return self.searcher.stored_fields(self.docnum)


# ---------------------------------------------------------------- reading Whoosh's postings

def read_postings(reader, fieldname: str, text, positions: bool) -> Postings:
    """A word's postings in a field, from every segment of a reader (global story numbers)."""
    field = reader.schema[fieldname]
    tbytes = field.to_bytes(text) if isinstance(text, str) else text
    found = []
    for seg, offset in reader.leaf_readers():
        if (fieldname, tbytes) in seg:
            found.append((seg, offset, seg._terms.term_info(fieldname, tbytes)))
    return _read(found, field.format, positions)


def _read(found: list, fmt, positions: bool) -> Postings:
    """The postings of a word from (segment reader, its first story number, term info) of each segment
    that has it, deleted stories left out."""
    positions = positions and fmt.supports("positions")
    docs, weights, values = [], [], []
    for seg, offset, info in found:
        m = seg._terms._codec.postings_reader(seg._terms._postfile, info, fmt)
        ids, ws, vs = _walk(m, positions)
        ids = np.asarray(ids, dtype=np.int64)
        ws = np.asarray(ws, dtype=np.float64)
        deleted = seg.deleted_docs_set if seg.has_deletions() else None
        if deleted:
            keep = ~np.isin(ids, np.fromiter(deleted, dtype=np.int64))
            ids, ws = ids[keep], ws[keep]
            vs = [v for v, k in zip(vs, keep) if k] if positions else vs
        docs.append(ids + offset)
        weights.append(ws)
        values.extend(vs)
    docs_a = np.concatenate(docs) if docs else np.zeros(0, np.int64)
    weights_a = np.concatenate(weights) if weights else np.zeros(0, np.float64)
    if not positions:
        return Postings(docs_a, weights_a, None, None)
    starts, flat = _decode_positions(values, fmt)
    return Postings(docs_a, weights_a, starts, flat)


def _decode_positions(values: list[bytes], fmt) -> tuple[np.ndarray, np.ndarray]:
    """Every posting's positions, from Whoosh's Positions values (a 4-byte count, then the pickled
    list of gaps between positions): the same as `fmt.decode_positions` of each, many times faster."""
    if type(fmt) is not Positions:
        lists = [fmt.decode_positions(v) for v in values]
        starts = np.zeros(len(lists) + 1, dtype=np.int64)
        np.cumsum([len(p) for p in lists], out=starts[1:])
        return starts, np.fromiter(chain.from_iterable(lists), dtype=np.int64, count=int(starts[-1]))
    starts, flat = _gaps(values)
    flat = np.cumsum(flat)
    flat -= np.repeat(np.concatenate(([0], flat))[starts[:-1]], np.diff(starts))  # sums restart per posting
    return starts, flat


def _gaps(values: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """The gaps of each Positions value, read straight from the bytes where every gap is a pickle
    BININT1 (below 256: nearly all), else unpickled: (starts, gaps) as `_decode_positions`."""
    if not values:
        return np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int64)
    lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    at = np.zeros(len(values), dtype=np.int64)
    np.cumsum(lengths[:-1], out=at[1:])
    data = np.frombuffer(b"".join(values), dtype=np.uint8)
    counts = np.zeros(len(values), dtype=np.int64)
    for k in range(_COUNT_BYTES):  # big-endian, as Whoosh packs it
        counts = counts * 256 + data[at + k]
    # pickle protocol 2 of a list of n small ints: PROTO 2, EMPTY_LIST, BINPUT 0, then "K g" and APPEND
    # for one, or MARK, n times "K g", APPENDS (for n up to pickle's batch of 1000); and STOP
    one = (counts == 1) & (lengths == _COUNT_BYTES + len(_PICKLED_LIST) + 4)
    many = (counts > 1) & (counts <= _PICKLE_BATCH) & (lengths == _COUNT_BYTES + len(_PICKLED_LIST) + 3 + 2 * counts)
    direct = one | many
    first = at + _COUNT_BYTES + len(_PICKLED_LIST) + np.where(one, 1, 2)  # the first gap's byte
    posting = np.repeat(np.flatnonzero(direct), counts[direct])
    nth = np.arange(len(posting)) - np.repeat(np.cumsum(counts[direct]) - counts[direct], counts[direct])
    source = first[posting] + 2 * nth
    direct[posting[data[source - 1] != _BININT1]] = False  # another opcode: unpickled below
    for k, code in enumerate(_PICKLED_LIST):
        direct &= data[np.minimum(at + _COUNT_BYTES + k, len(data) - 1)] == code
    direct &= (data[at + lengths - 1] == _STOP) & (data[at + lengths - 2] == np.where(one, _APPEND, _APPENDS))
    direct &= one | (data[np.minimum(at + _COUNT_BYTES + len(_PICKLED_LIST), len(data) - 1)] == _MARK)
    keep = direct[posting]
    posting, source = posting[keep], source[keep]
    other = np.flatnonzero(~direct)
    lists = [loads(values[n][_COUNT_BYTES:] + (b"" if values[n].endswith(b".") else b".")) for n in other]
    counts[other] = [len(gaps) for gaps in lists]
    starts = np.zeros(len(values) + 1, dtype=np.int64)
    np.cumsum(counts, out=starts[1:])
    gaps = np.zeros(int(starts[-1]), dtype=np.int64)
    gaps[starts[posting] + nth[keep]] = data[source]
    for n, found in zip(other, lists):
        gaps[starts[n]:starts[n + 1]] = found
    return starts, gaps


def _walk(m, values: bool) -> tuple[list, list, list]:
    """Ids, weights (and values) of a leaf matcher: a block at a time from Whoosh's files."""
    ids, weights, vals = [], [], []
    if isinstance(m, W3LeafMatcher):
        while m.is_active():
            m._read_ids()
            m._read_weights()
            ids.extend(m._ids)
            weights.extend(m._weights)
            if values:
                m._read_values()
                vals.extend(m._values)
            m._next_block()
        return ids, weights, vals
    while m.is_active():  # postings inlined in the term's entry
        ids.append(m.id())
        weights.append(m.weight())
        if values:
            vals.append(m.value())
        m.next()
    return ids, weights, vals


# ---------------------------------------------------------------- writing the arrays at build

def bulk_min_docs(stories: int) -> int:
    """The stories a word must be in to get arrays, in an index of this many."""
    return max(BULK_MIN_FLOOR, min(BULK_MIN_DOCS, int(stories * BULK_MIN_SHARE)))


def write_arrays(ix, gen: Path, min_docs: int | None = None) -> int:
    """Write the arrays of every (field, word) in min_docs stories or more (by default
    `bulk_min_docs`) into gen/bulk; return how many. Each word's arrays go to disk as they are read
    (`_ArrayFile`): at 1M teasers, holding them all and concatenating took 500 MB."""
    out = Path(gen) / BULK_DIR
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    table: dict[str, dict[str, list[int]]] = {}
    files = {name: _ArrayFile(out / f"{name}.npy", dtype) for name, dtype in ARRAYS.items()}
    files["starts"].write(np.zeros(1, np.int64))
    n_postings = n_positions = 0
    with ix.reader() as reader:
        if min_docs is None:
            min_docs = bulk_min_docs(reader.doc_count())
        schema = reader.schema
        fields = [f for f in sorted(reader.indexed_field_names())
                  if f in schema and not isinstance(schema[f], NUMERIC) and not schema[f].unique]
        segments = reader.leaf_readers()
        frequent = _frequent_terms(segments, fields, min_docs)
        for fieldname in fields:
            field = schema[fieldname]
            entries = {}
            for tbytes in sorted(frequent.get(fieldname, ())):
                p = _read(frequent[fieldname][tbytes], field.format, positions=True)
                entries[field.from_bytes(tbytes)] = [n_postings, len(p.docs)]
                files["docs"].write(p.docs)
                files["weights"].write(p.weights)
                if p.starts is None:
                    files["starts"].write(np.full(len(p.docs), n_positions, dtype=np.int64))
                else:
                    files["starts"].write(p.starts[1:] + n_positions)
                    files["positions"].write(p.positions)
                    n_positions += len(p.positions)
                n_postings += len(p.docs)
            if entries:
                table[fieldname] = entries
    for array_file in files.values():
        array_file.close()
    (out / TABLE).write_text(json.dumps({"min_docs": min_docs, "fields": table}))
    return sum(len(t) for t in table.values())


class _ArrayFile:
    """A one-dimensional .npy file written a part at a time: the parts go to a raw file beside it,
    which becomes the .npy (its header, then the parts) once their number is known."""

    def __init__(self, path: Path, dtype) -> None:
        self.path, self.dtype, self.count = path, np.dtype(dtype), 0
        self.raw = open(path.with_suffix(".raw"), "w+b")

    def write(self, part: np.ndarray) -> None:
        part.astype(self.dtype, copy=False).tofile(self.raw)
        self.count += len(part)

    def close(self) -> None:
        self.raw.seek(0)
        with open(self.path, "wb") as fh:
            np.lib.format.write_array_header_1_0(
                fh, {"descr": np.lib.format.dtype_to_descr(self.dtype), "fortran_order": False, "shape": (self.count,)})
            shutil.copyfileobj(self.raw, fh, COPY_BYTES)
        self.raw.close()
        Path(self.raw.name).unlink()


def _frequent_terms(segments: list, fields: list[str], min_docs: int) -> dict[str, dict[bytes, list]]:
    """field -> word -> (segment reader, first story number, term info) of each segment holding it,
    for the words of those fields held by min_docs stories or more over all segments."""
    def walk():
        """(segment, offset, field, word, term info bytes) of every word of the fields."""
        for seg, offset in segments:
            terms = seg._terms
            for fieldname in fields:
                for key, value in terms._tindex.items_from(terms._keycoder(fieldname, b"")):
                    name, tbytes = terms._keydecoder(key)
                    if name != fieldname:
                        break
                    yield seg, offset, fieldname, tbytes, value

    counts: dict[tuple[str, bytes], int] = {}
    every = list(walk())
    for _, _, fieldname, tbytes, value in every:  # the story count is bytes 5-8 of Whoosh's term info
        counts[fieldname, tbytes] = counts.get((fieldname, tbytes), 0) + int.from_bytes(value[5:9], "big")
    found: dict[str, dict[bytes, list]] = {}
    for seg, offset, fieldname, tbytes, value in every:
        if counts[fieldname, tbytes] >= min_docs:
            found.setdefault(fieldname, {}).setdefault(tbytes, []).append(
                (seg, offset, W3TermInfo.from_bytes(value)))
    return found


class Arrays:
    """A generation's bulk arrays, memory-mapped, and the per-field story length bytes, loaded once."""

    def __init__(self, gen: Path):
        folder = Path(gen) / BULK_DIR
        meta = json.loads((folder / TABLE).read_text())
        self.table: dict[str, dict[str, list[int]]] = meta["fields"]
        self.docs, self.weights, self.starts, self.positions = (
            np.load(folder / f"{name}.npy", mmap_mode="r") for name in ("docs", "weights", "starts", "positions"))
        self._lengths: dict[str, np.ndarray] = {}
        self._dates: np.ndarray | None = None

    def has(self, fieldname: str, text: str) -> bool:
        return text in self.table.get(fieldname, NO_ARRAYS)

    def postings(self, fieldname: str, text: str, positions: bool) -> Postings:
        """A word's postings from the arrays (it must be there: `has`). Where each posting's positions
        start is worked out from the weights when they are the positions' counts (Whoosh's Positions
        weight a posting by its number of positions, times a field boost of 1), so that a phrase reads
        two numbers of `starts` instead of eight bytes a posting; else read from `starts`."""
        first, count = self.table[fieldname][text]
        docs = np.asarray(self.docs[first:first + count], dtype=np.int64)
        weights = np.asarray(self.weights[first:first + count], dtype=np.float64)
        if not positions:
            return Postings(docs, weights, None, None)
        low, high = int(self.starts[first]), int(self.starts[first + count])
        counts = weights.astype(np.int64)
        if count and (counts == weights).all() and (counts > 0).all() and int(counts.sum()) == high - low:
            starts = np.zeros(count + 1, dtype=np.int64)
            np.cumsum(counts, out=starts[1:])
        else:  # weights that are not the counts (a boosted field): the stored starts
            starts = np.asarray(self.starts[first:first + count + 1], dtype=np.int64) - low
        flat = np.asarray(self.positions[low:high], dtype=np.int64)
        return Postings(docs, weights, starts, flat)

    def lengths(self, reader, fieldname: str, docs: np.ndarray) -> np.ndarray:
        """Some stories' lengths of a field as Whoosh's scorer sees them (byte_to_length of their
        length bytes). The bytes are kept, one a story (0.3 MB a field at 327,000 stories, where the
        float64 lengths took 2.6 MB), and turned into lengths for the stories asked about."""
        if fieldname not in self._lengths:
            parts = []
            for seg, _ in reader.leaf_readers():
                stored = _length_bytes(seg._perdoc, fieldname)
                count = seg.doc_count_all()
                parts.append(np.frombuffer(stored, dtype=np.uint8)[:count] if stored else np.zeros(count, np.uint8))
            self._lengths[fieldname] = np.concatenate(parts) if parts else np.zeros(0, np.uint8)
        return LENGTHS[self._lengths[fieldname][docs]]

    def date_rank(self, reader, fieldname: str) -> np.ndarray:
        """Every story's rank by the sortable column `fieldname` (equal values, equal ranks)."""
        if self._dates is None:
            values = []
            for seg, _ in reader.leaf_readers():
                column = seg.column_reader(fieldname)
                values.extend(column[i] for i in range(seg.doc_count_all()))
            _, self._dates = np.unique(np.array(values, dtype=object).astype(str), return_inverse=True)
        return self._dates


def load_arrays(searcher) -> Arrays | None:
    """The bulk arrays of the generation a searcher reads, cached on its index (None if it has none)."""
    ix = getattr(searcher, "_ix", None)
    if ix is None:
        return None
    cached = ix.__dict__.get("_lede_bulk")
    if cached is None:
        folder = Path(ix.storage.folder)
        cached = Arrays(folder) if (folder / BULK_DIR / TABLE).exists() else False
        ix.__dict__["_lede_bulk"] = cached
    return cached or None


# ---------------------------------------------------------------- evaluating a query

class Unsupported(Exception):
    """The query has a part the bulk evaluation does not reproduce exactly: Whoosh's search runs."""


class BulkSearch:
    """Evaluate parsed queries over one searcher, with the arrays of its generation."""

    def __init__(self, searcher, arrays: Arrays):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.arrays = arrays
        weighting = searcher.weighting
        if type(weighting) is not BM25F:
            raise Unsupported("weighting")
        self.weighting = weighting

    def uses_arrays(self, q) -> bool:
        """Whether any word of q has arrays (else Whoosh's own search is as fast)."""
        return any(self.arrays.has(f, t if isinstance(t, str) else t.decode("utf-8"))
                   for f, t in q.iter_all_terms(phrases=True))

    def rank(self, matches: Matches, limit: int, sort: str) -> tuple[list, int]:
        """The top `limit` of some matches, by score or latest first, and how many there are."""
        total = len(matches.docs)
        if sort == "date":
            rank = self.arrays.date_rank(self.reader, "date")[matches.docs]
            order = np.lexsort((-matches.docs, -rank))[:limit]  # latest first; Whoosh: then higher numbers
            return [BulkHit(self.searcher, int(d), None) for d in matches.docs[order]], total
        top = _top(matches, limit)
        return [BulkHit(self.searcher, int(matches.docs[i]), float(matches.scores[i])) for i in top], total

    def evaluate(self, q) -> Matches:
        """The stories q matches and their scores, or Unsupported."""
        if getattr(q, "boost", 1.0) != 1.0:
            raise Unsupported("boost")
        if isinstance(q, wq.Term):
            return self.term(q)
        if isinstance(q, wq.Phrase):
            return self.phrase(q)
        if type(q) is wq.Or:
            if q.minmatch or q.scale:
                raise Unsupported("Or options")
            return _union([self.evaluate(c) for c in q.subqueries])
        if type(q) is wq.And:
            wanted = [c for c in q.subqueries if not isinstance(c, wq.Not)]
            unwanted = [c.query for c in q.subqueries if isinstance(c, wq.Not)]
            if any(c.boost != 1.0 for c in q.subqueries if isinstance(c, wq.Not)):
                raise Unsupported("boost")
            if not wanted:
                raise Unsupported("only NOT")
            found = _intersection([self.evaluate(c) for c in wanted])
            for c in unwanted:
                gone = self.evaluate(c).docs
                keep = ~_member(found.docs, gone)
                # Whoosh matches NOT x with an InverseMatcher, which adds the Not's boost (1.0) to the score
                found = Matches(found.docs[keep], found.scores[keep] + 1.0)
            return found
        if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
            return _empty()
        raise Unsupported(type(q).__name__)

    def postings(self, fieldname: str, text, positions: bool) -> Postings:
        """A word's postings: from the arrays when it has them, else from Whoosh."""
        text = text.decode("utf-8") if isinstance(text, bytes) else text
        if self.arrays.has(fieldname, text):
            return self.arrays.postings(fieldname, text, positions)
        if fieldname not in self.reader.schema or (fieldname, text) not in self.reader:
            return Postings(np.zeros(0, np.int64), np.zeros(0), np.zeros(1, np.int64), np.zeros(0, np.int64))
        return read_postings(self.reader, fieldname, text, positions)

    def scores(self, fieldname: str, text, p: Postings) -> np.ndarray:
        """Whoosh's score of each posting: BM25F of its weight and its story's field length."""
        field = self.reader.schema[fieldname]
        if not field.scorable:
            return p.weights.copy()  # Whoosh's WeightScorer
        w = self.weighting
        B, K1 = w._field_B.get(fieldname, w.B), w.K1
        idf = self.searcher.idf(fieldname, text)
        avgfl = self.searcher.avg_field_length(fieldname) or 1
        fl = self.arrays.lengths(self.reader, fieldname, p.docs)
        tf = p.weights
        return idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))

    def term(self, q, scored: bool = True) -> Matches:
        if q.fieldname not in self.reader.schema:
            return _empty()
        p = self.postings(q.fieldname, q.text, positions=False)
        return Matches(p.docs, self.scores(q.fieldname, q.text, p) if scored else p.weights)

    def phrase(self, q) -> Matches:
        """Stories where the words follow each other in the field; scored as Whoosh scores a phrase
        (the sum of its words' scores in the story)."""
        if q.slop != 1 or q.fieldname not in self.reader.schema:
            raise Unsupported("slop")
        field = self.reader.schema[q.fieldname]
        words = [field.to_bytes(w) for w in q.words]
        if not words or any((q.fieldname, w) not in self.reader for w in words):
            return _empty()
        lists = [self.postings(q.fieldname, w, positions=True) for w in words]
        candidates = lists[0].docs
        for p in lists[1:]:
            candidates = _intersect(candidates, p.docs)
        keys = None
        for i, p in enumerate(lists):  # (story, position of the phrase's first word) of each word
            k = _position_keys(p, candidates, i)
            keys = k if keys is None else _intersect(keys, k)
            candidates = _distinct(keys >> 32)  # only stories still holding the phrase so far
        found = candidates
        total = np.zeros(len(found))
        for w, p in zip(words, lists):
            at = np.searchsorted(p.docs, found)
            total = total + self.scores(q.fieldname, w, Postings(found, p.weights[at], None, None))
        return Matches(found, total)


def _position_keys(p: Postings, candidates: np.ndarray, shift: int) -> np.ndarray:
    """story << 32 plus (position - shift), ascending, of every position of the word in the candidate
    stories (positions are far below 2 ** 31, so no two stories' keys meet)."""
    keep = _member(p.docs, candidates)
    counts = np.diff(p.starts)
    mask = np.repeat(keep, counts)
    docs = np.repeat(p.docs[keep], counts[keep])
    return (docs << 32) + (p.positions[mask] - shift)


def _distinct(ascending: np.ndarray) -> np.ndarray:
    """The distinct values of an ascending array."""
    if not len(ascending):
        return ascending
    return ascending[np.concatenate(([True], ascending[1:] != ascending[:-1]))]


def _member(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """Which of the values (any order) are in sorted_set, by binary search."""
    if not len(sorted_set):
        return np.zeros(len(values), dtype=bool)
    at = np.searchsorted(sorted_set, values)
    at[at == len(sorted_set)] = 0
    return sorted_set[at] == values


def _intersect(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The values of sorted, unique a that are in sorted, unique b (binary searches of the shorter)."""
    if len(a) > len(b):
        a, b = b, a
    return a[_member(a, b)]


def _empty() -> Matches:
    return Matches(np.zeros(0, np.int64), np.zeros(0, np.float64))


def _union(parts: list[Matches]) -> Matches:
    """Stories in any part, scores summed over the parts that hold them."""
    parts = [m for m in parts if len(m.docs)]
    if not parts:
        return _empty()
    if len(parts) == 1:
        return parts[0]
    docs, where = np.unique(np.concatenate([m.docs for m in parts]), return_inverse=True)
    scores = np.bincount(where, weights=np.concatenate([m.scores for m in parts]), minlength=len(docs))
    return Matches(docs, scores)


def _intersection(parts: list[Matches]) -> Matches:
    """Stories in every part, scores summed."""
    parts = sorted(parts, key=lambda m: len(m.docs))
    docs, scores = parts[0].docs, parts[0].scores
    for m in parts[1:]:
        at = np.searchsorted(m.docs, docs)
        at[at >= len(m.docs)] = 0
        keep = m.docs[at] == docs if len(m.docs) else np.zeros(len(docs), bool)
        docs, scores = docs[keep], scores[keep] + m.scores[at[keep]]
    return Matches(docs, scores)


def _top(m: Matches, limit: int) -> np.ndarray:
    """Indexes of the `limit` best, highest score first, then lower story number (Whoosh's order)."""
    if len(m.docs) > limit:
        cut = np.partition(m.scores, len(m.scores) - limit)[len(m.scores) - limit]
        idx = np.flatnonzero(m.scores >= cut)
    else:
        idx = np.arange(len(m.docs))
    order = np.lexsort((m.docs[idx], -m.scores[idx]))
    return idx[order[:limit]]


def narrowed(matches: Matches, allowed: np.ndarray) -> Matches:
    """The matches among `allowed` (sorted story numbers)."""
    keep = _member(matches.docs, allowed)
    return Matches(matches.docs[keep], matches.scores[keep])


def bulk_matches(searcher, q) -> tuple[BulkSearch, Matches] | None:
    """Every match of a query with its score, evaluated over the bulk arrays, and the BulkSearch
    that ranks them; None where Whoosh's own search should run (as `bulk_search`)."""
    arrays = load_arrays(searcher)
    if arrays is None:
        return None
    try:
        bulk = BulkSearch(searcher, arrays)
        if not bulk.uses_arrays(q):
            return None
        return bulk, bulk.evaluate(q)
    except Unsupported:
        return None


def bulk_search(searcher, q, limit: int, sort: str, site: str | None) -> tuple[list, int] | None:
    """search.run_query's answer over the bulk arrays (the top `limit` hits and the exact count, on
    one site when given), or None where Whoosh's own search should run (as `bulk_matches`)."""
    found = bulk_matches(searcher, q)
    if found is None:
        return None
    bulk, matches = found
    if site:
        matches = narrowed(matches, bulk.term(wq.Term("site", site), scored=False).docs)
    return bulk.rank(matches, limit, sort)

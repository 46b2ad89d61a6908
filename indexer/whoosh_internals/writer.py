"""Whoosh's segment writer, the same files faster: postings gathered per word, written a block at a time.

Whoosh's `SegmentWriter` turns each document's words into one (field, word, document, weight,
value) tuple per posting, pools them all, sorts the pool and hands it posting by posting to its
codec. `BulkSegmentWriter` writes the same segment files, byte for byte, in less time:

- a field whose analyzer can give each term's positions at once (`NltkTokenizer.positions`) is
  indexed without Whoosh's token objects, and a term seen once in a document (most are) reuses
  the encoded value of its one position;
- its pool (`WordPool`) keeps each word's postings in arrays, in document order, so nothing is
  sorted but the words; at the end each word's postings go to the codec's postings writer a
  block at a time, not one call per posting.

A pool larger than the writer's `limitmb` goes to a run file a word at a time, and at the end each
word's postings are read back from every run in turn: the same files again.
tests/test_postings.py compares the files with those of Whoosh's own writer.
"""
from __future__ import annotations

import heapq
import marshal
from array import array
from itertools import groupby
from pickle import dumps

from whoosh.codec.whoosh3 import W3PostingsWriter
from whoosh.formats import Positions
from whoosh.system import pack_uint
from whoosh.util.numeric import byte_to_length
from whoosh.writing import PostingPool, SegmentWriter

from . import _length_bytes

# What a posting costs in the pool, to compare with `limitmb`: a document number (4 bytes), a
# weight (8) and a pointer to its value (8), with the arrays' room to grow, plus the value when it
# is not a shared one; and what each word costs the first time a field holds it (its bytes, a dict
# slot, three arrays). Set so that the estimate is what the process grows by: writing the 7,993
# stories of the 4,000-page crawl (621,000 postings, 32,000 words) it grew by 35 MB, caches aside.
POSTING_BYTES = 32
WORD_BYTES = 450
_SHARED_VALUES = 4096  # positions below this have their one-position value made once


def _one_position(pos: int) -> bytes:
    """Positions.encode([pos]): the value of a term seen once in a field."""
    return pack_uint(1) + dumps([pos], 2)


_ONE_POSITION = [_one_position(pos) for pos in range(_SHARED_VALUES)]


def positions_value(poslist: list[int]) -> bytes:
    """Positions.encode(poslist), with the one-position values shared."""
    if len(poslist) == 1:
        pos = poslist[0]
        return _ONE_POSITION[pos] if pos < _SHARED_VALUES else _one_position(pos)
    deltas, base = [], 0
    for pos in poslist:
        deltas.append(pos - base)
        base = pos
    return pack_uint(len(deltas)) + dumps(deltas, 2)


class WordPool(PostingPool):
    """Whoosh's posting pool, each word's postings kept apart in document order: field -> word
    bytes -> [document numbers, weights, values]. Whoosh's `add` still works (for what
    `SegmentWriter` adds itself); `BulkSegmentWriter` adds a document's words in one call."""

    def __init__(self, tempstore, segment, limitmb=128, **kwargs):
        super().__init__(tempstore, segment, limitmb=limitmb, **kwargs)
        self.words: dict[str, dict[bytes, list]] = {}

    def add(self, item) -> None:
        fieldname, btext, docnum, weight, vbytes = item
        self.add_words(fieldname, docnum, [(btext, weight, vbytes)])

    def _field(self, fieldname: str) -> dict[bytes, list]:
        """The field's words (word bytes -> postings), made on its first word."""
        words = self.words.get(fieldname)
        if words is None:
            words = self.words[fieldname] = {}
            self.fieldnames.add(fieldname)
        return words

    def add_words(self, fieldname: str, docnum: int, items) -> None:
        """A document's (word bytes, weight, value) in one field."""
        words = self._field(fieldname)
        size = 0
        for btext, weight, vbytes in items:
            postings = words.get(btext)
            if postings is None:
                postings = words[btext] = [array("I"), array("d"), []]
                size += WORD_BYTES + len(btext)
            postings[0].append(docnum)
            postings[1].append(weight)
            postings[2].append(vbytes)
            size += POSTING_BYTES
        self.currentsize += size
        if self.currentsize > self.limit:
            self.save()

    def add_positions(self, fieldname: str, docnum: int, poses: dict[str, list[int]], boost: float) -> int:
        """A document's words in a field of positions (word -> its positions), as Whoosh's Positions
        format makes them: weight = frequency x boost, value = the positions encoded. Returns the
        number of words (the field's length)."""
        words = self._field(fieldname)
        size = length = 0
        shared = _ONE_POSITION
        for word, poslist in poses.items():
            btext = word.encode("utf-8")
            postings = words.get(btext)
            if postings is None:
                postings = words[btext] = [array("I"), array("d"), []]
                size += WORD_BYTES + len(btext)
            postings[0].append(docnum)
            freq = len(poslist)
            length += freq
            postings[1].append(float(freq) * boost)
            if freq == 1 and poslist[0] < _SHARED_VALUES:
                postings[2].append(shared[poslist[0]])
            else:
                value = positions_value(poslist)
                postings[2].append(value)
                size += len(value)
        self.currentsize += size + POSTING_BYTES * len(poses)
        if self.currentsize > self.limit:
            self.save()
        return length

    def sorted_words(self):
        """(field, [(word bytes, postings)]) in Whoosh's order: fields by name, words by bytes."""
        for fieldname in sorted(self.words):
            words = self.words[fieldname]
            yield fieldname, sorted(words.items())

    def save(self) -> None:
        """Write what the pool holds to a run file, a record a word (field, word bytes, document
        numbers, weights, values), in Whoosh's order, and empty it."""
        if not self.words:
            return
        path, f = self._new_run()
        with f:
            for fieldname, words in self.sorted_words():
                for btext, (docnums, weights, values) in words:
                    marshal.dump((fieldname, btext, docnums.tobytes(), weights.tobytes(), values), f)
        self._add_run(path)
        self.words = {}
        self.currentsize = 0

    def merged_words(self):
        """(field, [(word bytes, postings)]) over every run and what the pool still holds: a word's
        postings from each run in turn (the runs were written in document order)."""
        self.save()
        runs, self.runs = self.runs, []
        records = heapq.merge(*(self._read_words(path) for path in runs), key=lambda r: (r[0], r[1]))
        for fieldname, group in groupby(records, key=lambda r: r[0]):
            yield fieldname, _joined(group)

    def _read_words(self, path):
        """The records of a run file, in order; the file is removed once read."""
        f = self._open_run(path)
        try:
            while True:
                try:
                    yield marshal.load(f)
                except EOFError:
                    return
        finally:
            f.close()
            self._remove_run(path)

    def all_words(self):
        """(field, [(word bytes, postings)]) of everything added: merged from the runs when the
        pool wrote any, else straight from memory."""
        return self.merged_words() if self.runs else self.sorted_words()

    def iter_postings(self):
        """Every posting as Whoosh's pool gives it: (field, word bytes, document, weight, value)."""
        for fieldname, words in self.all_words():
            for btext, (docnums, weights, values) in words:
                for posting in zip(docnums, weights, values):
                    yield (fieldname, btext) + posting


def _joined(records):
    """A field's run records, each word's from every run joined in turn, in word order."""
    for btext, group in groupby(records, key=lambda r: r[1]):
        docnums, weights, values = array("I"), array("d"), []
        for _, _, ids, ws, vs in group:
            docnums.frombytes(ids)
            weights.frombytes(ws)
            values.extend(vs)
        yield btext, (docnums, weights, values)


class BulkSegmentWriter(SegmentWriter):
    """Whoosh's `SegmentWriter`, writing the same segment through a `WordPool`."""

    def __init__(self, ix, limitmb=128, **kwargs):
        super().__init__(ix, limitmb=limitmb, **kwargs)
        self.pool = WordPool(self._tempstorage, self.newsegment, limitmb=limitmb)

    def add_document(self, **fields):
        """Whoosh's add_document (the same calls of the per-document writer, in the same order),
        its postings going to the pool a field at a time."""
        if any(name.startswith("_") for name in fields):  # boosts and custom stored values: Whoosh's way
            return super().add_document(**fields)
        self._check_state()
        perdocwriter, schema, docnum, pool = self.perdocwriter, self.schema, self.docnum, self.pool
        fieldnames = sorted(fields)
        self._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields[fieldname]
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    fmt = field.format
                    if type(fmt) is Positions and isinstance(value, str) and hasattr(field.analyzer, "positions"):
                        length = pool.add_positions(fieldname, docnum, field.analyzer.positions(value),
                                                    fmt.field_boost)
                    else:
                        items = list(field.index(value))
                        length = sum(freq for _, freq, _, _ in items)
                        pool.add_words(fieldname, docnum, [(btext, weight, vbytes) for btext, _, weight, vbytes in items])
                    if not field.scorable:
                        length = 0
                if field.separate_spelling() or field.vector:
                    raise ValueError(f"field {fieldname!r}: spelling and vectors are not written by BulkSegmentWriter")
                perdocwriter.add_field(fieldname, field, value if field.stored else None, length)
                column = field.column_type
                if column:
                    perdocwriter.add_column_value(fieldname, column, field.to_column_value(value))
        except Exception:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self):
        """Write the postings, a word at a time, a block of postings at a time."""
        pool = self.pool
        self.perdocwriter.close()
        pdr = self.per_document_reader() if self.codec.length_stats else None
        fieldwriter = self.fieldwriter
        for fieldname, words in pool.all_words():
            lengths = _length_table(pdr, fieldname)
            fieldwriter.start_field(fieldname, self.schema[fieldname])
            for btext, postings in words:
                fieldwriter.start_term(btext)
                _write_postings(fieldwriter._postwriter, *postings, lengths)
                fieldwriter.finish_term()
            fieldwriter.finish_field()
        pool.words = {}
        fieldwriter.close()
        if pdr:
            pdr.close()


def _length_table(pdr, fieldname: str) -> list[int] | None:
    """Each document's length in the field as the codec is told it (Whoosh's doc_field_length:
    the length byte read back), or None when lengths are not kept."""
    if pdr is None:
        return None
    stored = _length_bytes(pdr, fieldname)
    if stored is None:
        return None
    return [byte_to_length(b) if b else 0 for b in stored]


def _write_postings(writer: W3PostingsWriter, docnums: array, weights: array, values: list,
                    lengths: list[int] | None) -> None:
    """One word's postings into the postings writer between start_postings and finish_postings:
    what add_posting leaves in its block buffer, a whole block at a time."""
    limit = writer._blocklimit
    for start in range(0, len(docnums), limit):
        if start:
            writer._write_block()
        ids = docnums[start:start + limit]
        block_weights = weights[start:start + limit].tolist()
        writer._ids = ids
        writer._weights = array("f", block_weights)
        writer._values = [v for v in values[start:start + limit] if v]
        writer._maxweight = max(0, max(block_weights))
        found = [length for length in (lengths[d] for d in ids) if length] if lengths is not None else []
        writer._minlength = min(found) if found else None
        writer._maxlength = max(found) if found else 0

"""Whoosh's segment writer, the same files faster: postings gathered per word, each word written in one loop.

Whoosh's `SegmentWriter` turns each document's words into one (field, word, document, weight,
value) tuple per posting, pools them all, sorts the pool and hands it posting by posting to its
codec, through a postings writer, a term info and a hash file object per word. `BulkSegmentWriter`
writes the same segment files, byte for byte, in less time:

- a document's fields are written by a plan per field worked out on its first use (`_FieldPlan`):
  a text field whose analyzer gives its terms as runs of positions (`NltkTokenizer.term_runs`) is
  indexed without Whoosh's token objects; an ID field's one word is made directly; the words and
  column value of a keyword or sortable field are kept per value and handed over again (their
  formats write values joined or not at all, so a shared object changes no byte); lengths and
  column values go straight to their column writers;
- its pool (`WordPool`) keeps each word's postings in one list, [document, weight, value, ...],
  in document order (terms as str until a word comes as bytes), so nothing is sorted but the
  words; a term seen once in a document (most are) reuses the encoded value of its one position;
- at the end each word is written in one loop (`_write_field`): its blocks of postings, its term
  info and its record in the term index made there as Whoosh's W3PostingsWriter, W3TermInfo and
  OrderedHashWriter make them (offsets counted rather than asked of the files, a batch of words
  written at a time), not through their per-term and per-posting calls.

A pool larger than the writer's `limitmb` goes to a run file a word at a time, and at the end each
word's postings are read back from every run in turn: the same files again.
tests/test_postings.py compares the files with those of Whoosh's own writer (words in one, two and
many documents, over several blocks, positions past the shared values, runs on disk, several
languages' fields, words in several scripts, an old segment merged in).
"""
from __future__ import annotations

import heapq
import marshal
import struct
from array import array
from hashlib import md5
from itertools import chain, groupby
from operator import sub
from pickle import dumps
from zlib import compress

from whoosh.analysis import IDTokenizer
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC, W3FieldWriter, W3PerDocWriter, \
    W3PostingsWriter, _lenfield
from whoosh.filedb.filetables import OrderedHashWriter, md5_hash
from whoosh.fields import ID, KEYWORD, NUMERIC
from whoosh.formats import Existence, Positions
from whoosh.system import pack_int, pack_uint, pack_ushort
from whoosh.util.numeric import length_to_byte
from whoosh.util.numlists import GrowableArray
from whoosh.writing import PostingPool, SegmentWriter

from . import _length_bytes

# What a posting costs in the pool, to compare with `limitmb`, plus its value when that is not a
# shared one; and what each word costs the first time a field holds it (its bytes, a dict slot, its
# list). Set so that the estimate is what the process grows by: writing the 7,993 stories of the
# 4,000-page crawl (621,000 postings, 32,000 words) it grew by 35 MB, caches aside, when each
# word's postings were three arrays; with one list a word it grows by 36 MB, the term cache
# included (estimate 34 MB). Kept as they were, a pool goes to disk where it did, in the same runs.
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
    """Whoosh's posting pool, each word's postings kept apart in document order: field -> word ->
    [document, weight, value, document, weight, value, ...]. A field's words are its terms as str
    while they come from an analyzer (`add_runs`; str sorts as its UTF-8 bytes do), as bytes once
    any comes as bytes (Whoosh's `add`, for what `SegmentWriter` adds itself, and `add_words`)."""

    def __init__(self, tempstore, segment, limitmb=128, **kwargs):
        super().__init__(tempstore, segment, limitmb=limitmb, **kwargs)
        self.words: dict[str, dict[str | bytes, list]] = {}
        self.str_fields: set[str] = set()  # the fields whose words are str

    def add(self, item) -> None:
        fieldname, btext, docnum, weight, vbytes = item
        self.add_words(fieldname, docnum, [(btext, weight, vbytes)])

    def _field(self, fieldname: str, text: bool) -> dict:
        """The field's words, made on its first word: keyed by str for `text` (terms), by bytes
        otherwise, and by bytes from the first word given as bytes on."""
        words = self.words.get(fieldname)
        if words is None:
            words = self.words[fieldname] = {}
            self.fieldnames.add(fieldname)
            if text:
                self.str_fields.add(fieldname)
        elif not text and fieldname in self.str_fields:
            words = self.words[fieldname] = {word.encode("utf-8"): postings for word, postings in words.items()}
            self.str_fields.discard(fieldname)
        return words

    def add_words(self, fieldname: str, docnum: int, items) -> None:
        """A document's (word bytes, weight, value) in one field."""
        words = self._field(fieldname, text=False)
        size = 0
        for btext, weight, vbytes in items:
            postings = words.get(btext)
            if postings is None:
                postings = words[btext] = []
                size += WORD_BYTES + len(btext)
            postings += (docnum, float(weight), vbytes)  # (a weight as the array of doubles kept it)
            size += POSTING_BYTES
        self.currentsize += size
        if self.currentsize > self.limit:
            self.save()

    def add_runs(self, fieldname: str, docnum: int, runs: list[tuple[int, list[str]]], boost: float) -> int:
        """A document's terms in a field of positions, as runs of consecutive positions (the position
        of the first, the terms: `NltkTokenizer.term_runs`), as Whoosh's Positions format makes
        their postings: weight = frequency x boost, value = the positions encoded. Returns the
        number of terms (the field's length)."""
        poses: dict[str, int | list[int]] = {}  # term -> its position, or its positions when several
        setdefault = poses.setdefault
        length = 0
        for start, terms in runs:
            length += len(terms)
            for pos, term in enumerate(terms, start):
                seen = setdefault(term, pos)
                if seen is not pos:  # seen before in this document
                    if seen.__class__ is int:
                        poses[term] = [seen, pos]
                    else:
                        seen.append(pos)
        words = self._field(fieldname, text=True)
        by_str = fieldname in self.str_fields
        shared, one = _ONE_POSITION, 1.0 * boost
        size = 0
        for term, seen in poses.items():
            if not by_str:
                term = term.encode("utf-8")
            postings = words.get(term)
            if postings is None:
                postings = words[term] = []
                size += WORD_BYTES + (len(term.encode("utf-8")) if by_str else len(term))
            if seen.__class__ is int:
                if seen < _SHARED_VALUES:
                    postings += (docnum, one, shared[seen])
                    continue
                weight, value = one, _one_position(seen)
            else:
                weight, value = float(len(seen)) * boost, positions_value(seen)
            postings += (docnum, weight, value)
            size += len(value)
        self.currentsize += size + POSTING_BYTES * len(poses)
        if self.currentsize > self.limit:
            self.save()
        return length

    def sorted_words(self):
        """(field, [(word bytes, postings)]) in Whoosh's order: fields by name, words by bytes."""
        for fieldname in sorted(self.words):
            words = sorted(self.words[fieldname].items())
            if fieldname in self.str_fields:
                words = [(word.encode("utf-8"), postings) for word, postings in words]
            yield fieldname, words

    def save(self) -> None:
        """Write what the pool holds to a run file, a record a word (field, word bytes, postings), in
        Whoosh's order, and empty it."""
        if not self.words:
            return
        path, f = self._new_run()
        with f:
            for fieldname, words in self.sorted_words():
                for btext, postings in words:
                    marshal.dump((fieldname, btext, postings), f)
        self._add_run(path)
        self.words = {}
        self.str_fields = set()
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
            for btext, postings in words:
                for posting in zip(postings[0::3], postings[1::3], postings[2::3]):
                    yield (fieldname, btext) + posting


def _joined(records):
    """A field's run records, each word's from every run joined in turn, in word order."""
    for btext, group in groupby(records, key=lambda r: r[1]):
        postings = []
        for _, _, part in group:
            postings += part
        yield btext, postings


# Whoosh's field types whose `index` and `to_column_value` give the same for the same value, with
# postings whose values are written joined or not at all (a format of fixed value size), so that
# one value's result can be kept and handed over again (`_FieldPlan`)
_CACHED_TYPES = (ID, KEYWORD, NUMERIC)
_CACHED_VALUES = 10_000  # values kept per field, then the cache starts again (a value costs a few
# hundred bytes): the 4,000-page crawl's 7,993 stories have 31 combinations of sites, 300 dates, 6 page counts


class _FieldPlan:
    """How `BulkSegmentWriter.add_document` writes one field of the schema, worked out once."""

    def __init__(self, fieldname: str, field):
        self.fieldname, self.field = fieldname, field
        self.indexed, self.stored, self.scorable = field.indexed, field.stored, field.scorable
        self.column = field.column_type
        if field.separate_spelling() or field.vector:
            raise ValueError(f"field {fieldname!r}: spelling and vectors are not written by BulkSegmentWriter")
        fmt = field.format
        # a text field whose analyzer gives its terms' runs of positions (NltkTokenizer.term_runs)
        self.runs = field.analyzer.term_runs if self.indexed and type(fmt) is Positions \
            and hasattr(field.analyzer, "term_runs") else None
        self.boost = fmt.field_boost if fmt else 1.0
        size = fmt.fixed_value_size() if fmt else None
        self.cache = {} if type(field) in _CACHED_TYPES and not field.unique and size is not None and size >= 0 \
            else None
        # an ID field as Whoosh makes it: its value is its one word (IDTokenizer), of no value (Existence)
        self.whole = type(field) is ID and type(field.analyzer) is IDTokenizer and type(fmt) is Existence
        self.lengths = _lenfield(fieldname)  # the column of its length bytes (W3PerDocWriter.add_field)

    def index(self, value) -> tuple[list, int, object]:
        """The value's (word bytes, weight, value) items, its length and its column value, kept
        for the next document with the same value where the field allows."""
        if self.whole and value.__class__ is str:
            return [(value.encode("utf-8"), self.boost, b"")], 1, \
                self.field.to_column_value(value) if self.column else None
        cache = self.cache
        if cache is not None and value.__class__ in (str, int):
            found = cache.get(value)
            if found is None:
                if len(cache) >= _CACHED_VALUES:
                    cache.clear()
                found = cache[value] = self._index(value)
            return found
        return self._index(value)

    def _index(self, value) -> tuple[list, int, object]:
        field = self.field
        items, length = [], 0
        if self.indexed:
            for btext, freq, weight, vbytes in field.index(value):
                items.append((btext, weight, vbytes))
                length += freq
        return items, length, field.to_column_value(value) if self.column else None


class BulkSegmentWriter(SegmentWriter):
    """Whoosh's `SegmentWriter`, writing the same segment through a `WordPool`."""

    def __init__(self, ix, limitmb=128, **kwargs):
        super().__init__(ix, limitmb=limitmb, **kwargs)
        self.pool = WordPool(self._tempstorage, self.newsegment, limitmb=limitmb)
        self._plans: dict[str, _FieldPlan] = {}

    def add_document(self, **fields):
        """Whoosh's add_document (the same calls of the per-document writer, in the same order),
        its postings going to the pool a field at a time."""
        if any(name.startswith("_") for name in fields):  # boosts and custom stored values: Whoosh's way
            return super().add_document(**fields)
        self._check_state()
        perdocwriter, docnum, pool, plans = self.perdocwriter, self.docnum, self.pool, self._plans
        fieldnames = sorted(fields)
        if not plans.keys() >= fields.keys():
            self._check_fields(self.schema, fieldnames)
            for fieldname in fieldnames:
                if fieldname not in plans:
                    plans[fieldname] = _FieldPlan(fieldname, self.schema[fieldname])
        perdocwriter.start_doc(docnum)
        stored, columns, fieldlengths = perdocwriter._storedfields, perdocwriter._colwriters, perdocwriter._fieldlengths
        try:
            for fieldname in fieldnames:
                value = fields[fieldname]
                if value is None:
                    continue
                plan = plans[fieldname]
                length, column_value = 0, None
                if plan.runs is not None and value.__class__ is str:
                    length = pool.add_runs(fieldname, docnum, plan.runs(value), plan.boost)
                    if plan.column:
                        column_value = plan.field.to_column_value(value)
                elif plan.indexed or plan.column:
                    items, length, column_value = plan.index(value)
                    if plan.indexed:
                        pool.add_words(fieldname, docnum, items)
                # W3PerDocWriter.add_field and add_column_value, a call each rather than three or four
                if plan.stored:
                    stored[fieldname] = value
                if length and plan.scorable:
                    _column(perdocwriter, columns, plan.lengths, LENGTHS_COLUMN).add(docnum, length_to_byte(length))
                    fieldlengths[fieldname] += length
                if plan.column:
                    _column(perdocwriter, columns, fieldname, plan.column).add(docnum, column_value)
        except Exception:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self):
        """Write the postings, a word at a time, each word's blocks, term info and hash record made
        at once (`_write_field`)."""
        pool = self.pool
        self.perdocwriter.close()
        pdr = self.per_document_reader() if self.codec.length_stats else None
        fieldwriter = self.fieldwriter
        for fieldname, words in pool.all_words():
            fieldwriter.start_field(fieldname, self.schema[fieldname])
            _write_field(fieldwriter, words, _length_bytes(pdr, fieldname) if pdr else None)
            fieldwriter.finish_field()
        pool.words = {}
        fieldwriter.close()
        if pdr:
            pdr.close()


def _column(perdocwriter: W3PerDocWriter, columns: dict, name: str, column):
    """The writer of a column, made when the segment has no value in it yet (as
    PerDocWriterWithColumns.add_column_value makes it)."""
    writer = columns.get(name)
    if writer is None:
        perdocwriter._create_column(name, column)
        writer = columns[name]
    return writer


def _write_field(fieldwriter: W3FieldWriter, words, lengths: bytes | None) -> None:
    """Every word of the field `fieldwriter` was started on, with its postings (word bytes, [document,
    weight, value, ...]) in word order: the bytes Whoosh's start_term, add (a posting at a
    time), finish_term would write to the postings file and the term index, made in one loop a word.

    What each of Whoosh's steps does, and how it is done here with the same bytes out:
    - W3PostingsWriter writes a word's postings as "W3Bl" and blocks of at most `_blocklimit`
      postings, each its length (negative for the last), a pickle of (count, last id, highest
      weight, compression, shortest and longest length byte), and a zlib-compressed pickle of (ids
      as deltas, weights as float32: None when all 1.0, one value when all equal, values);
    - W3TermInfo sums the blocks' statistics and packs them with the postings' offset and length
      (postings are inlined into the term info only below `_inlinelimit` postings: never, at 1);
    - OrderedHashWriter writes the key (field number, word) and term info as a record, and keeps
      the record's offset and the key's hash (the low 32 bits of its MD5) for the hash tables and
      the index it writes on close.
    Offsets are counted here rather than asked of the files, and each file is written a batch of
    words at a time. `lengths` are the field's length bytes by document (`_length_bytes`), or None.
    """
    postwriter, tindex = fieldwriter._postwriter, fieldwriter._tindex
    _check_fast_path(postwriter, tindex)
    limit, comp = postwriter._blocklimit, postwriter._compression
    fixedsize = fieldwriter._format.fixed_value_size()
    values_of = _VALUES_OF[None if fixedsize is None or fixedsize < 0 else min(fixedsize, 1)]
    prefix = pack_ushort(fieldwriter._fieldid)
    postfile, termfile = fieldwriter._postfile, tindex.dbfile
    postpos, termpos = postfile.tell(), termfile.tell()
    buckets, f32 = tindex.buckets, {}
    posts, terms, offsets = [], [], []
    key = None
    for btext, postings in words:
        start = postpos
        posts.append(BLOCK_MAGIC)
        postpos += len(BLOCK_MAGIC)
        if len(postings) == 3:  # most words: one posting, one block
            docnum, weight, value = postings
            count, first_id, last_id = 1, docnum, docnum
            total = w32 = f32.get(weight)
            if w32 is None:
                total = w32 = f32[weight] = array("f", (weight,))[0]
            maxweight = weight if weight > 0 else 0
            minlen = maxlen = lengths[docnum] if lengths is not None else 0
            data = dumps(((docnum,), None if w32 == 1.0 else w32, values_of((value,) if value else ())), 2)
            info = dumps((1, docnum, maxweight, comp, minlen, maxlen), 2)
            if comp:
                data = compress(data, comp)
            posts += (pack_int(-len(info) - len(data)), info, data)
            postpos += 4 + len(info) + len(data)
        else:
            docnums, weights, values = postings[0::3], postings[1::3], postings[2::3]
            count, first_id, last_id = len(docnums), docnums[0], docnums[-1]
            total, maxweight, minlen, maxlen = 0, 0, None, 0
            for first in range(0, count, limit):
                ids = docnums[first:first + limit]
                block_weights = weights[first:first + limit]
                w32 = array("f", block_weights)
                size = len(ids)
                if w32.count(1.0) == size:
                    mini_weights = None
                elif w32.count(w32[0]) == size:
                    mini_weights = w32[0]
                else:
                    mini_weights = tuple(w32)
                data = dumps((tuple(map(sub, ids, chain((0,), ids))), mini_weights,
                              values_of([v for v in values[first:first + limit] if v])), 2)
                top = max(block_weights)
                block_max = top if top > 0 else 0
                if lengths is not None:
                    found = [b for b in map(lengths.__getitem__, ids) if b]
                    block_min, block_maxlen = (min(found), max(found)) if found else (None, 0)
                else:
                    block_min, block_maxlen = None, 0
                info = dumps((size, ids[-1], block_max, comp, block_min or 0, block_maxlen), 2)
                if comp:
                    data = compress(data, comp)
                blocklength = len(info) + len(data)
                posts += (pack_int(-blocklength if first + limit >= count else blocklength), info, data)
                postpos += 4 + blocklength
                total += sum(w32)
                maxweight = max(maxweight, block_max)
                if block_min is not None:
                    minlen = block_min if minlen is None else min(minlen, block_min)
                maxlen = max(maxlen, block_maxlen)
            minlen = minlen or 0
        key = prefix + btext
        terminfo = _TERMINFO.pack(0, total, count, minlen, maxlen, maxweight, first_id, last_id,
                                  start, postpos - start)
        terms += (_RECORD_LENGTHS.pack(len(key), len(terminfo)), key, terminfo)
        hashed = int.from_bytes(md5(key, usedforsecurity=False).digest()[-4:], "big")
        buckets[hashed & 255].append((hashed, termpos))
        offsets.append(termpos)
        termpos += _RECORD_LENGTHS.size + len(key) + len(terminfo)
        if len(posts) > _BATCH_PIECES:
            postfile.write(b"".join(posts))
            posts = []
        if len(terms) > _BATCH_PIECES:
            termfile.write(b"".join(terms))
            terms = []
    postfile.write(b"".join(posts))
    termfile.write(b"".join(terms))
    if key is not None:
        _extend_index(tindex.index, offsets)
        tindex.lastkey = key


def _values_tuple(values):
    return tuple(values)


def _values_none(values):
    return None


# W3PostingsWriter._mini_values by the format's fixed value size: values of any size as a tuple,
# none at all (size 0), or of one size joined
_VALUES_OF = {None: _values_tuple, 0: _values_none, 1: b"".join}
BLOCK_MAGIC = WHOOSH3_HEADER_MAGIC  # what each word's postings start with
_TERMINFO = struct.Struct("!BfIBBfIIqi")  # W3TermInfo.to_bytes, not inlined: _struct, offset, length
_RECORD_LENGTHS = struct.Struct("!ii")  # filetables._lengths: a record's key and value lengths
_BATCH_PIECES = 3000  # pieces of a file gathered before they are written (about 1,000 words' worth)


def _check_fast_path(postwriter, tindex) -> None:
    """`_write_field` writes what W3PostingsWriter and OrderedHashWriter with Whoosh's settings do:
    ids that are document numbers, no inlined postings, MD5 hashes."""
    if type(postwriter) is not W3PostingsWriter or postwriter._byteids or postwriter._inlinelimit > 1 \
            or type(tindex) is not OrderedHashWriter or tindex.hashfn is not md5_hash:
        raise ValueError("BulkSegmentWriter writes postings with Whoosh's W3Codec and its default settings only")


def _extend_index(index: GrowableArray, offsets: list[int]) -> None:
    """GrowableArray.extend (append each, the array made wider when one does not fit), at once
    when they all fit the array's type."""
    try:
        index.array.extend(array(index.array.typecode, offsets))
    except (OverflowError, AttributeError):  # (a wider type needed; or a list already)
        index.extend(offsets)

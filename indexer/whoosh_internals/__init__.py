"""Every place Lede reaches into Whoosh's private code, in one module, for the one Whoosh it was written for.

Whoosh-Reloaded 2.7.5 (pyproject.toml pins it) is no longer released, so what Lede changes in it
lives here; importing this module with another Whoosh stops with an error naming the version
(`WhooshVersionError`), rather than patching code that may have changed under the same names.
tests/test_whoosh_internals.py checks that every private name listed in `PRIVATE_NAMES` exists.

- **Posting lists, faster** (`install()`; `open_index` and the index writers call it, so every
  search and build uses them). None changes what is written, which stories match or their order
  (tests/test_postings.py checks each against Whoosh's own code):

  1. `W3LeafMatcher.skip_to` skips whole blocks by their highest id, then steps through the
     ids of the block one `next()` call at a time. The version below finds the same posting
     with a binary search in the block's id list.
  2. `And` builds its tree of intersections by merging the two *largest* word lists first,
     so `said cutting dropped` walks `said` (146,000 stories at 1M) against `cut` (12,000)
     for every story of `drop`. Merging the smallest first intersects `cut` and `drop`, then
     looks up the few stories left in `said`: multi-word p95 at 1M stories 153 -> 119 ms.
     Scores are the same sums added in another order, so they may differ in the last bit.
  3. `W3PerDocReader.doc_field_length` reads one byte of a field's length column from the
     file each time it is asked, and it is asked once per posting while a segment is
     written (17% of a writer's time in the profiler; writing is 4-7% faster without it)
     and once per field of every hit scored. The version below reads the column once per
     segment and field, then looks the byte up.

- **Writer processes** (`writer_processes()`): Whoosh's `MpWriter` starts `SubWriterTask`s with
  the default start method; the build has them forked, spawned or started by the fork server
  (`start_writer_server`), ending with the build, each writing its segment with the class it is
  given (`writer.BulkSegmentWriter`: Whoosh's files, faster).
- **Escaping between matches** (`EscapingFormatter`): Whoosh's `Formatter` passes the text between
  matches through its private `_text`, the one place a formatter can escape it.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import threading
import types
from bisect import bisect_left
from contextlib import contextmanager, nullcontext
from multiprocessing import forkserver
from typing import Iterator

import whoosh

WRITTEN_FOR = "2.7.5"  # the Whoosh-Reloaded release whose private code this module was written against


class WhooshVersionError(ImportError):
    """The installed Whoosh is not the one Lede's changes to its private code were written for."""


if whoosh.versionstring() != WRITTEN_FOR:
    raise WhooshVersionError(
        f"Lede reaches into Whoosh's private code written for whoosh-reloaded {WRITTEN_FOR}, but "
        f"{whoosh.versionstring()} is installed: pip install 'whoosh-reloaded=={WRITTEN_FOR}'")

from whoosh import matching, multiproc  # noqa: E402 - only once the version is known
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, W3PerDocReader, _lenfield  # noqa: E402
from whoosh.highlight import Formatter  # noqa: E402
from whoosh.matching import ReadTooFar  # noqa: E402
from whoosh.query import And  # noqa: E402
from whoosh.util.numeric import byte_to_length  # noqa: E402

from ..workers import close_inherited_locks, die_with_parent  # noqa: E402

# Whoosh's private names used here: on a class (or module) by name, and on an instance of
# W3LeafMatcher, W3PerDocReader and a column reader (which tests/test_whoosh_internals.py makes).
PRIVATE_NAMES = {
    "whoosh.codec.whoosh3": ["_lenfield", "LENGTHS_COLUMN"],
    "whoosh.multiproc": ["SubWriterTask"],
    "W3LeafMatcher": ["skip_to", "_skip_to_block", "_read_ids", "is_active", "id", "next"],
    "W3LeafMatcher()": ["_maxid", "_ids", "_i", "_blocklength"],
    "And": ["_matcher", "_tree_matcher"],
    "W3PerDocReader": ["doc_field_length", "_cached_reader"],
    "W3PerDocReader()": ["_doccount"],
    # writer.py: a segment's postings handed to the codec a block at a time
    "whoosh.multiproc (writer)": ["SegmentWriter"],
    "SegmentWriter()": ["_tempstorage", "newsegment", "perdocwriter", "fieldwriter", "pool", "_check_state",
                        "_check_fields", "_added", "codec"],
    "W3FieldWriter()": ["_postwriter", "_tindex", "_postfile", "_fieldid", "_format"],
    "W3PostingsWriter()": ["_blocklimit", "_compression", "_byteids", "_inlinelimit"],
    "OrderedHashWriter()": ["dbfile", "hashfn", "buckets", "index", "lastkey"],
    "W3PerDocWriter()": ["_storedfields", "_colwriters", "_fieldlengths", "_create_column"],
    "column reader()": ["_dbfile", "_basepos", "_count"],
    "Formatter": ["_text"],
    # bulk.py: reading whole posting lists of a segment into numpy arrays
    "SegmentReader()": ["_terms", "_perdoc"],
    "W3TermsReader()": ["_codec", "_postfile", "_tindex", "_keycoder", "_keydecoder", "term_info"],
    "W3Codec()": ["postings_reader"],
    "W3LeafMatcher() (bulk)": ["_read_weights", "_read_values", "_next_block", "_weights", "_values"],
    # bulk.py and webapp/live.py: the index a searcher was opened from, where its generation's
    # bulk arrays and facet columns are kept
    "Searcher()": ["_ix"],
}

WHOOSH = {"skip_to": W3LeafMatcher.skip_to, "and_matcher": And._matcher,
          "doc_field_length": W3PerDocReader.doc_field_length}


def skip_to(self, targetid):
    """Move to the first posting whose id is `targetid` or more (Whoosh's contract)."""
    if not self.is_active():
        raise ReadTooFar
    if targetid <= self.id():
        return
    if targetid > self._maxid:
        self._skip_to_block(lambda: targetid > self._maxid)
        if not self.is_active():
            return
    if self._ids is None:
        self._read_ids()
    # the block's highest id is at least targetid, so the search stays inside the block
    self._i = min(bisect_left(self._ids, targetid, self._i, self._blocklength), self._blocklength - 1)
    while self.is_active() and self.id() < targetid:  # only if a block's stated highest id was wrong
        self.next()


def and_matcher(self, subs, searcher, context):
    """Whoosh's `And._matcher`, with the smallest word lists intersected first."""
    reader = searcher.reader()
    return self._tree_matcher(subs, matching.IntersectionMatcher, searcher, context,
                              lambda q: q.estimate_size(reader))


def doc_field_length(self, docnum, fieldname, default=0):
    """Whoosh's `doc_field_length`, from the field's length column read into memory once
    (one byte per document: 0.3 MB a field at 327,000 stories)."""
    if docnum > self._doccount:
        raise IndexError("Asked for docnum %r of %d" % (docnum, self._doccount))
    tables = self.__dict__.setdefault("_length_bytes", {})
    if fieldname not in tables:
        tables[fieldname] = _length_bytes(self, fieldname)
    table = tables[fieldname]
    if table is None:
        return default
    lbyte = table[docnum]
    if lbyte:
        return byte_to_length(lbyte)
    return None  # as Whoosh does for a document without the field


def _length_bytes(perdoc, fieldname) -> bytes | None:
    """The field's length byte of every document of the segment, and one past the last (0)."""
    reader = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if reader is None:
        return None
    stored = reader._dbfile.get(reader._basepos, reader._count)  # a numeric "B" column: one byte each
    return stored + bytes(perdoc._doccount + 1 - len(stored))  # Whoosh leaves trailing zeros unwritten


def install() -> None:
    """Use the three changes from now on (calling it again does nothing more)."""
    W3LeafMatcher.skip_to = skip_to
    And._matcher = and_matcher
    W3PerDocReader.doc_field_length = doc_field_length


def uninstall() -> None:
    """Whoosh's own code again (for tests that compare the two)."""
    W3LeafMatcher.skip_to = WHOOSH["skip_to"]
    And._matcher = WHOOSH["and_matcher"]
    W3PerDocReader.doc_field_length = WHOOSH["doc_field_length"]


# What a writer process imports to write a segment (Whoosh, NLTK, the analysis chains): the fork
# server imports it once (`start_writer_server`)
WRITER_MODULES = ["indexer.whoosh_internals.writer", "indexer.analysis"]


class _WriterTask(multiproc.SubWriterTask):
    """Whoosh's writer process, ending with the build: killed outright, the build would otherwise
    leave it waiting on its job queue for ever. What it starts with is frozen out of the garbage
    collector's reach."""

    segment_writer = None  # the writer class each task writes its segment with (`writer_processes`)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.segment_writer = _WriterTask.segment_writer  # (an instance's: a spawned task gets it pickled)

    def run(self):
        die_with_parent()  # (the build; a spawned or fork server's process has its watch below)
        builder = multiprocessing.parent_process()  # the build, whoever forked this process
        if builder is not None:
            threading.Thread(target=_end_with, args=(builder,), name="lede-watch-build", daemon=True).start()
        close_inherited_locks()  # (a forked writer's copies of the build lock; another has none)
        # What a forked writer inherits of the build (its pages, teasers, stories: 118,000 objects the
        # garbage collector tracks at 4,000 pages) is not its to walk for cycles: a full collection
        # walked it all once in each writer (0.15-0.18 s, and each page it touched copied). Frozen,
        # each writer of the 4,000-page crawl took 2.4-2.7 s of CPU, not 2.8-3.2 (two builds each).
        gc.freeze()
        install()
        if self.multisegment and self.segment_writer is not None:  # (its runs are not those MpWriter merges otherwise)
            multiproc.SegmentWriter = self.segment_writer  # (in this process only) the writer SubWriterTask.run makes
        super().run()


def _end_with(builder) -> None:
    """End this process once the build that started it has ended (its sentinel reads as closed): a
    process the fork server forked outlives the build otherwise, and with it the server, waiting on
    each other for ever."""
    builder.join()
    os._exit(1)


@contextmanager
def _bare_main() -> Iterator[None]:
    """A process started by spawn or by the fork server imports the caller's main module again, which
    runs a script that builds an index without an `if __name__ == "__main__"` guard a second time,
    and hangs the build; so the writers start with a bare main module: they need nothing of the
    caller's."""
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


def start_writer_server() -> None:
    """Start multiprocessing's fork server with WRITER_MODULES imported in it. Writer processes
    started through it (`writer_processes("forkserver")`) start in milliseconds and hold nothing of
    this process's memory, where a spawned one first takes a second to import them again while the
    build waits on its full job queue. Call it early: the server imports them beside the build."""
    forkserver.set_forkserver_preload(WRITER_MODULES)
    with _bare_main():
        forkserver.ensure_running()


@contextmanager
def writer_processes(start: str = "spawn", segment_writer: type | None = None) -> Iterator[None]:
    """Whoosh's writer processes are `_WriterTask`s, started as `start` says (a multiprocessing start
    method):

    - "spawn": started fresh, not forked: a fork would share this process's memory, the whole
      crawl's dedup state by then, and every page of it this process then frees or touches would be
      copied, once for each writer;
    - "forkserver": forked by the fork server (`start_writer_server`): fresh, without the second it
      takes a spawned process to import Whoosh and NLTK again;
    - "fork": forked from this process, for a small crawl: then there is little to copy.

    Given a `segment_writer` (a `SegmentWriter` subclass: `writer.BulkSegmentWriter`), each process
    writes its segment with it, in MpWriter's multisegment mode."""
    before, task = multiprocessing.get_start_method(allow_none=True), multiproc.SubWriterTask
    if start == "forkserver":
        forkserver.set_forkserver_preload(WRITER_MODULES)  # (should the server be started only now)
    multiprocessing.set_start_method(start, force=True)
    multiproc.SubWriterTask = _WriterTask  # what MpWriter starts
    _WriterTask.segment_writer = segment_writer
    try:
        with _bare_main() if start != "fork" else nullcontext():
            yield
    finally:
        multiproc.SubWriterTask = task
        _WriterTask.segment_writer = None
        multiprocessing.set_start_method(before, force=True)
        if start == "forkserver":
            _stop_writer_server()


def _stop_writer_server() -> None:
    """Stop the fork server and wait for it, its writers being done: it has reaped them, so their CPU
    time is counted in this process's children (as a spawned writer's is), and nothing outlives the
    build. (`_stop` is the one way multiprocessing offers, private: CPython's own tests use it.)"""
    stop = getattr(forkserver._forkserver, "_stop", None)
    if stop is not None:
        stop()


class EscapingFormatter(Formatter):
    """A Whoosh highlight formatter whose text between matches goes through `escape_text`."""

    def escape_text(self, text: str) -> str:
        """The text between matches as it is to be shown (as it is, unless a subclass says otherwise)."""
        return text

    def _text(self, text):  # Whoosh's hook for the text between matches
        return self.escape_text(text)

"""The live index of one directory: opened once per process, reopened when a rebuild swaps in a new
generation, with a pool of searchers that requests borrow (`webapp.search` runs the queries)."""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from whoosh.index import IndexError as WhooshIndexError

from indexer.build import IndexMissing, open_index, read_vocabulary
from indexer.columns import Columns, ColumnsMissing, read_columns

# How often to look at CURRENT for a newly built generation: at every request (one stat). Then every
# server process answers from a new generation from the first request after the swap on, and a client
# never sees the new index from one process and the old one from another a moment later.
REFRESH_SECONDS = 0.0
_COLUMNS = "_lede_columns"  # where an opened generation's index keeps its facet columns


class _Generation:
    """One opened generation of the index and a pool of searchers over it."""

    def __init__(self, name: str, ix):
        self.name = name
        self.ix = ix
        self.vocabularies: dict[str, dict[str, int]] = {}  # per language, loaded on the first "Did you mean"
        self.languages = _languages(ix)
        self.idle: list = []
        self.busy = 0
        self.retired = False

    def close_idle(self) -> None:
        while self.idle:
            self.idle.pop().close()


class IndexHolder:
    """The live index of one directory, opened once per process and reopened when a rebuild swaps CURRENT.

    Whoosh searchers are not shared between threads: each request borrows one
    from a pool and gives it back. When a new generation goes live, the old
    one's searchers are closed as soon as no request is using them.
    """

    def __init__(self, index_dir: Path | str, refresh_seconds: float = REFRESH_SECONDS):
        self.index_dir = Path(index_dir)
        self.refresh_seconds = refresh_seconds
        self._lock = threading.Lock()
        self._gen: _Generation | None = None
        self._checked = 0.0
        self._stamp: tuple | None = None

    @contextmanager
    def searcher(self) -> Iterator:
        """Borrow a searcher over the live generation (raises IndexMissing when there is none)."""
        with self._lock:
            gen = self._current()
            try:
                s = gen.idle.pop() if gen.idle else gen.ix.searcher()
            except (OSError, WhooshIndexError):
                # two rebuilds removed this generation before we looked at CURRENT again
                self._retire(gen)
                self._gen = self._stamp = None
                gen = self._current()
                s = gen.idle.pop() if gen.idle else _open_searcher(gen.ix, self.index_dir)
            gen.busy += 1
        try:
            yield s
        finally:
            with self._lock:
                gen.busy -= 1
                if gen.retired:
                    s.close()
                    if gen.busy == 0:
                        gen.close_idle()
                else:
                    gen.idle.append(s)

    def languages(self) -> list[str]:
        """The languages of the live generation's stories, commonest first."""
        with self._lock:
            return self._current().languages

    def vocabulary(self, lang: str) -> dict[str, int]:
        """The live generation's spelling words in one language (word -> its stories holding it), sorted."""
        with self._lock:
            gen = self._current()
            if lang not in gen.vocabularies:
                gen.vocabularies[lang] = read_vocabulary(self.index_dir / gen.name, lang)
            return gen.vocabularies[lang]

    def columns(self, searcher) -> Columns:
        """The facet columns of the generation a borrowed searcher reads (IndexMissing when it has
        none), memory-mapped on first use and kept on its index: the same generation as the
        searcher's even when a rebuild swaps CURRENT meanwhile, and no second look at CURRENT."""
        ix = searcher._ix
        columns = ix.__dict__.get(_COLUMNS)
        if columns is None:
            try:
                columns = read_columns(Path(ix.storage.folder), searcher.doc_count_all())
            except ColumnsMissing as exc:
                raise IndexMissing(f"{exc}: rebuild it with `lede index PATH --index {self.index_dir}`") from None
            ix.__dict__[_COLUMNS] = columns  # (two first searches may both read them: the same arrays)
        return columns

    def close(self) -> None:
        """Close every idle searcher (the process is done serving)."""
        with self._lock:
            if self._gen is not None:
                self._gen.retired = True
                self._gen.close_idle()
                self._gen = None

    def _current(self) -> _Generation:
        now = time.monotonic()
        if self._gen is not None and now - self._checked < self.refresh_seconds:
            return self._gen
        self._checked = now
        stamp = self._current_stamp()
        if self._gen is not None and stamp == self._stamp:
            return self._gen
        try:
            ix = open_index(self.index_dir)  # raises IndexMissing with the command that fixes it
        except IndexMissing:  # perhaps a rebuild removed the generation CURRENT named as we read it
            ix = open_index(self.index_dir)
        name = Path(ix.storage.folder).name
        if self._gen is not None and self._gen.name == name:
            ix.close()
            self._stamp = stamp
            return self._gen
        old, self._gen, self._stamp = self._gen, _Generation(name, ix), stamp
        if old is not None:
            self._retire(old)
        return self._gen

    @staticmethod
    def _retire(gen: _Generation) -> None:
        """Stop lending gen's searchers; close them now, or as the last request using one ends."""
        gen.retired = True
        if gen.busy == 0:
            gen.close_idle()

    def _current_stamp(self) -> tuple | None:
        try:
            st = (self.index_dir / "CURRENT").stat()
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)


def _languages(ix) -> list[str]:
    """The languages an opened index holds stories in (its `lang` terms), commonest first."""
    with ix.reader() as reader:
        counts = {term.decode("utf-8") if isinstance(term, bytes) else term: reader.doc_frequency("lang", term)
                  for term in reader.lexicon("lang")}
    return sorted((lang for lang, n in counts.items() if n), key=lambda lang: (-counts[lang], lang))


def _open_searcher(ix, index_dir: Path):
    """A new searcher over an opened generation, or IndexMissing when its files are gone."""
    try:
        return ix.searcher()
    except (OSError, WhooshIndexError) as exc:
        raise IndexMissing(f"the index in {index_dir} is damaged or incomplete ({exc}): "
                           f"rebuild it with `lede index PATH --index {index_dir}`") from None

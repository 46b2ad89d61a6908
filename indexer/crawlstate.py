"""What a build remembers of its crawl, so that `lede index --update` segments only what changed.

Each generation holds, beside the index, the state of the crawl it was built from::

    gen-…/crawl/
      stats.pickle.gz  the first pass's statistics (`CrawlStats`), every count, not only common ones
      pages.bin        each page's teasers with their fingerprints, pickled, one page after another
      entries.pickle   the pages in crawl order: file, id, digest, site, where its teasers lie
      asks.bin, lines.bin, tails.bin, ends.npz
                       what segmenting each page read of the statistics (`crawlview.Consulted`), and
                       where each page's values end
      pages.pickle     each file's size and time, what reading it skipped; written last

A page's teasers depend on the page and on the answers its segmenting got from the statistics.
An update recounts the statistics with the pages added, finds which answers changed, and takes the
teasers of every other unchanged page from here.
"""
from __future__ import annotations

import functools
import gzip
import hashlib
import os
import pickle
import shutil
import threading
from array import array
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .headline import BloomSet
from .records import Page
from .crawlview import Consulted
from .sitelines import CrawlStats

STATE_DIR = "crawl"
# the code that turns pages into teasers: a state written by other code than this is not used
SEGMENTING_CODE = ("crawlstate.py", "crawlview.py", "segment.py", "pagelines.py", "menus.py", "teasers.py",
                   "articles.py", "sitelines.py", "headline.py", "dedupe.py", "text.py", "records.py", "readers/*.py",
                   "markup.py", "address.py")
STATS, PAGES, BLOBS, ENTRIES, ENDS = "stats.pickle.gz", "pages.pickle", "pages.bin", "entries.pickle", "ends.npz"
CONSULTED = {"asks": "Q", "lines": "I", "tails": "I"}  # what a page consulted (`crawlview.Consulted`), in NAME.bin
ENTRIES_BATCH = 4096  # page entries pickled together


@dataclass(slots=True)
class PageEntry:
    """One page of the crawl as the state knows it."""

    source: str  # the file it was read from (`Page.source`)
    id: str
    digest: bytes  # of everything segmenting reads of the page
    site: str
    at: int  # where its pickled teasers lie in pages.bin
    size: int


@dataclass(slots=True)
class SegmentedPage:
    """A page segmented with a record of what it read: made in a worker, kept by the state."""

    source: str
    id: str
    digest: bytes
    site: str
    blob: bytes  # pickled: its [(teaser, fingerprint)], or why it could not be segmented
    consulted: Consulted

    def __reduce__(self):
        return SegmentedPage, tuple(getattr(self, name) for name in self.__slots__)


@functools.cache
def state_version() -> str:
    """A digest of the code that segments pages: a state is used only by the code that wrote it."""
    here = Path(__file__).parent
    files = [path for pattern in SEGMENTING_CODE for path in sorted(here.glob(pattern))]
    return hashlib.blake2b(b"".join(path.read_bytes() for path in files), digest_size=8).hexdigest()


def page_digest(page: Page) -> bytes:
    """A digest of the page as segmenting reads it."""
    parts = [page.id, page.site, page.url or "", page.title or "", page.date or "", page.lang or "", *page.lines,
             *(repr(block) for block in page.blocks or ())]
    return hashlib.blake2b("\x00".join(parts).encode("utf-8", "surrogatepass"), digest_size=16).digest()


def file_stamp(path: str) -> tuple[int, int] | None:
    """A file's size and modification time: while both stay the same, its pages are taken as unchanged."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


class StateWriter:
    """Collects a build's crawl state as its pages come, in crawl order, in a folder of the index
    directory; `move_into` puts it into the new generation. Every page goes straight to disk: at a
    million teasers, holding them would add 170 MB to the build's peak."""

    def __init__(self, index_dir: Path) -> None:
        self.dir = Path(index_dir) / f".crawl-{os.getpid()}"
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir.mkdir(parents=True)
        self.blobs = open(self.dir / BLOBS, "wb")
        self.end = 0
        self.entries = open(self.dir / ENTRIES, "wb")
        self.pending: list[tuple] = []  # entries not yet written
        self.count = 0
        self.consulted = {name: open(self.dir / f"{name}.bin", "wb") for name in CONSULTED}
        self.ends = {name: array("q") for name in CONSULTED}  # where each page's values end
        self.sizes = dict.fromkeys(CONSULTED, 0)
        self.files: dict[str, tuple] = {}  # source -> (stamp taken before reading it, name, site)
        self.skipped: dict[str, list[tuple[str, str]]] = {}  # source -> what reading it skipped
        self.usable = True
        self.saving: threading.Thread | None = None  # writing the statistics (`save_stats`)
        self.saving_failed: BaseException | None = None

    def add(self, page: SegmentedPage) -> None:
        self.blobs.write(page.blob)
        self.pending.append((page.source, page.id, page.digest, page.site, self.end, len(page.blob)))
        self.end += len(page.blob)
        self.count += 1
        if len(self.pending) >= ENTRIES_BATCH:
            self._write_entries()
        for name, dtype in CONSULTED.items():
            values = getattr(page.consulted, name)
            data = values.tobytes() if isinstance(values, np.ndarray) else array(dtype, values).tobytes()
            self.consulted[name].write(data)
            self.sizes[name] += len(values)
            self.ends[name].append(self.sizes[name])

    def _write_entries(self) -> None:
        pickle.dump(self.pending, self.entries, protocol=pickle.HIGHEST_PROTOCOL)
        self.pending = []

    def file_read(self, source: str, name: str, site: str, stamp: tuple[int, int] | None,
                  skipped: list[tuple[str, str]]) -> None:
        """A file of the crawl: its path (`Page.source`), name and site as `sources.crawl_listing`
        gives them, its stamp taken before it was read, and what reading it skipped."""
        if source in self.files:
            self.usable = False  # read twice (the paths given overlap): the state cannot tell the copies apart
        self.files[source] = (stamp, name, site)
        if skipped:
            self.skipped[source] = skipped

    def save_stats(self, stats: CrawlStats) -> None:
        """The first pass's full statistics (call before `forget_rare`), compressed as they are
        written: their Bloom sets are mostly zeros (34 MB become 4 at 100k teasers). They are pickled
        here and compressed and written by a thread while the build goes on (zlib lets the GIL go:
        0.1-0.3 s that no longer hold up the second pass); `move_into` waits for it."""
        data = pickle.dumps(stats, protocol=pickle.HIGHEST_PROTOCOL)
        self.saving = threading.Thread(target=self._write_stats, args=(data,), name="lede-save-stats", daemon=True)
        self.saving.start()

    def _write_stats(self, data: bytes) -> None:
        try:
            with gzip.open(self.dir / STATS, "wb", compresslevel=1) as fh:
                fh.write(data)
        except BaseException as exc:  # noqa: BLE001 - raised in the build's thread, by `move_into`
            self.saving_failed = exc

    def _saved(self) -> None:
        """Wait for the statistics to be written; raise what writing them raised."""
        if self.saving is not None:
            self.saving.join()
            self.saving = None
        if self.saving_failed is not None:
            raise self.saving_failed

    def move_into(self, gen: Path) -> None:
        """Finish the state and make it the generation's (before the generation goes live)."""
        self._saved()
        self._write_entries()
        for fh in (self.blobs, self.entries, *self.consulted.values()):
            fh.close()
        np.savez(self.dir / ENDS, **{name: np.frombuffer(ends, np.int64) for name, ends in self.ends.items()})
        with open(self.dir / PAGES, "wb") as fh:  # last: a state without it is incomplete
            pickle.dump({"version": state_version() if self.usable else None, "pages": self.count,
                         "files": self.files, "skipped": self.skipped}, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(self.dir, gen / STATE_DIR)

    def discard(self) -> None:
        if self.saving is not None:
            self.saving.join()
        for fh in (self.blobs, self.entries, *self.consulted.values()):
            fh.close()
        shutil.rmtree(self.dir, ignore_errors=True)


@dataclass
class CrawlState:
    """The crawl state of a live generation, as an update reads it."""

    dir: Path
    entries: list[PageEntry]
    files: dict[str, tuple]  # source -> (stamp, name, site)
    skipped: dict[str, list[tuple[str, str]]]
    consulted: dict[str, np.ndarray] = field(repr=False)  # name -> values, and name_ends -> where each page's end
    stats: CrawlStats = field(repr=False)

    @classmethod
    def load(cls, gen: Path) -> "CrawlState | None":
        """The generation's crawl state; None when it has none, or one this code did not write, or
        one damaged: then the update reads the whole crawl, as a full build does."""
        folder = gen / STATE_DIR
        try:
            with open(folder / PAGES, "rb") as fh:
                pages = pickle.load(fh)
            if pages.get("version") != state_version():
                return None
            entries: list[PageEntry] = []
            with open(folder / ENTRIES, "rb") as fh:
                while fh.peek(1):
                    entries.extend(PageEntry(*values) for values in pickle.load(fh))
            if len(entries) != pages["pages"] or (folder / BLOBS).stat().st_size != (
                    entries[-1].at + entries[-1].size if entries else 0):
                return None
            consulted = {}
            with np.load(folder / ENDS) as ends:
                for name, dtype in CONSULTED.items():
                    consulted[name] = np.fromfile(folder / f"{name}.bin", np.dtype(dtype))
                    consulted[f"{name}_ends"] = ends[name]
                    if len(ends[name]) != len(entries) or (len(entries) and ends[name][-1] != len(consulted[name])):
                        return None
            with gzip.open(folder / STATS, "rb") as fh:
                stats = pickle.load(fh)
        except Exception:  # noqa: BLE001 - whatever is wrong with it, a full read loses nothing
            return None
        return cls(folder, entries, pages["files"], pages["skipped"], consulted, stats)

    def page_consulted(self, n: int) -> tuple:
        """What page n read of the statistics: its slices of the three arrays."""
        out = []
        for name in CONSULTED:
            ends = self.consulted[f"{name}_ends"]
            out.append(self.consulted[name][ends[n - 1] if n else 0:ends[n]])
        return tuple(out)

    def page_owners(self, name: str) -> np.ndarray:
        """For every value of consulted[name], the page that read it."""
        ends = self.consulted[f"{name}_ends"]
        return np.repeat(np.arange(len(ends), dtype=np.int64), np.diff(ends, prepend=0))


def bloom_holds(bloom: BloomSet, keys: np.ndarray) -> np.ndarray:
    """`key in bloom` for many keys at once."""
    bits = np.frombuffer(bloom.bits, np.uint8)
    found = np.ones(len(keys), bool)
    keys = keys.astype(np.uint64)
    for multiplier in BloomSet.PROBES:
        bit = ((keys * np.uint64(multiplier)) & np.uint64(0xFFFFFFFF)) >> np.uint64(bloom.shift)
        found &= (bits[(bit >> np.uint64(3)).astype(np.int64)] >> (bit & np.uint64(7)).astype(np.uint8)) & 1 == 1
    return found


def changed_asks(state: CrawlState, known) -> np.ndarray:
    """The pages (by number) whose Bloom set lookups get another answer from `known` now."""
    asks = state.consulted["asks"]
    if not len(asks):
        return np.zeros(0, np.int64)
    keys, tags, found = asks >> np.uint64(2), (asks >> np.uint64(1)) & np.uint64(1), (asks & np.uint64(1)) == 1
    lines = tags == 0
    now = np.empty(len(keys), bool)  # each key looked up in its own set only
    now[lines] = bloom_holds(known.lines, keys[lines])
    now[~lines] = bloom_holds(known.openings, keys[~lines])
    return np.unique(state.page_owners("asks")[now != found])

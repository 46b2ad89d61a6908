"""What a build remembers of its crawl, so that `lede index --update` segments only what changed.

Each generation holds, beside the index, the state of the crawl it was built from::

    gen-…/crawl/
      stats.pickle     the first pass's statistics (`CrawlStats`), every count, not only common ones
      pages.bin        each page's teasers with their fingerprints, pickled, one page after another
      pages.pickle     the pages in crawl order (file, id, digest, site, where its teasers lie),
                       each file's size and time, and what reading each file skipped
      consulted.npz    what segmenting each page read of the statistics (`segment.Consulted`)

A page's teasers depend on the page and on the answers its segmenting got from the statistics.
An update recounts the statistics with the pages added, finds which answers changed, and takes the
teasers of every other unchanged page from here.
"""
from __future__ import annotations

import functools
import hashlib
import os
import pickle
import shutil
import zlib
from array import array
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .headline import BloomSet
from .records import Page
from .segment import Consulted, CrawlStats

STATE_DIR = "crawl"
# the code that turns pages into teasers: a state written by other code than this is not used
SEGMENTING_CODE = ("crawlstate.py", "segment.py", "headline.py", "dedupe.py", "text.py", "records.py", "sources.py")
STATS, PAGES, BLOBS, CONSULTED = "stats.pickle", "pages.pickle", "pages.bin", "consulted.npz"


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
    return hashlib.blake2b(b"".join((here / name).read_bytes() for name in SEGMENTING_CODE), digest_size=8).hexdigest()


def page_digest(page: Page) -> bytes:
    """A digest of the page as segmenting reads it."""
    parts = [page.id, page.site, page.url or "", page.title or "", page.date or "", *page.lines]
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
    directory; `move_into` puts it into the new generation."""

    def __init__(self, index_dir: Path) -> None:
        self.dir = Path(index_dir) / f".crawl-{os.getpid()}"
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir.mkdir(parents=True)
        self.blobs = open(self.dir / BLOBS, "wb")
        self.end = 0
        self.entries: list[PageEntry] = []
        self.files: dict[str, tuple] = {}  # source -> (stamp taken before reading it, name, site)
        self.skipped: dict[str, list[tuple[str, str]]] = {}  # source -> what reading it skipped
        self.asks, self.lines, self.tails = array("Q"), array("I"), array("I")
        self.ends = {"asks": array("q"), "lines": array("q"), "tails": array("q")}  # per page
        self.usable = True

    def add(self, page: SegmentedPage) -> None:
        self.blobs.write(page.blob)
        self.entries.append(PageEntry(page.source, page.id, page.digest, page.site, self.end, len(page.blob)))
        self.end += len(page.blob)
        self._consulted(page.consulted.asks, page.consulted.lines, page.consulted.tails)

    def add_kept(self, entry: PageEntry, blob: bytes, consulted: tuple) -> None:
        """A page of the previous state whose teasers stand: its blob and consulted arrays as they were."""
        self.blobs.write(blob)
        self.entries.append(PageEntry(entry.source, entry.id, entry.digest, entry.site, self.end, len(blob)))
        self.end += len(blob)
        self._consulted(*consulted)

    def _consulted(self, asks, lines, tails) -> None:
        for name, values, into in (("asks", asks, self.asks), ("lines", lines, self.lines), ("tails", tails, self.tails)):
            if isinstance(values, np.ndarray):
                into.frombytes(values.tobytes())
            else:
                into.extend(values)
            self.ends[name].append(len(into))

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
        """The first pass's full statistics (call before `forget_rare`); compressed, as their Bloom
        sets are mostly zeros (34 MB become 4 at 100k teasers)."""
        with open(self.dir / STATS, "wb") as fh:
            fh.write(zlib.compress(pickle.dumps(stats, protocol=pickle.HIGHEST_PROTOCOL), 1))

    def move_into(self, gen: Path) -> None:
        """Finish the state and make it the generation's (before the generation goes live)."""
        self.blobs.close()
        with open(self.dir / PAGES, "wb") as fh:
            pickle.dump({"version": state_version() if self.usable else None, "entries": self.entries, "files": self.files,
                         "skipped": self.skipped}, fh, protocol=pickle.HIGHEST_PROTOCOL)
        np.savez(self.dir / CONSULTED, asks=np.frombuffer(self.asks, np.uint64),
                 lines=np.frombuffer(self.lines, np.uint32), tails=np.frombuffer(self.tails, np.uint32),
                 **{f"{name}_ends": np.frombuffer(ends, np.int64) for name, ends in self.ends.items()})
        os.replace(self.dir, gen / STATE_DIR)

    def discard(self) -> None:
        self.blobs.close()
        shutil.rmtree(self.dir, ignore_errors=True)


@dataclass
class CrawlState:
    """The crawl state of a live generation, as an update reads it."""

    dir: Path
    entries: list[PageEntry]
    files: dict[str, tuple]  # source -> (stamp, name, site)
    skipped: dict[str, list[tuple[str, str]]]
    consulted: dict[str, np.ndarray] = field(repr=False)
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
            entries = pages["entries"]
            if (folder / BLOBS).stat().st_size != (entries[-1].at + entries[-1].size if entries else 0):
                return None
            with np.load(folder / CONSULTED) as arrays:
                consulted = {name: arrays[name] for name in arrays.files}
            if any(len(consulted[f"{name}_ends"]) != len(entries) for name in ("asks", "lines", "tails")):
                return None
            stats = pickle.loads(zlib.decompress((folder / STATS).read_bytes()))
        except Exception:  # noqa: BLE001 - whatever is wrong with it, a full read loses nothing
            return None
        return cls(folder, entries, pages["files"], pages["skipped"], consulted, stats)

    def page_consulted(self, n: int) -> tuple:
        """What page n read of the statistics: its slices of the three arrays."""
        out = []
        for name in ("asks", "lines", "tails"):
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
    now = np.where(tags == 0, bloom_holds(known.lines, keys), bloom_holds(known.openings, keys))
    return np.unique(state.page_owners("asks")[now != found])

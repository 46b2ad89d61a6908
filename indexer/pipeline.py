"""The whole build, start to end: read the crawl twice, segment, deduplicate, write the index.

On a crawl of a few megabytes or more, forked worker processes (one a core) do the reading and
the per-page work, each taking its turn at a chunk of pages: the first pass's statistics are added
up from theirs, and in the second pass they segment and fingerprint while this process
deduplicates their teasers in crawl order. The stories are the same as one process finds.

Every build keeps in its generation what it learnt of the crawl and each page's teasers
(`crawlstate`): `lede index --update` (`update`) then segments only the pages that need it.
"""
from __future__ import annotations

import multiprocessing
import os
import pickle
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from tqdm import tqdm

from .build import build_lock, current_generation, write_index, writer_limitmb, writer_procs
from .crawlstate import CrawlState, SegmentedPage, StateWriter, file_stamp, page_digest
from .dedupe import Deduplicator, fingerprint_of
from .processes import cores, die_with_parent, release_memory
from .records import Page, Story
from .segment import Consulted, CrawlStats, segment_page
from .readers import ReadReport, crawl_files, crawl_listing, iter_pages, printable

MAX_WORKERS = 4  # processes reading and segmenting a large crawl; this process deduplicates
PARALLEL_MIN_BYTES = 4 << 20  # a smaller crawl is read in this process: starting workers costs more
CHUNK_PAGES = 64  # pages a worker segments before it hands them over


@dataclass
class BuildSummary:
    """What a build read, skipped, found and wrote."""

    pages_read: int = 0
    files_read: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    teasers: int = 0
    stories: int = 0
    merged: int = 0
    seconds: float = 0.0
    index: str = ""
    segmented: int | None = None  # in an update: pages segmented (the others' teasers were kept)

    def lines(self) -> list[str]:
        """The summary a person reads at the end of a build."""
        out = [f"pages read: {self.pages_read} (from {self.files_read} files), skipped: {len(self.skipped)}",
               f"teasers seen: {self.teasers}, stories indexed: {self.stories}, "
               f"duplicates merged: {self.merged}",
               f"time: {self.seconds:.1f} s, index: {self.index}"]
        if self.segmented is not None:
            out.insert(1, f"pages segmented: {self.segmented} (the other pages' teasers kept from the last build)")
        if self.skipped:
            out.append("skipped:")
            out.extend(f"  {where}: {why}" for where, why in self.skipped)
        return out


class EmptyCrawl(Exception):
    """Not one page could be read: the build stops and the live index stays as it was."""

    def __init__(self, summary: BuildSummary) -> None:
        super().__init__("no pages could be read")
        self.summary = summary


def crawl_stories(paths: Iterable[Path | str], summary: BuildSummary, progress: bool = False,
                  workers: int | None = None, state: StateWriter | None = None) -> Iterator[Story]:
    """Read, segment and deduplicate a crawl (two passes over the pages); the stories come out one
    at a time, each draft freed as its story is given, and summary.stories counts them.

    A large crawl is read and segmented by `workers` processes (one a core, by default), taking
    chunks of pages in turn; this process deduplicates the teasers in crawl order as they come, so
    the stories are the same whatever the number of workers. Given a `state`, what an update needs
    of the crawl is kept in it.
    """
    paths = [Path(p) for p in paths]
    if workers is None:
        workers = default_workers(paths)
    if state is not None:  # each file's stamp before it is read: a file changed meanwhile is read again by an update
        files = [(printable(path), name, site, file_stamp(path)) for path, name, site in crawl_listing(paths, ReadReport())]
    stats = learn(paths, workers)
    if state is not None:
        state.save_stats(stats)
    stats.forget_rare()  # the rare counts answer as none would: the pages are segmented the same
    release_memory()
    report = ReadReport()
    segmented = _segment(paths, stats, workers, report)
    failed: list[tuple[str, str]] = []
    dedup = deduplicate(progress_bar(segmented, progress, "segmenting"), failed, state)
    if state is not None:
        for source, name, site, stamp in files:
            state.file_read(source, name, site, stamp,
                            [s for s in report.skipped if s[0] == source or s[0].startswith(source + ":")])
    summary.pages_read, summary.files_read = report.pages_read, report.files_read
    summary.skipped = report.skipped + failed  # files and records that could not be read, then pages not segmented
    summary.teasers, summary.merged = dedup.teasers_seen, dedup.merged
    del stats, segmented
    dedup.finish()
    release_memory()  # before the index writers start, so that the build's peak is this process's alone
    return counted(dedup.stories(), summary)


def deduplicate(pages: Iterable[SegmentedPage], failed: list[tuple[str, str]],
                state: StateWriter | None) -> Deduplicator:
    """Every page's teasers into one deduplicator, in crawl order; pages that could not be
    segmented go to `failed` with the reason. Each page is also kept in `state`."""
    dedup = Deduplicator()
    for page in pages:
        if state is not None:
            state.add(page)
        teasers = pickle.loads(page.blob)
        if isinstance(teasers, str):
            failed.append((page.id, teasers))
            continue
        for teaser, fingerprint in teasers:
            dedup.add_fingerprinted(teaser, fingerprint)
    return dedup


def default_workers(paths: list[Path]) -> int:
    """One worker a core (at most MAX_WORKERS); none for a crawl too small to repay starting them."""
    workers = min(cores(), MAX_WORKERS)
    return workers if workers > 1 and _crawl_bytes(paths) >= PARALLEL_MIN_BYTES else 1


def _crawl_bytes(paths: list[Path]) -> int:
    total = 0
    for path in paths:
        if path.is_dir():
            total += sum(_size(path / rel) for rel in crawl_files(str(path), ReadReport()))
        else:
            total += _size(path)
    return total


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _mine(n: int, worker: int, workers: int) -> bool:
    """Whether page n of the crawl is this worker's: workers take turns, a chunk of pages each."""
    return (n // CHUNK_PAGES) % workers == worker


def learn(paths: list[Path], workers: int) -> CrawlStats:
    """The first pass: what the crawl says about its sites and headlines (`CrawlStats`)."""
    if workers == 1:
        return _learn_share(paths, 0, 1)
    stats = CrawlStats()
    for conn in _fan_out(_learn_worker, paths, workers):
        part = _receive(conn)[1]
        stats.merge(part)
        del part  # one worker's share at a time: a million pages' counts are large
    return stats


def _learn_share(paths: list[Path], worker: int, workers: int) -> CrawlStats:
    stats = CrawlStats()
    for n, page in enumerate(iter_pages(paths, ReadReport())):
        if _mine(n, worker, workers):
            stats.observe(page)
    return stats


def _learn_worker(conn, paths: list[Path], worker: int, workers: int) -> None:
    conn.send(("stats", _learn_share(paths, worker, workers)))


def _segment(paths: list[Path], stats: CrawlStats, workers: int,
             report: ReadReport) -> Iterator[SegmentedPage]:
    """The second pass: every page segmented, in crawl order."""
    if workers == 1:
        for page in iter_pages(paths, report):
            yield segment_one(page, stats)
        return
    conns = _fan_out(_segment_worker, paths, workers, stats)
    chunk = 0
    while True:
        kind, payload = _receive(conns[chunk % workers])
        if kind == "end":  # this worker had no chunk left: neither has any other
            break
        yield from payload
        chunk += 1
    done = [payload] + [_receive(conn)[1] for n, conn in enumerate(conns) if n != chunk % workers]
    read = done[0]  # every worker read the whole crawl: their reports are the same
    report.pages_read, report.files_read = read.pages_read, read.files_read
    report.skipped.extend(read.skipped)


def segment_one(page: Page, stats: CrawlStats) -> SegmentedPage:
    """The page's teasers with their fingerprints for the deduplicator (or the reason it has none),
    with what segmenting it read of the statistics."""
    consulted = Consulted()
    try:
        teasers = [(teaser, fingerprint_of(teaser)) for teaser in segment_page(page, stats, consulted)]
    except Exception as exc:  # a bug must cost one page, reported, not the whole build
        teasers = f"could not segment ({type(exc).__name__}: {exc})"
    return SegmentedPage(page.source, page.id, page_digest(page), page.site,
                         pickle.dumps(teasers, protocol=pickle.HIGHEST_PROTOCOL), consulted)


def _segment_worker(conn, paths: list[Path], worker: int, workers: int, stats: CrawlStats) -> None:
    report = ReadReport()
    batch: list[SegmentedPage] = []
    owner = os.getppid()
    for n, page in enumerate(iter_pages(paths, report)):
        if _mine(n, worker, workers):
            batch.append(segment_one(page, stats))
        elif batch:  # the chunk is done: hand it over
            conn.send(("chunk", batch))
            batch = []
            if os.getppid() != owner:
                return  # the build was killed: stop, and release what it held
    if batch:
        conn.send(("chunk", batch))
    conn.send(("end", report))


def _fan_out(target, paths: list[Path], workers: int, *args) -> list:
    """Start `workers` forked processes running target(conn, paths, worker, workers, *args);
    return the connections to read what they send from."""
    context = multiprocessing.get_context("fork")  # the workers share the first pass's stats for free
    conns = []
    for worker in range(workers):
        ours, theirs = context.Pipe(duplex=False)
        process = context.Process(target=_guarded, args=(target, theirs, os.getpid(), paths, worker, workers, *args),
                                  daemon=True, name=f"lede-{target.__name__.strip('_')}-{worker}")
        process.start()
        theirs.close()  # so that a worker's death reads as end of file here
        conns.append(ours)
    return conns


def _guarded(target, conn, owner: int, *args) -> None:
    """A worker's body: it dies with the build, and its failure travels back as a message, not a hang."""
    try:
        die_with_parent(owner)
        target(conn, *args)
    except KeyboardInterrupt:
        pass
    except BrokenPipeError:
        pass  # the build is gone (killed): nobody to report to
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises it
        try:
            conn.send(("error", f"{type(exc).__name__}: {exc}"))
        except OSError:
            pass
    finally:
        conn.close()


def _receive(conn) -> tuple[str, object]:
    try:
        kind, payload = conn.recv()
    except EOFError:
        raise WorkerFailed("a build worker died (out of memory, or killed)") from None
    if kind == "error":
        raise WorkerFailed(f"a build worker failed: {payload}")
    return kind, payload


class CrawlChanged(RuntimeError):
    """Files changed while the build read them: the build stops and the live index stays as it was."""


class WorkerFailed(RuntimeError):
    """A worker process of the build stopped: the build stops and the live index stays as it was."""


def counted(stories: Iterator[Story], summary: BuildSummary) -> Iterator[Story]:
    for story in stories:
        summary.stories += 1
        yield story


def build_index(paths: Iterable[Path | str], index_dir: Path | str, progress: bool = False,
                update: bool = False) -> BuildSummary:
    """Build a new index generation from a crawl and make it live; the old one serves until then.

    With `update`, the stories are those a full build finds, but only the pages that need it are
    segmented (`update.updated_stories`, from the live generation's crawl state) and only new,
    changed and removed stories are written to the index.
    """
    from .update import updated_stories  # (it builds on this module)

    started = time.perf_counter()
    summary = BuildSummary()
    index_dir = Path(index_dir)
    with build_lock(index_dir):  # a second build refuses at once, not after reading the crawl
        state = StateWriter(index_dir)
        try:
            live = current_generation(index_dir) if update else None
            previous = CrawlState.load(live) if live else None
            if previous is not None:
                stories = updated_stories(list(paths), previous, summary, state, progress)
            else:
                stories = crawl_stories(paths, summary, progress, state=state)
            if summary.pages_read == 0:
                raise EmptyCrawl(summary)
            gen = write_index(progress_bar(stories, progress, "indexing"), index_dir,
                              meta={"pages": summary.pages_read, "teasers": summary.teasers}, locked=True,
                              update=update, procs=writer_procs(summary.teasers, update),
                              limitmb=writer_limitmb(summary.teasers), state=state)
        finally:
            state.discard()  # (nothing left to remove once the generation holds it)
    summary.index = str(gen)
    summary.seconds = time.perf_counter() - started
    return summary


def progress_bar(items: Iterable, enabled: bool, desc: str, total: int | None = None) -> Iterator:
    if not enabled:
        return iter(items)
    return iter(tqdm(items, desc=desc, total=total, unit=" items", file=sys.stderr, leave=False,
                     disable=not sys.stderr.isatty()))


__all__ = ["BuildSummary", "CrawlChanged", "EmptyCrawl", "WorkerFailed", "build_index", "crawl_stories"]

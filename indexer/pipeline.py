"""The whole build, start to end: read the crawl twice, segment, deduplicate, write the index.

On a crawl of a megabyte or more, forked worker processes (one a core, `workers`) do the reading
and the per-page work, each taking its turn at a chunk of pages: in the second pass they segment and
fingerprint while this process deduplicates their teasers in crawl order (`passes`); the first pass's
statistics are added up from this process's share and theirs, from 4 MB of crawl (under it, sending a
worker's statistics back costs more than it saves: `passes.learning_workers`). The stories are the
same as one process finds.

Every build keeps in its generation what it learnt of the crawl and each page's teasers
(`crawlstate`): `lede index --update` (`update`) then segments only the pages that need it.
"""
from __future__ import annotations

import importlib
import time
from pathlib import Path
from typing import Iterable, Iterator

from .crawlstate import CrawlState, StateWriter, file_stamp
from .generations import build_lock, current_generation
from .language import preload, tag_languages
from .passes import (BuildSummary, CrawlChanged, EmptyCrawl, counted, crawl_bytes, deduplicate, default_workers,
                     learn, learning_workers, progress_bar, segment_crawl)
from .readers import ReadReport, crawl_listing, printable
from .records import Story
from .update import updated_stories
from .workers import WorkerFailed, release_memory

# A crawl of this many bytes or more (about 45,000 teasers of the benchmark's crawls) starts the fork
# server for its writer processes as the build starts (`whoosh_internals.start_writer_server`)
WRITER_SERVER_MIN_BYTES = 20 << 20


def import_writer() -> None:
    """Import the index writer's modules (`build`: Whoosh, NLTK, numpy's arrays beside the index; about
    0.5 s). A build reads and segments the crawl without them; `crawl_stories` imports them here while
    its forked workers segment, when this process has little else to do, not before the first pass."""
    importlib.import_module(".build", __package__)


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
    learners = workers
    if workers is None:
        workers = default_workers(paths)
        learners = learning_workers(paths, workers)
    if state is not None:  # each file's stamp before it is read: a file changed meanwhile is read again by an update
        files = [(printable(path), name, site, file_stamp(path)) for path, name, site in crawl_listing(paths, ReadReport())]
    stats = learn(paths, learners)
    if state is not None:
        state.save_stats(stats)
    stats.forget_rare()  # the rare counts answer as none would: the pages are segmented the same
    release_memory()
    report = ReadReport()
    segmented = segment_crawl(paths, stats, workers, report, meanwhile=import_writer)
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


def build_index(paths: Iterable[Path | str], index_dir: Path | str, progress: bool = False,
                update: bool = False) -> BuildSummary:
    """Build a new index generation from a crawl and make it live; the old one serves until then.

    With `update`, the stories are those a full build finds, but only the pages that need it are
    segmented (`update.updated_stories`, from the live generation's crawl state) and only new,
    changed and removed stories are written to the index.
    """
    started = time.perf_counter()
    summary = BuildSummary()
    index_dir, paths = Path(index_dir), [Path(p) for p in paths]
    with build_lock(index_dir):  # a second build refuses at once, not after reading the crawl
        preload()  # the language detector's model, while the crawl is read
        server = crawl_bytes(paths) >= WRITER_SERVER_MIN_BYTES
        if server:  # (its imports, too, while the crawl is read)
            from .whoosh_internals import start_writer_server
            start_writer_server()
        state = StateWriter(index_dir)
        try:
            live = current_generation(index_dir) if update else None
            previous = CrawlState.load(live) if live else None
            if previous is not None:
                stories = updated_stories(paths, previous, summary, state, progress)
            else:
                stories = crawl_stories(paths, summary, progress, state=state)
            if summary.pages_read == 0:
                raise EmptyCrawl(summary)
            from .build import write_index, writer_limitmb, writer_procs, writers_start
            gen = write_index(progress_bar(tag_languages(stories), progress, "indexing"), index_dir,
                              meta={"pages": summary.pages_read, "teasers": summary.teasers}, locked=True,
                              update=update, procs=writer_procs(summary.teasers, update),
                              limitmb=writer_limitmb(summary.teasers), state=state,
                              start=writers_start(summary.teasers, server))
        finally:
            state.discard()  # (nothing left to remove once the generation holds it)
    summary.index = str(gen)
    summary.seconds = time.perf_counter() - started
    return summary


__all__ = ["BuildSummary", "CrawlChanged", "EmptyCrawl", "WorkerFailed", "build_index", "crawl_stories"]

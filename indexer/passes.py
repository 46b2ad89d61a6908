"""The passes over a crawl that the full build (`pipeline`) and the update (`update`) share.

`learn` counts what the crawl says of its sites and headlines (the first pass); `segment_one` turns a
page into its teasers with their fingerprints (the second pass, in worker processes on a large
crawl: `workers`); `deduplicate` merges every page's teasers into stories in crawl order. A
`BuildSummary` tells what a build read, skipped, found and wrote.
"""
from __future__ import annotations

import pickle
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Generator, Iterable, Iterator

from tqdm import tqdm

from .crawlstate import SegmentedPage, StateWriter, page_digest
from .dedupe import Deduplicator, Fingerprint, Fingerprints, fingerprint_of
from .readers import ReadReport, crawl_files, iter_pages
from .markup import markup_teasers
from .records import Page, Story, Teaser
from .crawlview import Consulted
from .segment import segment_page
from .sitelines import CrawlStats
from .text import forget_memos
from .workers import cores, in_turn, mine, shares

MAX_WORKERS = 4  # processes reading and segmenting a large crawl; this process deduplicates
# A smaller crawl is read in this process: forked workers start in milliseconds, but each reads the
# whole crawl (about 0.05 s a MB) and pickles its teasers back, against about 0.7 s a MB of segmenting.
PARALLEL_MIN_BYTES = 1 << 20
# ... and the first pass is learnt in this process alone on a crawl under this size: learning takes
# about 0.16 s of CPU a MB, and a worker's share comes back as its statistics, two Bloom sets of 16 MB
# whatever the crawl's size, which it takes the worker about 0.15 s to pickle and send and this process
# 0.06 s to take in and join (on the 1,000-page bench crawl, 2.8 MB, two processes learnt in 0.6-0.8 s
# of CPU, one in 0.4-0.5 s, in no less time on a loaded machine).
LEARN_PARALLEL_MIN_BYTES = 4 << 20


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


class CrawlChanged(RuntimeError):
    """Files changed while the build read them: the build stops and the live index stays as it was."""


def default_workers(paths: list[Path]) -> int:
    """One worker a core (at most MAX_WORKERS); none for a crawl too small to repay starting them."""
    workers = min(cores(), MAX_WORKERS)
    return workers if workers > 1 and crawl_bytes(paths) >= PARALLEL_MIN_BYTES else 1


def learning_workers(paths: list[Path], workers: int) -> int:
    """The workers of the first pass, given those of the second: none under LEARN_PARALLEL_MIN_BYTES."""
    return workers if workers > 1 and crawl_bytes(paths) >= LEARN_PARALLEL_MIN_BYTES else 1


def crawl_bytes(paths: list[Path]) -> int:
    """The bytes of the crawl's page files."""
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


def learn(paths: list[Path], workers: int) -> CrawlStats:
    """The first pass: what the crawl says about its sites and headlines (`CrawlStats`), each
    worker counting its share of the pages."""
    if workers == 1:
        return _learn_share(paths, 0, 1)
    stats = None
    for part in shares(lambda worker, of: _learn_share(paths, worker, of), workers):
        if stats is None:
            stats = part  # (the first worker's counts are the start: not copied into empty ones)
            continue
        stats.merge(part)
        del part  # one worker's share at a time: a million pages' counts are large
    return stats


def _learn_share(paths: list[Path], worker: int, workers: int) -> CrawlStats:
    stats = CrawlStats()
    for n, page in enumerate(iter_pages(paths, ReadReport())):
        if mine(n, worker, workers):
            stats.observe(page)
    return stats


def segment_crawl(paths: list[Path], stats: CrawlStats, workers: int, report: ReadReport,
                  meanwhile: Callable[[], None] | None = None) -> Iterator[SegmentedPage]:
    """The second pass: every page of the crawl segmented, in crawl order; what was read goes to
    `report` (every worker reads the whole crawl: their reports are the same). `meanwhile` is
    called once the workers are started (`workers.in_turn`)."""
    fingerprints = Fingerprints()  # (each worker remembers its own)
    read = yield from in_turn(lambda: _read(paths), lambda page: segment_one(page, stats, fingerprints), workers,
                              meanwhile)
    forget_memos()  # (what the lines' facts remembered frees memory for the deduplicating and writing)
    report.pages_read, report.files_read = read.pages_read, read.files_read
    report.skipped.extend(read.skipped)


def _read(paths: list[Path]) -> Generator[Page, None, ReadReport]:
    """The crawl's pages; at the end, the report of what was read."""
    report = ReadReport()
    yield from iter_pages(paths, report)
    return report


def segment_one(page: Page, stats: CrawlStats,
                fingerprint: Callable[[Teaser], Fingerprint | None] = fingerprint_of) -> SegmentedPage:
    """The page's teasers with their fingerprints for the deduplicator (or the reason it has none),
    with what segmenting it read of the statistics."""
    consulted = Consulted()
    try:
        teasers = [(teaser, fingerprint(teaser)) for teaser in page_teasers(page, stats, consulted)]
        if page.lang:
            for teaser, _ in teasers:
                teaser.lang = page.lang
    except Exception as exc:  # a bug must cost one page, reported, not the whole build
        teasers = f"could not segment ({type(exc).__name__}: {exc})"
    return SegmentedPage(page.source, page.id, page_digest(page), page.site,
                         pickle.dumps(teasers, protocol=pickle.HIGHEST_PROTOCOL), consulted)


def page_teasers(page: Page, stats: CrawlStats, consulted: Consulted | None = None) -> list[Teaser]:
    """A page's teasers: from its markup when it has some (`markup`), else from its text (`segment`).
    A text page's teasers link to an article only when they are the page's own article. What either
    reads of the statistics goes to `consulted`."""
    if page.blocks is not None:
        return markup_teasers(page, stats, consulted)
    teasers = segment_page(page, stats, consulted)
    for teaser in teasers:
        teaser.url, teaser.page_url = (page.url if teaser.article else None), page.url
    return teasers


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


def counted(stories: Iterator[Story], summary: BuildSummary) -> Iterator[Story]:
    """The stories, each counted in summary.stories as it goes by."""
    for story in stories:
        summary.stories += 1
        yield story


def progress_bar(items: Iterable, enabled: bool, desc: str, total: int | None = None) -> Iterator:
    """The items, with a progress bar on a terminal when enabled."""
    if not enabled:
        return iter(items)
    return iter(tqdm(items, desc=desc, total=total, unit=" items", file=sys.stderr, leave=False,
                     disable=not sys.stderr.isatty()))

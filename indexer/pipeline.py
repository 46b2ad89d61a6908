"""The whole build, start to end: read the crawl twice, segment, deduplicate, write the index."""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from tqdm import tqdm

from .build import build_lock, write_index
from .dedupe import Deduplicator
from .records import Story
from .segment import CrawlStats, segment_page
from .sources import ReadReport, iter_pages


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

    def lines(self) -> list[str]:
        """The summary a person reads at the end of a build."""
        out = [f"pages read: {self.pages_read} (from {self.files_read} files), skipped: {len(self.skipped)}",
               f"teasers seen: {self.teasers}, stories indexed: {self.stories}, "
               f"duplicates merged: {self.merged}",
               f"time: {self.seconds:.1f} s, index: {self.index}"]
        if self.skipped:
            out.append("skipped:")
            out.extend(f"  {where}: {why}" for where, why in self.skipped)
        return out


class EmptyCrawl(Exception):
    """Not one page could be read: the build stops and the live index stays as it was."""

    def __init__(self, summary: BuildSummary) -> None:
        super().__init__("no pages could be read")
        self.summary = summary


def crawl_stories(paths: Iterable[Path | str], summary: BuildSummary, progress: bool = False) -> Iterator[Story]:
    """Read, segment and deduplicate a crawl (two passes over the pages); the stories come out one
    at a time, each draft freed as its story is given, and summary.stories counts them."""
    paths = [Path(p) for p in paths]
    stats = CrawlStats()
    first = ReadReport()
    for page in _progress(iter_pages(paths, first), progress, "learning"):
        stats.observe(page)
    dedup = Deduplicator()
    report = ReadReport()
    for page in _progress(iter_pages(paths, report), progress, "segmenting", total=first.pages_read):
        try:
            teasers = segment_page(page, stats)
        except Exception as exc:  # a bug must cost one page, reported, not the whole build
            report.skipped.append((page.id, f"could not segment ({type(exc).__name__}: {exc})"))
            continue
        for teaser in teasers:
            dedup.add(teaser)
    summary.pages_read, summary.files_read, summary.skipped = report.pages_read, report.files_read, report.skipped
    summary.teasers, summary.merged = dedup.teasers_seen, dedup.merged
    return _counted(dedup.stories(), summary)


def _counted(stories: Iterator[Story], summary: BuildSummary) -> Iterator[Story]:
    for story in stories:
        summary.stories += 1
        yield story


def build_index(paths: Iterable[Path | str], index_dir: Path | str, progress: bool = False,
                update: bool = False) -> BuildSummary:
    """Build a new index generation from a crawl and make it live; the old one serves until then.

    With `update`, stories are found from the whole crawl as in a full build (so the result is the
    same), but only new, changed and removed stories are written to the index.
    """
    started = time.perf_counter()
    summary = BuildSummary()
    with build_lock(Path(index_dir)):  # a second build refuses at once, not after reading the crawl
        stories = crawl_stories(paths, summary, progress)
        if summary.pages_read == 0:
            raise EmptyCrawl(summary)
        gen = write_index(_progress(stories, progress, "indexing"), Path(index_dir),
                          meta={"pages": summary.pages_read, "teasers": summary.teasers}, locked=True,
                          update=update)
    summary.index = str(gen)
    summary.seconds = time.perf_counter() - started
    return summary


def _progress(items: Iterable, enabled: bool, desc: str, total: int | None = None) -> Iterator:
    if not enabled:
        return iter(items)
    return iter(tqdm(items, desc=desc, total=total, unit=" items", file=sys.stderr, leave=False,
                     disable=not sys.stderr.isatty()))


__all__ = ["BuildSummary", "EmptyCrawl", "build_index", "crawl_stories"]

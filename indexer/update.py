"""`lede index --update`: the stories of a re-crawl, segmenting again only the pages that need it.

The result is the one a full build of the same crawl gives (tests/test_update.py checks it):

1. A file whose size and time are what the live generation's crawl state (`crawlstate`) recorded
   is not read: its pages stand as they were. Other files are read, and each of their pages is
   matched to the state by id and digest; what is not matched is new, or changed.
2. The statistics are the state's with the new pages counted in. When pages were removed or
   changed, the first pass reads the whole crawl again instead: a Bloom set cannot forget a page.
3. A page that stands is segmented again only when an answer segmenting it got from the statistics
   (`segment.Consulted`) is now another: a line's count or its site's page count crossed a
   threshold of `is_boilerplate`, a line tail's count crossed, a Bloom set lookup changed.
4. Every page's teasers, the kept ones from the state, are deduplicated again in crawl order: which
   story a teaser joins, and a story's id, depend on the teasers before it.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np

from .crawlstate import BLOBS, CrawlState, SegmentedPage, StateWriter, changed_asks, file_stamp, page_digest
from .passes import (BuildSummary, CrawlChanged, counted, deduplicate, default_workers, learn, learning_workers,
                     progress_bar, segment_one)
from .records import Page, Story
from .crawlview import Consulted, tail_key
from .sitelines import BOILERPLATE_MIN_PAGES, CrawlStats, boilerplate_by_count
from .readers import ReadReport, crawl_listing, file_pages, printable
from .workers import map_list, release_memory

SEGMENT_IN_WORKERS = 256  # pages to segment again from which worker processes share the work


def updated_stories(paths: list[Path], previous: CrawlState, summary: BuildSummary,
                    state: StateWriter, progress: bool = False, workers: int | None = None) -> Iterator[Story]:
    """The stories of the crawl at `paths`, as a full build (`pipeline.crawl_stories`) finds them, reusing what
    `previous` holds; the new crawl state goes to `state`."""
    paths = [Path(p) for p in paths]
    learners = workers
    if workers is None:
        workers = default_workers(paths)
        learners = learning_workers(paths, workers)
    report = ReadReport()
    listing = list(crawl_listing(paths, report))
    order = _match_pages(listing, previous, report, state)
    kept = [n for n in order if isinstance(n, int)]
    stats, previous.stats = previous.stats, None
    before = _Counts.of(stats)
    if len(kept) == len(previous.entries):  # pages were only added: count them in
        for page in order:
            if isinstance(page, Page):
                stats.observe(page)
    else:
        del stats
        stats = learn(paths, learners)
    state.save_stats(stats)
    again = _invalid(previous, kept, before, _Counts.of(stats), stats)
    pages = _reread(previous, again, listing) + [page for page in order if isinstance(page, Page)]
    segmented = _segment_pages(pages, stats, workers)
    summary.segmented = len(pages)
    del stats, pages
    release_memory()
    failed: list[tuple[str, str]] = []
    dedup = deduplicate(progress_bar(_in_order(order, previous, segmented), progress, "merging"),
                                 failed, state)
    summary.pages_read, summary.files_read = report.pages_read, report.files_read
    summary.skipped = report.skipped + failed
    summary.teasers, summary.merged = dedup.teasers_seen, dedup.merged
    dedup.finish()
    previous.entries, previous.consulted = [], {}  # all read: free them, and the rest,
    del order, segmented, kept
    release_memory()  # before the index writers start, as in a full build
    return counted(dedup.stories(), summary)


def _match_pages(listing: list[tuple[str, str, str]], previous: CrawlState, report: ReadReport,
                 state: StateWriter) -> list[int | Page]:
    """The crawl's pages in order (`listing`: its files, as `crawl_listing` gives them): the number
    of a page the state holds unchanged, or a Page read now (new or changed). Files the state holds
    unchanged are not read."""
    by_source: dict[str, list[int]] = {}
    for n, entry in enumerate(previous.entries):
        by_source.setdefault(entry.source, []).append(n)
    by_name = {(name, site): source for source, (_, name, site) in previous.files.items()}
    order: list[int | Page] = []
    for path, name, site in listing:
        source, stamp = printable(path), file_stamp(path)
        was = by_name.get((name, site))  # the same file, or one in its place in a crawl read from elsewhere
        held = by_source.pop(was, [])  # (a file listed twice is read the second time)
        for n in held:
            previous.entries[n].source = source
        if stamp is not None and was == source and previous.files[was][0] == stamp:
            order.extend(held)
            skipped = previous.skipped.get(source, [])
            report.pages_read += len(held)
            report.files_read += bool(held)
            report.skipped.extend(skipped)
            state.file_read(source, name, site, stamp, skipped)
            continue
        known: dict[tuple[str, bytes], list[int]] = {}
        for n in held:
            known.setdefault((previous.entries[n].id, previous.entries[n].digest), []).append(n)
        mark = len(report.skipped)
        for page in file_pages(path, name, site, report):
            same = known.get((page.id, page_digest(page)))
            order.append(same.pop(0) if same else page)
        state.file_read(source, name, site, stamp, report.skipped[mark:])
    return order


@dataclass
class _Counts:
    """The counts an answer of `is_boilerplate` or `tidy` can turn on: those at a threshold or above."""

    site_pages: Counter
    lines: dict[str, dict[int, int]]
    tails: dict[str, dict[int, int]]

    @classmethod
    def of(cls, stats: CrawlStats) -> "_Counts":
        least = BOILERPLATE_MIN_PAGES
        return cls(Counter(stats.site_pages),
                   {site: {k: n for k, n in counts.items() if n >= least} for site, counts in stats.line_pages.items()},
                   {site: {tail_key(t): n for t, n in counts.items() if n >= least}
                    for site, counts in stats.suffix_pages.items()})


def _invalid(previous: CrawlState, kept: list[int], before: _Counts, after: _Counts, stats: CrawlStats) -> list[int]:
    """The kept pages (numbers in the state) that an answer from the statistics changed for."""
    sites = before.site_pages.keys() | after.site_pages.keys()
    crossed = {s for s in sites if (before.site_pages[s] >= BOILERPLATE_MIN_PAGES)
               != (after.site_pages[s] >= BOILERPLATE_MIN_PAGES)}
    site_ids = {site: n for n, site in enumerate(sorted(sites | {e.site for e in previous.entries}))}
    lines, tails = [], []
    for site in sites:
        pages_then, pages_now = before.site_pages[site], after.site_pages[site]
        for flipped, then, now in ((lines, before.lines, after.lines), (tails, before.tails, after.tails)):
            old, new = then.get(site, {}), now.get(site, {})
            flipped.extend(site_ids[site] << 32 | key for key in old.keys() | new.keys()
                           if boilerplate_by_count(old.get(key, 0), pages_then)
                           != boilerplate_by_count(new.get(key, 0), pages_now))
    page_site = np.array([site_ids[e.site] for e in previous.entries], np.uint64)
    invalid = set(changed_asks(previous, stats.known).tolist())
    for name, flipped in (("lines", lines), ("tails", tails)):
        if flipped:
            owners = previous.page_owners(name)
            keys = page_site[owners] << np.uint64(32) | previous.consulted[name].astype(np.uint64)
            invalid.update(np.unique(owners[np.isin(keys, np.array(flipped, np.uint64))]).tolist())
    invalid.update(n for n, e in enumerate(previous.entries) if e.site in crossed)
    return sorted(invalid.intersection(kept))


def _reread(previous: CrawlState, numbers: list[int], listing: list[tuple[str, str, str]]) -> list[Page]:
    """The pages the state holds by these numbers, read again from their files."""
    files: dict[str, tuple[str, str, str]] = {}
    for path, name, site in listing:
        files.setdefault(printable(path), (path, name, site))  # the listing whose pages were kept
    wanted: dict[str, dict[tuple[str, bytes], list[int]]] = {}
    for n in numbers:
        entry = previous.entries[n]
        wanted.setdefault(entry.source, {}).setdefault((entry.id, entry.digest), []).append(n)
    pages: list[Page] = []
    for source, keys in wanted.items():
        path, name, site = files[source]
        for page in file_pages(path, name, site, ReadReport()):
            waiting = keys.get((page.id, page_digest(page)))
            if waiting:
                waiting.pop(0)
                pages.append(page)
    if len(pages) != len(numbers):
        raise CrawlChanged("pages changed while the update read them: run it again")
    return pages


def _segment_pages(pages: list[Page], stats: CrawlStats, workers: int) -> dict[tuple[str, bytes], list]:
    """The pages segmented, by id and digest: in worker processes when there are many."""
    workers = workers if len(pages) >= SEGMENT_IN_WORKERS else 1
    done = map_list(lambda page: segment_one(page, stats), pages, workers)
    out: dict[tuple[str, bytes], list] = {}
    for page in done:
        out.setdefault((page.id, page.digest), []).append(page)
    return out


def _in_order(order: list[int | Page], previous: CrawlState, segmented: dict) -> Iterator[SegmentedPage]:
    """Every page of the crawl segmented, in crawl order: taken from the state where it stands."""
    with open(previous.dir / BLOBS, "rb") as blobs:
        for item in order:
            if isinstance(item, Page):
                key = (item.id, page_digest(item))
            else:
                entry = previous.entries[item]
                key = (entry.id, entry.digest)
                if not segmented.get(key):
                    blobs.seek(entry.at)
                    asks, lines, tails = previous.page_consulted(item)
                    yield SegmentedPage(entry.source, entry.id, entry.digest, entry.site, blobs.read(entry.size),
                                        Consulted(asks, lines, tails))
                    continue
            yield segmented[key].pop(0)

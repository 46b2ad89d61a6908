"""The whole crawl → stories pass, read by worker processes or in this one: the same stories either way."""
import gzip
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from indexer import passes, pipeline
from indexer.build import current_generation
from indexer.pipeline import BuildSummary, WorkerFailed, build_index, crawl_stories
from indexer.segment import segment_page
from indexer.sitelines import CrawlStats
from indexer.readers import ReadReport, iter_pages

from conftest import alive, descendants, wait_until_gone

SAMPLE = Path(pipeline.__file__).parent / "sample" / "pages"


def stories_of(paths, workers):
    summary = BuildSummary()
    stories = [(s.id, s.headline, tuple(s.headlines), s.text, s.caption, tuple(s.pages), s.date)
               for s in crawl_stories(paths, summary, workers=workers)]
    return stories, summary


@pytest.fixture
def crawl(tmp_path):
    """The bundled sample, copied so that every page is on several chunks' worth of files, and a broken file."""
    root = tmp_path / "crawl"
    for n in range(3):
        for path in SAMPLE.rglob("*"):
            if path.is_file():
                target = root / f"copy{n}" / path.relative_to(SAMPLE)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(path.read_bytes())
    (root / "copy0" / "broken.jsonl.gz").write_bytes(gzip.compress(b'{"text": "cut off')[:-6])
    return root


def test_workers_find_the_same_stories_as_one_process(crawl, monkeypatch):
    monkeypatch.setattr("indexer.workers.CHUNK", 2)  # many chunks, so the workers take many turns
    alone, alone_summary = stories_of([crawl], workers=1)
    for workers in (2, 3):
        together, summary = stories_of([crawl], workers=workers)
        assert together == alone
        assert (summary.pages_read, summary.files_read, summary.teasers, summary.merged) == \
            (alone_summary.pages_read, alone_summary.files_read, alone_summary.teasers, alone_summary.merged)
        assert summary.skipped == alone_summary.skipped
    assert any("broken.jsonl.gz" in where for where, _ in alone_summary.skipped)
    assert alone_summary.pages_read > 30 and len(alone) > 20


def test_a_page_that_breaks_the_segmenter_is_skipped_by_a_worker_too(crawl, monkeypatch):
    real = passes.segment_page

    def fragile(page, *args):
        if page.id.endswith("ferry-strike-ends-after-three-weeks.txt"):
            raise ValueError("boom")
        return real(page, *args)

    monkeypatch.setattr(passes, "segment_page", fragile)
    for workers in (1, 2):
        _, summary = stories_of([crawl], workers=workers)
        assert [why for where, why in summary.skipped if "ferry-strike-ends" in where] == \
            ["could not segment (ValueError: boom)"] * 3


def test_a_worker_that_dies_stops_the_build_and_the_old_index_serves(crawl, tmp_path, monkeypatch):
    index = tmp_path / "index"
    build_index([SAMPLE], index)
    live = current_generation(index)
    real = passes.segment_page

    def dying(page, *args):
        if "copy2" in page.id:
            os._exit(3)  # as the kernel's OOM killer would end it: no message, no goodbye
        return real(page, *args)

    monkeypatch.setattr(passes, "segment_page", dying)
    monkeypatch.setattr(pipeline, "default_workers", lambda paths: 2)
    with pytest.raises(WorkerFailed, match="worker died"):
        build_index([crawl], index)
    assert current_generation(index) == live
    build_index([SAMPLE], index)  # the lock was released: the next build runs


KILLED_BUILD = """
import os, sys, time
from indexer import passes, pipeline
real = passes.segment_page
def slow(page, *args):
    time.sleep(0.05)
    return real(page, *args)
passes.segment_page = slow
for _ in pipeline.crawl_stories([sys.argv[1]], pipeline.BuildSummary(), workers=2):
    pass
"""


@pytest.mark.slow  # a build in a child process, killed
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc")
def test_workers_end_with_a_build_killed_outright(crawl):
    proc = subprocess.Popen([sys.executable, "-c", KILLED_BUILD, str(crawl)], cwd=Path(pipeline.__file__).parent.parent)
    deadline = time.monotonic() + 30
    workers: list[int] = []
    while len(workers) < 2 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
        workers = descendants(proc.pid)
    assert len(workers) == 2, "the workers never started"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    wait_until_gone(workers, 5)
    assert not any(alive(pid) for pid in workers)


KILLED_WRITING = """
import sys, time
from indexer.build import write_index
from indexer.records import Story
from indexer.whoosh_internals import start_writer_server
def stories():
    for n in range(100_000):
        if n > 700:
            time.sleep(0.01)  # the writer processes have started, and wait for more
        yield Story(id=f"s{n}", headline=f"Ferry news {n}", headlines=[f"Ferry news {n}"], text="The ferry sails.")
start_writer_server()
write_index(stories(), sys.argv[1], procs=2, start="forkserver")
"""


@pytest.mark.slow  # a build in a child process, killed while its writers run
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc")
def test_writers_of_the_fork_server_end_with_a_build_killed_outright(tmp_path):
    proc = subprocess.Popen([sys.executable, "-c", KILLED_WRITING, str(tmp_path / "ix")],
                            cwd=Path(pipeline.__file__).parent.parent)
    deadline = time.monotonic() + 60
    below: list[int] = []
    while len(below) < 3 and time.monotonic() < deadline and proc.poll() is None:  # server, tracker, a writer
        time.sleep(0.05)
        below = descendants(proc.pid)
    assert len(below) >= 3, "the writer processes never started"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    wait_until_gone(below, 10)
    assert not any(alive(pid) for pid in below)


def test_forgetting_rare_line_counts_changes_no_page(crawl):
    pages = list(iter_pages([crawl], ReadReport()))
    stats = CrawlStats()
    for page in pages:
        stats.observe(page)
    before = [segment_page(page, stats) for page in pages]
    kept = sum(len(counts) for counts in stats.line_pages.values())
    stats.forget_rare()
    assert sum(len(counts) for counts in stats.line_pages.values()) < kept / 2  # most lines are on few pages
    assert [segment_page(page, stats) for page in pages] == before


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_map_list_gives_every_result_in_order(monkeypatch, workers):
    monkeypatch.setattr("indexer.workers.CHUNK", 3)
    from indexer.workers import map_list
    results = map_list(lambda n: (n * n, os.getpid()), list(range(20)), workers)
    assert [square for square, _ in results] == [n * n for n in range(20)]
    assert len({pid for _, pid in results}) == workers
    # this process works out the first share itself (chunks 0, workers, ...), forked workers the others
    assert all((pid == os.getpid()) == ((n // 3) % workers == 0) for n, (_, pid) in enumerate(results))

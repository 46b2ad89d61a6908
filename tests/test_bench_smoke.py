"""A tiny run of the benchmark (bench/perf/bench.py): it completes and reports every column. No timing assertions."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.perf.bench import CONCURRENCY, ENGINES, KINDS
from bench.perf.crawl_gen import DEFAULT_DATA_DIR, generate

REPO = Path(__file__).resolve().parent.parent

pytestmark = [pytest.mark.slow,  # runs the benchmarks end to end
              pytest.mark.skipif(not (DEFAULT_DATA_DIR / "ag_news").is_dir(), reason="needs ../shared/corpora")]


def test_bench_smoke(tmp_path):
    crawl = tmp_path / "crawl300"
    summary = generate(crawl, 300, seed=1)
    assert summary["occurrences"] == 300
    out = tmp_path / "bench.json"
    done = subprocess.run([sys.executable, "-m", "bench.perf.bench", "--crawl", str(crawl), "--runs", "1",
                           "--queries", "5", "--work", str(tmp_path / "work"), "--json", str(out), "--facets-vs"],
                          cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    for column in ("build s", "pages/s", "MB/s", "peak RSS MB", "index/raw", "crawl state MB", "server MB, all processes",
                   "lede/naive p95", "lede/fts5 p95", "paged (page 10)", "p95 with / without"):
        assert column in done.stdout
    data = json.loads(out.read_text())
    for engine in ENGINES:
        result = data["median"][engine]
        assert result["build"]["docs"] > 0
        assert {"seconds", "peak_rss_mb", "index_bytes"} <= set(result["build"])
        for c in CONCURRENCY:
            for kind in KINDS:
                assert {"p50", "p95", "p99"} <= set(result["queries"][f"c{c}"][kind])
    assert data["median"]["lede"]["server"]["rss_mb"] > 0


def test_update_bench_smoke():
    """A tiny run of bench/perf/update_bench.py: an update and a full build of a generated re-crawl give
    the same stories, and the table has every column."""
    done = subprocess.run([sys.executable, "-m", "bench.perf.update_bench", "--size", "300", "--runs", "1"],
                          cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "pages the update segmented" in done.stdout and "| yes |" in done.stdout


def test_floors_smoke(tmp_path):
    """A tiny run of bench/perf/floors.py: every figure gets its allowance and Whoosh's share."""
    out = tmp_path / "floors.json"
    done = subprocess.run([sys.executable, "-m", "bench.perf.floors", "--size", "300", "--runs", "1", "--queries", "5",
                           "--json", str(out)], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("\n| ") == 5  # a row each: build, three kinds of query, update
    assert "leaving" in done.stdout  # and the CPU left to the build besides Whoosh's writing
    med = json.loads(out.read_text())["median"]
    assert med["build"]["stories"] > 0 and med["build"]["whoosh_write"] > 0
    assert all(med["queries"][kind]["whoosh"] > 0 for kind in ("rare", "multi", "phrase"))
    assert med["update"]["new_pages"] > 0 and med["update"]["write_changed"] > 0 and med["update"]["lede_update"] > 0

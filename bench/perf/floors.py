"""The floors under issue 4's unmet figures: what Whoosh alone takes for its share of the work.

    python -m bench.perf.floors [--size 100000] [--runs 3] [--queries 20]

Lede writes and searches with Whoosh, in pure Python. Some of the issue's figures allow less time
than Whoosh alone takes for its share of the job, whatever Lede does around it. This script
measures that share in the same run, on the same generated crawl (`bench.perf.bench.crawl_for`), as the
figures it is held against:

- build: a plain Whoosh writer, with Lede's schema and writer settings, adding the crawl's finished
  stories (already read, segmented and deduplicated, untimed), against the naive Whoosh build / 5
  and the FTS5 build x 10 (both built in child processes, as `bench.perf.bench` builds them);
- queries: Whoosh alone answering each query on Lede's index (Lede's query parser, the top 10 and
  their stored fields, the faster of two ways; no snippets), plus the fastest HTTP round trip to
  `lede serve` (a request that searches nothing), against 2 x FTS5's p95 on the same queries
  (FTS5's with its snippets, in process); Lede's own search in process is shown beside it;
- update: after the crawl's last 5% of pages arrive (split as `bench.perf.update_bench` does),
  segmenting only those new pages (in one process; halved, as if two cores shared it perfectly)
  plus a plain Whoosh writer replacing only the stories that are new, changed or gone, against
  10% of Lede's full build; `lede index --update` itself is timed beside it.

Each figure is a median over `--runs`. A floor above its allowance means the figure cannot be met
with Whoosh, however lean the rest of Lede becomes.
"""
from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from whoosh import index as whoosh_index

from bench.perf.bench import build, crawl_for, median_tree, percentiles, pick_queries, run_child
from bench.perf.engines import Fts5Client, LedeClient
from bench.oracle.stories import DEFAULT_DATA_DIR
from bench.perf.update_bench import split_crawl
from indexer import passes, pipeline, whoosh_internals
from indexer.analysis import make_schema
from indexer.build import story_fields, writer_limitmb, writer_procs
from indexer.readers import ReadReport, iter_pages
from webapp.search import IndexHolder, clean_query, parse_query, run_query, search

KINDS = ("rare", "multi", "phrase")  # the kinds whose p95 the README reports as not within 2x FTS5
PER_PAGE = 10
REPEAT = 5  # each query is timed this many times: 20 queries give too few samples for a p95
HTTP_PROBES = 200
NEW_SHARE = 0.05
CORES = os.cpu_count() or 1
LEDE = str(Path(sys.executable).parent / "lede")


def stories_of(folder: Path) -> tuple[dict[str, dict], int]:
    """A crawl's stories as Whoosh documents by id (read, segmented, deduplicated; untimed) and its
    teaser count."""
    summary = pipeline.BuildSummary()
    docs = {story.id: story_fields(story) for story in pipeline.crawl_stories([folder], summary)}
    return docs, summary.teasers


def whoosh_write(docs: list[dict], gone: list[str], index_dir: Path, procs: int, limitmb: int) -> dict:
    """Wall and CPU seconds (this process and its writer processes) of a plain Whoosh writer with
    Lede's schema and settings adding these documents to a new index, or replacing them in an
    existing one and deleting those gone."""
    whoosh_internals.install()  # Lede's faster length reading, which its writers use too
    fresh = not index_dir.exists()
    if fresh:
        index_dir.mkdir(parents=True)
        ix = whoosh_index.create_in(str(index_dir), make_schema())
    else:
        ix = whoosh_index.open_dir(str(index_dir))
    cpu = _cpu_seconds()
    started = time.perf_counter()
    writer = ix.writer(limitmb=limitmb, compound=False, **({"procs": procs, "multisegment": True} if procs > 1 else {}))
    put = writer.add_document if fresh else writer.update_document
    for doc in docs:
        put(**doc)
    for story_id in gone:
        writer.delete_by_term("id", story_id)
    writer.commit()
    return {"seconds": time.perf_counter() - started, "cpu_seconds": _cpu_seconds() - cpu}


def _cpu_seconds() -> float:
    multiprocessing.active_children()  # reap finished children, so that their time is not counted later
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def query_p95(client, queries: list[str]) -> float:
    """p95 (ms) of one client answering each query REPEAT times, one query at a time."""
    ms = []
    for q in queries * REPEAT:
        started = time.perf_counter()
        client(q, 1)
        ms.append((time.perf_counter() - started) * 1000)
    return percentiles(ms)["p95"]


def http_floor_ms(index: Path) -> float:
    """The fastest of HTTP_PROBES round trips to `lede serve` for a request that searches nothing
    (/favicon.ico), on a keep-alive connection as the benchmark's client uses."""
    server = LedeClient(index)
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        ms = []
        for _ in range(HTTP_PROBES):
            started = time.perf_counter()
            conn.request("GET", "/favicon.ico")
            conn.getresponse().read()
            ms.append((time.perf_counter() - started) * 1000)
        return min(ms)
    finally:
        conn.close()
        server.close()


def build_floor(crawl: Path, work: Path) -> dict:
    """The build figures, and Whoosh alone writing the stories."""
    figures = {engine: build(engine, crawl, work / engine, 1.0)["seconds"] for engine in ("lede", "naive", "fts5")}
    cpu = _cpu_seconds()
    docs, teasers = stories_of(crawl)
    reading_cpu = _cpu_seconds() - cpu
    written = whoosh_write(list(docs.values()), [], work / "whoosh-only", writer_procs(teasers, False),
                           writer_limitmb(teasers))
    return {**figures, "whoosh_write": written["seconds"], "whoosh_write_cpu": written["cpu_seconds"],
            "stories": len(docs), "lede_reading_cpu": reading_cpu}


def query_floor(index: Path, fts5: Path, queries: dict[str, list[str]]) -> dict:
    """Per kind, p95 in process: FTS5 (snippets included); Whoosh alone on Lede's index, the faster
    of two ways (Whoosh's own top-10 search, and Lede's `run_query`, which counts the matches while
    collecting the top 10), each with the hits' stored fields but no snippets; and Lede's own search
    (what `/api/search` answers). With the fastest HTTP round trip to `lede serve`."""
    holder, fts = IndexHolder(index), Fts5Client(fts5)
    try:
        def lede(q: str, page: int) -> int:
            return len(search(holder, q, page, PER_PAGE)["results"])

        def whoosh_top(q: str, page: int) -> int:
            with holder.searcher() as searcher:
                hits = searcher.search_page(parse_query(clean_query(q), searcher.schema), page, PER_PAGE)
                return len([hit.fields() for hit in hits])

        def whoosh_counting(q: str, page: int) -> int:
            with holder.searcher() as searcher:
                hits, _ = run_query(searcher, parse_query(clean_query(q), searcher.schema), PER_PAGE, "relevance", None)
                return len([hit.fields() for hit in hits])

        for q in queries["single"][:5]:  # warm them: the first query opens the searcher
            lede(q, 1), whoosh_top(q, 1), whoosh_counting(q, 1), fts(q, 1)
        out = {}
        for kind in KINDS:
            ways = {"whoosh_top": query_p95(whoosh_top, queries[kind]),
                    "whoosh_counting": query_p95(whoosh_counting, queries[kind])}
            out[kind] = {"fts5": query_p95(fts, queries[kind]), **ways, "whoosh": min(ways.values()),
                         "lede": query_p95(lede, queries[kind])}
    finally:
        holder.close()
        fts.close()
    out["http_min"] = http_floor_ms(index)
    return out


def update_floor(crawl: Path, work: Path) -> dict:
    """Segmenting the re-crawl's new pages, and Whoosh replacing the stories they add or change."""
    folder, added, _, new_pages = split_crawl(crawl, work / "recrawl", NEW_SHARE)
    lede_index = work / "lede-updated"
    build("lede", folder, lede_index, 1.0)
    before, teasers = stories_of(folder)
    index = work / "updated"
    whoosh_write(list(before.values()), [], index, writer_procs(teasers, False), writer_limitmb(teasers))
    for path, text in added.items():
        path.write_text(text, encoding="utf-8")
    lede_update = run_child([LEDE, "index", "--update", str(folder), "--index", str(lede_index), "--quiet"])["seconds"]
    stats = passes.learn([folder], 1)
    pages = list(iter_pages(list(added), ReadReport()))
    started = time.perf_counter()
    for page in pages:
        passes.segment_one(page, stats)
    segment = time.perf_counter() - started
    after, teasers = stories_of(folder)
    changed = [doc for story_id, doc in after.items() if before.get(story_id) != doc]
    gone = [story_id for story_id in before if story_id not in after]
    written = whoosh_write(changed, gone, index, writer_procs(teasers, True), writer_limitmb(teasers))
    return {"new_pages": new_pages, "lede_update": lede_update, "segment_new_one_core": segment, "stories_changed": len(changed) + len(gone),
            "write_changed": written["seconds"]}


def one_run(crawl: Path, queries: dict) -> dict:
    work = Path(tempfile.mkdtemp(prefix="lede-floors-"))
    try:
        built = build_floor(crawl, work)
        return {"build": built, "queries": query_floor(work / "lede", work / "fts5", queries),
                "update": update_floor(crawl, work)}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def report(med: dict) -> str:
    b, q, u = med["build"], med["queries"], med["update"]
    allowed = min(b["naive"] / 5, b["fts5"] * 10)
    update_floor_s = u["segment_new_one_core"] / 2 + u["write_changed"]
    cpu_left = CORES * allowed - b["whoosh_write_cpu"]
    rows = [
        "| figure the issue asks | allowed | Whoosh's share alone (the floor) | Lede now | floor / allowed |",
        "|---|---|---|---|---|",
        f"| build: 5x faster than naive Whoosh ({b['naive']:.1f} s), within 10x of FTS5 ({b['fts5']:.1f} s) "
        f"| {allowed:.1f} s | {b['whoosh_write']:.1f} s ({b['whoosh_write_cpu']:.1f} s of CPU) writing "
        f"{b['stories']:,.0f} stories | {b['lede']:.1f} s | {b['whoosh_write'] / allowed:.2f} |",
    ]
    for kind in KINDS:
        floor = q[kind]["whoosh"] + q["http_min"]
        rows.append(f"| {kind} query p95 at most 2x FTS5's ({q[kind]['fts5']:.2f} ms) | {2 * q[kind]['fts5']:.2f} ms "
                    f"| {floor:.2f} ms: Whoosh's top 10 {q[kind]['whoosh']:.2f}, no snippets, + HTTP {q['http_min']:.2f} "
                    f"| {q[kind]['lede']:.2f} ms in process, before HTTP | {floor / (2 * q[kind]['fts5']):.2f} |")
    rows.append(f"| update after {u['new_pages']:,.0f} new pages (5%): 10% of a full build | {b['lede'] / 10:.1f} s "
                f"| {update_floor_s:.1f} s: segment the new pages {u['segment_new_one_core'] / 2:.1f}, "
                f"replace {u['stories_changed']:,.0f} new, changed or gone stories {u['write_changed']:.1f} "
                f"| {u['lede_update']:.1f} s | {update_floor_s / (b['lede'] / 10):.2f} |")
    rows.append(f"\nOn {CORES} cores the build has {CORES} x {allowed:.1f} = {CORES * allowed:.1f} s of CPU; Whoosh's "
                f"writing takes {b['whoosh_write_cpu']:.1f} s of it, leaving {cpu_left:.1f} s for reading, segmenting "
                f"and deduplicating the crawl, which take Lede {b['lede_reading_cpu']:.1f} s of CPU now.")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000, help="teaser occurrences of the generated crawl")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--queries", type=int, default=20, help="queries per kind")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR, help="corpora to generate the crawl from")
    parser.add_argument("--json", type=Path, help="also write every run's figures here")
    args = parser.parse_args(argv)
    crawl_dir, _ = crawl_for(args.size, args.seed, args.data_dir)
    queries = pick_queries(crawl_dir / "stories.jsonl", args.queries, args.seed)
    runs = []
    for n in range(args.runs):
        print(f"run {n + 1}/{args.runs}", file=sys.stderr)
        runs.append(one_run(crawl_dir / "crawl", queries))
        print(json.dumps(runs[-1]), file=sys.stderr)
    med = median_tree(runs)
    print(report(med))
    if args.json:
        args.json.write_text(json.dumps({"size": args.size, "runs": runs, "median": med}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark Lede against a naive Whoosh index and SQLite FTS5 on the same crawl, side by side.

    python -m bench.perf.bench --size 10000 [--runs 3] [--queries 20] [--skip naive] [--naive-sample 0.1]
    python -m bench.perf.bench --crawl DIR --lede-index IX --naive-index WORK/naive  # indexes built before

Each run builds all three indexes from the same generated crawl (``bench/perf/crawl_gen.py``), each
build in its own child process (wall time and peak RSS of that child; which engine builds first
rotates from run to run), then times queries, the engines taking turns query by query (so that a
busy machine's load falls on all alike):
Lede through the JSON API of a real ``lede serve``; naive Whoosh (one document per page, default
writer, StemmingAnalyzer, ``hit.highlights()``) and FTS5 (``tokenize='porter'``, ``snippet()``) in
process. Prints a markdown table (medians over runs) and writes bench/out/<timestamp>.json.
See bench/README.md for what each column means.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable

from bench.perf.crawl_gen import DEFAULT_DATA_DIR, generate
from bench.perf.engines import Fts5Client, LedeClient, NaiveClient, build_fts5, build_naive
from bench.perf.memory import tree_pss_kb
from indexer.crawlstate import STATE_DIR

ROOT = Path(__file__).resolve().parents[2]  # the checkout
OUT_DIR = ROOT / "bench" / "out"
CRAWL_CACHE = OUT_DIR / "crawls"  # generated crawls, reused across invocations (gitignored)
ENGINES = ("lede", "naive", "fts5")
KINDS = ("single", "rare", "multi", "phrase", "paged", "common")
CONCURRENCY = (1, 4)
PAGED_PAGE = 10
PAGED_MIN_DF = 150  # paged queries use words in at least this many stories, so page 10 exists
RARE_DF = (2, 8)
FREQUENT_TOP = 300
BUILD_FIGURES = "bench-build.json"  # beside a naive or FTS5 index this benchmark built: its build figures
COMMON_TOP = 50  # common-word queries use the crawl's this many most frequent words, stop words included
TEASERS_PER_PAGE = 100_000 / 16_326  # of the generated crawls (--size 100000 gives 16,326 pages): --pages N
WARMUP_QUERIES = 5
HWM_POLL_SECONDS = 0.05  # the build's own peak (its /proc status: cheap to read) is polled this often ...
# ... and the memory of its whole process tree this often: reading each process's smaps_rollup takes its
# memory lock and walks its page tables; every 0.05 s it took a fifth of a core and slowed the 4,000-page
# build it measured by 1.19x (wall, 3 pairs in turn with and without), every 0.5 s by 1.07x (0.96-1.10)
TREE_POLL_SECONDS = 0.5
WORD = re.compile(r"[a-z]+")
# Lede's search without facets and timeline (--facets-vs times each query with and without, in turn)
WITHOUT_FACETS = {"facets": "none", "timeline": "0"}
FACETS_VS_ROUNDS = 3  # times each query is asked both ways (by default): p95 over 20 queries is nearly their slowest
FTS5_KEYWORDS = {"and", "or", "not", "near"}


# ---------------------------------------------------------------- queries from the data

def pick_queries(stories_file: Path, per_kind: int, seed: int) -> dict[str, list[str]]:
    """Queries of each kind drawn from the generated stories, deterministic for a seed."""
    from whoosh.analysis import STOP_WORDS

    rng = random.Random(seed)
    texts = []
    with open(stories_file, encoding="utf-8") as fh:
        for line in fh:
            s = json.loads(line)
            texts.append(f"{s['headline']} {s['lede']}".lower())
    stop = set(STOP_WORDS) | FTS5_KEYWORDS

    def content(word: str) -> bool:
        return len(word) >= 3 and word not in stop

    df: dict[str, int] = {}
    for text in texts:
        for word in set(WORD.findall(text)):
            if content(word):
                df[word] = df.get(word, 0) + 1
    by_df = sorted(df, key=lambda w: (-df[w], w))
    frequent = by_df[:FREQUENT_TOP]
    rare = sorted(w for w in df if RARE_DF[0] <= df[w] <= RARE_DF[1])
    if len(rare) < per_kind:  # big synthetic crawls reuse every sentence: take the rarest words there are
        rare = sorted(w for w in df if df[w] >= RARE_DF[0])
        rare = sorted(rare, key=lambda w: (df[w], w))[:max(per_kind, FREQUENT_TOP)]
    paged = [w for w in by_df if df[w] >= PAGED_MIN_DF][:FREQUENT_TOP] or frequent
    multi, phrase = [], []
    while len(multi) < per_kind or len(phrase) < per_kind:
        words = WORD.findall(rng.choice(texts))
        usable = sorted({w for w in words if content(w) and df[w] >= 5})
        if len(multi) < per_kind and len(usable) >= 3:
            multi.append(" ".join(rng.sample(usable, rng.choice((2, 3)))))
        n = rng.choice((2, 3))
        runs = [words[i:i + n] for i in range(len(words) - n + 1) if all(content(w) for w in words[i:i + n])]
        if len(phrase) < per_kind and runs:
            phrase.append('"' + " ".join(rng.choice(runs)) + '"')
    return {"single": rng.sample(frequent, min(per_kind, len(frequent))),
            "rare": rng.sample(rare, min(per_kind, len(rare))),
            "multi": multi, "phrase": phrase,
            "paged": rng.sample(paged, min(per_kind, len(paged))),
            "common": common_queries(texts, per_kind, rng)}


def common_queries(texts: list[str], count: int, rng: random.Random) -> list[str]:
    """Queries of the COMMON_TOP most frequent words (stop words included), a quarter each: one word
    (`the`), two words (`the who`), a two-word phrase and a three-word phrase found in the stories
    (`"of the"`, `"one of the"`); the commonest words first, then drawn at random."""
    counts: dict[str, int] = {}
    for text in texts:
        for word in WORD.findall(text):
            counts[word] = counts.get(word, 0) + 1
    top = sorted(counts, key=lambda w: (-counts[w], w))[:COMMON_TOP]
    common = set(top)
    grams: dict[int, dict[str, int]] = {2: {}, 3: {}}
    for text in texts[:20_000]:
        words = WORD.findall(text)
        for n, seen in grams.items():
            for i in range(len(words) - n + 1):
                if all(w in common for w in words[i:i + n]):
                    gram = " ".join(words[i:i + n])
                    seen[gram] = seen.get(gram, 0) + 1
    phrases = {n: sorted(seen, key=lambda g: (-seen[g], g)) for n, seen in grams.items()}
    def some(words: list[str], k: int) -> list[str]:
        """The first k // 2 of words, then the rest of k drawn from the next COMMON_TOP."""
        rest = words[k // 2:COMMON_TOP]
        return words[:k // 2] + rng.sample(rest, min(len(rest), k - k // 2))

    quarter = max(1, count // 4)
    pairs = [" ".join(rng.sample(top[:max(2, quarter)], 2)) for _ in range(quarter // 2)]
    pairs += [" ".join(rng.sample(top, 2)) for _ in range(quarter - quarter // 2)]
    phrased = some(phrases[2], quarter) + some(phrases[3], count - 3 * quarter)
    return some(top, quarter) + pairs + [f'"{p}"' for p in phrased]


def run_child(cmd: list[str]) -> dict:
    """Run a build command; its wall time, peak RSS (MB) and exit status, from wait4."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    # read output in threads so a chatty child never blocks on a full pipe
    chunks: dict[str, bytes] = {}
    threads = [threading.Thread(target=lambda k=k, f=f: chunks.__setitem__(k, f.read()))
               for k, f in (("out", proc.stdout), ("err", proc.stderr))]
    for t in threads:
        t.start()
    # ru_maxrss is no good here: Linux carries the parent's RSS at fork over into the child's
    # figure, so the child's own high-water mark (VmHWM, reset at exec) is polled instead.
    hwm = {"kb": 0}
    poller = threading.Thread(target=_poll_hwm, args=(proc, hwm), daemon=True)
    poller.start()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    for t in threads:
        t.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{chunks.get('err', b'').decode()[-2000:]}")
    poller.join()
    return {"seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime, "peak_rss_mb": hwm["kb"] / 1024,
            "peak_tree_rss_mb": hwm.get("tree_kb", 0) / 1024, "stdout": chunks.get("out", b"").decode(),
            "stderr": chunks.get("err", b"").decode()}


def _poll_hwm(proc: subprocess.Popen, hwm: dict) -> None:
    """Keep hwm["kb"] at the child's latest VmHWM, and hwm["tree_kb"] at the largest memory of the
    child and all its descendants (its worker processes) together seen, until it exits."""
    status = Path(f"/proc/{proc.pid}/status")
    while True:
        try:
            text = status.read_text()
        except OSError:
            return
        match = re.search(r"^VmHWM:\s+(\d+) kB", text, re.M)
        if not match:  # a zombie: the child has exited
            return
        hwm["kb"] = max(hwm["kb"], int(match.group(1)))
        if time.monotonic() >= hwm.get("tree_due", 0.0):
            hwm["tree_kb"] = max(hwm.get("tree_kb", 0), tree_pss_kb(proc.pid))
            hwm["tree_due"] = time.monotonic() + TREE_POLL_SECONDS
        time.sleep(HWM_POLL_SECONDS)


def dir_bytes(path: Path) -> int:
    """Total size of the files under a directory."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def index_bytes(path: Path) -> dict:
    """An index folder's size, and apart from it that of Lede's crawl state (kept for `--update`)."""
    state = sum(dir_bytes(d) for d in path.glob(f"gen-*/{STATE_DIR}"))
    return {"index_bytes": dir_bytes(path) - state, "state_bytes": state}


def build(engine: str, crawl: Path, out: Path, sample: float) -> dict:
    """Build one engine's index in a child process and measure it."""
    if engine == "lede":
        lede = str(Path(sys.executable).parent / "lede")
        result = run_child([lede, "index", str(crawl), "--index", str(out), "--quiet"])
        stories = None
        for meta in out.glob("gen-*/lede.json"):
            stories = json.loads(meta.read_text()).get("stories")
        result["docs"] = stories
    else:
        result = run_child([sys.executable, "-m", "bench.perf.bench", "_build", engine, str(crawl), str(out),
                            "--naive-sample", str(sample)])
        result["docs"] = int(result["stdout"].strip().splitlines()[-1])
    result.update(index_bytes(out))
    del result["stdout"], result["stderr"]
    (out / BUILD_FIGURES).write_text(json.dumps(result))
    return result


def percentiles(ms: list[float]) -> dict:
    """p50, p95, p99 (ms) of a list of latencies."""
    if len(ms) < 2:
        v = ms[0] if ms else float("nan")
        return {"p50": v, "p95": v, "p99": v, "n": len(ms)}
    q = statistics.quantiles(ms, n=100, method="inclusive")
    return {"p50": statistics.median(ms), "p95": q[94], "p99": q[98], "n": len(ms)}


def time_queries(clients: dict[str, Callable[[str, int], int]], queries: dict[str, list[str]],
                 concurrency: int) -> dict:
    """Latency percentiles per engine and query kind, the engines taking turns so that a busy
    machine's load falls on all of them alike: with one client each query is asked of every engine
    in turn (which goes first rotates); with `concurrency` threads, each issuing the whole list of a
    kind, the engines take turns kind by kind."""
    engines = list(clients)
    pool = ThreadPoolExecutor(concurrency) if concurrency > 1 else None
    for client in clients.values():
        warm = queries["single"][:WARMUP_QUERIES] * concurrency
        list(pool.map(lambda q: client(q, 1), warm)) if pool else [client(q, 1) for q in warm]

    def timed(client, q: str, page: int) -> float:
        started = time.perf_counter()
        client(q, page)
        return (time.perf_counter() - started) * 1000

    out = {e: {} for e in engines}
    for n, kind in enumerate(KINDS + (("paged_p1",) if concurrency == 1 else ())):
        page = PAGED_PAGE if kind == "paged" else 1
        words = queries["paged" if kind == "paged_p1" else kind]  # paged_p1: the same words at page 1
        ms = {e: [] for e in engines}
        elapsed = {e: 0.0 for e in engines}
        if pool is None:
            for i, q in enumerate(words):
                for e in engines[i % len(engines):] + engines[:i % len(engines)]:
                    ms[e].append(timed(clients[e], q, page))
            elapsed = {e: sum(ms[e]) / 1000 for e in engines}
        else:
            for e in engines[n % len(engines):] + engines[:n % len(engines)]:
                started = time.perf_counter()
                ms[e] = list(pool.map(lambda q: timed(clients[e], q, page), words * concurrency))
                elapsed[e] = time.perf_counter() - started
        for e in engines:
            out[e][kind] = {**percentiles(ms[e]), "qps": len(ms[e]) / elapsed[e] if elapsed[e] else None}
            if kind == "paged_p1":
                del out[e][kind]["qps"]
    if pool:
        pool.shutdown()
    return out


def time_facets_vs(client, queries: dict[str, list[str]], concurrency: int,
                   rounds: int = FACETS_VS_ROUNDS) -> dict:
    """Latency per query kind of Lede's search with facets and timeline (the default) and without
    them, each query asked both ways in turn (which goes first alternates), so both see the same
    machine, `rounds` times over; with `concurrency` threads each issuing the whole list."""
    pool = ThreadPoolExecutor(concurrency) if concurrency > 1 else None
    out = {}
    for kind in KINDS:
        page = PAGED_PAGE if kind == "paged" else 1
        work = list(enumerate(queries[kind] * rounds)) * concurrency

        def pair(item: tuple[int, str]) -> tuple[float, float]:
            n, q = item
            ms = {}
            for variant in (("with", "without") if n % 2 else ("without", "with")):
                started = time.perf_counter()
                client(q, page, None if variant == "with" else WITHOUT_FACETS)
                ms[variant] = (time.perf_counter() - started) * 1000
            return ms["with"], ms["without"]

        pairs = list(pool.map(pair, work)) if pool else [pair(item) for item in work]
        out[kind] = {"with": percentiles([a for a, _ in pairs]), "without": percentiles([b for _, b in pairs])}
    if pool:
        pool.shutdown()
    return out


# ---------------------------------------------------------------- one run, many runs

def prebuilt(index_dir: Path) -> dict:
    """Build figures for an index built earlier (--lede-index, --naive-index): those measured when this
    benchmark built it, else its size and story count, no timings."""
    if (index_dir / BUILD_FIGURES).exists():
        return json.loads((index_dir / BUILD_FIGURES).read_text())
    meta = [json.loads(m.read_text()) for m in index_dir.glob("gen-*/lede.json")]
    nan = float("nan")
    return {"seconds": nan, "cpu_seconds": nan, "peak_rss_mb": nan, "peak_tree_rss_mb": nan, "docs": meta[-1]["stories"] if meta else None,
            **index_bytes(index_dir)}


def one_run(crawl: Path, work: Path, queries: dict, engines: list[str], sample: float,
            lede_index: Path | None = None, facets_vs: int = 0, turn: int = 0,
            naive_index: Path | None = None) -> dict:
    """Build every engine from scratch (or use a prebuilt index), in an order rotated by `turn`
    (the run's number: no engine always builds first), then time their queries taking turns (and
    Lede's with and without facets, `facets_vs` rounds, when given)."""
    result, outs = {}, {}
    for engine in engines[turn % len(engines):] + engines[:turn % len(engines)]:
        out = work / engine
        if engine == "lede" and lede_index:
            out, b = lede_index, prebuilt(lede_index)
        elif engine == "naive" and naive_index:
            out, b = naive_index, prebuilt(naive_index)
        else:
            shutil.rmtree(out, ignore_errors=True)
            b = build(engine, crawl, out, sample if engine == "naive" else 1.0)
        outs[engine] = out
        result[engine] = {"build": b, "queries": {}, "server": None}
        print(f"  {engine}: built {b['docs']} docs in {b['seconds']:.1f} s, peak {b['peak_rss_mb']:.0f} MB",
              file=sys.stderr)
    clients = {}
    try:
        for engine in engines:
            clients[engine] = {"lede": LedeClient, "naive": NaiveClient, "fts5": Fts5Client}[engine](outs[engine])
        for c in CONCURRENCY:
            for engine, timings in time_queries(clients, queries, c).items():
                result[engine]["queries"][f"c{c}"] = timings
        if "lede" in clients:
            lede = clients["lede"]
            result["lede"]["server"] = lede.rss_mb()
            result["lede"]["build"]["server_start_s"] = lede.start_seconds
            if facets_vs:
                result["lede"]["queries"]["facets_vs"] = {f"c{c}": time_facets_vs(lede, queries, c, facets_vs)
                                                          for c in CONCURRENCY}
    finally:
        for client in clients.values():
            client.close()
    for engine in engines:
        print(f"  {engine}: single p50 {result[engine]['queries']['c1']['single']['p50']:.1f} ms", file=sys.stderr)
    return result


def median_tree(runs: list):
    """The element-wise median of a list of equally shaped nested dicts."""
    first = runs[0]
    if isinstance(first, dict):
        return {k: median_tree([r[k] for r in runs]) for k in first}
    if isinstance(first, (int, float)) and not isinstance(first, bool):
        return statistics.median(r for r in runs)
    return first


def crawl_for(size: int, seed: int, data_dir: Path) -> tuple[Path, dict]:
    """A generated crawl of `size` teaser occurrences, made once and cached under bench/out/crawls."""
    out = CRAWL_CACHE / f"size{size}-seed{seed}"
    if not (out / "summary.json").exists():
        shutil.rmtree(out, ignore_errors=True)
        print(f"generating a crawl of {size} teaser occurrences in {out}", file=sys.stderr)
        generate(out, size, seed, data_dir)
    return out, json.loads((out / "summary.json").read_text())


def report(meta: dict, med: dict) -> str:
    """The markdown tables: builds, then query latency per kind and concurrency, with ratios."""
    engines = [e for e in ENGINES if e in med]
    raw_mb = meta["crawl"]["raw_bytes"] / 1e6
    lines = [f"## Lede benchmark: {meta['crawl']['occurrences']} teaser occurrences, {meta['crawl']['pages']} pages, "
             f"{meta['crawl']['stories']} stories, {raw_mb:.1f} MB raw; medians of {meta['runs']} run(s)", ""]
    if meta.get("naive_sample", 1.0) < 1.0 and "naive" in med:
        lines += [f"naive Whoosh built on a {meta['naive_sample']:.0%} sample of the pages; its build time is "
                  "extrapolated linearly (marked est.); its peak RSS and query latencies are those of the sample index", ""]
    lines += ["| engine | docs | build s | build CPU s | pages/s | MB/s | peak RSS MB | peak RSS MB, all processes "
              "| index MB | index/raw | crawl state MB | server MB, all processes |",
              "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    pages = meta["crawl"]["pages"]
    for e in engines:
        b = med[e]["build"]
        secs = b["seconds"] / (meta["naive_sample"] if e == "naive" else 1.0)
        est = " (est.)" if e == "naive" and meta["naive_sample"] < 1.0 else ""
        srv = med[e].get("server") or {}
        cpu = b["cpu_seconds"] / (meta["naive_sample"] if e == "naive" else 1.0)
        imb = b["index_bytes"] / 1e6 / (meta["naive_sample"] if e == "naive" else 1.0)
        lines.append(f"| {e} | {b['docs']} | {secs:.1f}{est} | {cpu:.1f}{est} | {pages / secs:,.0f} | {raw_mb / secs:.2f} | "
                     f"{b['peak_rss_mb']:.0f} | {b.get('peak_tree_rss_mb', float('nan')):.0f} | {imb:.1f}{est} | {imb / raw_mb:.2f} | "
                     f"{b.get('state_bytes', 0) / 1e6:.1f} | {srv.get('rss_mb', float('nan')):.0f} |")
    lines += ["", "| query | conc | " + " | ".join(f"{e} p50 / p95 / p99 ms" for e in engines)
              + "".join(f" | lede/{e} p95" for e in engines if e != "lede") + " |",
              "|---|---|" + "---|" * len(engines) + "---|" * sum(e != "lede" for e in engines)]
    for c in CONCURRENCY:
        for kind in KINDS + ("paged_p1",):
            if kind not in med[engines[0]]["queries"][f"c{c}"]:
                continue
            cells, p95 = [], {}
            for e in engines:
                r = med[e]["queries"][f"c{c}"][kind]
                cells.append(f"{r['p50']:.1f} / {r['p95']:.1f} / {r['p99']:.1f}")
                p95[e] = r["p95"]
            ratios = [f"{p95['lede'] / p95[e]:.2f}" for e in engines if e != "lede" and "lede" in p95]
            label = {"paged": f"paged (page {PAGED_PAGE})", "paged_p1": "paged words, page 1"}.get(kind, kind)
            lines.append(f"| {label} | {c} | " + " | ".join(cells) + "".join(f" | {r}" for r in ratios) + " |")
    if "facets_vs" in med.get("lede", {}).get("queries", {}):
        lines += ["", "Lede with facets and timeline (the default) and without (`facets=none&timeline=0`), "
                  "each query both ways in turn:", "",
                  "| query | conc | with p50 / p95 ms | without p50 / p95 ms | p95 with / without |", "|---|---|---|---|---|"]
        for c in CONCURRENCY:
            for kind, r in med["lede"]["queries"]["facets_vs"][f"c{c}"].items():
                w, wo = r["with"], r["without"]
                lines.append(f"| {kind} | {c} | {w['p50']:.1f} / {w['p95']:.1f} | {wo['p50']:.1f} / {wo['p95']:.1f} | "
                             f"{w['p95'] / wo['p95']:.2f} |")
    if "lede" in med:
        lines += ["", "| ratio lede / X | build time | build CPU | peak RSS | index size |", "|---|---|---|---|---|"]
        lb = med["lede"]["build"]
        for e in engines:
            if e == "lede":
                continue
            b = med[e]["build"]
            secs = b["seconds"] / (meta["naive_sample"] if e == "naive" else 1.0)
            isize = b["index_bytes"] / (meta["naive_sample"] if e == "naive" else 1.0)
            cpu = b["cpu_seconds"] / (meta["naive_sample"] if e == "naive" else 1.0)
            lines.append(f"| {e} | {lb['seconds'] / secs:.2f} | {lb['cpu_seconds'] / cpu:.2f} | "
                         f"{lb['peak_rss_mb'] / b['peak_rss_mb']:.2f} | "
                         f"{lb['index_bytes'] / isize:.2f} |")
        q = med["lede"]["queries"]["c1"]
        if "paged_p1" in q:
            lines.append(f"\nlede paging cost (page {PAGED_PAGE} p50 / page 1 p50, same words): "
                         f"{q['paged']['p50'] / q['paged_p1']['p50']:.2f}x")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """CLI: generate (or reuse) a crawl, run the benchmark N times, print medians, write JSON."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_build"]:  # internal: one naive/FTS5 build in a child process
        engine, crawl, out = argv[1], Path(argv[2]), Path(argv[3])
        sample = float(argv[5]) if len(argv) > 5 else 1.0
        print({"naive": build_naive, "fts5": build_fts5}[engine](crawl, out, sample))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000, help="teaser occurrences in the crawl (default 10000)")
    parser.add_argument("--pages", type=int, help="a crawl of about this many pages (instead of --size)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--queries", type=int, default=20, help="queries per kind")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip", action="append", default=[], choices=ENGINES, help="leave an engine out")
    parser.add_argument("--naive-sample", type=float, default=1.0,
                        help="build naive Whoosh on this share of the pages (build time extrapolated)")
    parser.add_argument("--crawl", type=Path, help="use this generated crawl dir (with crawl/ and stories.jsonl)")
    parser.add_argument("--work", type=Path, help="where the indexes go (default a temp dir under bench/out)")
    parser.add_argument("--lede-index", type=Path,
                        help="query this already-built Lede index of the same crawl instead of building one")
    parser.add_argument("--naive-index", type=Path,
                        help="query this naive Whoosh index of the same crawl, built earlier by this benchmark "
                             "(--work; its build figures are kept beside it), instead of building one")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--json", type=Path, help="write the JSON here instead of bench/out/<timestamp>.json")
    parser.add_argument("--facets-vs", type=int, nargs="?", const=FACETS_VS_ROUNDS, default=0, metavar="ROUNDS",
                        help="also time Lede's queries with and without facets and timeline, in turn, "
                             f"ROUNDS times over (default {FACETS_VS_ROUNDS})")
    args = parser.parse_args(argv)
    engines = [e for e in ENGINES if e not in args.skip]
    if args.pages:
        args.size = round(args.pages * TEASERS_PER_PAGE)
    if args.crawl:
        crawl_dir, summary = args.crawl, json.loads((args.crawl / "summary.json").read_text())
    else:
        crawl_dir, summary = crawl_for(args.size, args.seed, args.data_dir)
    queries = pick_queries(crawl_dir / "stories.jsonl", args.queries, args.seed)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    work = args.work or OUT_DIR / f"work-{stamp}-{os.getpid()}"
    runs = []
    try:
        for n in range(args.runs):
            print(f"run {n + 1}/{args.runs}", file=sys.stderr)
            runs.append(one_run(crawl_dir / "crawl", work, queries, engines, args.naive_sample, args.lede_index,
                                args.facets_vs, turn=n, naive_index=args.naive_index))
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    med = median_tree(runs)
    meta = {"crawl": summary, "runs": args.runs, "queries_per_kind": args.queries, "seed": args.seed,
            "naive_sample": args.naive_sample, "engines": engines, "cpus": os.cpu_count(),
            "python": sys.version.split()[0], "sqlite": sqlite3.sqlite_version, "when": stamp}
    table = report(meta, med)
    print(table)
    path = args.json or OUT_DIR / f"{stamp}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"meta": meta, "queries": queries, "median": med, "runs": runs,
                                "table": table}, indent=1))
    print(f"\nJSON: {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Load a real `lede serve` with concurrent mixed queries across a full rebuild, on loopback only.

    python -m bench.perf.stress [--seconds 60] [--threads 8] [--stories 800] [--seed 0] [--keep]

Composes a crawl (bench/oracle/compose.py, from ../shared/corpora), builds it with `lede index`,
starts `lede serve` on a free 127.0.0.1 port and runs --threads client threads of keyword, phrase
and paging queries for --seconds; half-way through, `lede index` rebuilds the same index directory.
An error is any non-200 answer or a total of 0 for a query that matched before the load began.
Every ~5 s the memory (summed Pss) and open file handles of the server's processes are sampled. Prints a markdown
summary, writes bench/out/stress-<timestamp>.json and exits 1 on any error.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from bench.oracle.compose import compose
from bench.perf.memory import tree, tree_pss_kb

REPO = Path(__file__).resolve().parents[2]  # the checkout
OUT_DIR = REPO / "bench" / "out"
HOST = "127.0.0.1"  # loopback only, always
SAMPLE_SECONDS = 5.0
QUERIES_PER_KIND = 60
PAGE_SIZE = 10
STOP = {"the", "a", "an", "of", "to", "in", "on", "for", "and", "or", "not", "is", "at", "by", "with", "as", "from"}


def lede() -> list[str]:
    """The `lede` console script beside this Python, else `python -m webapp.cli`."""
    script = Path(sys.executable).parent / "lede"
    return [str(script)] if script.exists() else [sys.executable, "-m", "webapp.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def build(crawl: Path, index_dir: Path) -> float:
    """Run `lede index` to completion; return its wall time."""
    started = time.monotonic()
    subprocess.run([*lede(), "index", str(crawl), "--index", str(index_dir), "-q"], cwd=REPO, check=True)
    return time.monotonic() - started


class Client:
    """One keep-alive HTTP connection to the server."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection(HOST, port, timeout=60)

    def get(self, path: str) -> tuple[int, bytes]:
        for attempt in (1, 2):
            try:
                self.conn.request("GET", path)
                response = self.conn.getresponse()
                return response.status, response.read()
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


def candidate_queries(truth: Path, rng: random.Random) -> list[dict]:
    """Keyword, phrase and paging queries drawn from the composed headlines (checked against the index later)."""
    headlines = [json.loads(line)["headline"] for line in truth.read_text().splitlines()]
    tokens = [[w for w in re.findall(r"[A-Za-z]{3,}", h)] for h in headlines]
    queries = []
    for words in rng.sample(tokens, min(len(tokens), QUERIES_PER_KIND * 3)):
        content = [w for w in words if w.lower() not in STOP]
        if content and sum(q["kind"] == "keyword" for q in queries) < QUERIES_PER_KIND:
            queries.append({"kind": "keyword", "q": rng.choice(content).lower(), "page": 1})
        if len(words) >= 3 and sum(q["kind"] == "phrase" for q in queries) < QUERIES_PER_KIND:
            start = rng.randrange(len(words) - 2)
            queries.append({"kind": "phrase", "q": '"' + " ".join(words[start:start + 3]) + '"', "page": 1})
    common = [w for w, _ in sorted(count_words(tokens).items(), key=lambda kv: -kv[1])[:40]]
    queries += [{"kind": "paging", "q": w, "page": rng.randint(2, 4)} for w in common]
    return queries


def count_words(tokens: list[list[str]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for words in tokens:
        for w in {w.lower() for w in words if w.lower() not in STOP}:
            counts[w] = counts.get(w, 0) + 1
    return counts


def path_of(query: dict) -> str:
    return "/api/search?" + urllib.parse.urlencode({"q": query["q"], "page": query["page"], "per_page": PAGE_SIZE})


def html_path_of(query: dict) -> str:
    return "/?" + urllib.parse.urlencode({"q": query["q"], "page": query["page"]})


def matching(queries: list[dict], port: int) -> list[dict]:
    """The queries that find something (for paging: enough hits to fill the page asked for) before the load."""
    client, kept = Client(port), []
    for query in queries:
        status, body = client.get(path_of(query))
        if status == 200:
            total = json.loads(body)["total"]
            if total > 0 and total > (query["page"] - 1) * PAGE_SIZE:
                kept.append({**query, "total": total})
    return kept


def proc_sample(pid: int, index_dir: Path) -> dict:
    """Over the server and its worker processes: memory (MB, summed Pss), open file handles, the
    generations they hold open or mapped, and how many deleted index files they still hold."""
    fds, gens, deleted = 0, set(), 0
    for p in tree(pid):
        try:
            names = os.listdir(f"/proc/{p}/fd")
            maps = Path(f"/proc/{p}/maps").read_text().splitlines()
        except OSError:
            continue  # gone meanwhile (a worker restarted)
        fds += len(names)
        held = set()
        for fd in names:
            try:
                held.add(os.readlink(f"/proc/{p}/fd/{fd}"))
            except OSError:
                pass
        held |= {line.split(None, 5)[-1] for line in maps if len(line.split(None, 5)) == 6}
        gens |= {m.group(1) for h in held for m in [re.search(r"/(gen-[^/]+)/", h)] if m
                 and h.startswith(str(index_dir))}
        deleted += sum(1 for h in held if h.startswith(str(index_dir)) and h.endswith("(deleted)"))
    return {"rss_mb": round(tree_pss_kb(pid) / 1024, 1), "fds": fds, "generations": sorted(gens),
            "deleted_held": deleted}


def percentiles(values: list[float]) -> dict:
    if not values:
        return {"p50": None, "p95": None, "p99": None}
    qs = statistics.quantiles(values, n=100, method="inclusive") if len(values) > 1 else values * 99
    return {"p50": round(qs[49], 1), "p95": round(qs[94], 1), "p99": round(qs[98], 1)}


def run(args) -> dict:
    work = Path(tempfile.mkdtemp(prefix="lede-stress-"))
    rng = random.Random(args.seed)
    server = None
    try:
        composed = compose(work / "composed", stories=args.stories, seed=args.seed)
        crawl, index_dir = work / "composed" / "crawl", work / "index"
        first_build = build(crawl, index_dir)
        port = free_port()
        server = subprocess.Popen([*lede(), "serve", "--index", str(index_dir), "--port", str(port),
                                   "--threads", str(args.threads)], cwd=REPO,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_ready(port, server)
        queries = matching(candidate_queries(work / "composed" / "truth.jsonl", rng), port)
        if not queries:
            raise SystemExit("no query matched the index")
        return load(args, server, port, index_dir, crawl, queries) | {
            "composed": composed, "first_build_s": round(first_build, 1), "queries": len(queries)}
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def wait_ready(port: int, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"lede serve exited {server.returncode}")
        try:
            Client(port).get("/")
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("lede serve did not answer")


def load(args, server, port: int, index_dir: Path, crawl: Path, queries: list[dict]) -> dict:
    """The timed part: clients, sampler and the rebuild in the middle."""
    records: list[tuple[float, float, bool, str]] = []  # (t, ms, ok, kind)
    errors: list[dict] = []
    samples: list[dict] = []
    lock = threading.Lock()
    stop = threading.Event()
    started = time.monotonic()
    rebuild: dict = {}

    def client(n: int) -> None:
        rng, conn = random.Random(n), Client(port)
        while not stop.is_set():
            query = rng.choice(queries)
            html = rng.random() < 0.2
            t0 = time.monotonic()
            try:
                status, body = conn.get(html_path_of(query) if html else path_of(query))
                total = None if html or status != 200 else json.loads(body)["total"]
                ok = status == 200 and (html or total > 0)
                problem = None if ok else f"status {status}, total {total}"
            except Exception as exc:  # a dropped connection is an error too
                ok, problem = False, repr(exc)
            ms = (time.monotonic() - t0) * 1000
            with lock:
                records.append((t0 - started, ms, ok, "html" if html else query["kind"]))
                if not ok:
                    errors.append({"t": round(t0 - started, 2), "query": query, "problem": problem})

    def sampler() -> None:
        while not stop.is_set():
            samples.append({"t": round(time.monotonic() - started, 1), **proc_sample(server.pid, index_dir)})
            stop.wait(SAMPLE_SECONDS)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(args.threads)]
    threads.append(threading.Thread(target=sampler))
    for t in threads:
        t.start()
    time.sleep(args.seconds / 2)
    old_gen = (index_dir / "CURRENT").read_text().strip()
    rebuild["start"] = time.monotonic() - started
    rebuild["seconds"] = round(build(crawl, index_dir), 1)
    rebuild["end"] = time.monotonic() - started
    new_gen = (index_dir / "CURRENT").read_text().strip()
    while new_gen not in proc_sample(server.pid, index_dir)["generations"]:
        if time.monotonic() - started > args.seconds + 30:
            break
        time.sleep(0.05)
    rebuild["served_new_after_s"] = round(time.monotonic() - started - rebuild["end"], 2)
    remaining = args.seconds - (time.monotonic() - started)
    if remaining > 0:
        time.sleep(remaining)
    stop.set()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    samples.append({"t": round(elapsed, 1), **proc_sample(server.pid, index_dir)})
    during = [r for r in records if rebuild["start"] <= r[0] <= rebuild["end"]]
    first = [s for s in samples if s["t"] < 60] or samples[:1]
    last = [s for s in samples if s["t"] >= elapsed - 60] or samples[-1:]
    return {
        "seconds": round(elapsed, 1), "threads": args.threads, "requests": len(records),
        "errors": len(errors), "error_examples": errors[:10],
        "requests_per_s": round(len(records) / elapsed, 1),
        "latency_ms": percentiles([r[1] for r in records]),
        "latency_ms_during_rebuild": percentiles([r[1] for r in during]),
        "by_kind": {k: sum(1 for r in records if r[3] == k) for k in ("keyword", "phrase", "paging", "html")},
        "rebuild": {"start_s": round(rebuild["start"], 1), "seconds": rebuild["seconds"],
                    "requests_during": len(during), "errors_during": sum(1 for r in during if not r[2]),
                    "served_new_generation_after_s": rebuild["served_new_after_s"],
                    "old_generation": old_gen, "new_generation": new_gen},
        "samples": samples,
        "first_minute": summarize(first), "last_minute": summarize(last),
        "final_generations_held": samples[-1]["generations"],
        "final_deleted_files_held": samples[-1]["deleted_held"],
        "generations_on_disk": sorted(p.name for p in index_dir.glob("gen-*")),
    }


def summarize(samples: list[dict]) -> dict:
    return {"rss_mb_max": max(s["rss_mb"] for s in samples), "rss_mb_last": samples[-1]["rss_mb"],
            "fds_max": max(s["fds"] for s in samples), "fds_last": samples[-1]["fds"]}


def markdown(r: dict) -> str:
    lat, dur, rb = r["latency_ms"], r["latency_ms_during_rebuild"], r["rebuild"]
    f, l = r["first_minute"], r["last_minute"]
    return "\n".join([
        f"## lede stress: {r['threads']} threads, {r['seconds']} s, one rebuild "
        f"({r['composed'].get('stories', '?')} stories composed, {r['queries']} queries)",
        "",
        "| requests | errors | req/s | p50 ms | p95 ms | p99 ms |",
        "|---:|---:|---:|---:|---:|---:|",
        f"| {r['requests']} | {r['errors']} | {r['requests_per_s']} | {lat['p50']} | {lat['p95']} | {lat['p99']} |",
        "",
        "| during the rebuild | requests | errors | p50 ms | p95 ms | p99 ms | rebuild s | new index served after s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        f"| {rb['start_s']} s in | {rb['requests_during']} | {rb['errors_during']} | {dur['p50']} | {dur['p95']} "
        f"| {dur['p99']} | {rb['seconds']} | {rb['served_new_generation_after_s']} |",
        "",
        "| server, all processes | memory MB max | memory MB last | open fds max | open fds last |",
        "|---|---:|---:|---:|---:|",
        f"| first minute | {f['rss_mb_max']} | {f['rss_mb_last']} | {f['fds_max']} | {f['fds_last']} |",
        f"| last minute | {l['rss_mb_max']} | {l['rss_mb_last']} | {l['fds_max']} | {l['fds_last']} |",
        "",
        "samples (t s: memory MB / fds): " + ", ".join(f"{s['t']}: {s['rss_mb']}/{s['fds']}" for s in r["samples"]),
        f"generations held at the end: {r['final_generations_held']} "
        f"(deleted files held: {r['final_deleted_files_held']}); on disk: {r['generations_on_disk']}",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--stories", type=int, default=800)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", action="store_true", help="keep the work directory (crawl, index)")
    args = parser.parse_args(argv)
    result = run(args)
    print(markdown(result))
    for e in result["error_examples"]:
        print("error:", e)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    out = OUT_DIR / f"stress-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(result, indent=1))
    print(f"\nwritten: {out.relative_to(REPO)}")
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())

"""Two Lede servers, the same queries, in alternation: a before/after of the query path.

    python -m bench.perf.ab --crawl bench/out/crawls/size100000-seed0 \\
        --a /tmp/before/.venv/bin/lede /tmp/ix-before --b .venv/bin/lede /tmp/ix-after [--rounds 3]

Each side is a `lede` executable (of a checkout and its venv) and an index that checkout built of
the same crawl. Both servers run at once; every query of `bench.perf.bench`'s kinds (drawn from the
crawl's stories.jsonl, as that benchmark draws them) is asked of A, then of B, --rounds times, so
that the machine's load falls on both alike. Prints p50 and p95 per kind for each side and their
ratio B/A, through HTTP with one client.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from bench.perf.bench import KINDS, PAGED_PAGE, WARMUP_QUERIES, percentiles, pick_queries
from bench.perf.engines import LedeClient

ROUNDS = 3  # each query asked this many times of each side: p95 over 20 queries is nearly their slowest


def alternate(a: LedeClient, b: LedeClient, queries: dict[str, list[str]], rounds: int) -> dict:
    """Milliseconds per kind and side, each query asked of A then of B."""
    for q in queries["single"][:WARMUP_QUERIES]:
        a(q, 1), b(q, 1)
    times = {kind: {"a": [], "b": []} for kind in KINDS}
    for _ in range(rounds):
        for kind in KINDS:
            page = PAGED_PAGE if kind == "paged" else 1
            for q in queries[kind]:
                for side, client in (("a", a), ("b", b)):
                    started = time.perf_counter()
                    client(q, page)
                    times[kind][side].append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--crawl", type=Path, required=True, help="a generated crawl dir (with stories.jsonl)")
    parser.add_argument("--a", nargs=2, metavar=("LEDE", "INDEX"), required=True, help="before: executable and index")
    parser.add_argument("--b", nargs=2, metavar=("LEDE", "INDEX"), required=True, help="after: executable and index")
    parser.add_argument("--queries", type=int, default=20, help="queries per kind")
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    queries = pick_queries(args.crawl / "stories.jsonl", args.queries, args.seed)
    a = LedeClient(Path(args.a[1]), lede=args.a[0])
    b = LedeClient(Path(args.b[1]), lede=args.b[0])
    try:
        times = alternate(a, b, queries, args.rounds)
    finally:
        a.close()
        b.close()
    print(f"| kind | A p50 | B p50 | A p95 | B p95 | B/A p95 |\n|---|---|---|---|---|---|")
    for kind in KINDS:
        pa, pb = percentiles(times[kind]["a"]), percentiles(times[kind]["b"])
        print(f"| {kind} | {pa['p50']:.1f} | {pb['p50']:.1f} | {pa['p95']:.1f} | {pb['p95']:.1f} "
              f"| {pb['p95'] / pa['p95']:.2f}x |")


if __name__ == "__main__":
    main()

"""What `lede index --update` costs next to a full build, after a re-crawl that adds new pages.

    python -m bench.update_bench [--size 100000] [--new 0.05] [--runs 2]

From a generated crawl (`crawl_gen.py`, cached in bench/out/crawls/), it makes a "before" crawl
holding back the last share `--new` of every feed file's pages, and an "after" crawl that adds them
back as new files (a re-crawl that found new pages). Each run builds "before", then times, side by
side on the same machine, `lede index --update` of "after" over that index and a full `lede index`
of "after" into a fresh one; it checks that both give the same stories (`lede export`) and prints
the medians and their ratio.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.bench import ROOT, crawl_for
from bench.stories import DEFAULT_DATA_DIR


def split_crawl(crawl: Path, out: Path, new_share: float) -> tuple[Path, int, int]:
    """Write out/before and out/after; return the after crawl and its old and new page counts."""
    before, after = out / "before", out / "after"
    old_pages = new_pages = 0
    for path in sorted(crawl.rglob("*.jsonl")):
        rel = path.relative_to(crawl)
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        keep = len(lines) - round(len(lines) * new_share)
        for root in (before, after):
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text("".join(lines[:keep]), encoding="utf-8")
        (after / rel.parent / f"new-{rel.name}").write_text("".join(lines[keep:]), encoding="utf-8")
        old_pages, new_pages = old_pages + keep, new_pages + len(lines) - keep
    return after, old_pages, new_pages


def lede(*args: str) -> float:
    """Run a `lede` command; its wall time in seconds."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "webapp.cli", *args], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def export(index: Path) -> list[str]:
    out = subprocess.run([sys.executable, "-m", "webapp.cli", "export", "--index", str(index)], cwd=ROOT,
                         check=True, capture_output=True, text=True).stdout
    return sorted(out.splitlines())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000, help="teaser occurrences of the generated crawl")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--new", type=float, default=0.05, help="share of pages new in the re-crawl")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--data-dir", default=str(DEFAULT_DATA_DIR), help="corpora to generate the crawl from")
    args = parser.parse_args(argv)
    crawl = crawl_for(args.size, args.seed, Path(args.data_dir))[0] / "crawl"
    work = Path(tempfile.mkdtemp(prefix="lede-update-"))
    try:
        after, old_pages, new_pages = split_crawl(crawl, work, args.new)
        updates, fulls, same = [], [], []
        for run in range(args.runs):
            updated, full = work / f"updated{run}", work / f"full{run}"
            lede("index", str(work / "before"), "--index", str(updated), "-q")
            updates.append(lede("index", "--update", str(after), "--index", str(updated), "-q"))
            fulls.append(lede("index", str(after), "--index", str(full), "-q"))
            same.append(export(updated) == export(full))
            print(f"run {run + 1}: update {updates[-1]:.1f} s, full build {fulls[-1]:.1f} s, "
                  f"same stories: {same[-1]}", file=sys.stderr)
        update, full = statistics.median(updates), statistics.median(fulls)
        print(f"| crawl | pages before / new | update s | full build s | update / full | same stories |\n"
              f"|---|---|---|---|---|---|\n"
              f"| size{args.size}-seed{args.seed} | {old_pages:,} / {new_pages:,} ({args.new:.0%}) | "
              f"{update:.1f} | {full:.1f} | {update / full:.2f} | {'yes' if all(same) else 'NO'} |")
        return 0 if all(same) else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

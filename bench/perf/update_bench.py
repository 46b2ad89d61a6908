"""What `lede index --update` costs next to a full build, after a re-crawl that adds new pages.

    python -m bench.perf.update_bench [--size 100000] [--new 0.05] [--runs 2]

From a generated crawl (`crawl_gen.py`, cached in bench/out/crawls/), it holds back the last share
`--new` of every feed file's pages. Each run builds an index of the crawl without them, then adds
them to the crawl's folder as new files (a re-crawl that found new pages) and times, side by side
on the same machine, `lede index --update` over that index and a full `lede index` into a fresh
one; it checks that both give the same stories (`lede export`) and prints the medians, their
ratio, and how many pages the update segmented.
"""
from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.perf.bench import ROOT, crawl_for, run_child
from bench.oracle.stories import DEFAULT_DATA_DIR


def split_crawl(crawl: Path, out: Path, new_share: float) -> tuple[Path, dict[Path, str], int, int]:
    """Write the crawl without its new pages to out/crawl; return that folder, the new files to add
    to it (path -> text), and the old and new page counts."""
    before, added = out / "crawl", {}
    old_pages = new_pages = 0
    for path in sorted(crawl.rglob("*.jsonl")):
        rel = path.relative_to(crawl)
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        keep = len(lines) - round(len(lines) * new_share)
        (before / rel).parent.mkdir(parents=True, exist_ok=True)
        (before / rel).write_text("".join(lines[:keep]), encoding="utf-8")
        added[before / rel.parent / f"new-{rel.name}"] = "".join(lines[keep:])
        old_pages, new_pages = old_pages + keep, new_pages + len(lines) - keep
    return before, added, old_pages, new_pages


def lede(*args: str) -> dict:
    """Run a `lede` command: its wall time, peak memory (`bench.run_child`) and what it printed."""
    return run_child([sys.executable, "-m", "webapp.cli", *args])


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
        crawl_dir, added, old_pages, new_pages = split_crawl(crawl, work, args.new)
        updates, fulls, same, segmented, memory = [], [], [], [], []
        for run in range(args.runs):
            updated, full = work / f"updated{run}", work / f"full{run}"
            for path in added:
                path.unlink(missing_ok=True)
            lede("index", str(crawl_dir), "--index", str(updated), "-q")
            for path, text in added.items():
                path.write_text(text, encoding="utf-8")
            done = lede("index", "--update", str(crawl_dir), "--index", str(updated))
            updates.append(done["seconds"])
            memory.append((done["peak_rss_mb"], done["peak_tree_rss_mb"]))
            found = re.search(r"pages segmented: (\d+)", done["stderr"])
            segmented.append(int(found.group(1)) if found else -1)
            fulls.append(lede("index", str(crawl_dir), "--index", str(full), "-q")["seconds"])
            same.append(export(updated) == export(full))
            print(f"run {run + 1}: update {updates[-1]:.1f} s ({segmented[-1]:,} pages segmented; peak memory "
                  f"{memory[-1][0]:.0f} MB main, {memory[-1][1]:.0f} MB all processes), "
                  f"full build {fulls[-1]:.1f} s, same stories: {same[-1]}", file=sys.stderr)
            shutil.rmtree(updated)
            shutil.rmtree(full)
        update, full = statistics.median(updates), statistics.median(fulls)
        main_mb, all_mb = (max(m[i] for m in memory) for i in (0, 1))
        print(f"| crawl | pages before / new | pages the update segmented | update s | full build s | "
              f"update / full | update peak memory, main / all processes | same stories |\n"
              f"|---|---|---|---|---|---|---|---|\n"
              f"| size{args.size}-seed{args.seed} | {old_pages:,} / {new_pages:,} ({args.new:.0%}) | "
              f"{statistics.median(segmented):,.0f} | {update:.1f} | {full:.1f} | {update / full:.2f} | "
              f"{main_mb:,.0f} / {all_mb:,.0f} MB | {'yes' if all(same) else 'NO'} |")
        return 0 if all(same) else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

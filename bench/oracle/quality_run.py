"""Compose a ground-truth crawl, index it with Lede, and score the result: one rerunnable command.

    python -m bench.oracle.quality_run [--stories 1000] [--layouts dev|heldout] [--seed 0] [--json]
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from bench.oracle import compose, quality
from indexer import build_index, iter_stories


def run(work: Path, stories: int, layouts: str, seed: int, bare_articles: bool = False) -> dict:
    """Compose under `work`, build an index there, export it (work/export.jsonl) and evaluate it
    against the truth."""
    compose.compose(work, stories=stories, seed=seed, layouts=layouts, bare_articles=bare_articles)
    build_index([work / "crawl"], work / "index")
    export = work / "export.jsonl"
    with open(export, "w", encoding="utf-8") as fh:
        for story in iter_stories(work / "index"):
            fh.write(json.dumps(story, ensure_ascii=False) + "\n")
    return quality.evaluate(work, export)


def arguments(description: str, layouts: str) -> argparse.Namespace:
    """The command line of a composed-crawl measure: --stories, --layouts, --seed, --json."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--layouts", choices=("dev", "heldout"), default=layouts)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true")
    return parser.parse_args()


def main() -> int:
    args = arguments(__doc__.splitlines()[0], "dev")
    with tempfile.TemporaryDirectory() as tmp:
        result = run(Path(tmp), args.stories, args.layouts, args.seed)
    if args.json:
        print(json.dumps({k: v for k, v in result.items() if k != "examples"}, indent=1))
    else:
        print(quality.format_table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The index writer's CPU alone: a `lede export` file's stories written by one `BulkSegmentWriter`.

    python bench/perf/writer_bench.py EXPORT.jsonl [--runs 3] [--limitmb 256] [--digests]

Reads the stories of a `lede export` (JSON lines), makes their Whoosh documents as the build does
(`build.story_fields`) and writes them into a new index with `whoosh_internals.writer.
BulkSegmentWriter` in this one process, as each of the build's writer processes does with its share.
It prints, for each run and as medians, the CPU seconds (`time.process_time`) of the `add_document`
calls and of the commit (where the segment's postings are written) apart.

With `--digests` it also prints a SHA-256 of each of the segment's files, named by kind (the
segment's random id, which names its files, is the same in every run: `random` is seeded before
the writer is made), so that two checkouts' writers can be compared byte for byte: run it with
`PYTHONPATH=OTHER_CHECKOUT` to time and check another checkout's writer on the same stories (it is
run as a script, not with -m, so that PYTHONPATH decides which `indexer` it imports).
"""
from __future__ import annotations

import argparse
import gc
import hashlib
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

from whoosh import index as whoosh_index

from indexer import whoosh_internals
from indexer.analysis import make_schema
from indexer.build import WRITER_LIMITMB, story_fields
from indexer.records import Story
from indexer.whoosh_internals.writer import BulkSegmentWriter

SEGMENT_SEED = 17  # seeds `random` before each writer is made, so its segment id is the same each run


def documents(export: Path) -> list[dict]:
    """The Whoosh documents of an export's stories, in the export's order."""
    docs = []
    with export.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            record.pop("page_count", None)
            docs.append(story_fields(Story(**record)))
    return docs


def write(docs: list[dict], folder: Path, limitmb: float) -> tuple[float, float, dict[str, str]]:
    """CPU seconds of adding the documents and of committing them; the digest of each segment file."""
    ix = whoosh_index.create_in(str(folder), make_schema())
    random.seed(SEGMENT_SEED)
    writer = BulkSegmentWriter(ix, limitmb=limitmb, compound=False)
    segid = writer.newsegment.segid
    start = time.process_time()
    for doc in docs:
        writer.add_document(**doc)
    added = time.process_time()
    writer.commit()
    done = time.process_time()
    digests = {path.name.replace(segid, "SEG"): hashlib.sha256(path.read_bytes()).hexdigest()
               for path in sorted(folder.iterdir()) if segid in path.name}
    return added - start, done - added, digests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("export", type=Path, help="a `lede export` JSON lines file")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--limitmb", type=float, default=WRITER_LIMITMB)
    parser.add_argument("--digests", action="store_true", help="print a SHA-256 of each segment file")
    args = parser.parse_args()
    whoosh_internals.install()
    docs = documents(args.export)
    gc.collect()
    gc.freeze()  # the stories read are not the writer's to walk for cycles (a writer process holds a batch)
    adds, commits = [], []
    for run in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="writer-bench-") as folder:
            add, commit, digests = write(docs, Path(folder), args.limitmb)
        adds.append(add)
        commits.append(commit)
        print(f"run {run + 1}: add_document {add:.2f} s, commit {commit:.2f} s, both {add + commit:.2f} s CPU")
    print(f"median of {args.runs}: add_document {statistics.median(adds):.2f} s, commit "
          f"{statistics.median(commits):.2f} s, both {statistics.median(a + c for a, c in zip(adds, commits)):.2f} s "
          f"CPU ({len(docs)} stories, limitmb {args.limitmb:g})")
    if args.digests:
        for name, digest in digests.items():
            print(f"{digest}  {name}")


if __name__ == "__main__":
    main()

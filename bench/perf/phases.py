"""Where a build's wall time goes: `lede index` run in this process with its stages timed.

    python -m bench.perf.phases CRAWL [--runs 3]

Each stage is a function of the build wrapped to note when it starts and ends (a generator: when
it is first asked and when it ends); the table gives each stage's wall seconds and this process's
CPU seconds in it, the imports before the build, and the CPU of the worker and writer processes
(all children, measured at the end). Stages overlap where the build streams (segmenting runs while
the deduplicator takes pages in), so their sum is not the whole.
"""
from __future__ import annotations

import argparse
import functools
import importlib
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

STARTED = time.perf_counter()

# (module, function) of each stage, in the order they run
STAGES = [
    ("indexer.pipeline", "crawl_listing"),
    ("indexer.pipeline", "learn"),
    ("indexer.pipeline", "segment_crawl"),
    ("indexer.pipeline", "deduplicate"),
    ("indexer.language", "_detected"),
    ("indexer.build", "_write_stories"),
    ("indexer.build", "_write_vocabulary"),
    ("whoosh.multiproc", "MpWriter.commit"),  # (waits for the writer processes to finish their segments)
    ("whoosh.writing", "SegmentWriter.commit"),
    ("indexer.build", "_write_beside"),
    ("indexer.crawlstate", "StateWriter.move_into"),
]


def _cpu() -> float:
    return time.process_time()


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class Timings:
    """Wall and CPU seconds of each stage, added up over its calls."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}

    def add(self, name: str, wall: float, cpu: float) -> None:
        self.wall[name] = self.wall.get(name, 0.0) + wall
        self.cpu[name] = self.cpu.get(name, 0.0) + cpu


def _timed(fn, name: str, timings: Timings):
    """fn, noting its wall and CPU time (a generator's from its first step to its end)."""
    import inspect

    if inspect.isgeneratorfunction(fn):
        @functools.wraps(fn)
        def generator(*args, **kwargs):
            wall, cpu = time.perf_counter(), _cpu()
            result = yield from fn(*args, **kwargs)
            timings.add(name, time.perf_counter() - wall, _cpu() - cpu)
            return result
        return generator

    @functools.wraps(fn)
    def plain(*args, **kwargs):
        wall, cpu = time.perf_counter(), _cpu()
        try:
            return fn(*args, **kwargs)
        finally:
            timings.add(name, time.perf_counter() - wall, _cpu() - cpu)
    return plain


def instrument(timings: Timings) -> None:
    """Wrap every stage of STAGES that exists in this checkout."""
    for module_name, qualname in STAGES:
        module = importlib.import_module(module_name)
        owner, _, attr = qualname.rpartition(".")
        holder = getattr(module, owner, None) if owner else module
        fn = getattr(holder, attr, None)
        if fn is not None:
            setattr(holder, attr, _timed(fn, qualname, timings))


def run(crawl: Path) -> dict[str, tuple[float, float]]:
    """One build of the crawl into a fresh directory: stage -> (wall, CPU) seconds."""
    timings = Timings()
    wall, cpu, children = time.perf_counter(), _cpu(), _children_cpu()
    import indexer.pipeline  # noqa: F401 - the build's imports, timed
    imported = (time.perf_counter() - wall, _cpu() - cpu)
    instrument(timings)
    from indexer.pipeline import build_index

    out = Path(tempfile.mkdtemp(prefix="lede-phases-"))
    try:
        build_index([crawl], out / "index")
    finally:
        shutil.rmtree(out, ignore_errors=True)
    result = {"imports": imported}
    result.update((name, (timings.wall[name], timings.cpu[name])) for name in timings.wall)
    result["whole build (this process)"] = (time.perf_counter() - wall, _cpu() - cpu)
    result["children's CPU"] = (0.0, _children_cpu() - children)
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("crawl", type=Path)
    args = parser.parse_args(argv)
    result = run(args.crawl)
    print(f"| stage | wall s | CPU s (this process) |\n|---|---|---|")
    for name, (wall, cpu) in result.items():
        print(f"| {name} | {wall:.2f} | {cpu:.2f} |")
    print(f"(process start to end: {time.perf_counter() - STARTED:.2f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()

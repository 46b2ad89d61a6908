"""A process tree's memory, from /proc: what the benchmarks report for builds and servers that
run several processes (Lede's build workers, Whoosh's writers, gunicorn's workers)."""
from __future__ import annotations

import re
from pathlib import Path


def tree(pid: int) -> list[int]:
    """The process and every live process below it."""
    found, pending = [], [pid]
    while pending:
        p = pending.pop()
        found.append(p)
        try:
            pending += [int(c) for c in Path(f"/proc/{p}/task/{p}/children").read_text().split()]
        except OSError:
            continue  # gone meanwhile
    return found


def pss_kb(pid: int) -> int:
    """The process's proportional set size (kB): a page shared after fork counts once in all, split
    between the processes sharing it; 0 for a process gone or a zombie."""
    try:
        return int(re.search(r"^Pss:\s+(\d+) kB", Path(f"/proc/{pid}/smaps_rollup").read_text(), re.M).group(1))
    except (OSError, AttributeError):
        return 0


def tree_pss_kb(pid: int) -> int:
    """The memory of a process and its descendants now (kB): the sum of their Pss."""
    return sum(pss_kb(p) for p in tree(pid))

"""Processes: how many cores there are, workers that end with the build, memory handed back between stages."""
from __future__ import annotations

import ctypes
import os
import signal

PR_SET_PDEATHSIG = 1  # prctl(2)


def cores() -> int:
    """The cores this process may run on (its CPU affinity, where the system tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def die_with_parent(owner: int | None = None) -> None:
    """Have the kernel end this process when its parent ends (Linux's PR_SET_PDEATHSIG), so that a
    build killed outright leaves no worker behind holding its lock and memory; elsewhere, workers
    notice at their next chunk of pages."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if owner is not None and os.getppid() != owner:  # the parent ended before the call above
        os._exit(1)


def release_memory() -> None:
    """Give the memory freed so far back to the system (glibc's malloc_trim; elsewhere, nothing):
    Python keeps freed heap pages otherwise, and the build frees a great deal between its stages."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass

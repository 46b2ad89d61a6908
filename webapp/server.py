"""`lede serve`'s HTTP server: gunicorn, one process a core, each with threads.

Whoosh searches in pure Python, so one process answers one query at a time whatever its
threads (the GIL); with one process a core, queries from several clients run side by side.
The app is loaded once and forked (`preload_app`); no index file is open at that moment, so
every process opens its own (a file shared across a fork would share its read position).
Each process then opens the index before its first request, and reopens it when a rebuild
swaps in a new generation, as `IndexHolder` does in any process.

A query of common words at a million teasers makes tens of MB of numpy arrays for a moment. glibc's
malloc keeps what they are freed to, in one arena per request thread, for the next query, so that a
process held what its threads' biggest queries once took at the same time (60-100 MB more a process at
1M, more or less from run to run: whichever process answered the big ones). After a request, a process
holding more than TRIM_ABOVE_BYTES of freed memory gives it back (`malloc_trim`): a query reusing
memory under that bound pays nothing, one that needs more maps it afresh.
"""
from __future__ import annotations

import ctypes
import ctypes.util
from pathlib import Path

from gunicorn.app.base import BaseApplication

from . import create_app

GRACEFUL_SECONDS = 5  # on SIGTERM, requests under way get this long to finish
# Freed memory a server process may keep for its next queries: about what two concurrent queries of
# common words take at a million teasers; above it, it goes back to the system after the request.
TRIM_ABOVE_BYTES = 48 << 20


class Server(BaseApplication):
    """gunicorn's application, configured in code rather than from its command line."""

    def __init__(self, index_dir: Path, host: str, port: int, workers: int, threads: int):
        self.index_dir = index_dir
        self.options = {
            "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
            "workers": workers,
            "worker_class": "gthread",
            "threads": threads,
            "preload_app": True,
            "graceful_timeout": GRACEFUL_SECONDS,
            "post_worker_init": _open_index,
            "post_request": _give_back_memory,
            "control_socket_disable": True,  # else every `lede serve` shares ~/.gunicorn/gunicorn.ctl
            "loglevel": "warning",
            "proc_name": "lede serve",
        }
        super().__init__()

    def load_config(self):
        for name, value in self.options.items():
            self.cfg.set(name, value)

    def load(self):
        return create_app({"INDEX_DIR": str(self.index_dir)})


def _open_index(worker) -> None:
    """Open the live index in a new server process before its first request, so that no
    user's query waits for it (a missing index is reported on each request instead)."""
    try:
        with worker.wsgi.extensions["lede_index"].searcher():
            pass
    except Exception as exc:  # a missing or damaged index: each request reports it
        worker.log.warning("could not open the index yet: %s", exc)


class _MallInfo2(ctypes.Structure):
    """glibc's `struct mallinfo2` (2.33 and later)."""

    _fields_ = [(name, ctypes.c_size_t) for name in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks",
                 "keepcost")]


def _glibc():
    """glibc's malloc_trim and mallinfo2, or None where the C library is another (musl, macOS)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim, info = libc.malloc_trim, libc.mallinfo2
    except (OSError, AttributeError):
        return None
    info.restype = _MallInfo2
    trim.argtypes = [ctypes.c_size_t]
    return trim, info


_GLIBC = _glibc()


def _give_back_memory(worker, req, environ, resp) -> None:
    """After a request (its response sent): if this process's malloc holds more than TRIM_ABOVE_BYTES
    freed, give the free pages back to the system."""
    if _GLIBC is None:
        return
    trim, info = _GLIBC
    if info().fordblks > TRIM_ABOVE_BYTES:
        trim(0)

"""`lede serve`'s HTTP server: gunicorn, one process a core, each with threads.

Whoosh searches in pure Python, so one process answers one query at a time whatever its
threads (the GIL); with one process a core, queries from several clients run side by side.
The app is loaded once and forked (`preload_app`); no index file is open at that moment, so
every process opens its own (a file shared across a fork would share its read position).
Each process then opens the index before its first request, and reopens it when a rebuild
swaps in a new generation, as `IndexHolder` does in any process.
"""
from __future__ import annotations

from pathlib import Path

from gunicorn.app.base import BaseApplication

from . import create_app

GRACEFUL_SECONDS = 5  # on SIGTERM, requests under way get this long to finish


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

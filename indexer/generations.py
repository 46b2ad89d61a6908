"""An index directory's generations: each build writes a new one and swaps it in atomically.

Layout of an index directory::

    index/
      CURRENT          name of the live generation (replaced atomically with os.replace)
      gen-<stamp>/     one complete Whoosh index per generation
      .lock            held by the one build allowed at a time

Readers resolve CURRENT and open that generation, so they only ever see a
complete index. A build that fails or is killed leaves CURRENT untouched; its
half-written generation is removed by the next build. (This module imports neither Whoosh nor NLTK:
a build takes its lock and reads the crawl before it needs them, `pipeline`.)
"""
from __future__ import annotations

import fcntl
import json
import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .workers import HELD_LOCKS

CURRENT = "CURRENT"
LOCK = ".lock"
GEN_PREFIX = "gen-"
META = "lede.json"
KEEP_OLD_GENERATIONS = 1  # a server may still be reading the previous one


class BuildLocked(Exception):
    """Another build holds the index directory."""


@contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """Hold the directory's build lock, or raise BuildLocked at once."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / LOCK, "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildLocked(f"another build is running on {index_dir}") from None
        HELD_LOCKS.add(fh.fileno())
        try:
            yield
        finally:
            HELD_LOCKS.discard(fh.fileno())
            fcntl.flock(fh, fcntl.LOCK_UN)


def current_generation(index_dir: Path) -> Path | None:
    """The directory of the live generation, or None when nothing was built yet."""
    try:
        name = (Path(index_dir) / CURRENT).read_text().strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    gen = Path(index_dir) / name
    return gen if name.startswith(GEN_PREFIX) and gen.is_dir() else None


def read_meta(gen: Path) -> dict:
    """The build's metadata stored beside a generation (schema version, counts)."""
    try:
        return json.loads((gen / META).read_text())
    except (OSError, ValueError):
        return {}


def swap_current(index_dir: Path, name: str) -> None:
    tmp = index_dir / f".{CURRENT}.{os.getpid()}"
    with open(tmp, "w") as fh:
        fh.write(name + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, index_dir / CURRENT)
    fsync_dir(index_dir)


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_stale_generations(index_dir: Path) -> None:
    """Remove half-built generations and all but the newest old ones (call under the lock).

    The old ones kept are those that were live before the live one (each generation's
    metadata names its predecessor), never a complete generation whose build was killed
    before its swap: a server may still be reading the previous generation.
    """
    live = current_generation(index_dir)
    gens = sorted((p for p in index_dir.glob(GEN_PREFIX + "*") if p.is_dir()),
                  key=lambda p: p.stat().st_mtime, reverse=True)
    keep = {live} if live else set()
    gen = live
    while gen is not None and len(keep) <= KEEP_OLD_GENERATIONS:
        meta = read_meta(gen)
        if "previous" not in meta:  # built before generations named their predecessor
            old = [g for g in gens if g not in keep and (g / META).exists()]
            keep.update(old[:KEEP_OLD_GENERATIONS + 1 - len(keep)])
            break
        gen = index_dir / Path(meta["previous"]).name if meta["previous"] else None
        if gen is None or not gen.is_dir():
            break
        keep.add(gen)
    for gen in gens:
        if gen not in keep:
            shutil.rmtree(gen, ignore_errors=True)
    for tmp in index_dir.glob(f".{CURRENT}.*"):
        tmp.unlink(missing_ok=True)
    for tmp in index_dir.glob(".crawl-*"):  # crawl state of a build that was killed
        if tmp.name != f".crawl-{os.getpid()}":
            shutil.rmtree(tmp, ignore_errors=True)

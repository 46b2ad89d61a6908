"""Worker processes, one way for the whole indexer: forked workers that take chunks of the work in turn.

`in_turn` maps a function over a sequence of items in worker processes and gives the results in
the sequence's order as they come (the build's second pass); `map_list` does the same for a list
held in memory, all at once (the update's pages); `shares` gives each worker's result over its share
(the first pass), this process taking the first share itself. The workers are forked: they see what this process holds (the crawl's
statistics) without a copy, and each reads the items itself (a crawl's pages, say), taking chunks of
CHUNK items in turn. A worker dies with the build (`die_with_parent`); its failure travels back as
`WorkerFailed`, never a hang. Also here: how many cores there are, and handing freed memory back.
"""
from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
from typing import Callable, Generator, Iterator, TypeVar

PR_SET_PDEATHSIG = 1  # prctl(2)
CHUNK = 64  # items a worker works through before it hands their results over
# File descriptors of the build locks this process holds: a forked child closes its copies, or the
# lock would outlive a killed build until the kernel has ended the child too.
HELD_LOCKS: set[int] = set()

Item = TypeVar("Item")
Result = TypeVar("Result")


class WorkerFailed(RuntimeError):
    """A worker process of the build stopped: the build stops and the live index stays as it was."""


def cores() -> int:
    """The cores this process may run on (its CPU affinity, where the system tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def mine(n: int, worker: int, workers: int) -> bool:
    """Whether item n is this worker's: workers take turns, a chunk of CHUNK items each."""
    return (n // CHUNK) % workers == worker


def in_turn(items: Callable[[], Generator[Item, None, object]], work: Callable[[Item], Result],
            workers: int, meanwhile: Callable[[], None] | None = None) -> Generator[Result, None, object]:
    """work(item) for every item that items() yields, in order; returns what the items() generator
    returns at its end (a report of what was read, say). With more than one worker, each worker
    runs items() itself and works through its chunks, while this process takes the results a
    chunk at a time from each worker in turn, after calling `meanwhile` (work of its own that
    the workers need not wait for)."""
    if workers == 1:
        source = items()
        while True:
            try:
                item = next(source)
            except StopIteration as end:
                return end.value
            yield work(item)
    conns = _fan_out(_work_in_turn, workers, items, work)
    if meanwhile is not None:
        meanwhile()
    chunk = 0
    while True:
        kind, payload = _receive(conns[chunk % workers])
        if kind == "end":  # this worker had no chunk left: neither has any other
            break
        yield from payload
        chunk += 1
    for n, conn in enumerate(conns):  # every other worker's last word is its end too
        if n != chunk % workers:
            _receive(conn)
    return payload


def map_list(work: Callable[[Item], Result], items: list[Item], workers: int) -> list[Result]:
    """work(item) for every item of the list, in order. Each worker works through its chunks of the
    list (shared by the fork) and hands all its results over at the end: no worker waits for another
    to hand over a chunk, as in `in_turn`, but this process holds every result at once."""
    if workers == 1:
        return [work(item) for item in items]
    parts = [iter(part) for part in shares(
        lambda worker, of: [work(item) for n, item in enumerate(items) if mine(n, worker, of)], workers)]
    return [next(parts[(n // CHUNK) % workers]) for n in range(len(items))]


def shares(work: Callable[[int, int], Result], workers: int) -> Iterator[Result]:
    """work(worker, workers) for each of `workers` shares; their results, one share's at a time, in
    order. This process works out share 0 itself while forked processes work out the others: it
    would only wait for them otherwise, and a result that stays here is not pickled and sent (the
    first pass's statistics hold two Bloom sets of 16 MB whatever the crawl's size: sending one
    worker's took about 0.15 s of its time and 0.06 s of this process's)."""
    if workers == 1:
        yield work(0, 1)
        return
    conns = _fan_out(_work_share, workers, work, first=1)
    try:
        yield work(0, workers)
        for conn in conns:
            yield _receive(conn)[1]
    finally:
        for conn in conns:  # (a worker still sending when this ends early is told so: it stops)
            conn.close()


def _work_in_turn(conn, worker: int, workers: int, items: Callable[[], Generator], work: Callable) -> None:
    batch: list = []
    owner = os.getppid()
    source = items()
    n = 0
    while True:
        try:
            item = next(source)
        except StopIteration as end:
            ending = end.value
            break
        if mine(n, worker, workers):
            batch.append(work(item))
        elif batch:  # the chunk is done: hand it over
            conn.send(("chunk", batch))
            batch = []
            if os.getppid() != owner:
                return  # the build was killed: stop, and release what it held
        n += 1
    if batch:
        conn.send(("chunk", batch))
    conn.send(("end", ending))


def _work_share(conn, worker: int, workers: int, work: Callable) -> None:
    conn.send(("share", work(worker, workers)))


def _fan_out(target, workers: int, *args, first: int = 0) -> list:
    """Start forked processes running target(conn, worker, workers, *args), one for each worker
    from `first` on; return the connections to read what they send from."""
    context = multiprocessing.get_context("fork")  # the workers share what this process holds for free
    conns = []
    for worker in range(first, workers):
        ours, theirs = context.Pipe(duplex=False)
        process = context.Process(target=_guarded, args=(target, theirs, os.getpid(), worker, workers, *args),
                                  daemon=True, name=f"lede-{target.__name__.strip('_')}-{worker}")
        process.start()
        theirs.close()  # so that a worker's death reads as end of file here
        conns.append(ours)
    return conns


def _guarded(target, conn, owner: int, *args) -> None:
    """A worker's body: it dies with the build, and its failure travels back as a message, not a hang.
    What it inherits of the build is frozen out of the garbage collector's reach (as in Whoosh's writer
    processes, `whoosh_internals`): its collections then walk only what it makes itself, not the build's
    objects (and do not copy the pages they sit on)."""
    gc.freeze()
    try:
        die_with_parent(owner)
        target(conn, *args)
    except KeyboardInterrupt:
        pass
    except BrokenPipeError:
        pass  # the build is gone (killed): nobody to report to
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises it
        try:
            conn.send(("error", f"{type(exc).__name__}: {exc}"))
        except OSError:
            pass
    finally:
        conn.close()


def _receive(conn) -> tuple[str, object]:
    try:
        kind, payload = conn.recv()
    except EOFError:
        raise WorkerFailed("a build worker died (out of memory, or killed)") from None
    if kind == "error":
        raise WorkerFailed(f"a build worker failed: {payload}")
    return kind, payload


def close_inherited_locks() -> None:
    """In a forked child: close its copies of the parent's build locks (HELD_LOCKS)."""
    for fd in list(HELD_LOCKS):
        HELD_LOCKS.discard(fd)
        os.close(fd)


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

"""Reliability: rebuilds while serving, killed and concurrent builds, missing or old indexes, a torture crawl
(hostile input is in test_hostile.py).

The subprocess tests run the real `lede index` and `lede serve` on loopback only.
Counts of what was tried are printed (run with `-s` to see them).
"""
from __future__ import annotations

import gzip
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

import pytest

from indexer.build import iter_stories, write_index
from indexer.generations import CURRENT, GEN_PREFIX, META, BuildLocked, build_lock, current_generation
from webapp import create_app
from webapp.search import IndexHolder, search

from conftest import REPO, STORIES, alive, descendants, lede_command, wait_until_gone
from test_sources import CP1252_TEXT, MALFORMED_FEED, PNG_JUNK, jsonl, write

LOCKED_MESSAGE = "another build is running on"
SEED_WORDS = random.Random(7)
WORDS = ["".join(SEED_WORDS.choice("bcdfghjklmnprstvwz") + SEED_WORDS.choice("aeiou")
                 for _ in range(SEED_WORDS.randint(2, 4))) for _ in range(3000)]


# ---------------------------------------------------------------- helpers

def words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def teaser(rng: random.Random, marker: str) -> str:
    """A headline line and a paragraph, both carrying `marker`: one story once indexed."""
    return f"{words(rng, 5).capitalize()} {marker}\n{words(rng, 30)} {marker} {words(rng, 5)}.\n"


def synthetic_crawl(root: Path, marker: str, pages: int = 80, per_page: int = 8) -> Path:
    """A crawl of random-word teasers (slow enough to build to kill it mid-way); one carries `marker`,
    one the word "sharedmark" in every crawl."""
    rng = random.Random(1)
    for n in range(pages):
        parts = [teaser(rng, f"s{n}t{t}") for t in range(per_page)]
        if n == 0:
            parts += [teaser(rng, marker), teaser(rng, "sharedmark")]
        write(root, {f"site{n % 5}/page{n:04d}.txt": "\n".join(parts)})
    return root


def gens(index_dir: Path) -> set[str]:
    return {p.name for p in index_dir.glob(GEN_PREFIX + "*")}


def stray_files(index_dir: Path) -> list[str]:
    """Anything a finished build should not leave behind."""
    return sorted(p.name for p in index_dir.iterdir()
                  if p.name not in (CURRENT, ".lock") and not p.name.startswith(GEN_PREFIX))


def start_build(crawl: Path, index_dir: Path) -> subprocess.Popen:
    return subprocess.Popen([*lede_command(), "index", str(crawl), "--index", str(index_dir), "-q"],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def get(url: str, timeout: float = 30) -> tuple[int, dict, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode()


def api_total(base: str, q: str) -> int | None:
    """The total for q from a running server, or None when it did not answer 200."""
    status, _, body = get(base + "/api/search?" + urlencode({"q": q}))
    return json.loads(body)["total"] if status == 200 else None


def total(index_dir: Path, q: str) -> int:
    holder = IndexHolder(index_dir)
    try:
        return search(holder, q)["total"]
    finally:
        holder.close()


def deleted_files_open(index_dir: Path) -> list[str]:
    """Files under index_dir this process holds open or mapped although they were deleted."""
    held = []
    for fd in Path("/proc/self/fd").iterdir():
        try:
            held.append(os.readlink(fd))
        except OSError:
            pass
    held += [line.split(None, 5)[-1] for line in Path("/proc/self/maps").read_text().splitlines()
             if len(line.split(None, 5)) == 6]
    return [h for h in held if h.startswith(str(index_dir)) and h.endswith("(deleted)")]


@pytest.fixture
def http_server():
    """Serve create_app over real HTTP in this process (Werkzeug's threaded server, loopback), so that
    a test can look at this process's open files; yields a function of the index dir."""
    from werkzeug.serving import make_server
    servers = []

    def start(index_dir: Path) -> str:
        app = create_app({"INDEX_DIR": str(index_dir)})
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def crawls(tmp_path_factory):
    """Two synthetic crawls of the same size: "old" and "new" differ in one marker word."""
    root = tmp_path_factory.mktemp("crawls")
    return synthetic_crawl(root / "old", "zebraold"), synthetic_crawl(root / "new", "quokkanew")


# ---------------------------------------------------------------- generations and the server's searchers

def test_generation_removed_under_a_server_does_not_break_a_request(tmp_path):
    # broke: two rebuilds within the holder's refresh interval deleted the generation it had open,
    # and the next request that needed a new searcher failed with EmptyIndexError (a 500)
    write_index(STORIES, tmp_path / "ix")
    holder = IndexHolder(tmp_path / "ix", refresh_seconds=60)
    assert search(holder, "bank")["total"] == 2
    write_index(STORIES[:1], tmp_path / "ix")
    write_index(STORIES[:2], tmp_path / "ix")
    with holder.searcher():  # the pooled searcher still reads the deleted files ...
        assert search(holder, "bank")["total"] == 1  # ... and a second one moves to the live generation
    assert search(holder, "bank")["total"] == 1
    holder.close()


def test_killed_build_is_never_kept_as_the_previous_generation(tmp_path):
    # broke: the old generation kept was the newest complete one by mtime, which could be a build
    # killed before its swap; the generation the server was reading was deleted instead
    ix = tmp_path / "ix"
    first = write_index(STORIES, ix)
    orphan = ix / f"{GEN_PREFIX}99999999-999999-000000000-1"  # complete, never swapped in
    write_index(STORIES, orphan.with_name("scratch"))
    (ix / "scratch" / current_generation(ix / "scratch").name).rename(orphan)
    second = write_index(STORIES[:1], ix)
    assert gens(ix) == {first.name, second.name}
    third = write_index(STORIES[:2], ix)
    assert gens(ix) == {second.name, third.name}


def test_old_searchers_are_closed_once_the_new_generation_is_live(tmp_path):
    ix = tmp_path / "ix"
    write_index(STORIES, ix)
    holder = IndexHolder(ix, refresh_seconds=0)
    for n in range(4):
        with holder.searcher(), holder.searcher():  # a pool of two searchers
            pass
        assert search(holder, "volcano")["total"] == 1
        write_index(STORIES, ix)
    assert search(holder, "volcano")["total"] == 1
    assert len(gens(ix)) == 2
    assert deleted_files_open(ix) == []  # nothing of the three removed generations is still open
    holder.close()


# ---------------------------------------------------------------- builds killed, builds at once

def watch_build(crawl: Path, index_dir: Path) -> dict[str, float]:
    """Run a whole `lede index`, noting when each stage became visible on disk (seconds from start)."""
    before, started = gens(index_dir), time.monotonic()
    proc = start_build(crawl, index_dir)
    seen: dict[str, float] = {}
    while proc.poll() is None:
        stage = build_stage(index_dir, before)
        seen.setdefault(stage, time.monotonic() - started)
        time.sleep(0.005)
    assert proc.returncode == 0, proc.stderr.read()
    seen["done"] = time.monotonic() - started
    print(f"\nbuild timeline (s): {seen}")
    return seen


def build_stage(index_dir: Path, before: set[str]) -> str:
    """How far a running build has got, as seen from the disk."""
    new = [index_dir / name for name in gens(index_dir) - before]
    if not new:
        return "reading or deduplicating"
    gen = new[0]
    if current_generation(index_dir) == gen:
        return "swapped"
    try:
        names = os.listdir(gen)
    except OSError:
        return "reading or deduplicating"
    if META in names:
        return "before swap"
    if any(n.endswith(".seg") or n.endswith(".toc") and n != "_MAIN_0.toc" for n in names):  # create_in writes _0
        return "committing"
    return "writing"


def kill_at(point: str, crawl: Path, index_dir: Path, timeline: dict[str, float]) -> str:
    """Start a build, SIGKILL it at `point`, return the stage it had reached."""
    before = gens(index_dir)
    proc = start_build(crawl, index_dir)
    started = time.monotonic()
    if point in ("reading", "deduplicating"):
        share = 0.4 if point == "reading" else 0.85
        time.sleep(timeline.get("writing", timeline["done"]) * share)
    else:
        target = {"writing": "writing", "committing": "committing", "before swap": "before swap"}[point]
        order = ["reading or deduplicating", "writing", "committing", "before swap", "swapped"]
        while order.index(build_stage(index_dir, before)) < order.index(target):
            assert proc.poll() is None, "the build ended before the kill point"
            assert time.monotonic() - started < 120
            time.sleep(0.0005)
        if point == "writing":
            time.sleep((timeline.get("committing", timeline["done"]) - timeline["writing"]) * 0.4)
    stage = build_stage(index_dir, before)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    return stage


LOCK_RELEASE_SECONDS = 10  # a killed build's workers die with it (PR_SET_PDEATHSIG), on a busy machine a moment later


def wait_for_lock(index_dir: Path) -> None:
    """Take and release the build lock once its holders are gone: the killed build's forked workers
    hold copies of it until the kernel has ended them too."""
    deadline = time.monotonic() + LOCK_RELEASE_SECONDS
    while True:
        try:
            with build_lock(index_dir):
                return
        except BuildLocked:
            assert time.monotonic() < deadline, "a killed build's processes still hold its lock"
            time.sleep(0.05)


@pytest.mark.slow  # end to end: real builds, kills, servers or the torture crawl
def test_killed_builds_leave_the_old_index_served(crawls, tmp_path, serve):
    old, new = crawls
    ix = tmp_path / "ix"
    timeline = watch_build(old, ix)
    live = current_generation(ix)
    base = serve(ix)
    served = Counter()
    stop = threading.Event()

    def client():
        while not stop.is_set():
            ok = api_total(base, "sharedmark") == 1
            served["requests"] += 1
            served["failed"] += not ok
            time.sleep(0.01)

    thread = threading.Thread(target=client)
    thread.start()
    stages = []
    served_totals = (1, 0)  # (zebraold, quokkanew): the old crawl's index is live
    try:
        for point in ["reading", "deduplicating", "writing", "committing", "before swap"]:
            stage = kill_at(point, new, ix, timeline)
            stages.append(stage)
            wait_for_lock(ix)  # the kernel released the dead build's lock
            if stage == "swapped":  # the kill came a moment too late: the new index is complete
                live, served_totals = current_generation(ix), (0, 1)
                continue
            assert current_generation(ix) == live
            assert (total(ix, "zebraold"), total(ix, "quokkanew")) == served_totals
            assert (api_total(base, "zebraold"), api_total(base, "quokkanew")) == served_totals
        proc = start_build(new, ix)
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        deadline = time.monotonic() + 10
        while api_total(base, "quokkanew") != 1:
            assert time.monotonic() < deadline, "the server never answered from the new index"
            time.sleep(0.1)
        assert api_total(base, "zebraold") == 0
    finally:
        stop.set()
        thread.join()
    assert len(gens(ix)) == 2 and current_generation(ix).name in gens(ix)
    assert stray_files(ix) == []
    assert not any((ix / g / "MAIN.tmp").exists() for g in gens(ix))
    print(f"\nkill points: {len(stages)} {stages}; requests served meanwhile: {served['requests']}, "
          f"failed: {served['failed']}")
    assert len(set(stages)) >= 3  # the kills really landed in different stages
    assert served["requests"] > 0 and served["failed"] == 0


@pytest.mark.slow  # end to end: real builds, kills, servers or the torture crawl
def test_two_builds_at_once_one_waits_or_refuses(crawls, tmp_path):
    old, _ = crawls
    ix = tmp_path / "ix"
    procs = [start_build(old, ix) for _ in range(2)]
    results = [(proc, *proc.communicate(timeout=300)) for proc in procs]
    codes = sorted(proc.returncode for proc in procs)
    assert codes in ([0, 0], [0, 1]), [err for _, _, err in results]
    for proc, _, err in results:
        if proc.returncode == 1:
            assert LOCKED_MESSAGE in err and "wait for it to finish" in err
    print(f"\ntwo builds at once: exit codes {codes}")
    assert total(ix, "zebraold") == 1
    assert 1 <= len(gens(ix)) <= 2 and stray_files(ix) == []


@pytest.mark.slow  # end to end: real builds, kills, servers or the torture crawl
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc")
def test_a_build_killed_while_writing_leaves_no_process_behind(tmp_path):
    crawl = synthetic_crawl(tmp_path / "crawl", "writermark", pages=300)  # 2,400 stories: Whoosh's writer processes
    index_dir = tmp_path / "ix"
    proc = start_build(crawl, index_dir)
    deadline = time.monotonic() + 120
    while build_stage(index_dir, set()) != "writing" or len(descendants(proc.pid)) < 2:
        assert proc.poll() is None, "the build ended before its writers were seen"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    below = descendants(proc.pid)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    wait_until_gone(below, 10)
    assert [pid for pid in below if alive(pid)] == []
    # and nothing holds the build's lock: a writer forked between the look above and the kill holds it
    # too, until its parent's death ends it a moment later
    wait_for_lock(index_dir)


UNGUARDED_SCRIPT = """
import sys
from indexer.pipeline import build_index
summary = build_index([sys.argv[1]], sys.argv[2])
print(summary.stories)
"""


@pytest.mark.slow  # end to end: real builds, kills, servers or the torture crawl
def test_a_script_without_a_main_guard_can_build_a_large_index(tmp_path):
    # Whoosh's writer processes, once spawned, ran such a script again in each of them: the build hung
    crawl = synthetic_crawl(tmp_path / "crawl", "scriptmark", pages=300)  # enough stories for the writer processes
    script = tmp_path / "build_it.py"
    script.write_text(UNGUARDED_SCRIPT)
    done = subprocess.run([sys.executable, str(script), str(crawl), str(tmp_path / "ix")], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.split()[-1]) > 2000
    assert total(tmp_path / "ix", "scriptmark") == 1


def test_a_build_refuses_while_another_holds_the_lock(tmp_path):
    ix = tmp_path / "ix"
    write_index(STORIES, ix)
    live = current_generation(ix)
    crawl = synthetic_crawl(tmp_path / "crawl", "lockmark", pages=3)
    with build_lock(ix):
        proc = start_build(crawl, ix)
        _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1
    assert f"{LOCKED_MESSAGE} {ix}; wait for it to finish" in err
    assert current_generation(ix) == live and total(ix, "volcano") == 1
    with pytest.raises(BuildLocked), build_lock(ix), build_lock(ix):
        pass


# ---------------------------------------------------------------- no index, an old index

def test_no_index_is_503_with_the_fix_over_http(tmp_path, http_server):
    base = http_server(tmp_path / "none")
    status, headers, body = get(base + "/api/search?q=bank")
    assert status == 503
    error = json.loads(body)["error"]
    assert error["status"] == 503 and "no index in" in error["message"]
    assert f"lede index PATH --index {tmp_path / 'none'}" in error["message"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    status, _, body = get(base + "/?q=bank")
    assert status == 503 and "no index in" in body and "lede index PATH --index" in body
    status, _, _ = get(base + "/")
    assert status == 200  # the empty search box needs no index


@pytest.mark.slow  # end to end: real builds, kills, servers or the torture crawl
def test_old_schema_index_is_503_with_the_fix_then_serves_after_a_rebuild(tmp_path, serve):
    ix = tmp_path / "ix"
    gen = write_index(STORIES, ix)
    meta = json.loads((gen / META).read_text())
    (gen / META).write_text(json.dumps({**meta, "schema_version": 0}))
    base = serve(ix)
    status, _, body = get(base + "/api/search?q=bank")
    assert status == 503
    message = json.loads(body)["error"]["message"]
    assert "incompatible version" in message and f"lede index PATH --index {ix}" in message
    status, _, body = get(base + "/?q=bank")
    assert status == 503 and "incompatible version" in body and "lede index PATH --index" in body
    write_index(STORIES, ix)  # the fix, while the server keeps running
    deadline = time.monotonic() + 10
    while api_total(base, "bank") != 2:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    port = int(base.rsplit(":", 1)[1])
    assert listening_addresses(port) == {"0100007F"}  # `lede serve` binds 127.0.0.1 by default


def listening_addresses(port: int) -> set[str]:
    """The local addresses (hex, as in /proc/net/tcp*) that listen on port."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hexport = local.split(":")
            if int(hexport, 16) == port and state == "0A":
                found.add(address)
    return found


# ---------------------------------------------------------------- a torture crawl, built

TINY_FILES = 2000
HUGE_BYTES = 20 * 1024 * 1024
MAX_BUILD_RSS_MB = 600
SCAN_CHARS = 200_000  # markers are near the start of a page: don't regex-scan all of the 20 MB one


def torture_crawl(crawl: Path) -> dict[str, str]:
    """Every kind of bad input beside valid pages of every format; returns file → reason for the bad files."""
    rng = random.Random(3)
    huge = "hugemark " + words(rng, HUGE_BYTES // 6)
    cut = gzip.compress(jsonl([{"text": teaser(rng, f"cutmark{n:05d}")} for n in range(3000)]).encode())
    feed = [{"text": teaser(rng, f"feedmark{n}"), "url": f"https://feeds.example.com/{n}", "date": "2004-11-02"}
            for n in range(3)]
    odd = [{"text": teaser(rng, "oddtypesmark"), "url": 5, "title": ["a"], "date": 2004}, {"text": 42},
           {"title": "no text"}, ["a", "list"]]
    write(crawl, {
        **{f"tiny/{n // 100:02d}/{n:04d}.txt": teaser(rng, f"tinymark{n:05d}") for n in range(TINY_FILES)},
        "big/huge.txt": huge,
        "good/feed.jsonl": jsonl(feed),
        "good/feed.jsonl.gz": gzip.compress(jsonl([{"text": teaser(rng, "gzmark")}]).encode()),
        "good/odd-types.jsonl": jsonl(odd) + '{"text": "cut off in the mi',
        "good/bom.txt": "\ufeff" + teaser(rng, "bommark"),
        "good/cp1252.txt": (teaser(rng, "cpmark") + CP1252_TEXT).encode("cp1252"),
        "good/invalid-utf8.txt": teaser(rng, "latinmark").encode() + b"caf\xe9 \xff\xfe r\xe9sum\xe9\n",
        "good/nul.txt": teaser(rng, "nulmark").replace(" ", " \x00", 2).encode(),
        "good/crlf.txt": teaser(rng, "crlfmark").replace("\n", "\r\n"),
        "good/cr.txt": teaser(rng, "crmark").replace("\n", "\r"),
        f"{'/'.join(['deep'] * 200)}/deep.txt": teaser(rng, "deepmark"),
        "bad/logo.txt": PNG_JUNK, "bad/empty.txt": b"", "bad/malformed.jsonl": MALFORMED_FEED,
        "bad/cut.jsonl.gz": cut[: len(cut) // 2], "ignored.bin": "<p>no</p>",
    })
    (crawl / "bad/gone.txt").symlink_to(crawl / "nowhere")
    (crawl / "bad/loop").symlink_to(crawl)
    (crawl / "bad/self.txt").symlink_to(crawl / "bad/self.txt")
    with open(os.path.join(os.fsencode(crawl), b"good/caf\xe9-\xff.txt"), "wb") as file:
        file.write(teaser(rng, "namemark").encode())
    return {"bad/cut.jsonl.gz": "truncated gzip", "bad/empty.txt": "empty file",
            "bad/gone.txt": "unreadable (No such file or directory)", "bad/logo.txt": "binary data",
            "bad/self.txt": "unreadable (Too many levels of symbolic links)"}


BUILD_SCRIPT = """
import json, resource, sys
from indexer.pipeline import build_index
summary = build_index([sys.argv[1]], sys.argv[2])
print(json.dumps({"skipped": summary.skipped, "lines": summary.lines(), "pages": summary.pages_read,
                  "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}))
"""


@pytest.fixture(scope="module")
def torture_build(tmp_path_factory):
    """The torture crawl built by `build_index` in a subprocess: (crawl, index, bad files, summary)."""
    root = tmp_path_factory.mktemp("torture")
    bad = torture_crawl(root / "crawl")
    done = subprocess.run([sys.executable, "-c", BUILD_SCRIPT, str(root / "crawl"), str(root / "ix")],
                          cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return root / "crawl", root / "ix", bad, json.loads(done.stdout.splitlines()[-1])


@pytest.mark.slow  # end to end: real builds, kills, servers or the torture crawl
def test_torture_crawl_builds_and_loses_no_page(torture_build):
    from indexer.readers import ReadReport, iter_pages
    crawl, ix, bad, summary = torture_build
    markers, unmarked = set(), []
    pages = 0
    for page in iter_pages([crawl], ReadReport()):
        pages += 1
        found = re.findall(r"\b[a-z]+mark\d*\b", " ".join(page.lines)[:SCAN_CHARS])
        markers.update(found)
        if not found:
            unmarked.append(page.id)
    assert pages == summary["pages"]
    assert unmarked == ["bad/malformed.jsonl:1", "bad/malformed.jsonl:8"]  # "Good line one": no story in it
    expected = ({f"tinymark{n:05d}" for n in range(TINY_FILES)} | {f"feedmark{n}" for n in range(3)}
                | {"hugemark", "gzmark", "oddtypesmark", "bommark", "cpmark", "latinmark", "nulmark", "crlfmark",
                   "crmark", "deepmark", "namemark"})
    assert expected <= markers  # the reader kept every valid page
    assert any(m.startswith("cutmark") for m in markers)  # and those before the gzip broke
    indexed = set()
    for story in iter_stories(ix):
        indexed.update(re.findall(r"\b[a-z]+mark\d*\b", " ".join([story["headline"], story["text"][:SCAN_CHARS]])))
    lost = sorted(markers - indexed)
    print(f"\ntorture files: {TINY_FILES + 27}, valid pages: {pages}, pages lost: {len(lost)}, "
          f"skipped: {len(summary['skipped'])}, build peak RSS: {summary['maxrss_mb']} MB")
    assert lost == []
    assert search(IndexHolder(ix), "tinymark01234")["total"] == 1
    files = {os.path.relpath(name, crawl): why for name, why in summary["skipped"] if not re.search(r":\d+$", name)}
    assert files == bad
    lines = {name.rsplit(":", 1)[0] for name, _ in summary["skipped"] if re.search(r":\d+$", name)}
    assert lines == {str(crawl / "bad/malformed.jsonl"), str(crawl / "bad/cut.jsonl.gz"),
                     str(crawl / "good/odd-types.jsonl")}
    assert all(f"  {name}: {why}" in summary["lines"] for name, why in summary["skipped"])


@pytest.mark.slow  # end to end: real builds, kills, servers or the torture crawl
def test_torture_build_memory_is_bounded(torture_build):
    # regression: a 20 MB one-line page once peaked at 1.4 GB (split and fold ran over every word)
    assert torture_build[3]["maxrss_mb"] < MAX_BUILD_RSS_MB

"""Fixtures: a tiny index of handwritten stories in tmp_path, the app over it, a client and a CLI runner."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from indexer.build import write_index
from indexer.records import Story

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True, scope="session")
def _own_cache(tmp_path_factory):
    """The tests keep what Lede caches (the language model, decompressed) in a folder of their own, and
    so do the commands they run (XDG_CACHE_HOME is inherited), not in the user's ~/.cache."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))

STORIES = [
    Story(id="maduro", headline="Nicolás Maduro sworn in for a third term",
          headlines=["Nicolás Maduro sworn in for a third term",
                     "Maduro begins third term amid protests"],
          text="Venezuela's president Nicolás Maduro was sworn in on Friday after disputed "
               "elections that the opposition says were stolen.",
          pages=["https://news.example.com/world/maduro", "front/2025-01-10.html"],
          sites=["news.example.com"], date="2025-01-10"),
    Story(id="boe-rates", headline="Bank of England holds interest rates",
          headlines=["Bank of England holds interest rates"],
          text="The Bank of England kept its main rate at 5.25% on Thursday, saying inflation "
               "is still too high. A study by the central bank found wages rising fast.",
          caption="The Bank's headquarters in the City of London",
          pages=["https://money.example.org/boe", "https://news.example.com/business/boe"],
          sites=["money.example.org", "news.example.com"], date="2024-06-20"),
    Story(id="bank-for-england", headline="Campaigners call for a people's bank",
          headlines=["Campaigners call for a people's bank"],
          text="A new community Bank for England would lend to small firms, campaigners said. "
               "The study was funded by local councils.",
          pages=["https://money.example.org/peoples-bank"], sites=["money.example.org"],
          date="2024-03-02"),
    Story(id="script", headline="Browser security flaw found",
          headlines=["Browser security flaw found"],
          text="Researchers showed that <script>alert(1)</script> could run in old browsers "
               "when pages fail to escape user input.",
          pages=["tech/security.html"], sites=["tech"], date=None),
    Story(id="headline-only", headline="Volcano erupts in Iceland",
          headlines=["Volcano erupts in Iceland"],
          text="Lava flowed towards the fishing town of Grindavík overnight, officials said, "
               "and residents were evacuated.",
          pages=["https://news.example.com/world/iceland"], sites=["news.example.com"],
          date="2024-11-21"),
    Story(id="election-results", headline="Local elections: results in full",
          headlines=["Local elections: results in full"],
          text="Voters elected new councils across the country. Turnout in the election "
               "was low.",
          pages=["https://news.example.com/politics/elections"], sites=["news.example.com"],
          date="2024-05-03"),
]

# for paging in the browser and e2e tests: 25 stories that all match "interest rates"
PAGED_STORIES = STORIES + [
    Story(id=f"rates-{n:02d}", headline=f"Interest rates decision number {n}",
          headlines=[f"Interest rates decision number {n}"],
          text=f"Economists expect interest rates to change at meeting {n}, "
               "according to a study by the Bank of England.",
          pages=[f"https://money.example.org/rates/{n}"], sites=["money.example.org"],
          date=f"2023-{n % 12 + 1:02d}-{n % 27 + 1:02d}")
    for n in range(1, 26)
]


@pytest.fixture
def index_dir(tmp_path):
    """A built index of STORIES."""
    path = tmp_path / "index"
    write_index(STORIES, path)
    return path


@pytest.fixture
def paged_index_dir(tmp_path):
    """A built index of PAGED_STORIES (3 pages of "interest rates")."""
    path = tmp_path / "paged-index"
    write_index(PAGED_STORIES, path)
    return path


@pytest.fixture
def holder(index_dir):
    from webapp.search import IndexHolder
    h = IndexHolder(index_dir)
    yield h
    h.close()


@pytest.fixture
def app(index_dir):
    from webapp import create_app
    return create_app({"TESTING": True, "INDEX_DIR": str(index_dir)})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def descendants(pid: int) -> list[int]:
    """Every live process below pid (its children, theirs, ...), from /proc."""
    found, pending = [], [pid]
    while pending:
        try:
            children = [int(c) for c in Path(f"/proc/{pending.pop()}/task").glob("*/children")
                        for c in c.read_text().split()]
        except OSError:
            continue
        found += children
        pending += children
    return found


def alive(pid: int) -> bool:
    """The process exists and is not a zombie."""
    try:
        return Path(f"/proc/{pid}/status").read_text().split("State:")[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def wait_until_gone(pids: list[int], seconds: float) -> None:
    """Wait (at most `seconds`) for every one of pids to end."""
    deadline = time.monotonic() + seconds
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)


def lede_command() -> list[str]:
    """The `lede` console script of this venv, else `python -m webapp.cli`."""
    script = Path(sys.executable).parent / "lede"
    return [str(script)] if script.exists() else [sys.executable, "-m", "webapp.cli"]


@pytest.fixture
def serve():
    """Start `lede serve --index DIR --port P [ARGS]` as a subprocess; yields a function returning the
    base url (its `procs` attribute lists the processes started)."""
    procs = []

    def start(index_dir: Path, timeout: float = 30.0, args: tuple = ()) -> str:
        port = free_port()
        proc = subprocess.Popen(
            [*lede_command(), "serve", "--index", str(index_dir), "--port", str(port), *args],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"})
        procs.append(proc)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"lede serve exited {proc.returncode}: {proc.stdout.read()}")
            try:
                with urllib.request.urlopen(base + "/", timeout=1):
                    return base
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"lede serve did not answer on {base} within {timeout}s")

    start.procs = procs
    yield start
    for proc in procs:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

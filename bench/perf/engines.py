"""The three engines the benchmark compares: how each is built from a generated crawl and queried.

- Lede: built by `lede index` (in bench.py, as a child process); queried through the JSON API of a
  real `lede serve` (`LedeClient`).
- naive Whoosh: Whoosh's quickstart, one document per page (`build_naive`, `NaiveClient`).
- SQLite FTS5: one row per page, porter tokenizer, `snippet()` (`build_fts5`, `Fts5Client`).

Every client is called as client(query, page) and returns how many hits it got, with snippets made.
"""
from __future__ import annotations

import http.client
import json
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Iterator

from bench.perf.memory import tree, tree_pss_kb

PER_PAGE = 10
SERVER_THREADS = 8
SERVER_START_SECONDS = 300
FTS5_SNIPPET_TOKENS = 24


def iter_crawl(crawl: Path, sample: float = 1.0) -> Iterator[tuple[str, str]]:
    """(url, text) of every page of a generated crawl (or a deterministic sample of them)."""
    n = 0
    for path in sorted(crawl.rglob("*.jsonl")):
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                n += 1
                if sample < 1.0 and (n * 2654435761) % 1000 >= sample * 1000:
                    continue
                page = json.loads(line)
                yield page["url"], page["text"]


def build_naive(crawl: Path, out: Path, sample: float) -> int:
    """Whoosh's quickstart: one document per page, StemmingAnalyzer, the default writer."""
    from whoosh import index
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.fields import ID, TEXT, Schema

    schema = Schema(path=ID(stored=True, unique=True), content=TEXT(analyzer=StemmingAnalyzer(), stored=True))
    out.mkdir(parents=True)
    writer = index.create_in(str(out), schema).writer()
    count = 0
    for url, text in iter_crawl(crawl, sample):
        writer.add_document(path=url, content=text)
        count += 1
    writer.commit()
    return count


def build_fts5(crawl: Path, out: Path, sample: float) -> int:
    """SQLite FTS5 over the same pages, porter tokenizer, one transaction."""
    out.mkdir(parents=True)
    con = sqlite3.connect(out / "pages.db")
    con.execute("CREATE VIRTUAL TABLE pages USING fts5(url UNINDEXED, body, tokenize='porter')")
    with con:
        con.executemany("INSERT INTO pages (url, body) VALUES (?, ?)", iter_crawl(crawl, sample))
    count = con.execute("SELECT count(*) FROM pages").fetchone()[0]
    con.close()
    return count


class LedeClient:
    """A `lede serve` subprocess and HTTP keep-alive connections to its JSON API, one per thread."""

    def __init__(self, index_dir: Path, lede: str | None = None):
        """`lede`: the executable to serve with (default: this venv's)."""
        self.port = _free_port()
        lede = lede or str(Path(sys.executable).parent / "lede")
        self.proc = subprocess.Popen([lede, "serve", "--index", str(index_dir), "--port", str(self.port),
                                      "--threads", str(SERVER_THREADS)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.local = threading.local()
        started = time.perf_counter()
        while True:
            try:
                self("ready", 1)
                break
            except (OSError, http.client.HTTPException):
                if self.proc.poll() is not None or time.perf_counter() - started > SERVER_START_SECONDS:
                    raise RuntimeError("lede serve did not start") from None
                time.sleep(0.2)
        self.start_seconds = time.perf_counter() - started

    def __call__(self, q: str, page: int, extra: dict | None = None) -> int:
        params = urllib.parse.urlencode({"q": q, "page": page, "per_page": PER_PAGE, **(extra or {})})
        for attempt in (1, 2):
            conn = getattr(self.local, "conn", None)
            reused = conn is not None
            if conn is None:
                conn = self.local.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                conn.request("GET", f"/api/search?{params}")
                resp = conn.getresponse()
                body = resp.read()
                break
            except (OSError, http.client.HTTPException):
                conn.close()
                self.local.conn = None
                # the server closes a keep-alive connection left idle (gunicorn's keepalive, 2 s):
                # one left so while other threads ran is opened again, once
                if not reused or attempt == 2:
                    raise
        if resp.status != 200:
            raise RuntimeError(f"lede: {q!r} page {page}: HTTP {resp.status} {body[:200]!r}")
        return len(json.loads(body)["results"])

    def rss_mb(self) -> dict:
        """The server's memory now (MB): all its processes (gunicorn's and its workers', summed Pss),
        and the largest of them (VmRSS, and its peak VmHWM)."""
        pids = tree(self.proc.pid)
        status = [dict(line.split(":", 1) for line in Path(f"/proc/{p}/status").read_text().splitlines()
                       if ":" in line) for p in pids]
        return {"rss_mb": tree_pss_kb(self.proc.pid) / 1024, "processes": len(pids),
                "largest_rss_mb": max(int(f["VmRSS"].split()[0]) for f in status) / 1024,
                "peak_rss_mb": max(int(f["VmHWM"].split()[0]) for f in status) / 1024}

    def close(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class NaiveClient:
    """Whoosh quickstart searching: QueryParser over content, hit.highlights() per hit; a searcher per thread."""

    def __init__(self, index_dir: Path):
        from whoosh import index
        from whoosh.qparser import QueryParser

        self.ix = index.open_dir(str(index_dir))
        self.parser = QueryParser("content", self.ix.schema)
        self.local = threading.local()
        self.searchers: list = []

    def __call__(self, q: str, page: int) -> int:
        searcher = getattr(self.local, "searcher", None)
        if searcher is None:
            searcher = self.local.searcher = self.ix.searcher()
            self.searchers.append(searcher)
        query = self.parser.parse(q)
        if page == 1:
            hits = searcher.search(query, limit=PER_PAGE)
        else:
            hits = searcher.search_page(query, page, pagelen=PER_PAGE)
        return len([hit.highlights("content") for hit in hits])

    def close(self) -> None:
        for s in self.searchers:
            s.close()


class Fts5Client:
    """FTS5 MATCH ordered by rank with snippet(); a connection per thread."""

    SQL = ("SELECT url, snippet(pages, 1, '<mark>', '</mark>', ' … ', ?) FROM pages "
           "WHERE pages MATCH ? ORDER BY rank LIMIT ? OFFSET ?")

    def __init__(self, index_dir: Path):
        self.db = index_dir / "pages.db"
        self.local = threading.local()
        self.conns: list = []

    def __call__(self, q: str, page: int) -> int:
        con = getattr(self.local, "con", None)
        if con is None:
            con = self.local.con = sqlite3.connect(self.db, check_same_thread=False)
            self.conns.append(con)
        rows = con.execute(self.SQL, (FTS5_SNIPPET_TOKENS, q, PER_PAGE, (page - 1) * PER_PAGE)).fetchall()
        return len(rows)

    def close(self) -> None:
        for c in self.conns:
            c.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

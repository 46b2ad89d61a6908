"""The real `lede serve` (gunicorn, a subprocess) over an index in tmp_path, spoken to over HTTP."""
from __future__ import annotations

import json
import os
import signal
import socket
import time
import urllib.error
import urllib.request
from urllib.parse import urlencode

import pytest

from indexer.build import write_index

from conftest import STORIES, alive, descendants, wait_until_gone

pytestmark = pytest.mark.slow  # starts the real `lede serve`


def get(url: str) -> tuple[int, dict, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode()


def test_serve_answers_json_and_html(serve, paged_index_dir):
    base = serve(paged_index_dir)
    status, headers, body = get(base + "/api/search?" + urlencode({"q": '"Bank of England"'}))
    assert status == 200 and headers["Content-Type"] == "application/json"
    data = json.loads(body)
    assert data["total"] == 26  # boe-rates and the 25 "study by the Bank of England" stories
    assert "<mark>Bank of England</mark>" in data["results"][0]["snippet"]

    status, headers, body = get(base + "/?" + urlencode({"q": '"Bank of England"'}))
    assert status == 200 and "26 stories" in body and "page 1 of 3" in body
    assert "script-src 'self'" in headers["Content-Security-Policy"]

    status, _, body = get(base + "/api/search?q=*")
    assert status == 400 and "cannot start a word" in json.loads(body)["error"]["message"]
    status, _, _ = get(base + "/story/does-not-exist")
    assert status == 404
    status, _, body = get(base + "/static/style.css")
    assert status == 200 and "mark" in body


def test_rebuild_while_serving_is_visible(serve, tmp_path):
    index_dir = tmp_path / "live"
    write_index(STORIES[:2], index_dir)
    base = serve(index_dir)
    assert json.loads(get(base + "/api/search?q=volcano")[2])["total"] == 0
    write_index(STORIES, index_dir)
    deadline = time.monotonic() + 5
    while json.loads(get(base + "/api/search?q=volcano")[2])["total"] == 0:
        assert time.monotonic() < deadline, "the new generation never became visible"
        time.sleep(0.2)


def test_serve_builds_the_sample_index_when_there_is_none(serve, tmp_path):
    pytest.importorskip("indexer.pipeline")
    if not hasattr(pytest.importorskip("indexer.sample"), "SAMPLE_DIR"):
        pytest.skip("indexer.sample.SAMPLE_DIR is not there yet")
    index_dir = tmp_path / "fresh"
    base = serve(index_dir, timeout=120)
    status, _, body = get(base + "/api/search?q=the")
    assert status == 200 and json.loads(body)["total"] > 0


def holds_index(pid: int, index_dir) -> bool:
    """Whether the process has a file of the index open."""
    try:
        return any(os.readlink(f"/proc/{pid}/fd/{fd}").startswith(str(index_dir))
                   for fd in os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return False


def wait_for(condition, seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_serve_runs_worker_processes_that_open_the_index_and_come_back(serve, paged_index_dir):
    base = serve(paged_index_dir, args=("--workers", "2"))
    server = serve.procs[-1].pid
    wait_for(lambda: len(descendants(server)) == 2)
    workers = descendants(server)
    # each opened the index before its first request
    wait_for(lambda: all(holds_index(pid, paged_index_dir) for pid in workers))

    os.kill(workers[0], signal.SIGKILL)  # a worker dies: gunicorn starts another, the site stays up
    wait_until_gone(workers[:1], 10)
    assert not alive(workers[0])
    for _ in range(20):
        status, _, body = get(base + "/api/search?q=bank")
        assert status == 200 and json.loads(body)["total"] > 0
    wait_for(lambda: len(descendants(server)) == 2 and workers[1] in descendants(server))
    assert set(descendants(server)) != set(workers)

    current = descendants(server)
    serve.procs[-1].terminate()  # and all of them end with the server
    serve.procs[-1].wait(timeout=15)
    wait_until_gone(current, 10)
    assert not any(alive(pid) for pid in current)


def test_serve_says_when_the_port_is_taken(tmp_path):
    from click.testing import CliRunner

    from webapp.cli import cli

    write_index(STORIES[:1], tmp_path / "ix")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--index", str(tmp_path / "ix"), "--port", str(port)])
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.output and "another --port" in result.output

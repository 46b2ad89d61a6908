"""The real `lede serve` (waitress, a subprocess) over an index in tmp_path, spoken to over HTTP."""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from urllib.parse import urlencode

import pytest

from indexer.build import write_index

from conftest import STORIES


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
    time.sleep(1.1)  # generation names have one-second resolution (indexer.build)
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

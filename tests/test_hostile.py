"""Hostile input: fuzzed queries and story ids, traversal paths, odd and oversized requests, in the app
and over HTTP to the real `lede serve`. No answer is a 5xx, none reflects the probe unescaped, every one
carries the security headers. Counts of what was tried are printed (run with `-s` to see them).
"""
from __future__ import annotations

import http.client
from collections import Counter
from urllib.parse import quote, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PROBE = "<xprobe onmouseover=1>"  # appended to fuzzed input: must never come back unescaped


HOSTILE = Counter()


def check_response(response, api: bool, probe: bool) -> None:
    """No 5xx; JSON is results or the one error shape; HTML never reflects the probe; headers always set."""
    HOSTILE["tried"] += 1
    HOSTILE["5xx"] += response.status_code >= 500
    assert response.status_code < 500, response.text[:500]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    if 300 <= response.status_code < 400:  # werkzeug merges a "//" in the path with a redirect
        assert urlsplit(response.headers["Location"]).netloc in ("", "localhost")  # never off-site
    elif api:
        data = response.get_json()
        if response.status_code == 200:
            assert {"query", "total", "results"} <= set(data) or "id" in data
        else:
            assert data == {"error": {"status": response.status_code, "message": data["error"]["message"]}}
    elif probe:
        assert "<xprobe" not in response.text


fuzz_text = st.text(max_size=120) | st.text(alphabet='ab "()*-:?^~<>&\'\\/%\x00\x1b\u202e\ufeffOR NOT AND headline site',
                                            max_size=60)
fuzz_number = st.integers(min_value=-10**30, max_value=10**30).map(str) | st.text(max_size=12)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=fuzz_text, page=fuzz_number, per_page=fuzz_number, sort=fuzz_text, site=fuzz_text,
       probe=st.booleans())
def test_fuzzed_search_never_fails(client, q, page, per_page, sort, site, probe):
    args = {"q": q + PROBE if probe else q, "page": page, "per_page": per_page, "sort": sort, "site": site}
    check_response(client.get("/api/search", query_string=args), api=True, probe=probe)
    check_response(client.get("/", query_string=args), api=False, probe=probe)
    check_response(client.get("/", query_string={"q": args["q"]}), api=False, probe=probe)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(story_id=st.text(min_size=1, max_size=80), q=fuzz_text)
def test_fuzzed_story_ids_never_fail(client, story_id, q):
    path = quote(story_id + PROBE, safe="")
    check_response(client.get(f"/api/story/{path}", query_string={"q": q}), api=True, probe=True)
    check_response(client.get(f"/story/{path}", query_string={"q": q + PROBE}), api=False, probe=True)


TRAVERSALS = ["/story/../../etc/passwd", "/story/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/story/..%2F..%2Fetc%2Fpasswd",
              "/api/story/..%2F..", "/api/story/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/api/story/..%252F..%252Fetc",
              "/api/story/%2e%2e", "/story/%00", "/api/story/%00", "/static/../../etc/passwd",
              "/static/%2e%2e/%2e%2e/etc/passwd", "/static/..%2F..%2Fetc%2Fpasswd", "//etc/passwd",
              "/api/../../etc/passwd", "/story/%c0%ae%c0%ae%2fetc%2fpasswd", "/api/story/%E2%80%A5%2F"]
ODD_QUERIES = ["q=%ff%fe%00", "q=%", "q=%zz", "q=bank&page=%ff", "q=bank&per_page=1e9", "q=" + "(" * 400,
               "q=" + "a OR " * 99 + "a", "q=" + quote('"' * 300), "q=" + "%00" * 300, "q[]=bank", "q=bank&q=volcano"]


def test_traversal_paths_and_odd_queries(client):
    for url in TRAVERSALS:
        response = client.get(url)
        check_response(response, api=url.startswith("/api/"), probe=False)
        assert response.status_code == 404 and "root:" not in response.text
        if url.startswith("/api/"):
            assert response.get_json()["error"]["status"] == 404
    for query in ODD_QUERIES:
        check_response(client.get("/api/search?" + query), api=True, probe=False)
        check_response(client.get("/?" + query), api=False, probe=False)
    print(f"\nhostile inputs so far (this process): {HOSTILE['tried']}, 5xx: {HOSTILE['5xx']}")
    assert HOSTILE["5xx"] == 0


def raw_request(base: str, method: str, path: str, body: bytes | None = None) -> tuple[int, dict]:
    """One request exactly as written (no client-side path normalisation)."""
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)
        if body is not None:
            conn.putheader("Content-Length", str(len(body)))
            conn.putheader("Content-Type", "application/x-www-form-urlencoded")
        conn.endheaders(body)
        response = conn.getresponse()
        response.read()
        return response.status, dict(response.headers)
    except (ConnectionError, http.client.RemoteDisconnected):
        return 0, {}  # the server may hang up on an oversized request; that is not a 5xx either
    finally:
        conn.close()


@pytest.mark.slow  # starts the real `lede serve`
def test_over_http_traversal_big_requests_and_headers(index_dir, serve):
    base = serve(index_dir)  # the real `lede serve`: gunicorn in front of the app
    for path in TRAVERSALS:
        status, headers = raw_request(base, "GET", path)
        assert status in (400, 404), path
        if status == 404:
            assert headers["X-Content-Type-Options"] == "nosniff"
    megabyte = b"q=" + b"a" * (1 << 20)
    status, headers = raw_request(base, "POST", "/api/search", megabyte)
    assert status == 405 and headers["Referrer-Policy"] == "no-referrer"  # no route takes a body
    status, headers = raw_request(base, "POST", "/", megabyte)
    assert status == 405 and "script-src 'self'" in headers["Content-Security-Policy"]
    status, _ = raw_request(base, "GET", "/api/search?" + megabyte.decode())
    assert status in (0, 400, 413, 414, 431)
    for path in ["/", "/?q=bank", "/api/search?q=bank", "/api/search", "/story/nope", "/api/story/nope",
                 "/static/style.css", "/static/nope.css", "/favicon.ico"]:
        status, headers = raw_request(base, "GET", path)
        assert status < 500
        assert "script-src 'self'" in headers["Content-Security-Policy"], path
        assert "unsafe-inline" not in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff" and headers["Referrer-Policy"] == "no-referrer"


def test_serve_binds_loopback_by_default():
    from webapp.cli import serve
    assert {p.name: p.default for p in serve.params}["host"] == "127.0.0.1"

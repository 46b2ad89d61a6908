"""The Flask views: the HTML page and its JSON twin agree; errors, headers, hostile input."""
from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from webapp import create_app

QUERIES = ["bank", '"Bank of England"', "elections", "bank OR volcano", "site:tech", "Nicolas"]


def html_ids(html: str) -> list[str]:
    return re.findall(r'<h2><a href="/story/([^?"]+)', html)


@pytest.mark.parametrize("q", QUERIES)
def test_html_and_json_agree(client, q):
    api = client.get("/api/search", query_string={"q": q}).get_json()
    page = client.get("/", query_string={"q": q})
    assert page.status_code == 200
    assert html_ids(page.text) == [hit["id"] for hit in api["results"]]
    total = api["total"]
    assert f"{total} {'story' if total == 1 else 'stories'}" in page.text


def test_api_shape(client):
    data = client.get("/api/search?q=maduro").get_json()
    assert list(data) == ["query", "total", "page", "per_page", "took_ms", "suggestion", "results"]
    assert data["total"] == 1 and data["page"] == 1 and data["per_page"] == 10
    hit = data["results"][0]
    assert hit["id"] == "maduro"
    assert set(hit) == {"id", "headline", "snippet", "pages", "page_count", "site", "date", "url", "page_urls", "score"}


def test_api_story(client):
    story = client.get("/api/story/maduro").get_json()
    assert story["id"] == "maduro"
    assert story["headlines"][1] == "Maduro begins third term amid protests"
    assert story["pages"] == ["https://news.example.com/world/maduro", "front/2025-01-10.html"]


@pytest.mark.parametrize("url, message", [
    ("/api/search", "q is required"),
    ("/api/search?q=", "q is required"),
    ("/api/search?q=*", "cannot start a word"),
    ("/api/search?q=" + "x" * 600, "too long"),
    ("/api/search?q=bank&page=0", "page must be"),
    ("/api/search?q=bank&sort=title", "sort must be"),
])
def test_api_400_shape(client, url, message):
    response = client.get(url)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["status"] == 400 and message in error["message"]


def test_html_shows_the_same_400_message(client):
    api = client.get("/api/search?q=a*").get_json()["error"]["message"]
    page = client.get("/?q=a*")
    assert page.status_code == 400
    assert api in page.text
    assert 'value="a*"' in page.text  # the query is kept in the box


def test_empty_query_shows_the_search_box(client):
    page = client.get("/")
    assert page.status_code == 200
    assert '<input type="search" name="q"' in page.text


@pytest.mark.parametrize("url", ["/api/story/no-such-story", "/story/no-such-story"])
def test_unknown_story_is_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    if url.startswith("/api/"):
        assert response.get_json()["error"]["status"] == 404


@pytest.mark.parametrize("url", ["/story/../../etc/passwd", "/story/..%2F..%2Fetc%2Fpasswd",
                                 "/api/story/../../etc/passwd", "/story/%2e%2e"])
def test_path_traversal_is_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "root:" not in response.text


def test_paging_past_the_end_is_empty(client):
    data = client.get("/api/search?q=bank&page=99").get_json()
    assert data["results"] == [] and data["total"] == 2
    assert client.get("/?q=bank&page=99").status_code == 200


def test_per_page_is_capped(client):
    assert client.get("/api/search?q=bank&per_page=5000").get_json()["per_page"] == 100


def test_paging_links(client):
    page = client.get("/?q=bank+OR+volcano+OR+elections&per_page=2&page=2").text
    assert "page 2 of 3" in page
    assert 'href="/?q=bank+OR+volcano+OR+elections&amp;per_page=2&amp;page=1"' in page
    assert 'href="/?q=bank+OR+volcano+OR+elections&amp;per_page=2&amp;page=3"' in page


def test_json_twin_link(client):
    page = client.get("/?q=maduro").text
    assert '<link rel="alternate" type="application/json" href="/api/search?q=maduro&amp;page=1">' in page


def test_did_you_mean_link(client):
    page = client.get("/?q=maduor").text
    assert 'Did you mean <a href="/?q=maduro">maduro</a>' in page


def test_story_page(client):
    page = client.get("/story/maduro?q=nicolas").text
    assert "<mark>Nicolás</mark> Maduro was sworn in" in page
    assert "Maduro begins third term amid protests" in page
    assert '<a href="https://news.example.com/world/maduro"' in page
    assert '<span class="path">front/2025-01-10.html</span>' in page  # not a link


def test_security_headers(client):
    for url in ["/", "/?q=bank", "/api/search?q=bank", "/api/search", "/story/nope",
                "/static/style.css"]:
        headers = client.get(url).headers
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"


def test_request_bodies_are_refused(client):
    assert client.post("/api/search?q=bank", data="x" * 100_000).status_code in (405, 413)


def test_no_inline_script_or_style(client):
    page = client.get("/?q=bank").text
    assert "<script" not in page and "<style" not in page and "style=" not in page


@pytest.mark.parametrize("payload", [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "'><svg onload=alert(1)>",
    "</title><script>alert(1)</script>",
])
def test_hostile_queries_are_not_reflected(client, payload):
    for url in ["/?q=" + quote(payload), "/story/maduro?q=" + quote(payload),
                "/?q=bank&sort=" + quote(payload), "/?q=bank&site=" + quote(payload)]:
        page = client.get(url).text
        if "<" in payload:
            assert payload not in page
        assert "<img" not in page and "<svg" not in page and "<script" not in page
        # harmless as text (the box, the title); never as the start of a link
        assert not re.search(r'(href|src|action)="\s*javascript:', page)


def test_missing_index_is_503_with_the_fix(tmp_path):
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "none")}).test_client()
    api = client.get("/api/search?q=bank")
    assert api.status_code == 503
    assert "lede index" in api.get_json()["error"]["message"]
    page = client.get("/?q=bank")
    assert page.status_code == 503 and "lede index" in page.text


def test_cli_search(runner, index_dir):
    from webapp.cli import cli
    result = runner.invoke(cli, ["search", '"Bank of England"', "--index", str(index_dir)],
                           catch_exceptions=False)
    assert result.exit_code == 0
    assert "1 story" in result.output and "Bank of England holds interest rates" in result.output
    assert "<mark>" not in result.output


def test_cli_search_json(runner, index_dir):
    import json

    from webapp.cli import cli
    result = runner.invoke(cli, ["search", "maduro", "--json", "--index", str(index_dir)],
                           catch_exceptions=False)
    assert json.loads(result.output)["results"][0]["id"] == "maduro"


@pytest.mark.parametrize("args, message", [(["*"], "cannot start a word"),
                                           (["bank", "--index", "/nonexistent"], "lede index")])
def test_cli_search_errors(runner, index_dir, args, message):
    from webapp.cli import cli
    if "--index" not in args:
        args = [*args, "--index", str(index_dir)]
    result = runner.invoke(cli, ["search", *args])
    assert result.exit_code == 1
    assert message in result.output

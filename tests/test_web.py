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


FILTERED = [{"q": "bank"}, {"q": "bank OR volcano OR rates", "site": "money.example.org"},
            {"q": "bank OR browser OR maduro", "from": "2024-06-01"},
            {"q": "bank OR browser OR maduro date:..2024-12-31"}, {"q": "bank", "site": "nowhere.example"}]


@pytest.mark.parametrize("args", FILTERED)
def test_html_and_json_agree_on_facets_and_timeline(client, args):
    api = client.get("/api/search", query_string=args).get_json()
    page = client.get("/", query_string=args).text
    assert html_ids(page) == [hit["id"] for hit in api["results"]]
    for count in api["facets"]["site"]:  # each a link adding its filter
        assert re.search(rf'<a href="[^"]*site={re.escape(count["value"])}[^"]*">{re.escape(count["value"])} '
                         rf'{count["count"]}</a>', page) or count["value"] == args.get("site")
    bars = re.findall(r'<a href="[^"]*from=([\d-]+)[^"]*" class="bar" aria-label="[^"]*: (\d+) stor', page)
    assert [(b["start"], b["count"]) for b in api["timeline"]] == [(d, int(n)) for d, n in bars]
    for param in ("site", "from"):
        if args.get(param):
            assert f"{param}: {args[param]}" in page and f'aria-label="Remove filter {param}: ' in page
    if args.get("from") or "date:" in args["q"]:
        assert f"{api['undated']} matching story has no date" in page and api["undated"] == 1


def test_api_shape(client):
    data = client.get("/api/search?q=maduro").get_json()
    assert list(data) == ["query", "total", "page", "per_page", "took_ms", "suggestion", "site", "language",
                          "from", "to", "undated", "facets", "timeline", "results"]
    assert data["total"] == 1 and data["page"] == 1 and data["per_page"] == 10
    assert data["facets"] == {"site": [{"value": "news.example.com", "count": 1}],
                              "language": [{"value": "en", "count": 1}]}
    assert data["timeline"] == [{"start": "2025-01-10", "end": "2025-01-11", "count": 1}]
    hit = data["results"][0]
    assert hit["id"] == "maduro"
    assert set(hit) == {"id", "headline", "kicker", "snippet", "pages", "page_count", "site", "sites", "date", "language", "url", "page_urls", "score"}


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
    ("/api/search?q=bank&page=abc", "page must be a whole number"),
    ("/api/search?q=bank&per_page=ten", "per_page must be a whole number"),
    ("/api/search?q=bank&sort=title", "sort must be"),
    ("/api/search?q=bank&from=yesterday", "from must be a date written YYYY-MM-DD"),
    ("/api/search?q=bank&to=2025-04-31", "to is not a real date"),
    ("/api/search?q=bank&from=2025-02-01&to=2025-01-01", "is after to"),
    ("/api/search?q=bank date:2025..", "date written YYYY-MM-DD"),
    ("/api/search?q=bank&facets=site,colour", "unknown facet 'colour'"),
    ("/api/search?q=bank&timeline=yes", "timeline must be 1 or 0"),
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
    assert '<a href="/?q=nicolas&amp;site=news.example.com" class="site">news.example.com</a>' in page


def test_story_page_lists_its_pages_by_date(tmp_path):
    from indexer.build import write_index
    from indexer.records import Story
    write_index([Story(id="s", headline="Ferry strike ends", headlines=["Ferry strike ends"], text="Crews returned.",
                       pages=["b.html", "a.html", "c.html"], sites=["x"], date="2025-03-01",
                       page_dates=["2025-03-09", "2025-03-01", None])], tmp_path / "ix")
    page = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "ix")}).test_client().get("/story/s").text
    assert re.findall(r'<li>(?:<time datetime="([\d-]+)">[\d-]+</time> )?<span class="path">(\w)\.html', page) == [
        ("2025-03-01", "a"), ("2025-03-09", "b"), ("", "c")]


def test_security_headers(client):
    for url in ["/", "/?q=bank", "/api/search?q=bank", "/api/search", "/story/nope",
                "/static/style.css"]:
        headers = client.get(url).headers
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"


def test_request_bodies_are_refused(client):
    # no route takes a body: a POST is refused as a method not allowed, before its body is read
    assert client.post("/api/search?q=bank", data="x" * 100_000).status_code == 405
    assert client.post("/", data="x" * 100_000).status_code == 405


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
    result = runner.invoke(cli, ["search", "bank OR browser OR maduro", "--json", "--from", "2024-06-01",
                                 "--index", str(index_dir)], catch_exceptions=False)
    data, api = json.loads(result.output), client_json(index_dir, "bank OR browser OR maduro", "2024-06-01")
    del data["took_ms"], api["took_ms"]
    assert data == api and data["from"] == "2024-06-01" and data["facets"]["site"]


def client_json(index_dir, q: str, first: str) -> dict:
    app = create_app({"TESTING": True, "INDEX_DIR": str(index_dir)})
    return app.test_client().get("/api/search", query_string={"q": q, "from": first}).get_json()


@pytest.mark.parametrize("args, message", [(["*"], "cannot start a word"),
                                           (["bank", "--index", "/nonexistent"], "lede index")])
def test_cli_search_errors(runner, index_dir, args, message):
    from webapp.cli import cli
    if "--index" not in args:
        args = [*args, "--index", str(index_dir)]
    result = runner.invoke(cli, ["search", *args])
    assert result.exit_code == 1
    assert message in result.output

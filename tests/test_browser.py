"""A real browser (Debian's chromium via Playwright) searching a real `lede serve`: type, read, follow, page."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # drives chromium against the real `lede serve`

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture
def page():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package")
        pytest.skip(f"{CHROMIUM} is missing")
    sync_api = pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as pw:
        # never a downloaded browser: always the system chromium
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        context = browser.new_context(viewport={"width": 1100, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        errors = []
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        yield page
        context.close()
        browser.close()
        assert not errors, f"browser console errors: {errors}"


def test_search_read_follow_and_page(page, serve, paged_index_dir):
    from playwright.sync_api import expect

    base = serve(paged_index_dir)
    page.goto(base + "/")
    box = page.get_by_role("searchbox", name="Search stories")
    box.fill('"Bank of England"')
    box.press("Enter")

    page.wait_for_url("**/?q=*")
    expect(page.locator(".summary")).to_contain_text("26 stories")
    expect(page.locator(".summary")).to_contain_text("page 1 of 3")
    expect(box).to_have_value('"Bank of England"')
    marks = page.locator(".hit mark")
    expect(marks.first).to_be_visible()
    expect(marks.first).to_have_text("Bank of England")  # the phrase as one unit
    assert page.locator(".hit").count() == 10
    page.screenshot(path=str(ARTIFACTS / "search-results.png"), full_page=True)

    first = page.locator(".hit h2 a").first
    headline = first.inner_text()
    first.click()
    page.wait_for_url("**/story/*")
    expect(page.locator("h1")).to_have_text(headline)
    expect(page.locator(".story .text mark").first).to_have_text("Bank of England")
    page.screenshot(path=str(ARTIFACTS / "story.png"), full_page=True)

    page.go_back()
    expect(page.locator(".hit").first).to_be_visible()
    page.get_by_role("link", name="Next →").click()
    page.wait_for_url("**page=2*")
    expect(page.locator(".summary")).to_contain_text("page 2 of 3")
    expect(page.locator(".results")).to_have_attribute("start", "11")
    expect(page.get_by_role("link", name="← Previous")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "search-page-2.png"), full_page=True)


def test_hostile_query_does_not_run(page, serve, index_dir):
    base = serve(index_dir)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(base + "/")
    box = page.get_by_role("searchbox", name="Search stories")
    box.fill('"><img src=x onerror=alert(1)><script>alert(2)</script>')
    box.press("Enter")
    page.wait_for_load_state()
    page.goto(base + "/?q=script")  # a story whose text holds a <script> tag
    page.wait_for_load_state()
    assert dialogs == []
    assert "<script>alert(1)</script>" in page.locator(".snippet").first.inner_text()


def test_facet_and_timeline_bar_narrow_the_results(page, serve, paged_index_dir):
    from playwright.sync_api import expect

    base = serve(paged_index_dir)
    page.goto(base + '/?q="Bank of England"')
    expect(page.locator(".summary")).to_contain_text("26 stories")
    site_facet = page.get_by_role("navigation", name="Narrow by site")
    expect(site_facet).to_contain_text("money.example.org 26")
    page.screenshot(path=str(ARTIFACTS / "facets.png"), full_page=True)

    site_facet.get_by_role("link", name="news.example.com 1").click()
    page.wait_for_url("**site=news.example.com*")
    expect(page.locator(".summary")).to_contain_text("1 story")
    expect(page.locator(".hit h2")).to_have_text("Bank of England holds interest rates")
    filters = page.get_by_role("list", name="Active filters")
    expect(filters).to_contain_text("site: news.example.com")
    filters.get_by_role("link", name="Remove filter site: news.example.com").click()
    expect(page.locator(".summary")).to_contain_text("26 stories")

    # a month of the timeline: the rates meetings 1, 13 and 25 fell in February 2023
    bar = page.locator('.timeline svg a[aria-label="2023-02: 3 stories"]')
    expect(bar).to_have_count(1)
    bar.click()
    page.wait_for_url("**from=2023-02-01*")
    assert "to=2023-02-28" in page.url
    expect(page.locator(".summary")).to_contain_text("3 stories")
    assert sorted(page.locator(".hit time").all_inner_texts()) == ["2023-02-02", "2023-02-14", "2023-02-26"]
    expect(page.get_by_role("list", name="Active filters")).to_contain_text("from: 2023-02-01")
    page.screenshot(path=str(ARTIFACTS / "facets-february.png"), full_page=True)


def test_a_headline_clicks_through_to_its_article(page, serve, tmp_path):
    from playwright.sync_api import expect

    from indexer.pipeline import build_index
    from test_html import write_site

    build_index([write_site(tmp_path / "crawl")], tmp_path / "index")
    article = "https://harbour-herald.example/2025/05/harbour-pilots-end-their-strike"
    page.context.route("https://harbour-herald.example/**", lambda route: route.fulfill(
        status=200, content_type="text/html", body="<title>The article</title><h1>The article itself</h1>"))
    base = serve(tmp_path / "index")
    page.goto(base + "/?q=pilots")
    hit = page.locator(".hit").first
    expect(hit.locator("a.article-link")).to_have_text("harbour-herald.example")
    expect(hit.locator("a.article-link")).to_have_attribute("href", article)
    expect(hit.locator(".kicker")).to_have_text("Westhaven")  # small, above the headline
    hit.locator("h2 a").first.click()  # the headline still opens the story page ...
    page.wait_for_url("**/story/*")
    headline = page.locator("h1 a")
    expect(headline).to_have_attribute("rel", "noopener noreferrer")
    expect(page.locator(".pages a").first).to_have_attribute("href", article)  # each page at its address
    expect(page.locator(".meta .author")).to_have_text("Ann Reyes")
    page.screenshot(path=str(ARTIFACTS / "story-kicker-author.png"), full_page=True)
    headline.click()  # ... whose headline opens the article
    page.wait_for_url(article)
    expect(page.locator("h1")).to_have_text("The article itself")

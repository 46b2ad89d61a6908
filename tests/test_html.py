"""HTML and WARC crawls: readers, encodings, teasers from markup, stories merged by their article's address."""
from __future__ import annotations

import io
import json

import pytest
from click.testing import CliRunner

from indexer.address import article_key, looks_like_article
from indexer.build import iter_stories
from indexer.markup import page_markup, parse
from indexer.pipeline import BuildSummary, build_index, crawl_stories
from indexer.readers import ReadReport, iter_pages
from indexer.readers.files import decode_html
from webapp.cli import cli

warcio = pytest.importorskip("warcio")
from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

NAV = """<header><nav><a href="/">Home</a> <a href="/politics/">Politics</a> <a href="/sport/">Sport</a>
<a href="/tag/harbour/">Harbour</a></nav></header>"""
FOOTER = """<footer><a href="/about/">About us</a> <a href="/privacy/">Privacy</a> <a href="/contact/">Contact</a></footer>"""

HOME = f"""<!doctype html><html><head><meta charset="utf-8"><title>Harbour Herald</title>
<link rel="canonical" href="https://www.harbour-herald.example/"></head><body>{NAV}<main>
<article><figure><img src="a.jpg" alt="Pilots at the quay"><figcaption>Pilots at the quay on Monday</figcaption></figure>
<h2><a href="/2025/05/harbour-pilots-end-their-strike?utm_source=home&utm_medium=web">
<span>Westhaven</span><span>Harbour pilots end their strike after a pay deal</span></a></h2>
<p>Pilots returned to work on Monday after the port board offered a rise of six percent over two years.</p>
<time datetime="2025-05-12T07:30:00+01:00">12 May</time> <a href="/2025/05/harbour-pilots-end-their-strike">Read more</a>
</article>
<article><h3><a href="/2025/05/new-quay-opens-in-westhaven">New quay opens in Westhaven</a></h3>
<p>The new quay opened on Saturday after two years of building work and a long row over its cost.</p></article>
<section><h2>Most read</h2><ol>
<li><a href="/2025/05/harbour-pilots-end-their-strike#comments">Harbour pilots end their strike after a pay deal</a></li>
<li><a href="/2025/05/lighthouse-to-close-for-repairs">Lighthouse to close for repairs in June</a></li>
</ol></section></main>{FOOTER}</body></html>"""

SPORT = f"""<!doctype html><html><head><meta charset="utf-8"><title>Sport</title>
<link rel="canonical" href="https://harbour-herald.example/sport/"></head><body>{NAV}<main>
<div class="teaser"><h2><a href="http://harbour-herald.example/2025/05/rowing-club-wins-the-regatta/">Rowing club wins the regatta</a></h2>
<p>The Westhaven rowing club won the harbour regatta for the first time in twenty years on Sunday.</p></div>
<aside><ul><li><a href="https://harbour-herald.example/2025/05/harbour-pilots-end-their-strike">Harbour pilots end their strike after a pay deal</a></li></ul></aside>
</main>{FOOTER}</body></html>"""

ARTICLE = f"""<!doctype html><html><head><meta charset="utf-8"><title>Harbour pilots end their strike</title>
<link rel="canonical" href="https://harbour-herald.example/2025/05/harbour-pilots-end-their-strike">
<meta property="og:type" content="article">
<script type="application/ld+json">{{"@context": "https://schema.org", "@graph": [{{"@type": "NewsArticle",
"headline": "Harbour pilots end their strike after a pay deal", "datePublished": "2025-05-11T18:00:00Z",
"author": [{{"@type": "Person", "name": "Ann Reyes"}}]}}]}}</script></head><body>{NAV}<main><article>
<h1>Harbour pilots end their strike after a pay deal</h1>
<p>Pilots returned to work on Monday after the port board offered a rise of six percent over two years.</p>
<p>The strike had stopped every large ship from entering the harbour for nine days, and the queue of
tankers waiting off Skerry Island had grown to fourteen by the weekend.</p>
<p>The pilots' union said its members had voted by a large majority to accept the offer, which also
brings in a fourth pilot boat and a shorter night shift.</p>
</article></main>{FOOTER}</body></html>"""

PAGES = {"home.html": HOME, "sport.html": SPORT, "2025/pilots.html": ARTICLE}


def markup_of(html: str, url: str | None = None, site: str = "example.com"):
    return page_markup(parse(html), url, site)


def write_site(root, pages=PAGES):
    for name, html in pages.items():
        path = root / "herald" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
    return root


def write_warc(path, pages: list[tuple[str, str, str]], extra=True, gz=True):
    """A WARC of (url, date, html) responses, with a warcinfo, a request, a revisit, a 404 and an image."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=gz)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "lede tests"}))
        for url, date, html in pages:
            if extra:
                writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")))
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(html.encode()),
                                                          http_headers=http, warc_headers_dict={"WARC-Date": date}))
        if extra:
            gone = StatusAndHeaders("404 Not Found", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record("https://harbour-herald.example/gone", "response",
                                                          payload=io.BytesIO(b"<p>not here</p>"), http_headers=gone))
            image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record("https://harbour-herald.example/a.png", "response",
                                                          payload=io.BytesIO(b"\x89PNG...."), http_headers=image))
            writer.write_record(writer.create_revisit_record(pages[0][0], "sha1:AAAA", pages[0][0],
                                                             "2025-05-12T08:00:00Z"))
    return path


WARC_PAGES = [("https://www.harbour-herald.example/", "2025-05-12T08:00:00Z", HOME),
              ("https://harbour-herald.example/sport/", "2025-05-12T08:01:00Z", SPORT),
              ("https://harbour-herald.example/2025/05/harbour-pilots-end-their-strike", "2025-05-12T08:02:00Z", ARTICLE)]


# --- addresses ---------------------------------------------------------------------------------

@pytest.mark.parametrize("a, b", [
    ("https://www.x.example/a/b-c-d?utm_source=t&utm_medium=m#top", "http://x.example/a/b-c-d/"),
    ("https://x.example/a?id=3&utm_campaign=z", "https://x.example/a?id=3"),
])
def test_addresses_of_one_article_share_a_key(a, b):
    assert article_key(a) == article_key(b)


@pytest.mark.parametrize("url, article", [
    ("https://x.example/politik/", False), ("https://x.example/", False), ("https://x.example/tag/harbour", False),
    ("https://x.example/politik/merz-trifft-macron-in-paris", True),
    ("https://x.example/2025/05/new-quay-opens", True),
    ("https://x.example/news/id_91678544/x.html", True),
    ("https://x.example/a-f722bed7-b4cb-47fe", True),
])
def test_article_addresses(url, article):
    assert looks_like_article(url) is article


# --- encodings ---------------------------------------------------------------------------------

def test_utf8_bytes_win_over_a_meta_that_says_latin1():
    html = '<meta charset="iso-8859-1"><p>Grüße aus Köln</p>'.encode("utf-8")
    assert "Grüße aus Köln" in decode_html(html)


def test_legacy_bytes_are_read_by_the_header_then_the_meta():
    html = '<meta charset="windows-1252"><p>Grüße – aus Köln</p>'.encode("cp1252")
    assert "Grüße – aus Köln" in decode_html(html)
    assert "Grüße" in decode_html('<p>Grüße</p>'.encode("cp1252"), declared="iso-8859-1")
    cyrillic = '<meta charset="koi8-r"><p>Привет</p>'.encode("koi8_r")
    assert "Привет" in decode_html(cyrillic)


def test_bad_bytes_are_replaced_not_fatal():
    text = decode_html(b'<meta charset="utf-8"><p>caf\xe9 \xff\xfe ok</p>', declared="utf-8")
    assert "ok" in text


# --- markup ------------------------------------------------------------------------------------

def test_a_teaser_block_gives_headline_kicker_lede_caption_and_date():
    url, blocks, lines, _ = markup_of(HOME)
    assert url == "https://www.harbour-herald.example/"
    first = blocks[0]
    assert first.headline == "Harbour pilots end their strike after a pay deal"
    assert first.kicker == "Westhaven"
    assert first.lede.startswith("Pilots returned to work on Monday")
    assert "Read more" not in first.lede
    assert first.caption == "Pilots at the quay on Monday"  # the alt text says nothing the figcaption does not
    assert first.date == "2025-05-12"
    assert article_key(first.url) == "harbour-herald.example/2025/05/harbour-pilots-end-their-strike"


def test_a_list_of_article_links_gives_headline_only_teasers_and_navigation_none():
    _, blocks, _, _ = markup_of(HOME)
    headlines = [b.headline for b in blocks]
    assert headlines == ["Harbour pilots end their strike after a pay deal", "New quay opens in Westhaven",
                         "Lighthouse to close for repairs in June"]  # the most-read copy is the same article
    assert blocks[2].lede == ""
    assert not any(h in headlines for h in ("Politics", "Sport", "Harbour", "About us", "Privacy"))


def test_an_article_page_is_one_story_with_its_metadata():
    url, blocks, lines, _ = markup_of(ARTICLE)
    assert [b.role for b in blocks] == ["article"]
    article = blocks[0]
    assert article.headline == "Harbour pilots end their strike after a pay deal"
    assert article.date == "2025-05-11" and article.author == "Ann Reyes"
    assert article.lede.count("\n") == 2 and "fourth pilot boat" in article.lede
    assert "About us" not in article.lede


def test_an_authors_profile_address_is_not_taken_for_a_name():
    # broke: the author shown was "https://www.facebook.com/..." (article:author holds a profile's address)
    profile = ARTICLE.replace(',\n"author": [{"@type": "Person", "name": "Ann Reyes"}]', "").replace(
        '<meta property="og:type" content="article">',
        '<meta property="og:type" content="article"><meta property="article:author" content="https://social.example/ann">')
    assert markup_of(profile)[1][0].author == ""
    named = profile.replace("<title>", '<meta name="author" content="Ann Reyes"><title>')
    assert markup_of(named)[1][0].author == "Ann Reyes"


def test_a_home_page_that_claims_to_be_an_article_is_a_listing():
    home = HOME.replace("<title>", '<meta property="og:type" content="article"><title>')
    _, blocks, _, _ = markup_of(home)
    assert len(blocks) == 3 and {b.role for b in blocks} == {"teaser"}


def _hub(teasers: int) -> str:
    """A topic hub at an article-shaped address: one <h1> over teasers with long ledes."""
    items = "".join(
        f'<div><h3><a href="/harbour/id_{10000 + n}/harbour-news-item-number-{n}.html">Harbour news item number {n} of the week</a></h3>'
        f'<p>Pilots, tugs and ferries kept the harbour busy on day {n}, and the port board counted every ship that came in.</p></div>'
        for n in range(teasers))
    return (f'<html><head><link rel="canonical" href="https://herald.example/harbour/id_99999/index"></head><body>'
            f'<h1>Everything about the harbour</h1>{items}</body></html>')


def test_a_hub_whose_long_paragraphs_are_its_teasers_ledes_is_a_listing():
    # broke: a topic hub at an id address (one <h1>, many teasers with ledes) was read as one article
    _, blocks, _, _ = markup_of(_hub(6))
    assert len(blocks) == 6 and {b.role for b in blocks} == {"teaser"}


def test_an_article_with_a_box_of_related_teasers_stays_an_article():
    related = "".join(f'<li><a href="/2025/05/related-harbour-story-number-{n}">Related harbour story number {n}</a>'
                      f'<p>A related story about the harbour, its pilots and its ships, number {n} of four.</p></li>'
                      for n in range(4))
    body = "".join(f"<p>Paragraph {n} of the report: the pilots met the port board again on Monday, and both sides "
                   f"said the talks about pay, night shifts and a fourth pilot boat had gone well this time.</p>"
                   for n in range(6))
    html = (f'<html><head><link rel="canonical" href="https://herald.example/2025/05/pilots-meet-the-board-again">'
            f'</head><body><article><h1>Pilots meet the board again</h1>{body}</article><ul>{related}</ul></body></html>')
    _, blocks, _, _ = markup_of(html)
    assert [b.role for b in blocks] == ["article"]


def test_a_teaser_wrapped_in_a_button_is_read_and_a_plain_button_is_not():
    # broke: buttons were dropped whole, and with them video teasers a site wraps in one
    html = ('<html><body><button>Open the menu</button><ul><li><button><article><h4>'
            '<a href="/2025/05/harbour-pilots-end-their-strike">Harbour pilots end their strike after a pay deal</a>'
            '</h4></article></button></li></ul></body></html>')
    _, blocks, lines, _ = markup_of(html, url="https://herald.example/")
    assert [b.headline for b in blocks] == ["Harbour pilots end their strike after a pay deal"]
    assert "Open the menu" not in lines


def test_an_html_page_is_parsed_when_first_looked_at(tmp_path):
    path = write_site(tmp_path)
    pages = list(iter_pages([path], ReadReport()))
    assert all(p._data for p in pages)  # read, not yet parsed
    home = next(p for p in pages if p.id.endswith("home.html"))
    assert home.site == "harbour-herald.example" and not home._data
    assert [b.headline for b in home.blocks][0] == "Harbour pilots end their strike after a pay deal"


def test_a_page_saved_under_its_hosts_folder_links_to_that_hosts_articles():
    # broke: a portal's pages that name a sister portal as canonical had no teasers (every link another site's)
    html = ('<html><head><link rel="canonical" href="https://portal-a.example/news/"></head><body><ul>'
            '<li><a href="https://www.portal-b.example/news/harbour-pilots-end-their-strike-41000001">'
            'Harbour pilots end their strike after a pay deal</a></li>'
            '<li><a href="https://shop.portal-b.example/offers/cheap-phones-for-everyone-today">'
            'Cheap phones for everyone today only</a></li></ul></body></html>')
    url, blocks, _, _ = markup_of(html, site="portal-b.example")
    assert url == "https://portal-a.example/news/"
    assert [b.headline for b in blocks] == ["Harbour pilots end their strike after a pay deal"]
    assert markup_of(html, site="portal-b")[1] is None  # a folder that names no host adds none
    named = html.replace("</ul>", '<li><a href="https://portal-a.example/news/ferry-strike-ends-after-a-week-41000002">'
                                  'Ferry strike ends after a week of talks</a></li></ul>')
    fetched = markup_of(named, url="https://www.portal-b.example/news/", site="portal-b.example")  # a WARC record
    assert [b.headline for b in fetched[1]] == ["Harbour pilots end their strike after a pay deal",
                                                "Ferry strike ends after a week of talks"]


def test_relative_links_on_a_page_without_an_address():
    html = ('<ul><li><a href="/2025/05/new-quay-opens-in-westhaven">New quay opens in Westhaven</a></li>'
            '<li><a href="/news/">News</a></li></ul>')
    url, blocks, _, _ = markup_of(html, site="herald")
    assert url is None and [b.url for b in blocks] == ["/2025/05/new-quay-opens-in-westhaven"]
    url, blocks, _, _ = markup_of(html, site="herald.example")
    assert blocks[0].url == "https://herald.example/2025/05/new-quay-opens-in-westhaven"


def test_a_page_without_teasers_is_read_as_text():
    _, blocks, lines, _ = markup_of("<html><body><p>Just a note.</p><p>Another line.</p></body></html>")
    assert blocks is None and lines == ["Just a note.", "Another line."]


@pytest.mark.parametrize("html", [
    "<html><body><div><h2><a href='/2025/05/new-quay-opens-in-westhaven'>New quay opens",  # cut off
    "<div><p><a href='/2025/05/new-quay-opens-in-westhaven'><h2>New quay opens</div></a></span></table>",
    "<<>><a href=>x</a><a href='javascript:alert(1)'>Click here now please</a><a href='http://[bad'>Broken link text here</a>",
])
def test_malformed_html_does_not_raise(html):
    markup_of(html, url="https://herald.example/")


# --- whole crawls ------------------------------------------------------------------------------

def stories(paths):
    return list(crawl_stories(paths, BuildSummary(), workers=1))


def test_teasers_of_one_article_are_one_story_on_every_page(tmp_path):
    found = stories([write_site(tmp_path / "crawl")])
    pilots = [s for s in found if "pilots" in s.headline.lower()]
    assert len(pilots) == 1
    story = pilots[0]
    assert story.url == "https://harbour-herald.example/2025/05/harbour-pilots-end-their-strike"
    assert sorted(story.pages) == ["herald/2025/pilots.html", "herald/home.html", "herald/sport.html"]
    assert "fourth pilot boat" in story.text  # the article page's body
    assert story.date == "2025-05-11"  # the article's datePublished
    assert story.kicker == "Westhaven"  # the heading's lesser line
    assert story.author == "Ann Reyes"  # the article page's JSON-LD
    assert dict(zip(story.pages, story.page_urls))["herald/home.html"] == "https://www.harbour-herald.example/"
    assert all(s.url for s in found)
    assert len(found) == 4


def _section(n: int, extra: str = "") -> str:
    """A section page of the herald: its menu, a service box with a short title, and its own teaser."""
    return (f'<html><head><link rel="canonical" href="https://herald.example/section-{n}/"></head><body>'
            f'<div class="box"><a href="/service/login-and-registration-for-readers-00000">Reader login</a>'
            f'<span>Forgot your password? Register now for free</span> <a href="/register/">Register</a></div>'
            f'<div><h3><a href="/2025/05/section-{n}-story-about-the-harbour-pilots">Section {n} story about the pilots</a></h3>'
            f'<p>Pilots returned to work on Monday in section {n} after the port board offered a rise.</p></div>'
            f'{extra}</body></html>')


def test_a_short_headline_with_a_lede_is_chrome_only_on_most_of_the_sites_pages(tmp_path):
    # broke: a real teaser with a three-word headline on three pages was dropped as navigation
    coup = ('<div><h3><a href="/2025/05/offenbach-lands-a-big-company-12345">Offenbach mega coup</a></h3>'
            '<p>The city of Offenbach wins a large company from its neighbour, and the mayor is pleased.</p></div>')
    pages = {f"section-{n}.html": _section(n, coup if n < 3 else "") for n in range(8)}
    for name, html in pages.items():
        (tmp_path / "herald.example").mkdir(exist_ok=True)
        (tmp_path / "herald.example" / name).write_text(html, encoding="utf-8")
    headlines = [s.headline for s in stories([tmp_path])]
    assert "Offenbach mega coup" in headlines  # on 3 of 8 pages: a story
    assert "Reader login" not in headlines  # on every page: the site's login box
    assert sum(h.startswith("Section ") for h in headlines) == 8


def test_a_lede_leaves_out_the_text_of_links_to_other_pages():
    html = ('<html><body><div><h3><a href="/2025/05/harbour-pilots-end-their-strike">Harbour pilots end their strike</a>'
            '</h3><span>Pilots returned to work on Monday after a rise</span>'
            '<a href="/tag/harbour/">Harbour news and more</a> <a href="/tag/pilots/">All about pilots here</a></div>'
            '</body></html>')
    _, blocks, _, _ = markup_of(html, url="https://herald.example/")
    assert blocks[0].lede == "Pilots returned to work on Monday after a rise"


def test_a_warc_gives_the_same_stories_as_the_html_files(tmp_path):
    warc = write_warc(tmp_path / "warc" / "crawl.warc.gz", WARC_PAGES)
    report = ReadReport()
    pages = list(iter_pages([warc.parent], report))
    assert [p.id for p in pages] == [f"{url}@{date}" for url, date, _ in WARC_PAGES]
    assert pages[0].url == "https://www.harbour-herald.example/" and pages[0].site == "harbour-herald.example"
    reasons = " ".join(why for _, why in report.skipped)
    for kind in ("warcinfo record", "request record", "revisit record", "HTTP status >= 400", "not HTML"):
        assert kind in reasons

    def essence(found):
        return sorted((s.headline, s.text, s.url, s.caption) for s in found)

    from_warc, from_files = stories([warc.parent]), stories([write_site(tmp_path / "html")])
    assert essence(from_warc) == essence(from_files)
    dates = {s.url: s.date for s in from_files}
    for story in from_warc:  # a story with no date of its own is dated by its first page's capture
        assert story.date == (dates[story.url] or "2025-05-12")


def test_a_truncated_gzip_member_and_a_wrong_length_keep_the_readable_records(tmp_path):
    whole = write_warc(tmp_path / "a.warc.gz", WARC_PAGES, extra=False).read_bytes()
    cut = tmp_path / "cut" / "cut.warc.gz"
    cut.parent.mkdir()
    cut.write_bytes(whole[:-200])  # the last record's gzip member is cut off
    report = ReadReport()
    pages = list(iter_pages([cut.parent], report))
    assert [p.url for p in pages] == [url for url, _, _ in WARC_PAGES[:2]]
    assert report.skipped

    plain = write_warc(tmp_path / "b.warc", WARC_PAGES, extra=False, gz=False).read_bytes()
    first_length = plain.index(b"Content-Length: ", plain.index(b"WARC-Type: response"))
    wrong = tmp_path / "wrong" / "wrong.warc"
    wrong.parent.mkdir()
    wrong.write_bytes(plain[:first_length] + b"Content-Length: 9" + plain[first_length + 16:])
    report = ReadReport()
    list(iter_pages([wrong.parent], report))  # never raises
    assert report.skipped


def test_a_50_mb_page_is_read_up_to_the_cap(tmp_path):
    big = tmp_path / "big" / "big.html"
    big.parent.mkdir()
    teaser = '<li><a href="/2025/05/new-quay-opens-in-westhaven">New quay opens in Westhaven</a></li>'
    big.write_text("<html><body><ul>" + teaser + "<li>filler text here</li>" * ((50 << 20) // 25) + "</ul></body></html>")
    assert big.stat().st_size > 50 << 20
    report = ReadReport()
    pages = list(iter_pages([big.parent], report))
    assert len(pages) == 1 and pages[0].blocks[0].headline == "New quay opens in Westhaven"
    assert any("cut at" in why for _, why in report.skipped)


def test_a_wet_file_is_read_as_text_pages(tmp_path):
    wet = tmp_path / "c" / "crawl.warc.wet.gz"
    wet.parent.mkdir()
    with open(wet, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        text = "Harbour Herald\nNew quay opens in Westhaven\nThe new quay opened on Saturday after two years of work.\n"
        writer.write_record(writer.create_warc_record("https://harbour-herald.example/", "conversion",
                                                      payload=io.BytesIO(text.encode()),
                                                      warc_headers_dict={"Content-Type": "text/plain",
                                                                         "WARC-Date": "2025-05-12T08:00:00Z"}))
    pages = list(iter_pages([wet.parent], ReadReport()))
    assert [(p.id, p.url, p.blocks) for p in pages] == [
        ("https://harbour-herald.example/@2025-05-12T08:00:00Z", "https://harbour-herald.example/", None)]
    assert pages[0].lines[1] == "New quay opens in Westhaven"


def test_cli_indexes_html_warc_and_text_in_one_crawl_and_exports_urls(tmp_path):
    crawl = write_site(tmp_path / "crawl")
    write_warc(crawl / "archive" / "more.warc.gz", [
        ("https://harbour-herald.example/business/", "2025-05-13T08:00:00Z", SPORT.replace(
            "rowing-club-wins-the-regatta", "bank-of-westhaven-raises-rates").replace(
            "Rowing club wins the regatta", "Bank of Westhaven raises its rates"))])
    (crawl / "notes").mkdir()
    (crawl / "notes" / "page.txt").write_text("Ferry strike called off\nThe ferry union called off Friday's strike after talks with the operators.\n")
    index = tmp_path / "index"
    result = CliRunner().invoke(cli, ["index", str(crawl), "--index", str(index)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "revisit record" in result.output
    out = CliRunner().invoke(cli, ["export", "--index", str(index)], catch_exceptions=False).output
    exported = [json.loads(line) for line in out.splitlines()]
    by_headline = {s["headline"]: s for s in exported}
    assert by_headline["Bank of Westhaven raises its rates"]["url"] == \
        "http://harbour-herald.example/2025/05/bank-of-westhaven-raises-rates/"  # as the page links to it
    pilots = by_headline["Harbour pilots end their strike after a pay deal"]
    assert pilots["kicker"] == "Westhaven" and pilots["author"] == "Ann Reyes"
    assert len(pilots["pages"]) == 4 and len(pilots["page_urls"]) == 4  # three files and the WARC's page
    assert any(s["url"] is None for s in exported)  # the text page's story links nowhere


def test_update_reads_a_new_warc_and_one_appended_to(tmp_path):
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    write_warc(crawl / "a.warc", WARC_PAGES[:1], extra=False, gz=False)
    build_index([crawl], tmp_path / "live")
    write_warc(crawl / "b.warc.gz", WARC_PAGES[1:2], extra=False)  # a new WARC
    build_index([crawl], tmp_path / "live", update=True)
    with open(crawl / "a.warc", "ab") as out:  # and one appended to
        out.write(write_warc(tmp_path / "c.warc", WARC_PAGES[2:], extra=False, gz=False).read_bytes())
    build_index([crawl], tmp_path / "live", update=True)
    build_index([crawl], tmp_path / "full")

    def export(index):
        return [json.dumps(s, sort_keys=True) for s in iter_stories(index)]

    assert export(tmp_path / "live") == export(tmp_path / "full")
    assert len({s["url"] for s in iter_stories(tmp_path / "live")}) == 4

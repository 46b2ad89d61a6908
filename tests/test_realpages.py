"""The real-page benchmark (bench/oracle/realpages.py): HTML to text and links, the scorer on handmade records, floors on real pages."""
import json
from pathlib import Path

import pytest

from bench.oracle import realpages
from bench.oracle.realpages import SourcePage, build_truth, page_links, page_text, record_holds, score, truth_records

FLOORS = json.loads((Path(__file__).parent / "realpages_floors.json").read_text())

PAGE = """<!doctype html><html><head><title>Courier</title><style>p {color: red}</style></head><body>
<nav><ul><li><a href="/politik/">Politik</a></li><li><a href="/sport/">Sport</a></li></ul></nav>
<article><a href="/politik/kanzler-trifft-minister-in-berlin-a-123.html"><span>Treffen</span>
  <h2>Kanzler trifft Minister in <b>Berlin</b></h2></a><p>Das Gespräch dauerte drei Stunden.<br>Mehr dazu</p>
  <script>var teaser = 1;</script></article>
<h3><a href="https://courier.de/fussball/987654"><span>Der</span><span>Meister</span> verliert
  zu Hause</a></h3><a href="https://shop.courier.de/angebote/ein-neues-abo-zum-kennenlernen">Ein neues Abo zum Kennenlernen</a>
<div><a href="https://www.other.de/politik/eine-andere-seite-mit-vier">Eine andere Seite mit vier</a>
<a href="/politik/kurz-a-b-c">Zu kurz</a><svg><text>Icon text</text></svg></div>
</body></html>"""


def test_page_text_is_block_per_line_without_dropped_contents():
    assert page_text(PAGE).splitlines() == [
        "Politik", "Sport", "Treffen", "Kanzler trifft Minister in Berlin", "Das Gespräch dauerte drei Stunden.",
        "Mehr dazu", "DerMeister verliert zu Hause", "Ein neues Abo zum Kennenlernen",
        "Eine andere Seite mit vier Zu kurz"]


def test_page_links_are_article_links_of_the_site_with_their_heading():
    assert page_links(PAGE, "courier.de") == [
        ("courier.de/politik/kanzler-trifft-minister-in-berlin-a-123.html", "Kanzler trifft Minister in Berlin"),
        ("courier.de/fussball/987654", "Der Meister verliert zu Hause"),
    ]


# --- the scorer on handmade records ---

INDEX, POLITIK = "courier.de/s1__index", "courier.de/s1__politik"
KANZLER = "Kanzler trifft Minister in Berlin zum Gespräch"
STREIK = "Bahnstreik legt den Verkehr im ganzen Land lahm"
SCOOTER = "Neue Regeln für E-Scooter in der Innenstadt"
LIVE_MO = "Liveblog zum Krieg in der Ukraine: Alle Entwicklungen am Montag"
LIVE_DI = "Liveblog zum Krieg in der Ukraine: Alle Entwicklungen am Dienstag"  # Jaccard 9/11 with Monday's
LINKS = {
    INDEX: [("courier.de/kanzler-a-1", KANZLER), ("courier.de/streik-a-2", STREIK), ("courier.de/live-a-3", LIVE_MO),
            ("courier.de/live-a-4", LIVE_DI), ("courier.de/kanzler-a-1", KANZLER)],
    POLITIK: [("courier.de/kanzler-a-1", KANZLER), ("courier.de/kanzler-a-1", "Kanzler trifft Minister"),
              ("courier.de/scooter-a-5", SCOOTER)],
}


def story(headline: str, text: str = "", pages: tuple[str, ...] = (INDEX,)) -> dict:
    return {"headline": headline, "headlines": [headline], "text": text, "pages": [p + ".txt" for p in pages]}


RECORDS = [
    story("Kanzler trifft Minister in Berlin"),  # 5 of the link's 7 words: held by headline
    story("Gestern, 10:52 dpa", STREIK + ". Pendler warten."),  # held by its text
    story(SCOOTER),  # the right headline, but listing a page the link is not on
    story(LIVE_MO),  # holds both live blogs: one truth story ...
    story(LIVE_DI),  # ... held by two records: split
    story(KANZLER, STREIK + ". Pendler warten."),  # merges two stories
]


def test_truth_takes_each_links_most_frequent_headline_and_joins_near_identical_ones():
    truth = build_truth(LINKS)
    assert [(link.address, link.headline, sorted(link.pages)) for link in truth.links][:2] == [
        ("courier.de/kanzler-a-1", KANZLER, [INDEX, POLITIK]), ("courier.de/streik-a-2", STREIK, [INDEX])]
    assert len(truth.links) == 5 and sorted(map(len, truth.stories)) == [1, 1, 1, 2]


def test_record_holds_by_headline_by_text_and_only_on_the_links_pages():
    truth = build_truth(LINKS)
    kanzler, streik, scooter = truth.links[0], truth.links[1], truth.links[4]
    assert record_holds(RECORDS[0], kanzler) == "headline"
    assert record_holds(story("Kanzler trifft Minister"), kanzler) is None  # 3 of 7 words: neither half nor five
    assert record_holds(story("Eilmeldung am Abend: " + KANZLER), kanzler) is None  # 7 of 9 words in the link's: < 80%
    assert record_holds(RECORDS[1], streik) == "text"
    assert record_holds(RECORDS[2], scooter) is None
    assert record_holds(story(SCOOTER, pages=(POLITIK,)), scooter) == "headline"
    html_record = {**story(SCOOTER), "pages": [POLITIK + ".html"]}  # an export of the HTML pages
    assert record_holds(html_record, scooter) == "headline"


def test_score_counts_found_headline_split_merged_and_empty_records():
    truth = build_truth(LINKS)
    result = score(RECORDS, truth)
    assert result.figures() == {"found": 3 / 4, "right_headline": 2 / 4, "split": 3 / 4, "merged": 1 / 6,
                                "no_link": 1 / 6}
    assert result.counts == {"pages": 2, "links": 5, "truth stories": 4, "records": 6}
    own = score(truth_records(truth), truth)  # the live blogs hold each other: the measure's own split
    assert own.figures() == {"found": 1, "right_headline": 1, "split": 1 / 4, "merged": 0, "no_link": 0}


def test_failures_show_each_kind_with_its_records():
    truth = build_truth(LINKS)
    shown = realpages.failures(RECORDS, truth, score(RECORDS, truth))
    assert [example["link"]["headline"] for example in shown["not found"]] == [SCOOTER]
    assert shown["not found"][0]["records on its page"] == []  # the scooter record lists another page
    assert [example["link"]["headline"] for example in shown["wrong headline"]] == [STREIK]
    assert [[r["headline"] for r in example["records"]] for example in shown["split"]] == [
        ["Kanzler trifft Minister in Berlin", KANZLER], ["Gestern, 10:52 dpa", KANZLER], [LIVE_MO, LIVE_DI]]
    assert [example["record"]["headline"] for example in shown["merged"]] == [KANZLER]
    assert [example["record"]["headline"] for example in shown["no link"]] == [SCOOTER]


def test_diagnose_tells_teasers_the_truth_cannot_see_from_other_records():
    truth = build_truth(LINKS)
    records = [
        {**story("Verkehr steht still", STREIK), "url": "https://www.courier.de/streik-a-2"},  # held by its text
        {**story("Minister treffen sich im Kanzleramt"), "url": "https://courier.de/kanzler-a-1",
         "kicker": KANZLER},  # the truth's headline is its kicker
        {**story("Ein Bild ohne Worte im Teaser"), "url": "https://courier.de/bild-ohne-worte-a-77"},  # no truth link
        {**story("Unsere Videos der Woche"), "url": "https://courier.de/videos/"},  # not an article's address
        story("Impressum und Kontakt der Redaktion"),  # no url
    ]
    found = realpages.diagnose(records, truth, score(records, truth))
    assert found["no link"] == {"a truth link's address, the truth's headline its kicker": 1,
                                "an article address the truth has no headline for": 1,
                                "an address the truth takes for no article's": 1, "no url": 1}
    assert found["not found"] == {"no record at its address": 2,
                                  "a record at its address, whose kicker is the truth's headline": 1}


def test_check_floors_fails_a_missed_floor_an_exceeded_max_and_a_missing_figure():
    result = score(RECORDS, build_truth(LINKS))
    floors = {"found": 0.7, "right_headline": 0.6, "split_max": 0.8, "merged_max": 0.1}
    assert realpages.check_floors(result, floors) == [
        "right_headline = 0.5000, floor 0.6", "merged = 0.1667, max 0.1",
        "no_link = 0.1667 has no floor or max in the floors file"]


def test_text_and_html_pages_are_laid_out_under_one_name(tmp_path):
    page = SourcePage(site="courier.de", snapshot="s1", name="index", html=PAGE, text=page_text(PAGE))
    realpages.write_text_pages([page], tmp_path / "text")
    realpages.write_html_pages([page], tmp_path / "html")
    assert (tmp_path / "text" / "courier.de" / "s1__index.txt").read_text() == page.text
    assert (tmp_path / "html" / "courier.de" / "s1__index.html").read_text() == PAGE


# --- floors on the real pages ---

@pytest.mark.slow
@pytest.mark.skipif(not realpages.CORPUS.is_dir(), reason="the research corpora (../shared/corpora) are not beside this checkout")
def test_real_pages_hold_their_floors(tmp_path):
    scores, _, _ = realpages.run(tmp_path, realpages.pick_snapshots(FLOORS["snapshots"]))
    print(realpages.format_table(scores))
    assert realpages.check_floors(scores["lede"], FLOORS["lede"]) == []
    assert realpages.check_floors(scores["truth"], FLOORS["truth"]) == []


@pytest.mark.slow
@pytest.mark.skipif(not realpages.CORPUS.is_dir(), reason="the research corpora (../shared/corpora) are not beside this checkout")
def test_real_html_pages_hold_their_floors(tmp_path):
    """The same pages read as HTML: teasers from their markup, stories merged by their links."""
    scores, _, _ = realpages.run(tmp_path, realpages.pick_snapshots(FLOORS["snapshots"]), html=True)
    print(realpages.format_table(scores))
    assert realpages.check_floors(scores["lede"], FLOORS["html"]) == []

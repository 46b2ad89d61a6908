"""bench/oracle/realpages_why.py: why the truth has no headline for a page's link to an address."""
from bench.oracle import realpages as rp
from bench.oracle import realpages_why as why

PAGE = """<html><body>
<a href="/politik/card-overlay-link-li.12345" aria-label="Ein Kartentitel"></a>
<a href="/sport/handball/kicker-first-link-here-4191065"><h4>Handball-EM</h4><h3>Handballer fordern im Finale Dänemark</h3></a>
<a href="/meinung/der-beleidigte-kurz-plus255522884.html">Der Beleidigte</a>
<a href="/news/2025-02/28/erstmals-hessenweiter-warntag">Katastrophenschutz: Erstmals hessenweiter Warntag</a>
<a href="/panorama/a-named-story-slug-here-12345678.html">Eine Geschichte, die die Wahrheit benennt</a>
</body></html>"""


def test_link_reasons_name_why_the_truth_has_no_headline():
    reasons = why.link_reasons(rp.parse(PAGE), "example.de")
    assert reasons["example.de/politik/card-overlay-link-li.12345"] == {why.NO_TEXT: 1}
    assert reasons["example.de/sport/handball/kicker-first-link-here-4191065"] == {why.KICKER_FIRST: 1}
    assert reasons["example.de/meinung/der-beleidigte-kurz-plus255522884.html"] == {why.SHORT: 1}
    assert reasons["example.de/news/2025-02/28/erstmals-hessenweiter-warntag"] == {why.NOT_ARTICLE: 1}
    assert reasons["example.de/panorama/a-named-story-slug-here-12345678.html"] == {why.NAMED: 1}


def test_an_address_is_named_when_any_of_its_links_is():
    assert why._why({why.NO_TEXT: 2, why.NAMED: 1}) == why.NAMED
    assert why._why({why.NO_TEXT: 2, why.SHORT: 1}) == why.NO_TEXT
    assert why._why({}) == why.UNSEEN

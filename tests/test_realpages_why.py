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


TEASERS = """<html><body><ul>
<li><div class="card"><a href="/politik/overlay-card-link-li.12345" aria-label="Karte"></a>
  <h3>Ein Kartentitel ohne eigenen Link</h3><p>Der Vorspann der Karte, ein ganzer Satz.</p></div></li>
<li><div><a href="/panorama/a-named-story-slug-here-12345678.html"><h3>Eine Geschichte, die die Wahrheit benennt</h3>
  <p>Ihr Vorspann im selben Link.</p></a><span>Von Erika Muster</span></div></li>
<li><a href="https://shop.example.org/angebot">Jetzt bis zu zehn Prozent sparen</a></li>
<li><a href="/politik/">Politik und Gesellschaft heute</a></li>
<li><a href="https://sport.example.de/fussball/ein-sieg-im-sportteil-99887766.html">Ein Sieg im Sportteil heute</a></li>
</ul><footer><p>Artikel vom: 30.1.2026<b>Von Max Muster</b></p></footer></body></html>"""


def test_text_path_records_are_placed_by_their_words_in_the_page():
    lines = why.annotated_lines(rp.parse(TEASERS))
    named = {"example.de/panorama/a-named-story-slug-here-12345678.html": frozenset(rp.words(
        "Eine Geschichte, die die Wahrheit benennt"))}

    def where(text: str, kicker: str = "") -> str:
        return why.where_on_page(rp.words(text), lines, "example.de", named, frozenset(rp.words(kicker)))[0]

    assert where("Ein Kartentitel ohne eigenen Link") == why.BESIDE_UNNAMED + why.NO_TEXT
    assert where("Ihr Vorspann im selben Link") == why.IN_NAMED_LINK
    assert where("Ihr Vorspann im selben Link", kicker="Eine Geschichte, die die Wahrheit benennt") \
        == why.IN_KICKER_NAMED_LINK  # the truth took the link's first heading, the record's kicker
    assert where("Ein Sieg im Sportteil heute") == why.IN_SUBSITE_LINK
    assert where("Von Erika Muster") == why.BESIDE_NAMED
    assert where("Jetzt bis zu zehn Prozent sparen") == why.IN_OFFSITE_LINK
    assert where("Politik und Gesellschaft heute") == why.IN_SECTION_LINK
    assert where("Artikel vom: 30.1.2026Von Max Muster") == why.NO_TEASER  # two inline nodes, one word between them
    assert where("Nirgends auf der Seite") == why.NOT_ON_PAGE

"""Segmenting listing pages into teasers: the seed page, and the layouts and traps of a crawl (article pages:
test_article_pages.py; menus: test_menus.py)."""
import json
import random
from pathlib import Path

import pytest

from indexer.crawlview import LINES, OPENINGS, Consulted, CrawlView, key
from indexer.headline import Known, repeated_prefix, split_headline
from indexer.records import Page
from indexer.sitelines import CrawlStats
from indexer.teasers import _crawl_decides
from indexer.sitelines import _head, _tail_is_the_lines, _time_and_byline
from indexer.readers import ReadReport, iter_pages
from indexer.text import FUNCTION_WORDS, find_date, fold_word
from bench.oracle.stories import DEFAULT_DATA_DIR
from tests.segmenting import ARTICLE_BODY, FOOTER, MENU, page, segment

SEED_DIR = DEFAULT_DATA_DIR / "seed"
SAMPLE_SEED = Path(__file__).resolve().parents[1] / "indexer" / "sample" / "pages" / "belarus-news" / "foreign-policy.txt"

def seed_page() -> Page:
    """The seed page under its own crawl file name, or, without the research corpora beside this checkout, the
    bundled sample's copy of it (the same lines as belarus-news/foreign-policy.txt, which gives the same 22
    stories under any file name: tests/test_seed_names.py)."""
    return next(iter_pages([SEED_DIR if SEED_DIR.is_dir() else SAMPLE_SEED.parent], ReadReport()))


def test_seed_page_gives_the_22_hand_labelled_stories():
    expected = json.loads((Path(__file__).parent / "seed_expected.json").read_text())
    [teasers] = segment(seed_page())
    assert len(teasers) == 22
    for teaser, story in zip(teasers, expected):
        assert teaser.headline == story["headline"], story["id"]
        assert teaser.text.startswith(story["lede_first_words"]), story["id"]
        assert len(teaser.text.split()) == story["lede_words"], story["id"]
        assert (teaser.caption or None) == story["caption"], story["id"]


def test_seed_boilerplate_and_headline_lines_are_not_stories():
    [teasers] = segment(seed_page())
    headlines = [t.headline for t in teasers]
    assert "You are here" not in headlines and "Belarus' foreign policy" not in headlines
    # lines 12, 14 and 24 are folded into their stories as headline variants
    d = next(t for t in teasers if t.headline.startswith("Alexander Lukashenko hails"))
    assert d.headlines == ["Alexander Lukashenko hails Belarus-Iran political relations",
                           "Alexander Lukashenko hails Belarus-Iran relations"]
    assert not d.text.startswith("Alexander Lukashenko hails")


def test_near_copy_of_headline_is_removed_from_the_lede():
    assert repeated_prefix("Alexander Lukashenko hails Belarus-Iran relations",
                           "Alexander Lukashenko hails Belarus-Iran political relations Belarus will always") == 6
    # a caption made of some of the lede's words is not a repeat: the rest would open mid-sentence
    assert repeated_prefix("Alexander Lukashenko and Vladimir Putin",
                           "Alexander Lukashenko, Vladimir Putin express interest in early cessation") == 0


@pytest.mark.parametrize("line, headline", [
    ("Belarus to cancel visas with Brazil, Ecuador Belarus has completed the domestic ratification "
     "procedures in line with agreements with Brazil and Ecuador on the abolition of visas.",
     "Belarus to cancel visas with Brazil, Ecuador"),
    ("Ferry strike called off at Westhaven The ferry operators' union has called off Friday's strike "
     "after talks with the harbour board.", "Ferry strike called off at Westhaven"),
    ("Oil Edges Down, Microsoft Boosts Techs NEW YORK (Reuters) - Oil prices touched 2-month lows "
     "near $45 a barrel on Monday.", "Oil Edges Down, Microsoft Boosts Techs"),
])
def test_run_together_headline_and_lede_are_split(line, headline):
    k, _ = split_headline(line)
    assert " ".join(line.split()[:k]) == headline


def test_a_capitalised_word_and_a_dash_in_mid_sentence_are_no_dateline():
    # a dateline's dash opens the lede's sentence ("AP - The ..."); a noun and a dash going on in small letters
    # ("... seines Lebens – und verlor ...") do not: the paragraph is its headline line's lede, not cut there
    para = ("Maria Berger spielte das Spiel ihres Lebens – und verlor dennoch gegen die Titelverteidigerin. "
            "Warum es mit dem ersten großen Titel nun immer schwerer wird.")
    assert split_headline(para) == (6, False)
    [[teaser]] = segment(page("p.txt", "Maria Berger: Großartig verloren", para))
    assert teaser.headline == "Maria Berger: Großartig verloren" and teaser.text == para
    assert split_headline("Harbour board approves the new budget Reuters - The board voted on Monday after long "
                          "talks with the unions.") == (6, True)


def test_run_together_split_never_loses_text():
    line = "Council approves harbour budget The council approved the budget on Tuesday."
    [[teaser]] = segment(page("p.txt", line))
    assert f"{teaser.headline} {teaser.text}" == line


def test_lines_recurring_on_a_site_are_boilerplate():
    pages = [page(f"s/{n}.txt", MENU, "You are here", f"Story number {n} makes the news today",
                  f"Story number {n} makes the news today The council met on day {n} to decide.",
                  "Read more", FOOTER) for n in range(4)]
    for teasers in segment(*pages):
        assert [t.headline for t in teasers] == [teasers[0].headline]
        assert teasers[0].headline.startswith("Story number")
        assert MENU not in teasers[0].text and FOOTER not in teasers[0].text


def test_caption_above_a_run_together_teaser_is_a_caption_on_a_lone_page():
    [teasers] = segment(page(
        "p.txt",
        "Harbour pilots dispute ends", "Harbour pilots dispute ends Pilots returned to work on Monday.",
        "Mayor Ruth Okafor at the quay",
        "Mayor opens new quay in Westhaven The new quay opened on Saturday after two years of work."))
    assert teasers[1].headline == "Mayor opens new quay in Westhaven"
    assert teasers[1].caption == "Mayor Ruth Okafor at the quay"


def test_date_lines_date_the_teasers_below_them_and_are_never_boilerplate():
    pages = [page(f"s/{n}.txt", "3 March 2025", f"Teaser {n} headline goes here",
                  f"The lede of teaser {n} tells what happened in the town.") for n in range(4)]
    for teasers in segment(*pages):
        assert teasers[0].date == "2025-03-03"


def test_a_byline_run_into_its_date_is_the_teasers_date_line_not_a_story():
    # block-per-line text glues inline elements: "By Ann Lee" + "3 March 2025" -> "By Ann Lee3 March 2025"
    pages = [page(f"s/{n}.txt", f"Teaser {n} headline goes here today", f"By Ann Lee{n + 1} March 2025",
                  f"The lede of teaser {n} tells what happened in the town.", "Read more") for n in range(4)]
    for n, teasers in enumerate(segment(*pages)):
        assert [(t.headline, t.date) for t in teasers] == [(f"Teaser {n} headline goes here today", f"2025-03-0{n + 1}")]
    assert find_date("By Ann Lee3 March 202512 comments") == "2025-03-03"


def test_a_reading_time_run_into_headlines_is_cut_but_a_headline_ending_on_a_number_and_a_noun_is_not():
    # the site runs "4 Min" into every headline line; "fast 100 Verletzte" ends a headline with a number and a
    # capitalised noun too, but not with the unit the site prints under every teaser
    towns = ["Ashford", "Bexley", "Carlow", "Dunmore", "Elgin", "Fenwick"]
    stories = ["Flood waters rise", "Council votes on new budget", "School reopens after the storm",
               "Bridge closes for repairs", "Market hall burns down", "Mayor resigns after vote"]
    pages = [page(f"s/{n}.txt", *(line for k in (n, n - 1) for line in (
                  f"{stories[k]} in {towns[k]} {n + 2} Min", f"{towns[k]} saw what happened when {stories[k].lower()}.")),
                  *(["Zugunglück in Oaxaca: Mindestens 13 Tote, fast 100 Verletzte",
                     "The train left the rails in the night, the police said today."] if n == 0 else []))
             for n in range(6)]
    for n, teasers in enumerate(segment(*pages)):
        assert [t.headline for t in teasers[:2]] == [f"{stories[k]} in {towns[k]}" for k in (n, n - 1)]
    assert segment(*pages)[0][2].headline == "Zugunglück in Oaxaca: Mindestens 13 Tote, fast 100 Verletzte"


def test_the_sites_name_after_its_headlines_is_cut_but_a_teasers_own_tail_printed_with_it_on_every_page_is_not():
    # "Headline – Courier" follows every page's headlines; "... – mehrere Verletzte" follows one headline only,
    # printed on each of the three pages that show its teaser
    teaser = "Brand in Lagerhalle – mehrere Verletzte"
    names = ["Harbour", "Council", "Ferry", "Market", "School", "Bridge", "Garden"]
    pages = [page(f"s/{n}.txt", f"{names[n]} news today – Courier",
                  f"The lede of page {n} tells what happened in the town today.",
                  *([teaser, "Die Feuerwehr war mit vielen Kräften im Einsatz, sagte die Polizei."] if n < 3 else []))
             for n in range(7)]
    found = segment(*pages)
    assert [t.headline for t in found[3]] == ["Market news today"]
    assert all(teaser in [t.headline for t in teasers] for teasers in found[:3])


def test_function_words_are_known_folded_as_they_are_asked():
    # every rule asks `fold_word(word) in FUNCTION_WORDS`: "für" and "über" must be there as folded
    assert {fold_word(w) for w in ("für", "über", "the", "mit")} <= FUNCTION_WORDS
    assert _tail_is_the_lines("Kulturwinter lockt mit über 100 Veranstaltungen", 2)


def test_a_lone_long_line_is_a_headline_only_teaser_and_short_ones_are_navigation():
    [teasers] = segment(page("p.txt", "Sections", "Proteste in Kanada : Trucker-Aufstand gegen die Impfpflicht"))
    assert [(t.headline, t.text) for t in teasers] == [
        ("Proteste in Kanada : Trucker-Aufstand gegen die Impfpflicht", "")]


def test_lines_whose_shape_recurs_with_other_numbers_are_metadata_not_headlines():
    # a headline-only list where each teaser is followed by its time and source: the times made
    # "Gestern, 10:52 dpa Thüringen" the headline and pushed the real one into the caption
    places = ["Gera", "Jena", "Erfurt", "Weimar", "Suhl", "Greiz", "Sonneberg", "Apolda", "Gotha", "Arnstadt",
              "Eisenach", "Nordhausen"]
    events = ["Feuer in Wohnhaus fordert drei Verletzte", "Falsche Polizisten ergaunern alte Goldmünzen",
              "Neue Brücke über die Saale wird eröffnet"]
    headlines = [[f"{places[3 * n + k]}: {events[k]}" for k in range(3)] for n in range(4)]
    pages = [page(f"s/{n}.txt", *[line for k in range(3) for line in (
        headlines[n][k], f"Gestern, {10 + k}:{n}{k} dpa Thüringen",
        f"Drei wurden verletzt, als es am frühen morgen in {places[3 * n + k]} brannte.")])
        for n in range(4)]
    for n, teasers in enumerate(segment(*pages)):
        assert [t.headline for t in teasers] == headlines[n]
        assert not any("dpa" in t.text for t in teasers)
        # the metadata stays with its teaser, as its caption (searchable, as the teaser's link prints it)
        assert [t.caption for t in teasers] == [f"Gestern, {10 + k}:{n}{k} dpa Thüringen" for k in range(3)]


def test_a_run_of_headline_only_teasers_is_not_paired_off_as_headline_and_lede():
    lines = ["Olympia-Queen holte Gold: Unglaubliche Summe für dieses Outfit gezahlt",
             "Nach Dessous-Hype: Sydney Sweeney verzaubert jetzt auch Fußball-Fans",
             "In deutscher Stadt: Autofahrer besiegen den neuen Alles-Blitzer",
             "Fahrlehrer rechnet vor: Darum wird der neue Führerschein sogar noch teurer"]
    [teasers] = segment(page("p.txt", *lines))
    assert [(t.headline, t.text) for t in teasers] == [(line, "") for line in lines]


def test_a_short_headline_over_a_longer_caption_is_the_headline_when_other_pages_run_it_into_a_lede():
    # a five-word line over a longer one reads as a kicker, unless the crawl prints it opening a paragraph
    lede = "Council settles harbour row The council settled the long dispute over the harbour on Monday night."
    article = page("courier/p/4713.txt", "Council settles harbour row", "Harbour master Jane Doe in a file picture",
                   *ARTICLE_BODY)
    teasers, _ = segment(article, page("courier/front.txt", lede))
    assert [(t.headline, t.article) for t in teasers] == [("Council settles harbour row", True)]
    [alone] = segment(article)
    assert alone[0].kicker == "" and alone[0].headline == "Harbour master Jane Doe in a file picture"  # no evidence: a kicker


def test_a_photo_caption_under_a_headline_the_crawl_runs_into_its_lede_elsewhere_is_the_caption():
    # "Hummer going smaller for share of big market" / "General Motors in a file picture" / lede: the
    # caption, right over the lede, was taken as the headline, and the headline as a story of its own
    headline, caption = "Hummer going smaller for share of big market", "General Motors in a file picture"
    lede = "General Motors hopes to make its hulking Hummer lineup more approachable with a new midsize vehicle."
    story, _ = segment(page("courier/p/4720.txt", headline, caption, lede), page("courier/front.txt", f"{headline} {lede}"))
    assert [(t.headline, t.caption) for t in story] == [(headline, caption)]
    [alone] = segment(page("courier/p/4720.txt", headline, caption, lede))  # no other page: no evidence
    assert [t.headline for t in alone] == [headline, caption]


def test_one_line_after_the_page_footer_is_its_signature_not_a_story():
    footer = ["Terms of use | Privacy policy", "Copyright The Harbour Courier 2004"]
    pages = [page(f"courier/p/{n}.txt", f"Harbour row number {n} settled", *ARTICLE_BODY, *footer,
                  *(["“News you can trust” – café edition"] if n < 2 else [])) for n in range(4)]
    for n, teasers in enumerate(segment(*pages)):
        assert [t.headline for t in teasers] == [f"Harbour row number {n} settled"]


def test_a_photo_caption_printed_again_over_another_teaser_is_no_story():
    # a listing reuses the photo (and caption) of one teaser over the next
    caption = "Council leader Jane Doe at the harbour"
    [teasers] = segment(page("courier/latest.txt", caption, "Council settles the harbour dispute",
                             "Council leader Jane Doe and the harbour board settled their long dispute on Monday.",
                             caption, "Storm closes the harbour for a week",
                             "The harbour stayed closed on Monday as the storm battered the coast."))
    assert [(t.headline, t.caption) for t in teasers] == [("Council settles the harbour dispute", caption),
                                                          ("Storm closes the harbour for a week", "")]


def test_a_headline_printed_again_under_its_run_together_teaser_is_its_headline():
    # "Gets Past Ark (file photo)" / "Tenth-Ranked Ga. Gets Past Ark. 20-14 (AP) AP - ..." / "Tenth-Ranked ..."
    [teasers] = segment(page("courier/latest.txt", "Harbour board in a file picture",
                             "Council settles harbour dispute The council and the harbour board settled their long "
                             "dispute on Monday night.", "Council settles harbour dispute"))
    assert [(t.headline, t.text, t.caption) for t in teasers] == [
        ("Council settles harbour dispute", "The council and the harbour board settled their long dispute on Monday night.",
         "Harbour board in a file picture")]


def test_a_short_label_over_a_headline_is_its_kicker_not_its_caption_or_headline():
    # kickers ("Neue Studie", "Corona-Studie") were taken as captions, or as headlines of lede-less teasers
    kickers = ["Neue Studie", "Corona-Studie", "Jugendschutz", "Ukraine-Krieg", "Frühkindliche Bildung",
               "Integration", "Schnee und Eis", "Bundesliga", "Nahost", "Verkehr", "Wetter", "Landtag"]
    pages = [page(f"s/{n}.txt", kickers[3 * n],
                  f"So schützen Sie sich vor {n} Infektionen im Winter",
                  "Forscher haben untersucht, wie sich Menschen im Winter am besten vor Viren schützen können.",
                  kickers[3 * n + 1], f"Viele der {n} Befragten wissen nichts von ihrer Infektion",
                  kickers[3 * n + 2], f":Japans {n} saubere Lösungen für das Problem") for n in range(4)]
    for n, teasers in enumerate(segment(*pages)):
        assert [(t.kicker, t.headline, t.caption) for t in teasers] == [
            (kickers[3 * n], f"So schützen Sie sich vor {n} Infektionen im Winter", ""),
            (kickers[3 * n + 1], f"Viele der {n} Befragten wissen nichts von ihrer Infektion", ""),
            (kickers[3 * n + 2], f"Japans {n} saubere Lösungen für das Problem", "")]


def test_a_time_or_reading_time_run_into_headline_lines_is_cut_off_when_it_recurs():
    # "Schulen: Landesschülerrat kritisiert Regeln Gestern, 10:52" as a headline held no link
    topics = ["Schulen", "Verkehr", "Kultur", "Wetter", "Sport", "Handel", "Theater", "Bahn"]
    pages = [page(f"s/{n}.txt", *[f"{topics[2 * n + k]}: Landesrat {'kritisiert' if k else 'lobt'} die neuen Regeln "
                                  f"für {n + 3} Bezirke Gestern, 1{k}:{n}5" for k in range(2)],
                  f"Warum der Fall Nummer {n} noch nicht geklärt ist • {n + 2} Min") for n in range(4)]
    for n, teasers in enumerate(segment(*pages)):
        assert [t.headline for t in teasers] == [
            f"{topics[2 * n]}: Landesrat lobt die neuen Regeln für {n + 3} Bezirke",
            f"{topics[2 * n + 1]}: Landesrat kritisiert die neuen Regeln für {n + 3} Bezirke",
            f"Warum der Fall Nummer {n} noch nicht geklärt ist • {n + 2} Min"]  # once a page: no pattern


def test_a_number_ending_a_sentence_or_governed_by_a_function_word_is_no_tail():
    # a reading time's shape ("3 Min": a number and a capitalised word) recurs on every page; "Unter den 46 ...
    # waren 20 Straftäter." lost "20 Straftäter." as such a tail and became a headline-only story, and
    # "... stirbt mit 93 Jahren" a headline ending on "mit"
    pages = [page(f"s/{n}.txt", f"Theater: Neue Spielzeit beginnt mit alten Klassikern {n + 2} Min",
                  f"Verkehr: Brücke über den Fluss wird gesperrt {n + 3} Min",
                  f"Sängerin aus der Stadt stirbt im Alter von {80 + n} Jahren",
                  "Hafen: Zoll findet Schmuggelware im Container", f"Unter den Funden waren {n + 20} Gewehre.")
             for n in range(4)]
    for n, teasers in enumerate(segment(*pages)):
        assert [(t.headline, t.text) for t in teasers] == [
            ("Theater: Neue Spielzeit beginnt mit alten Klassikern", ""),  # a tail run into a headline: cut
            ("Verkehr: Brücke über den Fluss wird gesperrt", ""),
            (f"Sängerin aus der Stadt stirbt im Alter von {80 + n} Jahren", ""),
            ("Hafen: Zoll findet Schmuggelware im Container", f"Unter den Funden waren {n + 20} Gewehre.")]


def test_a_duration_of_two_units_run_into_a_headline_line_is_cut_off_whole():
    # spiegel.de's video pages run "Politik • 12 Min" into every headline line, and "Politik • 1 Std 37 Min" into
    # the long ones: the last unit alone was cut ("... schuld« Politik • 1 Std") and the headline held no link; a
    # word a quote closes governs no number ("»... Präsident ist« Politik • 56 Min" kept its tail as its own)
    topics = ["Politik", "Ausland", "Kultur", "Sport"]
    pages = [page(f"s/{n}.txt", f"Warum der Rat {n} die neue Brücke ablehnt {topics[n]} • {n + 12} Min",
                  f"Was die Stadt {n} mit dem alten Hafen plant {topics[(n + 1) % 4]} • {n + 20} Min",
                  f"»Der Plan für den Bezirk {n} ist gescheitert« Politik • 1 Std {n + 30} Min",
                  f"Ein Abend im Theater von Bezirk {n} Kultur • 2 Std {n + 10} Min",
                  f"»Ich glaube, dass der Bezirk {n} zu klein ist« Politik • {n + 40} Min")
             for n in range(4)]
    for n, teasers in enumerate(segment(*pages)):
        assert [t.headline for t in teasers] == [
            f"Warum der Rat {n} die neue Brücke ablehnt",
            f"Was die Stadt {n} mit dem alten Hafen plant",
            f"»Der Plan für den Bezirk {n} ist gescheitert«",
            f"Ein Abend im Theater von Bezirk {n}",
            f"»Ich glaube, dass der Bezirk {n} zu klein ist«"]
    assert _tail_is_the_lines("Sängerin stirbt mit 93 Jahren", 2)  # (a function word right before the number)


def test_a_byline_whose_marker_recurs_at_line_ends_is_cut_off_a_headline_line_as_its_caption():
    # spiegel.de runs the byline into the headline line ("Santoku-Messer im Test: Schnittige Japaner Von Peter
    # Wagner"): the headline held no link; "Von" opens a run of names at the end of lines on every page, a title
    # before a name ("... Kanzlerin Eva Schmidt") does not recur so
    authors = ["Anna Berg", "Tom Klein und Lisa Roth", "Paul Weber", "Ina Kurz, Max Bauer"]
    pages = [page(f"s/{n}.txt", f"Neue Brücke über den Fluss {n} wird im Sommer eröffnet Von {authors[n]}",
                  f"Streit im Rat {n} um den Haushalt geht weiter Von {authors[(n + 1) % 4]}",
                  f"Die Stadt {n} empfängt am Montag Kanzlerin Eva Schmidt",
                  f"Hafen {n}: Zoll findet Schmuggelware im Container",
                  f"Die Beamten fanden am Morgen {n + 100} Gewehre in einem Container, der aus dem Süden kam. Sie "
                  f"ermitteln nun gegen die Firma. Von {authors[(n + 2) % 4]}") for n in range(4)]
    for n, teasers in enumerate(segment(*pages)):
        assert [(t.headline, t.caption, t.text) for t in teasers] == [
            (f"Neue Brücke über den Fluss {n} wird im Sommer eröffnet", f"Von {authors[n]}", ""),
            (f"Streit im Rat {n} um den Haushalt geht weiter", f"Von {authors[(n + 1) % 4]}", ""),
            (f"Die Stadt {n} empfängt am Montag Kanzlerin Eva Schmidt", "", ""),
            (f"Hafen {n}: Zoll findet Schmuggelware im Container", "",  # a lede keeps its byline in its text
             f"Die Beamten fanden am Morgen {n + 100} Gewehre in einem Container, der aus dem Süden kam. Sie "
             f"ermitteln nun gegen die Firma. Von {authors[(n + 2) % 4]}")]


def test_a_notice_printed_with_every_teaser_of_a_kind_is_not_a_story():
    # zeit.de prints an audio-player notice under each audio teaser, each with its own mp3 address
    notice = ("Ihr Browser unterstützt die Wiedergabe von Audio Dateien nicht. Zugriff auf die mp3-Datei "
              "zum Download erhalten Sie im Artikel https://audio.example/{}.mp3")
    stories = [("Schimpansen und Alkohol: Warum wir Alkohol lieben",
                "Per Pinkeltest stellten Forscher fest: Schimpansen konsumieren Alkohol, und zwar viel."),
               ("Ernährung: Wenn Essen nur noch Angst macht",
                "Manche achten so sehr auf ihre Ernährung, dass es schon nicht mehr gesund ist."),
               ("Zuckersteuer: Je ungesünder, desto billiger", "In Deutschland ist das Ungesunde meist günstiger."),
               ("Olympia: Die Behandlung nach dem Sturz", "Ein Unfallchirurg erklärt, was nach dem Sturz zu tun war.")]
    pages = [page(f"s/{n}.txt", *[line for k in range(2) for line in (
        *stories[(n + k) % 4], notice.format(f"{n}-{k}"))]) for n in range(4)]
    for teasers in segment(*pages):
        assert len(teasers) == 2 and not any("Browser" in f"{t.headline} {t.text}" for t in teasers)


def test_short_headline_only_lines_are_teasers_where_the_crawl_shows_them_on_one_page_only():
    # lists of 4-5 word headlines ("Strom: Lindner für schnelle Entlastung") were dropped as menus
    news = [["Strom: Lindner für schnelle Entlastung", "Omikron-Entwicklung in Israel überrascht"],
            ["Kate übernimmt Harrys Schirmherrschaft", "Bremen siegt im Keller-Duell"],
            ["Schwere Vorwürfe gegen NFL-Profi", "Sly Dunbar ist tot"],
            ["Tram 14 fährt trotz Streik", "Neue Brücke in Gera eröffnet"]]
    pages = [page(f"s/{n}.txt", "Alle Schlagzeilen anzeigen bitte", *news[n], *news[n][1:],
                  "Alle Schlagzeilen anzeigen bitte") for n in range(4)]
    for n, teasers in enumerate(segment(*pages)):
        assert [t.headline for t in teasers] == news[n]  # the menu line recurs: navigation; a line twice in a row is one


def test_a_line_printed_again_without_its_time_is_one_headline():
    # zeit.de's news list prints each item twice, with its time and without: "Verkehr: ... Gestern, 09:42"
    # over "Verkehr: ..." gave a second, headline-only story holding the time
    items = [("Verkehr: Neue Brücke über die Saale ist fertig", "Gestern, 09:42"),
             ("Wetter: Sturm zieht über das Land hinweg", "10:46"),
             ("Kultur: Theater spielt wieder vor vollem Haus", "28. Januar, 22:03")]
    pages = [page(f"s/{n}.txt", *[line for headline, time in items
                                  for line in (f"{headline} {time}", headline, f"dpa Region {n}")]) for n in range(2)]
    for teasers in segment(*pages):
        assert [t.headline for t in teasers] == [headline for headline, _ in items]


def test_a_short_lede_under_a_prefixed_headline_is_a_lede_where_the_page_prints_its_teasers_so():
    # bild.de prints "Kicker : Headline" over a one-sentence lede; a lede ending on "!" was a story of its own
    teasers = [("Neue Brücke : Stadt feiert die Eröffnung am Fluss", "Hunderte Gäste kamen zur Feier an das Ufer."),
               ("Streit im Rat : Bürgermeister droht mit Rücktritt", "Die Fraktionen konnten sich nicht einigen."),
               ("Wetter-Warnung : Sturm zieht über das Land", "Die Behörden raten, zu Hause zu bleiben."),
               ("Hochzeit im Winter : Star heiratet ihren Trainer", "Sie feiert in der Pause ihre Traumhochzeit!")]
    lines = [line for pair in teasers for line in pair]
    [found] = segment(page("s/a.txt", *lines))
    assert [(t.headline, t.text) for t in found] == teasers
    # a list of headline-only teasers with a few ledes: the page's template is no headline-and-lede
    listing = ["Politik: Kanzler reist nach Paris", "Sport: Verein holt neuen Trainer", "Wer wird der neue Meister der Liga?",
               "Kultur: Museum zeigt alte Meister", "Die Ausstellung läuft bis zum Sommer und zeigt hundert Werke.",
               "Wirtschaft: Preise steigen weiter", "Der Handel rechnet mit einem schwachen Jahr für alle Läden.",
               "Wissen: Forscher finden neuen Stern", "Das Teleskop sah ihn zum ersten Mal im letzten Monat.",
               "Reise: Neue Fähre nach Norden", "Technik: Ein Handy für zehn Jahre", "Kann das wirklich gut gehen am Ende?"]
    [found] = segment(page("s/b.txt", *listing))
    assert "Wer wird der neue Meister der Liga?" in [t.headline for t in found]
    assert "Kann das wirklich gut gehen am Ende?" in [t.headline for t in found]
    # a run of prefixed headline-only lines counts once, as one list, against the template: bild.de's pages print
    # lists of "Kicker: headline" lines beside their teasers, and their ledes were stories of their own
    headlines_only = [f"{kicker}: {headline}" for kicker, headline in (
        ("Politik", "Kanzler reist am Montag nach Paris"), ("Sport", "Verein holt einen neuen Trainer"),
        ("Kultur", "Museum zeigt die alten Meister"), ("Reise", "Neue Fähre fährt nach Norden"),
        ("Technik", "Ein Handy hält zehn Jahre"), ("Wissen", "Forscher finden einen neuen Stern"))]
    [found] = segment(page("s/c.txt", *lines, *headlines_only))
    assert [(t.headline, t.text) for t in found] == teasers + [(line, "") for line in headlines_only]


def test_ledes_ending_on_exclamation_or_question_marks_count_for_the_prefixed_template():
    # bild.de pages whose ledes end on "!" and "?" more often than on a full stop: only the paragraphs counted
    # for the page's "Kicker : Headline" / lede template, it was not read, and half the ledes became stories
    teasers = [("Neue Brücke : Stadt feiert die Eröffnung am Fluss", "Hunderte Gäste kamen zur Feier an das Ufer."),
               ("Streit im Rat : Bürgermeister droht mit Rücktritt", "Die Fraktionen konnten sich nicht einigen."),
               ("Wetter-Warnung : Sturm zieht über das Land", "Die Behörden raten, zu Hause zu bleiben."),
               ("Hochzeit im Winter : Star heiratet ihren Trainer", "Sie feiert in der Pause ihre Traumhochzeit!"),
               ("Rätsel im Wald : Wer baute die alte Hütte?", "Niemand im Dorf will etwas davon gewusst haben?"),
               ("Rekord am Berg : Bergsteigerin schafft den Gipfel", "Sie brauchte dafür nur sieben Stunden!"),
               ("Ärger im Zoo : Affe klaut Brille von Besucher", "Was macht er wohl mit der teuren Brille?")]
    [found] = segment(page("s/a.txt", *[line for pair in teasers for line in pair]))
    assert [(t.headline, t.text) for t in found] == teasers
    # (under a list's last line, a question is no evidence of the template: the listing of the test above)


def test_a_line_over_a_paragraph_that_does_not_name_it_is_its_headline_not_a_caption():
    # faz.net: "Schmuckstück im Ozean" over "Christoph Kolumbus nannte sie „Die Ersehnte“. ..." was taken for a
    # caption, and the lede split into "Christoph Kolumbus nannte sie" | "„Die Ersehnte“. ..."; a photo caption
    # names its story (`caption_names`), a headline need not
    teasers = [("Perle im Süden", "Marco Polo nannte sie „Die Schöne“. Dabei wusste er gar nichts vom lange gehüteten "
                                  "Geheimnis der kleinen Insel im Süden: Perlen säumen dort den Strand."),
               ("Stiller Garten", "Peter Krause malte sie „Die Stille“. Dabei sah er nie etwas von dem lange vergessenen "
                                  "Garten hinter dem alten Kloster im Tal: Rosen blühen dort jedes Jahr.")]
    pages = [page(f"s/{n}.txt", f"Reise-Tipp {n}", f"{headline} am Meer", lede, f"Autorin Nummer {n}")
             for n, (headline, lede) in enumerate(teasers * 2)]
    for n, found in enumerate(segment(*pages)):
        headline, lede = teasers[n % 2]
        assert [(t.headline, t.text) for t in found] == [(f"{headline} am Meer", lede)]
    # on a page read alone, with no crawl to tell a headline from a caption, the split stands ...
    [[alone]] = segment(pages[0])
    assert alone.headline == "Marco Polo nannte sie"
    # ... but where a kicker leads on into the line ("Reise-Tipp:"), the two are the teaser's head
    [[alone]] = segment(page("a.txt", "Reise-Tipp:", "Perle im Süden am Meer", teasers[0][1]))
    assert (alone.kicker, alone.headline, alone.text) == ("Reise-Tipp:", "Perle im Süden am Meer", teasers[0][1])
    # a caption cut short (ending on a function word) names nothing and is still no headline
    cut = [page(f"c/{n}.txt", caption, "Bank Rate Hits New Low The bank's rate fell to its lowest "
                f"level in {n + 3} years in December, according to the government.")
           for n, caption in enumerate(["Players sought for", "Gamers wanted by", "Teams needed in"])]
    assert [t.headline for found in segment(*cut) for t in found] == ["Bank Rate Hits New Low"] * 3


def test_a_kicker_prefix_that_other_pages_leave_off_is_the_kicker():
    # "Umstrittener Politiker - Palmer sammelt ..." on one page, "Palmer sammelt ..." on another: two records
    lede = "Der Tübinger Oberbürgermeister hat in wenigen Tagen genug Geld für seine Kandidatur gesammelt."
    one, other = segment(page("s/a.txt", "Umstrittener Politiker - Palmer sammelt 100.000 Euro für Kandidatur", lede),
                         page("s/b.txt", "Palmer sammelt 100.000 Euro für Kandidatur", lede))
    assert [(t.kicker, t.headline) for t in one] == [("Umstrittener Politiker", "Palmer sammelt 100.000 Euro für Kandidatur")]
    assert [(t.kicker, t.headline) for t in other] == [("", "Palmer sammelt 100.000 Euro für Kandidatur")]


def test_a_kicker_run_into_its_headline_that_other_pages_leave_off_is_the_kicker():
    # spiegel.de prints "Kicker Headline" as one line with no separator; the headline printed alone elsewhere
    # tells where the kicker ends ("Empfehlungen zu Weihnachten Kochbücher zum Verschenken – ..." was one headline)
    lede = "Der Verein hat in wenigen Wochen genug Geld für die neue Halle gesammelt, sagt die Vorsitzende."
    one, other = segment(page("s/a.txt", "Große Pläne im Sportverein Neue Halle soll schon im Sommer stehen", lede),
                         page("s/b.txt", "Neue Halle soll schon im Sommer stehen", lede))
    assert [(t.kicker, t.headline) for t in one] == [("Große Pläne im Sportverein", "Neue Halle soll schon im Sommer stehen")]
    assert "Große Pläne im Sportverein Neue Halle soll schon im Sommer stehen" in one[0].headlines
    assert [(t.kicker, t.headline) for t in other] == [("", "Neue Halle soll schon im Sommer stehen")]
    # no kicker ends on a function word, and a short label printed alone is no headline: heise.de's "Schlechte
    # Sicht auf Planeten-Parade am Nachthimmel" lost all but its last three words (a line printed elsewhere)
    for line, elsewhere in (("Gute Aussicht auf Sternschnuppen über der ganzen Stadt", "Sternschnuppen über der ganzen Stadt"),
                            ("Stadtrat ehrt Lebenswerk von Maria Anna Berger", "Maria Anna Berger")):
        [kept], _ = segment(page("s/c.txt", line, lede), page("s/d.txt", elsewhere, lede))
        assert (kept.kicker, kept.headline) == ("", line)
    # another site's headline line counts when it is headline-sized, under a kicker of two words or more: a
    # one-word label ("Video") and another site's shorter headline for the same news are no evidence
    other = page("t/a.txt", "Neue Halle soll schon im Sommer stehen", "Kurzer Bericht über das Dorf", lede, site="tribune")
    for line, kicker in (("Große Pläne im Sportverein Neue Halle soll schon im Sommer stehen", "Große Pläne im Sportverein"),
                         ("Video Neue Halle soll schon im Sommer stehen", ""),
                         ("Großes Interesse der Presse Kurzer Bericht über das Dorf", "")):
        [found], _ = segment(page("s/e.txt", line, lede), other)
        assert found.kicker == kicker


def test_a_kicker_prefix_stays_a_headline_variant():
    # dedup keeps one kicker per story: "Immobilien: Adler ..." lost "Immobilien" to another page's kicker
    lede = "Der Tübinger Oberbürgermeister hat in wenigen Tagen genug Geld für seine Kandidatur gesammelt."
    one, _ = segment(page("s/a.txt", "Umstrittener Politiker - Palmer sammelt 100.000 Euro für Kandidatur", lede),
                     page("s/b.txt", "Palmer sammelt 100.000 Euro für Kandidatur", lede))
    assert one[0].headlines == ["Palmer sammelt 100.000 Euro für Kandidatur",
                                "Umstrittener Politiker - Palmer sammelt 100.000 Euro für Kandidatur"]


LABELS = ["Ukraine-Krise", "Hass im Netz", "Kinder im Lockdown", "Parteitag"]
SUBJECTS = ["Bahn", "Schulen", "Kliniken", "Bauern", "Museen", "Theater", "Häfen", "Brücken", "Kitas"]
VERBS = ["streicht", "plant", "prüft", "verschiebt", "fordert", "meldet"]


def _labelled_pages(label_at) -> list[Page]:
    """Six pages of a site: a menu, then teasers of byline / label / headline / lede, the labels
    recurring over other teasers on other pages (`label_at(n, k)`: the label of teaser k on page n)."""
    def teaser(n: int, k: int) -> tuple[str, ...]:
        subject, verb = SUBJECTS[(n + 2 * k) % 9], VERBS[(n * 3 + k) % 6]
        return (f"Von {['Anna', 'Jan', 'Eva'][k]} {['Roth', 'Lenz', 'Brandt', 'Vogel', 'Kern', 'Stahl'][n]}",
                label_at(n, k), f"{subject} {verb} {n + 1} neue Regeln für das Jahr",
                f"Wie die {subject} am {n + k + 3}. Mai mitteilten, {verb} man die Regeln, weil sich "
                f"die Lage in {['Bonn', 'Kiel', 'Jena'][k]} seit dem Winter deutlich verändert habe.")
    return [page(f"s/{n}.txt", "Startseite", "Politik", "Meinung", *[line for k in range(3) for line in teaser(n, k)])
            for n in range(6)]


def test_a_recurring_label_over_a_teaser_is_its_kicker_not_navigation():
    # welt.de's "Ukraine-Krise" over its headline (on many pages: dropped as navigation) and "Hass im
    # Netz" ("X im X" recurs: dropped as metadata) lost the kicker's words from the story
    for teasers in segment(*_labelled_pages(lambda n, k: LABELS[(n + k) % 4])):
        assert len(teasers) == 3 and all(t.kicker in LABELS for t in teasers)


def test_a_line_printed_over_every_teaser_of_a_page_is_template_not_a_kicker():
    # "Continue reading »" (after every lede, over the next headline) became a kicker, then a headline
    for teasers in segment(*_labelled_pages(lambda n, k: "Weiterlesen »")):
        assert len(teasers) == 3 and not any("Weiterlesen" in f"{t.kicker} {t.headline}" for t in teasers)


def test_a_byline_between_a_headline_line_and_its_lede_is_a_caption():
    # faz.net: headline / "Ein Kommentar von" / name / lede: the lede was cut into a headline and a text
    [teasers] = segment(page(
        "p.txt", "Orbán und das Ende der Geduld", "Ein Kommentar von", "Thomas Gutschker",
        "Noch halten die EU-Partner ihren Ärger über die Blockaden des ungarischen Regierungschefs im Zaum."))
    assert [(t.headline, t.caption) for t in teasers] == [
        ("Orbán und das Ende der Geduld", "Ein Kommentar von Thomas Gutschker")]
    assert teasers[0].text.startswith("Noch halten")
    # ... under a kicker leading on into a headline shorter than a headline line ("Starmer bei Trump:" / "Britische
    # Charmeoffensive"): the headline line went into the caption and the lede was cut into a headline
    [teasers] = segment(page(
        "p.txt", "Wo ist mein Koffer?:", "Nie aufgeben", "Ein Kommentar von", "Jana Krems",
        "Die Wege der Gepäckbänder am Flughafen sind unergründlich. Packen Sie das Wichtige ins Handgepäck."))
    assert [(t.kicker, t.headline, t.caption) for t in teasers] == [
        ("Wo ist mein Koffer?:", "Nie aufgeben", "Ein Kommentar von Jana Krems")]
    assert teasers[0].text.startswith("Die Wege")


def test_a_headline_line_under_a_kicker_leading_on_into_it_keeps_its_lede_whole():
    # faz.net: "Kicker:" / headline / lede whose first sentence reads as a headline (a question): the lede was cut
    # into a headline and a text, and the kicker and headline went into its caption
    lede = "Wie kommt man jetzt noch auf die Inseln? Wer hinüber will, braucht viel Geduld und ein eigenes Boot."
    [[teaser]] = segment(page("p.txt", "Sturm an der Küste:", "Alle Fähren fallen aus", lede))
    assert (teaser.kicker, teaser.headline, teaser.text, teaser.caption) == (
        "Sturm an der Küste:", "Alle Fähren fallen aus", lede, "")


def test_a_byline_as_long_as_a_headline_line_under_a_kicker_and_headline_is_the_caption():
    # faz.net: "Kicker:" / headline / "Ein Kommentar von" / "Name, Place" / lede: the three-word byline was taken
    # for the headline line, and kicker and headline for its caption
    lede = "Die Stadt hat lange gezögert. Jetzt baut sie die neue Brücke über den Fluss doch noch selbst."
    for byline in (["Jana Krems, Kiel"], ["Ein Kommentar von", "Jana Krems, Kiel"]):
        [[teaser]] = segment(page("p.txt", "Brücke am Fluss:", "Endlich gebaut", *byline, lede))
        assert (teaser.kicker, teaser.headline, teaser.caption, teaser.text) == (
            "Brücke am Fluss:", "Endlich gebaut", " ".join(byline), lede)


def test_a_headline_under_a_kicker_leading_on_into_it_is_no_metadata_whatever_its_shape():
    # faz.net: "Hanau kreisfrei:" / "Das Versprechen der Bürgernähe" / byline / lede: the headline's shape ("Das X der
    # X") recurs over the site as a byline's or source's would, so it was taken for metadata and the lede cut up
    things = ["Geduld", "Ruhe", "Hoffnung", "Freiheit", "Zuversicht", "Sorge", "Klarheit", "Mühe"]
    places = ["Wien", "Genf", "Ulm", "Rom"]
    pages = [page(f"s/{n}.txt", *[line for k in range(2) for line in (
        f"Lage in {places[(n + k) % 4]}:", f"Das Ende der {things[2 * n + k]}", "Ein Kommentar von",
        f"{['Anna', 'Tom'][k]} {['Berg', 'Roth', 'Kurz', 'Lang'][n]}",
        f"Die Stadt {places[n]} hat {n + 2} neue Pläne. Was sie für {['alte', 'neue'][k]} Viertel bedeuten, ist offen.")])
        for n in range(4)]
    for n, found in enumerate(segment(*pages)):
        assert [(t.kicker, t.headline) for t in found] == [
            (f"Lage in {places[(n + k) % 4]}:", f"Das Ende der {things[2 * n + k]}") for k in range(2)]


def test_a_headline_printed_twice_in_a_row_on_a_teaser_shown_twice_is_no_template_line():
    # zeit.de prints each headline twice (its link's text and its heading), and some teasers twice on a page: a
    # headline with a number ("... seit 15 Jahren") was then printed four times, taken for the page's template
    # (a reading time under every teaser) and dropped as metadata, and the lede cut into a headline
    headline = "Fahrräder: Händler melden den schwächsten Winter seit 12 Jahren"
    lede = "Der Verkauf von Fahrrädern ist im Winter stark zurückgegangen. Nur Lastenräder legen noch deutlich zu."
    other = ("Bahn: Neue Züge fahren ab Montag auch nachts", "Die Bahn setzt ab der kommenden Woche neue Züge ein. "
             "Sie fahren auch in der Nacht und halten an allen Bahnhöfen der Strecke.")
    [teasers] = segment(page("p.txt", headline, headline, lede, *other, headline, headline, lede))
    assert [(t.headline, t.text) for t in teasers][:2] == [(headline, lede), other]


def test_a_headline_only_teaser_over_another_teaser_is_not_its_caption():
    [teasers] = segment(page(
        "p.txt", "Trauer um Kollegen: Tausendfacher Polizei-Protest in New York",
        "Polizei nimmt Fahrer fest: Mann fährt betrunken in das Haus der Sängerin",
        "New York – Neuer Ärger für die Sängerin. Ein Mann fuhr in der Nacht mit seinem Auto in ihr Haus."))
    assert [(t.headline, t.caption) for t in teasers] == [
        ("Trauer um Kollegen: Tausendfacher Polizei-Protest in New York", ""),
        ("Polizei nimmt Fahrer fest: Mann fährt betrunken in das Haus der Sängerin", "")]


# ---- what segmenting records for `--update` is enough: unrecorded answers cannot change the result

class Answers(set):
    """A stand-in Bloom set with exact answers, logging every lookup."""

    def __init__(self, held=()):
        super().__init__(held)
        self.looked = []

    def __contains__(self, key) -> bool:
        self.looked.append(key)
        return super().__contains__(key)


def _view(lines: set, openings: set, record: bool) -> tuple[CrawlView, Known]:
    """A crawl view over exact answers, recording what it is asked for when `record`."""
    stats = CrawlStats(known=Known(lines=Answers(lines), openings=Answers(openings)))
    return CrawlView(stats, "courier", Consulted() if record else None), stats.known


def _recorded(view: CrawlView, which: int) -> set:
    """The keys of one Bloom set whose answers the view recorded."""
    return {ask >> 2 for ask in view.record.asks if ask >> 1 & 1 == which}


def _sample_paragraphs() -> list[str]:
    sample = Path(__file__).resolve().parents[1] / "indexer" / "sample" / "pages"
    lines = [line.strip() for path in sorted(sample.rglob("*.txt")) for line in path.read_text().splitlines()]
    return [line for line in lines if len(line.split()) >= 12]


def _split(line: str, lines: set, openings: set, record: bool) -> tuple:
    view, known = _view(lines, openings, record)
    return split_headline(line, view), view, known


def test_a_line_shaped_like_recurring_metadata_is_a_headline_where_it_stands_over_a_lede():
    # faz.net's "Schmuckstück im Ozean", "Das Gegenteil von MAGA": a shape with no number ("X im X") recurs
    # under teasers as a label does, but a line of that shape right over a lede is the lede's headline
    places = ["Norden", "Süden", "Westen", "Osten"]
    things = ["Radfahrer", "Busse", "Fähren", "Taxis"]
    pages = [page(f"s/{n}.txt",
                  f"Neue Regeln für alle {things[n]}", f"Ab Montag gelten in der ganzen Stadt neue Regeln für {things[n]}.",
                  f"Termin im {['Mai', 'Juni', 'Juli', 'März'][n]}",
                  f"Die Bibliothek öffnet {n + 2} Säle", "Nach dem Umbau stehen mehr Bücher und neue Leseplätze bereit.",
                  f"Bericht im {['Radio', 'Fernsehen', 'Netz', 'Blatt'][n]}",
                  f"Glanz im {places[n]}", f"Im {places[n]} der Stadt leuchtet seit gestern ein neuer Brunnen bis spät.",
                  f"Rundgang im {['Park', 'Hafen', 'Wald', 'Dorf'][n]}")
             for n in range(4)]
    for n, found in enumerate(segment(*pages)):
        assert [t.headline for t in found] == [f"Neue Regeln für alle {things[n]}", f"Die Bibliothek öffnet {n + 2} Säle",
                                               f"Glanz im {places[n]}"]
        assert found[2].text.startswith(f"Im {places[n]} der Stadt")


def test_a_kicker_leading_on_into_a_short_headline_is_its_kicker():
    # faz.net: "Seltsamer Fossilienfund:" / "Dorniger Drache" / lede; the two-word headline was no headline
    # line, and the lede was split into a headline ("Ein neuer Dinosaurier aus China zeigt einen ...")
    lede = "A new dinosaur from China shows a coat of spikes that researchers have never seen before on any animal."
    [[teaser]] = segment(page("p.txt", "Odd fossil find:", "Thorny dragon", lede))
    assert (teaser.kicker, teaser.headline, teaser.text) == ("Odd fossil find:", "Thorny dragon", lede)
    assert "Odd fossil find: Thorny dragon" in teaser.headlines  # read as the page prints it
    # a kicker of a shape that recurs (as a metadata line's would) is still the kicker where it stands
    places = ["Wien", "Genf", "Ulm", "Rom"]
    pages = [page(f"s/{n}.txt", *[line for k in range(2) for line in (
        f"Ausstellung in {places[(n + k) % 4]}:", f"{['Große Oper', 'Kleine Bühne'][k]} {places[n]}",
        f"Das Haus zeigt {['alte', 'neue'][k]} Werke aus {n + 2} Jahrhunderten, viele davon zum ersten Mal.",
        f"Autor Nummer {n}{k}")]) for n in range(4)]
    for n, found in enumerate(segment(*pages)):
        assert [(t.kicker, t.headline) for t in found] == [
            (f"Ausstellung in {places[(n + k) % 4]}:", f"{['Große Oper', 'Kleine Bühne'][k]} {places[n]}")
            for k in range(2)]


def test_a_list_of_names_under_the_ledes_of_a_page_is_their_bylines_not_stories():
    # faz.net and zeit.de print each teaser's authors under its lede ("Julia Löhr, Hanna Decker", "Von
    # Christina Rietz und Tom Klein"): six words or more, each was a headline-only story of its own
    teasers = [("Neue Brücke über den Fluss eröffnet", "Hunderte Gäste kamen am Morgen zur Feier an das Ufer.",
                "Anna Berg, Tom Klein, Lisa Roth"),
               ("Streit im Rat um den Haushalt", "Die Fraktionen konnten sich auch am Abend nicht einigen.",
                "Von Jakob von Linden und Meike Laaf"),
               ("Sturm zieht über das ganze Land", "Die Behörden raten allen Menschen, zu Hause zu bleiben.",
                "Paul Weber, Berlin, Eva Schmidt, Hamburg")]
    lines = [line for teaser in teasers for line in teaser]
    [found] = segment(page("p.txt", *lines, "Wer wird neuer Meister der Liga in diesem Jahr"))
    assert [(t.headline, t.text, t.caption) for t in found] == [
        *teasers, ("Wer wird neuer Meister der Liga in diesem Jahr", "", "")]
    # a page that prints no line under most of its ledes keeps a line after a lede for what it reads as
    [found] = segment(page("q.txt", *teasers[0][:2], "Anna Berg, Tom Klein, Lisa Roth", *teasers[1][:2], *teasers[2][:2]))
    assert "Anna Berg, Tom Klein, Lisa Roth" in [t.headline for t in found]


def test_a_list_of_names_ending_on_an_abbreviated_and_others_is_a_byline_and_parts_no_headline_from_its_repeat():
    # zeit.de ends its bylines on "u. a." ("Von Dilan Gropengiesser, Anna Sauerbrey, Lucie Liu u. a."): the full stop
    # made it a paragraph, split into a story "Von Dilan" | "Gropengiesser, ..."; and once a byline, the next
    # teaser's headline ("... im Dezember" under "... im Januar") was taken for the last one's, printed again
    teasers = [("Serien im Kino: Die besten Filme im Januar", "Hunderte Gäste kamen am Morgen zur Feier an das Ufer.",
                "Von Anna Berg, Tom Klein, Lisa Roth u. a."),
               ("Serien im Kino: Die besten Filme im Dezember", "Die Fraktionen konnten sich auch am Abend nicht einigen.",
                "Von Jakob Linden und Meike Laaf"),
               ("Sturm zieht über das ganze Land", "Die Behörden raten allen Menschen, zu Hause zu bleiben.",
                "Paul Weber, Eva Schmidt et al.")]
    [found] = segment(page("p.txt", *[line for teaser in teasers for line in teaser]))
    assert [(t.headline, t.text, t.caption) for t in found] == teasers


def test_a_line_whose_head_up_to_its_number_recurs_under_teasers_is_metadata():
    # sueddeutsche.de prints "Artikel vom: 27.2.2026Von Anna Berg und Tom Klein" under each lede: its names
    # make every line's shape another, so each was a headline-only story; the head "artikel vom: 0.0.0" recurs
    authors = ["Anna Berg", "Tom Klein, Lisa Roth und Paul Weber", "Eva Schmidt und Max Bauer", "Kommentar von Ina Kurz"]
    pages = [page(f"s/{n}.txt", *[line for k in range(2) for line in (
        f"{['Neue Brücke', 'Streit im Rat', 'Sturm im Land', 'Fest am See'][n]} {['eröffnet', 'vertagt'][k]} am Morgen",
        f"Hunderte Menschen kamen am {n + k + 1}. Tag zusammen, um darüber zu reden.",
        f"Artikel vom: {n + 2}.{k + 1}.2026{'' if authors[(n + k) % 4].startswith('Kommentar') else 'Von '}"
        f"{authors[(n + k) % 4]}")]) for n in range(4)]
    for n, found in enumerate(segment(*pages)):
        assert len(found) == 2 and all(t.text and t.caption.startswith("Artikel vom:") for t in found)
    # a label of capitalised words and a number opens many headlines: no head is counted for them
    assert [_head(line) for line in ("Folge 4: Ein Gespräch über Geld", "Kriminalität: 31 Jahre alte Frau vermisst",
                                     "Pakistan: Mehr als 70 Tote bei Angriffen")] == [None, None, None]


def test_a_run_of_headline_only_teasers_with_metadata_under_each_is_not_paired_off():
    # gmx.net: kicker / headline / "vor 8 Tagen von ..." / kicker / headline / ...; with the metadata lines
    # as the neighbours, a 10-word headline under its kicker was read as the kicker's one-sentence lede
    pages = [page(f"s/{n}.txt",
                  f"Was sind seltene Erden und wofür braucht man sie im Jahr {n}?", f"vor {n + 2} Stunden von Anna Berg",
                  f"Kolumne über Tiere {n}", f"Wie prominente Tiere den Naturschutz beeinflussen, Teil {n} der Reihe",
                  f"vor {n + 3} Tagen von Tom Klein", "Interview mit einer Therapeutin",
                  f"Wie wir leben und wie wir lieben, was uns dabei prägt, Folge {n}", f"vor {n + 1} Stunden von Lisa Roth")
             for n in range(4)]
    for n, found in enumerate(segment(*pages)):
        assert not any(t.text for t in found)
        assert f"Wie prominente Tiere den Naturschutz beeinflussen, Teil {n} der Reihe" in [t.headline for t in found]


@pytest.mark.parametrize("seed", range(3))
def test_split_headline_records_every_answer_that_matters(seed):
    """Flipping any answers split_headline did not record, alone or together, leaves its split as it was."""
    rng = random.Random(seed)
    for para in _sample_paragraphs():
        words = para.split()
        for cut in (3, 5, 8):  # a headline of `cut` words run into a lede: the line's own prefix
            line = " ".join(words[:cut]) + " " + " ".join(rng.sample(words, len(words)))
            _, _, spy = _split(line, set(), set(), record=True)
            keys = {0: set(spy.lines.looked), 1: set(spy.openings.looked)}
            held = {tag: {k for k in keys[tag] if rng.random() < 0.3} for tag in (0, 1)}
            result, view, _ = _split(line, held[0], held[1], record=True)
            free = [(tag, k) for tag in (LINES, OPENINGS) for k in keys[tag] - _recorded(view, tag)]
            for trial in range(8):
                flipped = free if trial == 0 else rng.sample(free, rng.randint(0, len(free)))
                now = {tag: set(held[tag]) for tag in (0, 1)}
                for tag, k in flipped:
                    now[tag] ^= {k}
                assert _split(line, now[0], now[1], record=False)[0] == result, (line, flipped)


@pytest.mark.parametrize("is_line", [False, True])
@pytest.mark.parametrize("opens", [False, True])
@pytest.mark.parametrize("otherwise", [False, True])
def test_crawl_decides_records_every_answer_that_matters(is_line, opens, otherwise):
    opening, line = ["Ferry", "strike", "ends"], "Ferry strike ends after three weeks"
    lines, openings = {key(" ".join(opening))} if is_line else set(), {key(line)} if opens else set()
    view, known = _view(lines, openings, record=True)
    result = _crawl_decides(opening, line, otherwise, view)
    assert result == (is_line if is_line != opens else otherwise)
    free = [(tag, k) for tag, looked in ((LINES, known.lines.looked), (OPENINGS, known.openings.looked))
            for k in set(looked) - _recorded(view, tag)]
    for n in range(1 << len(free)):
        now = [set(lines), set(openings)]
        for bit, (tag, k) in enumerate(free):
            if n >> bit & 1:
                now[tag] ^= {k}
        flipped, _ = _view(now[0], now[1], record=False)
        assert _crawl_decides(opening, line, otherwise, flipped) == result


# teasers printed as a headline line over a lede, for tests of a page that prints its headlines as lines
HEADLINED_TEASERS = [
    ("Harbour pilots end their long strike",
     "The pilots went back to work on Monday after the port agreed to hire more staff for the night shifts."),
    ("New ferry sails to the islands",
     "The ferry carries two hundred cars and leaves twice a day from the old pier at the end of the harbour road."),
    ("Museum shows the old town maps",
     "More than a hundred maps from the town archive are on show until the end of the summer, most of them for "
     "the first time."),
    ("Council votes on the school budget",
     "The vote was close, and the mayor said the schools would get less money than they had asked for this year.")]


def test_a_paragraph_opening_on_a_question_is_the_lede_of_the_line_above_where_the_page_prints_ledes_so():
    # welt.de, zeit.de, faz.net: "Union und SPD" / "Die Illusion der großen Koalition" / "Können CDU/CSU und SPD ...?
    # Das mag ..." became the story "Können CDU/CSU und SPD ...?" with the headline line for its caption: a question
    # opening a lede splits confidently, as a "headline lede" paragraph under a photo caption does
    teasers = [*HEADLINED_TEASERS,
               ("The long wait for the bridge", "Will the bridge ever open? The council has spent ten years and twice "
                "its budget on the bridge over the river, and the work goes on.")]
    lines = [line for pair in teasers for line in pair]
    assert split_headline(teasers[-1][1])[1]  # (a confident split: "Will the bridge ever open?" | "The council ...")
    [found] = segment(page("p.txt", *lines))
    assert [(t.headline, t.text) for t in found] == teasers
    # where the page's paragraphs run their headlines in, the split stands as strong as it is (`ledes_under_lines`)
    runs = [("Pilots at the quay", "Will the strike end soon? The pilots met the port's managers again on Monday."),
            ("The ferry at the pier", "Can the new ferry sail in winter? It carries two hundred cars twice a day."),
            ("Maps on the museum wall", "Who drew the old maps? A hundred of them from the archive are on show now.")]
    [found] = segment(page("q.txt", *[line for pair in runs for line in pair]))
    assert [t.headline for t in found] == ["Will the strike end soon?", "Can the new ferry sail in winter?",
                                           "Who drew the old maps?"]


def test_a_line_shaped_like_recurring_metadata_is_a_headline_where_the_page_prints_it_as_one():
    # zeit.de: "X: X X bei X in X" recurs by chance over a news list's headlines, and a headline between two
    # metadata lines ("Gestern, 14:48 dpa Berlin" / "Brauchtum: Tausende ... in Hannover" / "Gestern, 14:47 dpa ...")
    # or printed twice over its lede was taken for a teaser's metadata, the caption of the teaser before it
    places = ["Jena", "Gera", "Suhl", "Gotha", "Apolda", "Weimar", "Erfurt", "Greiz"]
    pages, expected = [], []
    for n in range(4):
        a, b = places[2 * n], places[2 * n + 1]
        headlines = [f"Verkehr: Neue Brücke für {a} eröffnet", f"Unfälle: Zwei Verletzte bei Unfall in {a}",
                     f"Brände: Drei Verletzte bei Feuer in {b}", f"Kultur: Drei Preise bei Festival in {b} gefeiert"]
        twice = f"Sport: Zwei Siege bei Turnier in {a} gefeiert"
        lede = f"Die Mannschaft aus {a} gewann am Wochenende beide Spiele vor vollem Haus."
        pages.append(page(f"s/{n}.txt", *[line for k, headline in enumerate(headlines)
                                          for line in (headline, f"Gestern, 1{n}:0{5 - k} dpa Region")],
                          twice, twice, lede))
        expected.append([(headline, "", f"Gestern, 1{n}:0{5 - k} dpa Region") for k, headline in enumerate(headlines)]
                        + [(twice, lede, "")])
    for n, found in enumerate(segment(*pages)):
        assert [(t.headline, t.text, t.caption) for t in found] == expected[n]


def test_a_headline_cut_short_with_an_ellipsis_of_its_own_over_its_lede_is_the_headline():
    # fr.de's "... verteidigt Noem gegen „linke …" read as a paragraph by its ellipsis: the lede under it
    # became a teaser of its own, cut into a headline and a text
    lede = "The council met on Monday to decide the ferry timetable, and the members argued over it for a long while."
    cut = "Council members argue over the timetable of the old harbour ferry …"
    [teasers] = segment(page("courier/index.txt", "Ferry row", cut, lede, "", "Mayor opens the new harbour wall",
                             "The mayor opened the new harbour wall on Friday after three years of work."))
    assert [(t.kicker, t.headline, t.text) for t in teasers][0] == ("Ferry row", cut, lede)
    # a run-together teaser cut short, a blank line between it and the next teaser, is no headline over that one
    run_on = "Harbour council votes on new ferry The council met on Monday to decide the timetable ..."
    wall = "The mayor opened the new harbour wall on Friday after three years of work, and the crowd cheered her on."
    [teasers] = segment(page("courier/index.txt", "Ferry row", cut, lede, "", run_on, "", wall))
    assert run_on not in [t.headline for t in teasers] and wall in [t.text for t in teasers] + [
        f"{t.headline} {t.text}" for t in teasers]


def test_two_kicker_prefixed_lines_in_a_row_are_two_headlines_not_a_kicker_and_its_headline():
    # bild.de's lists of "Kicker: headline" lines: "Viererpack!: Die gigantische Guirassy-Show" was read as the
    # kicker of the next such line ("Nach Grusel-Start: ..."), and its story lost
    lines = ["Jubel: Stadtrat feiert Brücke {}", "Nach langem Streit: Hafen bekommt endlich neues Dach {}",
             "Knapp: Bäcker eröffnet Laden {}", "Ganz knapp: Verein verpasst den Aufstieg im letzten Spiel {}"]
    pages = [page(f"s/{n}.txt", *[line.format(n) for line in lines]) for n in range(3)]
    for n, teasers in enumerate(segment(*pages)):
        assert [(t.kicker, t.headline) for t in teasers] == [("", line.format(n)) for line in lines]
    # a kicker over a "Kicker: headline" line is still its kicker, and so is a label leading on into it
    [kept], _ = segment(page("s/k.txt", "Neue Brücke", "Großer Jubel: Stadtrat feiert die neue Brücke am Hafen"),
                        page("s/l.txt", "Anderes"))
    assert (kept.kicker, kept.headline) == ("Neue Brücke", "Großer Jubel: Stadtrat feiert die neue Brücke am Hafen")


def test_a_byline_printed_as_a_line_of_its_own_is_its_teasers_caption_where_its_opener_opens_bylines_sitewide():
    # t-online.de, zeit.de, fr.de print a headline-only teaser's authors on a line under its headline ("Von F. Michalski,
    # J. Hartung, N. Breuer"): each such line was a headline-only story. "Von" opens two different lists of names on
    # every page of the site; a headline that reads as a word and names ("Neues Foto von Herzogin Anna und Tochter
    # Lisa") opens with a word that opens no bylines elsewhere, and stays a story
    authors = ["Anna Berg, Tom Klein", "J. Roth, P. Weber, I. Kurz", "Max Bauer und Eva Schmidt", "Lena Vogt, Jan Fink"]
    storms = ["Sturm über dem Land", "Regen im Norden", "Hitze im Süden", "Schnee in den Bergen"]
    pages = [page(f"s/{n}.txt", f"Streit im Rat {n}", f"Haushalt der Stadt {n} bleibt weiter offen", f"Von {authors[n]}", "",
                  storms[n], f"Behörden warnen {n} Gemeinden vor Hochwasser", f"Von {authors[(n + 1) % 4]}", "",
                  f"Neues Foto {n} von Herzogin Anna und Tochter Lisa") for n in range(4)]
    for n, teasers in enumerate(segment(*pages)):
        assert [(t.kicker, t.headline, t.caption) for t in teasers] == [
            (f"Streit im Rat {n}", f"Haushalt der Stadt {n} bleibt weiter offen", f"Von {authors[n]}"),
            (storms[n], f"Behörden warnen {n} Gemeinden vor Hochwasser", f"Von {authors[(n + 1) % 4]}"),
            ("", f"Neues Foto {n} von Herzogin Anna und Tochter Lisa", "")]


def test_a_lede_with_a_prefix_of_its_own_keeps_the_rhythm_of_a_prefixed_template():
    # bild.de: "Kicker: headline" / lede, where the lede holds a ":" or " – " of its own ("Ein Gericht erlaubte es:
    # Jeder ... zählt als Pause!"), read as a prefixed headline and became a headline-only story
    teasers = [("Neue Brücke : Stadt feiert die Eröffnung am Fluss", "Hunderte Gäste kamen zur Feier an das Ufer."),
               ("Streit im Rat : Bürgermeister droht mit Rücktritt", "Ein Richter entschied es: Die Sitzung wird wiederholt!"),
               ("Wetter-Warnung : Sturm zieht über das Land", "Die Behörden raten, zu Hause zu bleiben."),
               ("Hochzeit im Winter : Star heiratet ihren Trainer", "Sie feiert in der Pause – und alle Freunde kommen mit!"),
               ("Rekord am Berg : Bergsteigerin schafft den Gipfel", "Sie brauchte dafür nur sieben Stunden.")]
    [found] = segment(page("s/a.txt", *[line for pair in teasers for line in pair]))
    assert [(t.headline, t.text) for t in found] == teasers
    # a run of prefixed headline-only lines beside them stays a list of stories
    headlines_only = [f"{kicker}: {headline}" for kicker, headline in (
        ("Politik", "Kanzler reist am Montag nach Paris"), ("Sport", "Verein holt einen neuen Trainer"),
        ("Kultur", "Museum zeigt die alten Meister"))]
    lines = [line for pair in teasers for line in pair]
    [found] = segment(page("s/b.txt", *headlines_only, *lines))
    assert [(t.headline, t.text) for t in found] == [(line, "") for line in headlines_only] + teasers
    # two headline-only "Kicker: headline" lines between such teasers keep the rhythm too: one not ending like a
    # sentence (as the page's ledes do) is no lede
    pair = ["Rezept: Linsen statt Nudeln im Topf", "Schnell gekocht: So gelingt Ihnen der Auflauf am Abend"]
    plain = [teasers[0], teasers[2], teasers[4]]
    [found] = segment(page("s/d.txt", *plain[0], *pair, *plain[1], *plain[2]))
    assert [(t.headline, t.text) for t in found] == plain[:1] + [(line, "") for line in pair] + plain[1:]
    # (a prefixed lede under the headline right after such a list is left a story: by shape alone, the list's last
    # line over a teaser's headline over its lede is the same headline, lede, headline, lede)


def test_a_prefixed_lede_after_the_teaser_before_keeps_the_rhythm_from_that_side():
    # bild.de: a prefixed lede ("Eine Expertin verrät: So ...!") under its "Kicker: headline" line, the teaser before
    # closed by its lede (a paragraph), the next teaser's lede too short for a paragraph: the rhythm is kept on the
    # side before it
    teasers = [("Neue Brücke : Stadt feiert die Eröffnung am Fluss", "Hunderte Gäste kamen zur Feier an das Ufer."),
               ("Wetter-Warnung : Sturm zieht über das Land", "Die Behörden raten, zu Hause zu bleiben."),
               ("Rekord am Berg : Bergsteigerin schafft den Gipfel", "Sie brauchte dafür nur sieben Stunden."),
               ("Tricks im Garten : So wächst der Salat", "Eine Gärtnerin verrät: So gedeiht das Beet ohne Gift und Mühe!")]
    [found] = segment(page("s/a.txt", *[line for pair in teasers for line in pair],
                           "Streit im Rat : Bürgermeister droht mit Rücktritt", "Die Sitzung wird wiederholt."))
    assert [(t.headline, t.text) for t in found][:4] == teasers
    # a list of prefixed headline-only lines after a teaser stays a list, and so does a headline printed again after
    # its lede (zeit.de prints a teaser's headline over and under its lede) over a prefixed headline
    listed = ["Tricks im Garten: So wächst der Salat", "Haben Sie es gesehen?: Das Beet blüht schon im März!",
              "Politik: Kanzler reist am Montag nach Paris", "Sport: Verein holt einen neuen Trainer"]
    [found] = segment(page("s/b.txt", *[line for pair in teasers[:3] for line in pair], *listed))
    assert [(t.headline, t.text) for t in found][3:] == [(line, "") for line in listed]
    again = [*teasers[2], teasers[2][0], "Geschenke: Was tun, wenn das Geschenk nicht gefällt?"]
    [found] = segment(page("s/c.txt", *[line for pair in teasers[:2] for line in pair], *again, "Ratgeber"))
    assert ("Geschenke: Was tun, wenn das Geschenk nicht gefällt?", "") in [(t.headline, t.text) for t in found]


def test_a_lede_with_no_headline_line_is_not_cut_mid_phrase_where_the_page_prints_headlines_as_lines():
    # spiegel.de's tests pages: a teaser whose headline the page printed only in its link stands as a lede
    # alone, and an unconfident split cut it mid-phrase ("Vom Druck eines Ersatzteils fürs" / "Fahrrad bis zur
    # ..."); where the page's other teasers print their headline on a line of their own, its first sentence
    # is its headline
    teasers = list(HEADLINED_TEASERS)
    lede = ("Anyone who runs outside in winter needs good Gloves. We tested eight pairs in frost and rain and "
            "compared them on the trail.")
    assert split_headline(lede) == (8, False)  # "Anyone who runs outside in winter needs good" | "Gloves. ..."
    [found] = segment(page("p.txt", *[line for pair in teasers for line in pair], lede))
    assert [(t.headline, t.text) for t in found] == teasers + [
        ("Anyone who runs outside in winter needs good Gloves.",
         "We tested eight pairs in frost and rain and compared them on the trail.")]


def test_a_headline_under_its_kicker_is_never_the_kicker_of_the_next_line():
    # t-online.de: kicker / headline / kicker / headline, a headline as short as the next kicker read as that
    # kicker's kicker: the kicker above it was dropped and the headline lost ("Georg Hackl verrät Rodel-Geheimnisse")
    places = ["Hamburg", "Bremen", "Kiel"]
    pages = [page(f"s/{n}.txt", f"Sturm in {town}", f"Bäume stürzen in {town}", f"Schulen in {town} bleiben zu",
                  f"Eltern in {town} müssen ihre Kinder betreuen")
             for n, town in enumerate(places)]
    for town, found in zip(places, segment(*pages)):
        assert [(t.kicker, t.headline) for t in found] == [
            (f"Sturm in {town}", f"Bäume stürzen in {town}"),
            (f"Schulen in {town} bleiben zu", f"Eltern in {town} müssen ihre Kinder betreuen")]


def test_a_kicker_as_long_as_its_headline_is_known_by_its_boxs_rhythm():
    # t-online.de: a box of kicker / headline pairs where one kicker (a quote) is as long as its headline:
    # both lines were headline-only stories; a list of headlines with one short line over a longer one is no box
    places = ["Hamburg", "Bremen", "Kiel"]

    def box(town: str) -> list[str]:
        return [f"{town} plant", f"Die Stadt {town} baut eine zweite große Brücke",
                f"\"Wir warten schon sehr lange darauf\" in {town}", f"Anwohner von {town} freuen sich",
                f"Zoff im {town}er Rat", f"Der Rat vertagt die Abstimmung über {town}s Haushalt"]

    def listed(town: str) -> list[str]:
        return [f"Fähre nach {town} fällt aus", f"Der Hafen von {town} meldet einen neuen Rekord beim Umschlag",
                f"Neue Buslinie verbindet {town} mit dem Umland", f"Kinder aus {town} gewinnen den Wettbewerb im Lesen"]

    pages = [page(f"s/{n}.txt", *box(town), "", *listed(town)) for n, town in enumerate(places)]
    for town, found in zip(places, segment(*pages)):
        pairs = [(t.kicker, t.headline) for t in found]
        assert pairs[:3] == list(zip(box(town)[::2], box(town)[1::2]))
        assert [headline for _, headline in pairs[3:]] == listed(town)[1:]


def test_a_time_and_byline_line_printed_on_many_pages_is_still_its_teasers_caption():
    # gmx.net prints a teaser's time and byline under its headline ("vor 1 Tag von Holger Wittich"); an author's
    # teaser is printed on several pages of a snapshot, time and all, so the line recurred on 3+ pages and was taken
    # for a headline (a recurring line is no metadata): each such line was a headline-only story
    shared = [("Neuer Kleinwagen kommt im Sommer zu allen Händlern", "vor 2 Stunden von Eva Schmidt")] * 3  # (3 of 7 pages: no boilerplate)
    names = ["Tom Klein", "Lena Vogt", "Max Bauer", "Jan Fink", "Ina Roth", "Udo Kern", "Pia Wolf"]
    own = [[(f"Tankstellen senken ihre Preise {n}", f"vor {n + 3} Stunden von {names[n]}"),
            (f"Werkstatt meldet viele Schäden {n}", f"vor {n + 1} Tagen von {names[-n]}")] for n in range(7)]
    teasers = [(shared[n:n + 1] if n < 3 else []) + own[n] for n in range(7)]
    pages = [page(f"s/{n}.txt", *[line for headline, meta in teasers[n] for line in ("Motor", headline, meta, "")])
             for n in range(7)]
    for n, found in enumerate(segment(*pages)):
        assert [(t.headline, t.caption) for t in found] == teasers[n]
    # a headline printed on many pages opening on a name and a number is no time and byline, names at its end or not
    assert _time_and_byline("vor 10 Stunden von Birgit Priemer, Stefan Cerchez und Holger Wittich")
    assert not _time_and_byline("iOS 18.4 behebt nerviges Problem in Apple Mail")
    assert not _time_and_byline("vor 100 Jahren: Als die Stadt von Ludwig Erhard besucht wurde")


def test_headline_only_teasers_under_kickers_with_their_times_are_no_ledes():
    # gmx.net lists headline-only teasers as a kicker, a headline and its time and byline ("auto motor und sport" /
    # "Nissan Qashqai ... im Test: Was kann Nissans aufgefrischter Bestseller?" / "vor 1 Stunde von Paul Englert"): a
    # headline of 10 words or more right under the kicker was read as a one-sentence lede, the kicker as its headline
    kickers = [f"{what} {where}" for what in ("auto und motor", "rund ums Rad", "alles zum Auto", "die Straße")
               for where in ("heute", "im Test", "im Blick")]  # (each once: the site's labels recur on few pages)
    headlines = ["Neues Modell im Test: Was kann der aufgefrischte kleine Wagen heute wirklich?",
                 "Stau auf allen Autobahnen: Warum die Ferien in diesem Jahr so früh beginnen",
                 "Werkstätten melden viele Schäden nach dem Winter: So schützen Sie Ihr Auto"]
    pages = [page(f"s/{n}.txt", "Die Nachrichten des Tages rund um das Auto, die Werkstatt, den Verkehr und die Straße.",
                  *[line for k, headline in enumerate(headlines)
                    for line in (kickers[3 * n + k], f"{headline} {n}", f"vor {n + k + 1} Stunden von Tom Klein")]) for n in range(4)]
    for n, teasers in enumerate(segment(*pages)):
        assert [(t.kicker, t.headline, t.caption) for t in teasers] == [
            (kickers[3 * n + k], f"{headline} {n}", f"vor {n + k + 1} Stunden von Tom Klein") for k, headline in enumerate(headlines)]


def test_a_kicker_as_long_as_its_headline_is_the_kicker_where_the_page_prints_kicker_headline_and_time():
    # web.de and gmx.net print a headline-only teaser as a kicker, a headline and its time; a kicker with a label run
    # into it ("Video Kurioser Unfall in Stuttgart" / "Taxi kracht in Pizzeria" / "vor 1 Tag") is as long as the
    # headline, so it was no kicker and became a headline-only story of its own
    pairs = [("Streit im Rat", "Haushalt der Stadt bleibt weiter offen"),
             ("Wetter am Wochenende", "Behörden warnen die Gemeinden vor Hochwasser"),
             ("Video Kurioser Unfall in Stuttgart", "Taxi kracht in Pizzeria"),
             ("Neue Studie", "Forscher finden die ältesten Spuren im Eis"),
             ("Galerie Bilder des Jahres", "Fotografen zeigen ihre Aufnahmen")]
    towns = ["Ulm", "Jena", "Kiel", "Hof"]  # (each page its own teasers: none recurs as boilerplate)
    teasers = [[(f"{kicker} {town}", f"{headline} {town}") for kicker, headline in pairs] for town in towns]
    pages = [page(f"s/{n}.txt", *[line for k, pair in enumerate(teasers[n]) for line in (*pair, f"vor {n + k + 1} Stunden")])
             for n in range(4)]
    for n, found in enumerate(segment(*pages)):
        assert [(t.kicker, t.headline) for t in found] == teasers[n]
    # with too few such pairs on the page, two lines of like length stay two stories
    pages = [page(f"t/{n}.txt", *[line for k in (2, 4) for line in (*teasers[n][k], f"vor {n + k} Stunden")])
             for n in range(4)]
    for n, found in enumerate(segment(*pages)):
        assert [t.headline for t in found] == [line for k in (2, 4) for line in teasers[n][k]]


def test_a_byline_ending_on_and_others_with_a_comment_count_run_into_it_is_its_teasers_caption():
    # zeit.de prints a teaser's authors and its comment count on a line under its headline ("Von Paul Blickle, Fabian
    # Dinklage, Christian Endt u. a. 46.536 Kommentare"): the count was not cut off (the "a." before it read as the
    # function word "a" governing the number) and a list of names ending on "u. a." read as no byline: a story each
    names = ["Anna Berg", "Tom Klein", "Jan Roth", "Eva Weber", "Max Bauer", "Ina Kurz", "Lena Vogt", "Udo Fink"]
    news = ["Haushalt der Stadt bleibt weiter offen", "Behörden warnen vor dem Hochwasser", "Neue Brücke wird bald eröffnet",
            "Schulen bleiben am Montag geschlossen"]
    def teasers(n):  # (two bylines with a count, one ending on "u. a." alone, one of a single name)
        return [(f"{news[0]} {n}", f"Von {names[n]}, {names[n + 1]} u. a. {n + 20} Kommentare"),
                (f"{news[1]} {n}", f"Von {names[n + 2]}, {names[n + 3]}, {names[n + 4]} u. a. {n + 300} Kommentare"),
                (f"{news[2]} {n}", f"Von {names[n + 1]}, {names[n + 3]} u. a."), (f"{news[3]} {n}", f"Von {names[n + 2]}")]
    pages = [page(f"s/{n}.txt", *[line for pair in teasers(n) for line in (*pair, "")]) for n in range(4)]
    for n, found in enumerate(segment(*pages)):
        assert [(t.headline, t.caption) for t in found] == teasers(n)


def test_a_headline_line_run_long_over_its_lede_is_its_headline_where_the_page_prints_headlines_as_lines():
    # spiegel.de: a kicker glued to its headline runs 20+ words ("Tödliches Rasen Um 20.13 Uhr fährt Michael Klocke
    # über eine grüne Ampel – dann wacht er in einem Autowrack wieder auf") and read as a paragraph by its length:
    # it became a teaser cut into a headline and a text, and its lede under it another
    long = ("Harbour pilots and ferry crews »We will not go back to the night shifts until the port hires enough "
            "staff for all of them«")
    lede = "The crews met on Tuesday and agreed to stop work from next week unless the port board changes its plans."
    teasers = list(HEADLINED_TEASERS) + [
        ("Lighthouse keeper retires after forty years",
         "She climbed the hundred steps every evening and says she will miss the view over the bay more than anything."),
        ("Fish market moves to the north quay",
         "The traders will sell from new halls from April, and the old market hall is to become a concert venue.")]
    lines = [line for pair in teasers[:4] for line in pair] + ["", long, lede, "", *teasers[4], *teasers[5]]
    [found] = segment(page("p.txt", *lines))
    assert (long, lede) in [(t.headline, t.text) for t in found]
    assert len(found) == 7
    # a line ending like a sentence is a paragraph whatever the page prints: no headline
    ended = long.rstrip("«") + ".«"
    [found] = segment(page("p.txt", *[ended if line == long else line for line in lines]))
    assert (ended, lede) not in [(t.headline, t.text) for t in found]

def test_a_byline_opened_by_a_label_and_colon_over_a_notice_is_its_teasers_caption():
    # zeit.de prints a teaser's authors under its lede as "Interview: A B und C D" (a label and a colon, then names),
    # then a notice printed under every audio teaser ("Ihr Browser unterstützt ... nicht ..."): the byline was a
    # headline-only story, its label not read as a byline's opener and the notice read as a paragraph it heads. A
    # list of names opened by a label that opens no bylines elsewhere ("Reise: Paris und Rom") stays a story
    authors = ["Anna Berg und Tom Klein", "Jan Roth", "Max Bauer und Eva Schmidt", "Lena Vogt, Berlin"]
    notice = ("Ihr Browser unterstützt die Wiedergabe dieser Datei nicht. Sie können sie im Artikel unter der folgenden "
              "Adresse herunterladen und dann abspielen: {}")
    pages = [page(f"s/{n}.txt", f"Streit im Rat {n}: Haushalt der Stadt bleibt offen",
                  f"Die Stadt {n} hat noch immer keinen Haushalt, und die Fraktionen streiten weiter über die Kosten.",
                  f"Interview: {authors[n]}", notice.format(f"a{n}"), "",
                  f"Hochwasser {n}: Behörden warnen Gemeinden",
                  f"Der Fluss steigt seit Tagen, und die Behörden in {n} Gemeinden raten allen zur Vorsicht am Ufer.",
                  f"Interview: {authors[(n + 1) % 4]}", notice.format(f"b{n}"), "",
                  f"Reise {n}: Paris und Rom") for n in range(4)]
    for n, teasers in enumerate(segment(*pages)):
        assert [(t.headline, t.caption) for t in teasers] == [
            (f"Streit im Rat {n}: Haushalt der Stadt bleibt offen", f"Interview: {authors[n]}"),
            (f"Hochwasser {n}: Behörden warnen Gemeinden", f"Interview: {authors[(n + 1) % 4]}"),
            (f"Reise {n}: Paris und Rom", "")]


def test_names_under_a_lede_after_a_label_that_opens_bylines_on_some_pages_are_the_teasers_caption():
    # zeit.de prints "Protokoll: A B" under a lede, but two such lines on one page on too few of its pages for a
    # byline line's opener: the line was a headline-only story. On a page that prints its bylines under its ledes,
    # names after a label that opens two lists of names on a page on some of the site's pages are a byline; a
    # headline's prefix over capitalised nouns ("Eilmeldung: Bundesliga-Profi vor Wechsel zu Dynamo") is not
    names = ["Anna Berg", "Tom Klein und Eva Roth", "Jan Fink", "Max Bauer, Lena Vogt", "Ida Wolf", "Paul Kern"]
    towns = ["Aachen", "Bonn", "Celle", "Dresden", "Erfurt", "Fulda", "Gera", "Hagen", "Jena", "Kiel", "Lahr", "Mainz"]

    def teasers(n: int, bylines: list[str]) -> list[str]:
        town = towns[n]
        return [f"Neue Brücke über den Fluss in {town} eröffnet",
                f"Hunderte Gäste kamen am Morgen zur Feier an das Ufer, und {town} feierte bis in die Nacht.",
                bylines[0], "",
                f"Streit im Rat von {town} um den Haushalt",
                f"Die Fraktionen in {town} konnten sich auch am Abend nicht einigen, der Streit geht weiter.",
                bylines[1], "",
                f"Sturm zieht über {town} und das ganze Land",
                f"Die Behörden raten allen Menschen in {town}, bei diesem Wetter zu Hause zu bleiben.",
                bylines[2]]

    pages = []
    for n in range(12):
        if n < 3:  # "Protokoll:" opens two lists of names on a page on three of twelve pages
            bylines = [f"Protokoll: {names[n]}", f"Protokoll: {names[n + 3]}", f"Von {names[(n + 1) % 6]}"]
        else:
            bylines = [f"Von {names[n % 6]}", f"Protokoll: {names[(n + 2) % 6]}" if n == 5 else f"Von Ute Lind {towns[n]}",
                       "Eilmeldung: Bundesliga-Profi vor Wechsel zu Dynamo" if n == 7 else f"Von Kai Roth {towns[n]}"]
        pages.append(page(f"s/{n}.txt", *teasers(n, bylines)))
    found = segment(*pages)
    assert [(t.headline, t.caption) for t in found[5]][1] == ("Streit im Rat von Fulda um den Haushalt",
                                                              f"Protokoll: {names[1]}")
    assert "Eilmeldung: Bundesliga-Profi vor Wechsel zu Dynamo" in [t.headline for t in found[7]]

HARBOUR_HISTORY = [
    "The harbour through the centuries",
    "The harbour was first dredged in 1820 by a company of local merchants, who wanted the grain ships to reach "
    "the town quays at every tide and paid for the work with a levy on each cargo landed there over forty years.",
    "In the decades after the railway came the quays were rebuilt in stone, and the old timber warehouses gave "
    "way to the brick sheds that still line the eastern basin and house the fish market and the rowing club.",
]


def test_a_second_paragraph_right_under_a_teasers_text_goes_on_in_it():
    # An evergreen text under a section heading, printed as paragraphs with no line between them: its second
    # paragraph was cut into a headline ("In the decades after the railway came the") and a lede, a story of its own
    pages = [page(f"p{i}", MENU, f"Harbour news {i}", *HARBOUR_HISTORY, FOOTER) for i in range(3)]
    teasers = segment(*pages)[0]
    [story] = [t for t in teasers if "1820" in t.text]
    assert story.headline == HARBOUR_HISTORY[0]
    assert "brick sheds" in story.text
    assert not any(t.headline.startswith("In the decades") for t in teasers)


def test_a_paragraph_opening_on_a_label_is_a_teaser_of_its_own():
    # A box of one-paragraph teasers, each led by its title and a colon: the second is no part of the first
    box = ["Briefing",
           "Harbour: The council has voted to dredge the eastern basin again this summer, the first time in ten years, "
           "after the pilots warned that the larger ferries could no longer turn in it at low tide without the help "
           "of two tugs from the neighbouring port.",
           "Ferries: The island service will run a second boat on Sundays from May, the operator said on Friday, and "
           "the fares for residents of the islands will stay as they are until the end of next year at least."]
    pages = [page(f"p{i}", MENU, *box, FOOTER) for i in range(3)]
    teasers = segment(*pages)[0]
    assert any("second boat" in t.text and "dredge" not in t.text for t in teasers)


def test_a_paragraph_under_a_short_lede_is_a_teaser_of_its_own():
    # A teaser's lede is a sentence or two: a paragraph right under it is the next teaser's "headline lede"
    # paragraph, however its split reads (the composed crawls' "Lebanon PM Resigns, Says Will Not Head New Govt.")
    lines = ["Harbour pilots end their long strike",
             "The pilots went back to work on Monday after the port agreed to hire more staff for the night shifts.",
             "Ferry fares stay the same for islanders until the end of next year, the operator said."]
    pages = [page(f"p{i}", MENU, *lines, FOOTER) for i in range(3)]
    teasers = segment(*pages)[0]
    assert not any("night shifts" in t.text and "Ferry fares" in t.text for t in teasers)


def test_a_paragraph_under_a_lede_cut_to_a_length_is_a_teaser_of_its_own():
    # A long lede cut off mid-sentence ("... for steering business to certain insurers") is a teaser's, not a body's:
    # the paragraph under it is the next teaser (the composed dev crawl's "More Evidence for Past Water on Mars ...")
    lines = ["Harbour pilots end their long strike",
             "The pilots went back to work on Monday after the port agreed to hire more staff for the night shifts, "
             "and the ferries that had waited in the outer roads for a week came in one after another on the morning "
             "tide while the crowds on the quay",
             "Ferry fares stay the same for islanders until the end of next year, the operator said on Friday, and the "
             "second Sunday boat will run from May until the end of the summer season in September."]
    pages = [page(f"p{i}", MENU, *lines, FOOTER) for i in range(3)]
    teasers = segment(*pages)[0]
    assert not any("night shifts" in t.text and "Ferry fares" in t.text for t in teasers)

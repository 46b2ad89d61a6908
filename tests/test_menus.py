"""Menus, link lists and page numbers are no stories (indexer/menus.py)."""
from tests.segmenting import MENU, page, segment


def test_a_menu_run_into_one_line_is_never_a_headline_even_over_a_date_line():
    # "Skip to content | Front page | ..." over a date line and run-together teasers was taken for an
    # article's headline; over one run-together teaser, for the teaser's headline line
    teasers = [f"Harbour story {n} makes the news today The council met on Monday to decide matter {n} of "
               f"the harbour, and the members argued over it for a long while before voting." for n in range(4)]
    [dated] = segment(page("courier/sport/7.txt", MENU, "Monday, 7 March 2005", *teasers))
    assert all(t.headline != MENU and not t.article for t in dated)
    [lone] = segment(page("courier/sport/8.txt", MENU, teasers[0]))
    assert [t.headline for t in lone] == ["Harbour story 0 makes the news today"]


def test_a_menu_of_links_printed_with_no_space_between_them_is_no_story_but_names_glued_in_a_headline_are():
    # "BILD DealsBILD ShopBILD Sportwetten..." (a page's links with no space between them) among short
    # navigation lines became a headline-only story; a headline glues names ("iOS", "macOS"), a menu most words
    lede = "The council met on Monday to decide the ferry timetable, and the members argued over it for a long while."
    glued = "Local NewsWeatherTravelFerry TimesHarbour GuideCouncil NoticesAbout Us"
    named = "Update: macOS, watchOS and tvOS fix the harbour app"
    [teasers] = segment(page("courier/index.txt", "Light", "Dark", glued, "All headlines", named, "",
                             "Harbour council votes on new ferry", lede))
    assert [t.headline for t in teasers] == [named, "Harbour council votes on new ferry"]


def test_links_run_into_one_line_with_words_of_their_own_are_no_story_but_a_headline_naming_a_name_twice_is():
    # "Über t-onlineSo arbeitet die RedaktionAutoren bei t-onlineNachricht oder Meinung" (items of several words
    # each, too few glued words for half the line) became a headline-only story, and a long list of such links
    # ("Kreditkarte ohne SchufaOnline-Broker VergleichGeschäftskonto ...") a story cut into a headline and a text
    lede = "The council met on Monday to decide the ferry timetable, and the members argued over it for a long while."
    short = "About the CourierHow we reportOur authorsFact or opinion"
    long = ("Ferry timetable and faresHarbour parking rulesCouncil tax calculator for familiesBest seafood in "
            "townWeekend tide tablesLocal jobs this weekSchool holiday datesBus routes and fares for pupils")
    named = "AlertHarbourWatch in the bayMore than 500 boats at risk"  # (a label run into its headline)
    twice = "Ban on FerryPass: FerryPass says the ban on FerryPass is unfair"
    [teasers] = segment(page("courier/index.txt", "Light", short, "", long, "", named, "", twice, "",
                             "Harbour council votes on new ferry", lede))
    assert [t.headline for t in teasers] == [named, twice, "Harbour council votes on new ferry"]


def test_page_numbers_are_no_story_but_a_headline_with_numbers_is():
    # "1 2 3 4 5 ... 115" and "Seite 1 / 336" under a list of teasers became headline-only stories
    lede = "The council met on Monday to decide the ferry timetable, and the members argued over it for a long while."
    scores = "Harbour 2 Bay 1 in the 3rd round"
    [teasers] = segment(page("courier/index.txt", "Harbour council votes on new ferry", lede, "", scores, "",
                             "1 2 3 4 5 ... 115", "", "Page 1 / 336"))
    assert [t.headline for t in teasers] == ["Harbour council votes on new ferry", scores]


def test_a_menu_printed_with_spaces_between_its_links_is_no_story_but_a_headline_naming_its_sections_is():
    # "Olympia 2022 Bundesliga 2. Liga Champions League DFB-Pokal Tennis" (a menu of links with spaces between them,
    # each link a line of its own on the site's other pages) became a headline-only story; a headline naming
    # sections has words that are lines nowhere ("beats")
    lede = "The council met on Monday to decide the ferry timetable, and the members argued over it for a long while."
    items = ["Football", "Tennis", "Sailing Club", "Weather", "Ferry Times"]
    spaced = "Football Tennis Sailing Club Weather Ferry Times"
    named = "Football beats Tennis and Sailing Club in the weather poll"
    sections = [page(f"courier/{n}.txt", *items, f"Harbour story {n} makes the news today", lede) for n in range(3)]
    *_, teasers = segment(*sections, page("courier/index.txt", "Light", spaced, "", named, "",
                                            "Harbour council votes on new ferry", lede))
    assert [t.headline for t in teasers] == [named, "Harbour council votes on new ferry"]


def test_a_menu_printed_twice_on_its_page_as_a_list_and_as_one_line_is_no_story():
    # "Regionalnachrichten Coronavirus Bundestagswahl Alle Themen" (a page's topic menu, its links printed as lines of
    # their own higher up the same page, and on no other page) became a headline-only story
    lede = "The council met on Monday to decide the ferry timetable, and the members argued over it for a long while."
    items = ["Regional News", "Ferry Strike", "Council Election", "All Topics"]
    spaced = "Regional News Ferry Strike Council Election All Topics"
    others = [page(f"courier/{n}.txt", f"Harbour story {n} makes the news today", lede) for n in range(3)]
    *_, teasers = segment(*others, page("courier/index.txt", *items, "", "Harbour council votes on new ferry", lede,
                                        "", spaced))
    assert [t.headline for t in teasers] == ["Harbour council votes on new ferry"]


def test_a_long_list_of_links_whose_opening_recurs_is_no_story_but_a_long_title_case_headline_is():
    # bild.de prints its shop links as one line with spaces ("Staubsauger Bluetooth Kopfhörer Grill Test Gasgrill ...",
    # its items changing by section, its opening the same on many pages; none of them a line of its own anywhere):
    # the text path cut it into a headline and a text, a story holding no link. A long headline in title case has
    # its particles ("To", "As", "Of") and stays a story, on as many pages
    lede = "The council met on Monday to decide the ferry timetable, and the members argued over it for a long while."
    shop = "Shop Deals Shop Offers Vacuum Cleaner Headphones Barbecue Tests Garden Hose {} {} Lawn Mower Power Bank"
    extras = [("Kettle", "Toaster"), ("Ladder", "Drill"), ("Tent", "Kayak")]
    long_headline = "Harbour Council Votes To Sell The Old Ferry As Costs Of Repairs Rise Again"
    sections = [page(f"courier/{n}.txt", f"Harbour story {n} makes the news today", lede, "", long_headline, lede, "",
                     shop.format(*extras[n])) for n in range(3)]
    for found in segment(*sections):
        assert [t.headline for t in found][1:] == [long_headline]

"""Article pages: one story, its body its text, known by its shape (indexer/articles.py)."""
from indexer.articles import _body_run
from indexer.headline import split_headline
from tests.segmenting import ARTICLE_BODY, FOOTER, MENU, page, segment


def test_article_page_gives_one_story_with_its_body_and_related_teasers_apart():
    body = ["The Bank of Westhaven raised its main rate to 4 percent on Thursday.",
            "It was the third rise this year, the bank said in a statement.",
            "Borrowers will feel the change from next month, analysts said."]
    # the box header is known by its recurring over the site's articles (no phrase list says "Related")
    others = [page(f"courier/articles/{n}.txt", f"Story number {n} makes the news today", f"{n + 1} March 2025",
                   *[f"Paragraph {k} of story {n} tells the reader what happened in the town that day." for k in range(3)],
                   "Related stories", f"Another teaser {n} for the box The lede of teaser {n} says what happened.")
              for n in range(3)]
    teasers, *_ = segment(page(
        "courier/articles/bank-of-westhaven-raises-rates.txt",
        "Bank of Westhaven raises rates", "12 March 2025", *body, "Related stories",
        "Ferry strike called off at Westhaven The ferry operators' union has called off Friday's strike."), *others)
    article, related = teasers
    assert article.article and article.headline == "Bank of Westhaven raises rates"
    assert article.text == "\n".join(body) and article.date == "2025-03-12"
    assert related.headline == "Ferry strike called off at Westhaven" and not related.article


def test_a_box_header_is_known_by_recurring_over_the_sites_articles_in_any_language():
    # "Mehr zum Thema aus der Redaktion" heads the box after three of the site's eight pages: not boilerplate
    # (under half of them), not in any phrase list, yet it ends each article's body
    header = "Mehr zum Thema aus der Redaktion"
    words = ["lange", "heftig", "ruhig", "knapp", "offen", "spät", "früh", "kurz", "laut"]
    articles = [page(f"s/artikel-{n}.txt", f"Der Stadtrat beschließt den Haushalt Nummer {n}", f"{n + 1}. März 2025",
                     *[f"Die Räte stritten {words[3 * n + k]} über jede Zeile des Entwurfs, bis am Abend eine "
                       f"Mehrheit stand und der Kämmerer sichtlich erleichtert war." for k in range(3)], header,
                     f"Fähre {n} fährt wieder Die Fähre zur Insel fährt nach dem Streik wieder nach Plan.")
                for n in range(3)]
    listings = [page(f"s/liste-{n}.txt", f"Meldung {n} aus dem Hafen heute", "Die Hafenbehörde meldet einen neuen Rekord.")
                for n in range(5)]
    for teasers in segment(*articles, *listings)[:3]:
        article, box = teasers
        assert article.article and len(article.text.splitlines()) == 3 and header not in article.text
        assert box.headline.startswith("Fähre") and not box.article


def test_an_article_body_runs_on_over_subheads_and_lists_and_ends_at_a_related_box():
    [teasers] = segment(page(
        "news.example/obama-admits-gun-laws-frustration", "Sign in", "News navigation",
        "Obama admits gun laws are his biggest frustration",
        "President Barack Obama has admitted that his failure to pass gun safety laws is his biggest frustration.",
        "In a wide-ranging interview, he also said:",
        "The UK must stay in the EU to have influence", "Syria needs a political solution",
        "He spoke at the White House before flying to Kenya, where he will meet relatives.",
        "Related stories",
        "Obama urges UK to stay in European Union",
        title="Obama admits gun laws are his biggest frustration - News"))
    article = teasers[0]
    assert article.article and article.headline == "Obama admits gun laws are his biggest frustration"
    assert article.text.splitlines() == [
        "President Barack Obama has admitted that his failure to pass gun safety laws is his biggest frustration.",
        "In a wide-ranging interview, he also said:", "The UK must stay in the EU to have influence",
        "Syria needs a political solution",
        "He spoke at the White House before flying to Kenya, where he will meet relatives."]
    assert [t.headline for t in teasers[1:]] == ["Obama urges UK to stay in European Union"]


def test_an_article_is_known_by_its_shape_without_a_date_line_or_a_naming_address():
    body = [f"Paragraph {n} of the report runs on for a good while, telling the reader what the council "
            f"decided about the harbour and why the members argued over it for so long." for n in range(5)]
    [teasers] = segment(page("courier/p/4711.txt", "The Harbour Courier", "Council settles the harbour dispute",
                             "By Jane Doe", *body))
    assert len(teasers) == 1 and teasers[0].article
    assert teasers[0].headline == "Council settles the harbour dispute" and teasers[0].text == "\n".join(body)


def test_the_headline_over_an_article_body_is_the_first_line_not_the_longer_photo_caption():
    # "Andy Reid in a file picture" under "Tottenham bid £8m for Forest duo" was taken as the headline
    [teasers] = segment(page("courier/p/4712.txt", "Council settles the harbour dispute at last",
                             "Harbour master Jane Doe seen in a file picture", *ARTICLE_BODY))
    assert [(t.headline, t.caption, t.article) for t in teasers] == [
        ("Council settles the harbour dispute at last", "Harbour master Jane Doe seen in a file picture", True)]


def test_a_short_article_is_known_by_the_words_of_its_running_text():
    # a lede, one long paragraph and a one-line quote: most of its words are running text
    body = ["Nottingham Forest have confirmed they have received a bid from Tottenham for two of their players.",
            "Forest rejected a move to Southampton last month after accepting a cash offer, while Spurs had made "
            "several previous bids for the young midfielder. Spurs had also made an undisclosed offer for the "
            "defender, and the club's chief executive said the two offers were being considered very carefully "
            "by the board, which would meet again at the end of the week to talk about the future of both players "
            "and of the manager.",
            "Spurs had seen previous bids for the midfielder rejected by the Championship club."]
    [teasers] = segment(page("courier/p/4714.txt", "Tottenham bid for Forest duo", *body))
    assert [(t.headline, t.text, t.article) for t in teasers] == [("Tottenham bid for Forest duo", "\n".join(body), True)]


def test_short_lines_closing_an_article_before_a_box_header_stay_in_its_body():
    # "Subs not used: Harper." after a match report became a headline-only story
    others = [page(f"courier/p/{n}.txt", f"Other report number {n} of the week", *ARTICLE_BODY, "Related stories",
                   f"Storm closes the harbour for day {n}",
                   "The harbour stayed closed on Monday as the storm battered the coast.") for n in range(3)]
    closing = ["Subs not used: Harper, Hamann and Smith.", "Referee: G Poll (Hertfordshire)."]
    report = page("courier/p/5000.txt", "Council settles the harbour dispute", *ARTICLE_BODY, *closing,
                  "Related stories", "Storm closes the harbour for a week",
                  "The harbour stayed closed on Monday as the storm battered the coast.")
    teasers = segment(report, *others)[0]
    assert [t.headline for t in teasers] == ["Council settles the harbour dispute", "Storm closes the harbour for a week"]
    assert teasers[0].text == "\n".join([*ARTICLE_BODY, *closing])


def test_a_breadcrumb_over_an_article_headline_is_no_headline():
    # "Home › Entertainment", printed on many of the site's pages, over a short headline
    pages = [page(f"courier/p/{n}.txt", "Home › Harbour", f"Harbour row number {n} settled", *ARTICLE_BODY)
             for n in range(3)]
    for n, teasers in enumerate(segment(*pages)):
        assert [(t.headline, t.article) for t in teasers] == [(f"Harbour row number {n} settled", True)]


def test_a_standfirst_under_an_article_headline_opens_its_text():
    # "Net users are getting the chance to fight back against spam websites" was the caption
    standfirst = "Net users are getting the chance to fight back against the harbour board"
    [teasers] = segment(page("courier/p/4715.txt", "Council settles the long harbour dispute", standfirst, *ARTICLE_BODY))
    assert [(t.headline, t.caption) for t in teasers] == [("Council settles the long harbour dispute", "")]
    assert teasers[0].text == "\n".join([standfirst, *ARTICLE_BODY])


def test_a_list_that_ends_an_article_is_its_own_unless_the_crawl_shows_its_lines_as_headlines():
    # the seeds of a tennis draw under a report became 64 headline-only stories
    seeds = [f"{n} {name}" for n, name in enumerate(["Roger Federer (Switzerland)", "Andy Roddick (US)",
             "Lleyton Hewitt (Australia)", "Marat Safin (Russia)", "Carlos Moya (Spain)", "Guillermo Coria (Argentina)",
             "Tim Henman (Britain)", "Andre Agassi (US)", "David Nalbandian (Argentina)"], 1)]
    footer = "Copyright The Harbour Courier 2004"  # on every page: boilerplate ends the body
    others = [page(f"courier/o/{k}.txt", f"Other report number {k} of the week", *ARTICLE_BODY, footer) for k in range(3)]
    report, *_ = segment(page("courier/p/4716.txt", "Henman to face Saulnier test", *ARTICLE_BODY, *seeds, footer),
                         *others)
    assert len(report) == 1 and report[0].text == "\n".join([*ARTICLE_BODY, *seeds])
    links = [f"Storm closes the {place} harbour for a week" for place in (  # printed on other pages too
        "Dover", "Hull", "Leith", "Poole", "Whitby", "Falmouth", "Penzance", "Harwich", "Grimsby")]
    listing = page("courier/l/1.txt", *[f"{link} The harbour stayed closed on Monday as the storm battered the coast."
                                        for link in links], footer)  # each run into its lede
    report, *_ = segment(page("courier/p/4717.txt", "Henman to face Saulnier test", *ARTICLE_BODY, *links, footer),
                         listing, *others)
    assert [t.headline for t in report] == ["Henman to face Saulnier test", *links]


def test_a_list_inside_an_article_body_does_not_end_it_when_the_crawl_shows_its_lines_nowhere_else():
    # the winners of an awards night, listed between two paragraphs of the report, became 22 stories
    winners = [f"Best {prize} - {who}" for prize, who in [
        ("new play", "The History Boys by Alan Bennett"), ("director", "Nicholas Hytner for The History Boys"),
        ("actress", "Clare Higgins for Hecuba at the Donmar"), ("actor", "Richard Griffiths for The History Boys"),
        ("new musical", "The Producers at Theatre Royal"), ("set design", "His Dark Materials by Giles Cadle"),
        ("revival", "Hamlet by William Shakespeare at The Old Vic"), ("sound design", "The Woman in White")]]
    closing = "The awards were handed out at a ceremony in the Grosvenor House Hotel in London on Sunday night."
    [teasers] = segment(page("courier/p/4718.txt", "The Producers scoops stage awards", *ARTICLE_BODY, *winners, closing))
    assert len(teasers) == 1 and teasers[0].text == "\n".join([*ARTICLE_BODY, *winners, closing])


def test_a_long_paragraph_reads_as_body_text_whatever_a_split_by_shape_says():
    # "Henry told BBC Radio | Five Live: ..." cut a 200-word body paragraph into a story
    quote = ("Henry told BBC Radio Five Live: \"The ref asked me if I wanted 10 yards or if I wanted to take it "
             "straight away and I said that I wanted to take it straight away.")
    assert split_headline(quote)[1]  # (a confident split: "Henry told BBC Radio" | "Five Live: ...")
    long = [quote + f" He said the referee was right, and the {n} others agreed with him." * 9 for n in ("two", "ten")]
    lede = "Referee Graham Poll said he applied the laws of the game in allowing the quick free-kick on Sunday."
    [teasers] = segment(page("courier/p/4719.txt", "Poll explains free-kick decision", lede, *long))
    assert [(t.headline, t.article) for t in teasers] == [("Poll explains free-kick decision", True)]
    assert teasers[0].text == "\n".join([lede, *long])


def test_an_article_of_a_lede_and_one_long_paragraph_under_a_menu_and_a_byline_is_one_story():
    # bare held-out article pages (numeric address, no date line) were cut into "headline | lede" fragments
    lede = "Serbia's Ana Ivanovic captured her first title with a straight-sets victory in the final of the Canberra Classic."
    body = " ".join(["The 17-year-old took 83 minutes to take the match 7-5 6-1 against the lucky loser."] * 9)
    [teasers] = segment(page("courier/articles/750681.txt", "Skip to content | Front page | Top stories | Opinion",
                             "Ivanovic seals Canberra victory", "By Jane Doe", lede, body))
    assert [(t.headline, t.text, t.article) for t in teasers] == [("Ivanovic seals Canberra victory", f"{lede}\n{body}", True)]


def test_an_article_body_broken_mid_sentence_over_short_lines_is_one_story():
    # a body whose links were cut out ("... qualification for" / "against Olympiakos on Wednesday
    # evening.") was read as a list of teasers: eight fragments, each a "story"
    body = ["All four of the harbour's rowing clubs have reached the final stages for the first time this year.",
            "The Harbour and Bay clubs are seeded as group winners, while the runners-up are not, and the rules "
            "say that clubs from the same town will be kept apart in the draw on Friday.",
            "A late surge by the Bay crew secured the last place for",
            "against the Northshore eight on Wednesday evening.",
            "Harbour, Bay, Northshore, Riverside, Lakeside.",
            "who had already qualified, rested their best crew and lost by two lengths.",
            "On Tuesday,",
            "won their heat by three lengths after losing two of their first five races of the season.",
            "Harbour, Bay, Northshore, Riverside",
            ", who had already qualified, lost to Bay as the old coach made an unhappy return."]
    [teasers] = segment(page("courier/p/4715.txt", "Rowing clubs make harbour history", "By Jane Doe", *body))
    assert [(t.headline, t.text, t.article) for t in teasers] == [
        ("Rowing clubs make harbour history", "\n".join(body), True)]


def test_a_photo_caption_over_its_credit_under_a_one_paragraph_article_headline_is_its_caption():
    # headline / byline / caption / credit / lede: the caption over the credit was taken for the
    # headline ("Security Council in a file picture"), and the headline became a story of its own
    stories = [("Council settles the harbour dispute", "Harbour master Jane Doe in a file picture",
                "Harbour master Jane Doe and the council settled the long dispute over the harbour on Monday night."),
               ("Ferry service resumes after storm", "Northshore ferry (file photo)",
                "The Northshore ferry sailed again on Tuesday after the storm had kept it in port for a week."),
               ("Library to open on Sundays", "City library in a file picture",
                "The city library will open on Sundays from next month, the council said on Wednesday."),
               ("Market square gets new lights", "Market square lights",
                "New lights went up in the market square on Thursday after a year of work.")]
    pages = [page(f"courier/articles/{n}.txt", MENU, headline, "By Jane Doe", caption, "Picture: AP", lede, FOOTER)
             for n, (headline, caption, lede) in enumerate(stories)]
    for teasers, (headline, caption, lede) in zip(segment(*pages), stories):
        assert [(t.headline, t.text, t.caption) for t in teasers] == [(headline, lede, caption)]


def test_a_published_and_updated_line_under_an_article_lede_stays_in_its_body():
    # "PUBLISHED: 10:48, Tue, Nov 19, 2019 | UPDATED: ..." is printed before its " | " as a line of its
    # own, so it "opened with a headline" and ended the article after its lede
    lede = ("The harbour council has sent inspectors to the docks after months of complaints about the "
            "state of the piers, warning it will not allow the harbour to fall into ruin.")
    dates = "PUBLISHED: 10:48, Tue, Nov 19, 2019 | UPDATED: 11:05, Tue, Nov 19, 2019"
    [teasers] = segment(page("courier/news/harbour-chaos-council-sends-inspectors.txt",
                             "Harbour chaos: council sends inspectors to the docks", lede, "By Jane Doe", dates,
                             "0", *ARTICLE_BODY))  # (its comment count)
    assert [(t.headline, t.article) for t in teasers] == [("Harbour chaos: council sends inspectors to the docks", True)]
    assert teasers[0].text.startswith(lede) and teasers[0].text.endswith("\n".join(ARTICLE_BODY))


def test_a_long_headline_under_its_kicker_over_a_byline_and_a_date_is_the_article_headline_not_a_lede():
    # "BLACK DEATH FEARS" / "Hunter diagnosed with bubonic plague after ..." (18 words, no full stop) /
    # "Debbie White" / "18 Nov 2019, 19:09": the long headline was read as the kicker's one-sentence lede
    headline = "Harbour master fined after dredging the old channel without a permit from the port council"
    [teasers] = segment(page("courier/news/4717.txt", "Home", "World News", "HARBOUR ROW DEEPENS", headline,
                             "Jane Doe", "18 Nov 2019, 19:09", *ARTICLE_BODY))
    [article] = [t for t in teasers if t.article]
    assert article.headline == headline and article.text == "\n".join(ARTICLE_BODY)


def test_an_article_body_runs_on_over_short_lines_between_its_paragraphs():
    # "Advertisement" and "Photo: iFixit" between body paragraphs cut the run to two paragraphs: the
    # headline the address names was a headline-only story, each paragraph a "headline lede" teaser
    body = ["The big harbour survey is done, and the results are in. The new 16-metre pier is a lot like the old "
            "15-metre pier, save for a few meaningful throwback features.",  # (read by shape as "headline lede")
            "I am not complaining. The new pier looks like a fine pier, as it should for the price the council "
            "paid for it, and the fishermen seem to like it well enough.",
            "Advertisement",
            "The ramp thing is a big deal. The council has been dealing with public outrage over the old ramp, "
            "which broke twice last winter and cost the boat owners a good deal.",
            "Photo: Harbour Survey",
            "But the new design is not all that new. As the survey points out, the new ramp is virtually the same "
            "as the one the harbour had in the old days, before the last rebuild."]
    [teasers] = segment(page("courier/news/the-future-of-harbour-piers-is-backwards.txt", "Recent from Jane Doe",
                             "The Future of Harbour Piers Is Backwards", "Jane Doe", "", "Filed to: piers",
                             "Photo: Harbour Survey", *body))
    [article] = [t for t in teasers if t.article]
    assert article.headline == "The Future of Harbour Piers Is Backwards" and article.text == "\n".join(body)
    # the run of body lines goes on over a line too short for a headline, not over a teaser's headline
    lines = [body[0], body[1], "Advertisement", body[3], "Harbour ramp rebuilt at last", body[5]]
    paragraph = [True, True, False, True, False, True]
    assert _body_run(lines, paragraph, 0) == 4


def test_one_long_body_paragraph_counts_its_words_past_the_shape_threshold():
    # a lede, a paragraph of 125 words and a quote of 98 read by shape as "headline lede": the long
    # paragraph counted as 100 words, under half of the run, and the article became three teasers
    lede = "Harbour master Walter Smith says he wants to restore the harbour's standing among the ports of the coast."
    long = " ".join(["Smith has called his first meeting of the pier keepers for a three-day get-together near the "
                     "old docks in preference to holding a public hearing, and he says the keepers will talk about "
                     "the state of the piers."] * 3 + ["While the rebuild of the north pier appears to be beyond "
                                                       "the council this year, Smith is anxious that the rest of "
                                                       "the work should go well."] * 2)
    quote = " ".join(['He said: "I pointed out how I see the harbour going forward and that was the main topic.'] +
                     ["This is a relaxed meeting and I do not think there is a lot of doom and gloom about the piers "
                      "that a lot of people think there is."] * 2 +
                     ['We will talk again next month, and the keepers know the piers best of all."'])
    [teasers] = segment(page("courier/articles/4718.txt", "Smith aims to bring back the harbour's standing",
                             lede, long, quote))
    assert [(t.headline, t.text, t.article) for t in teasers] == [
        ("Smith aims to bring back the harbour's standing", "\n".join([lede, long, quote]), True)]


def test_the_sites_own_name_in_a_pages_address_names_no_line_as_the_pages_article():
    # t-online.de's front page "Frag t-online" was read as the page's own article, named by its address,
    # and the headlines under it became its caption
    lede = "The council met on Monday to decide the ferry timetable, and the members argued over it for a long while."
    wall = "The mayor opened the new harbour wall on Friday after three years of work, and the crowd cheered her on."
    [teasers] = segment(page("harbour-courier/index.txt", "Ask harbour-courier", "Harbour council votes on new ferry",
                             lede, "Mayor opens the new harbour wall", wall, site="harbour-courier"))
    assert [(t.headline, t.article) for t in teasers] == [
        ("Harbour council votes on new ferry", False), ("Mayor opens the new harbour wall", False)]


def test_a_box_header_over_related_teasers_whose_headlines_recur_is_not_the_articles_closing_note():
    # the sample's "Ferry strike ends" article ended on "Related stories": the related teaser's headline,
    # printed on many of the site's pages, closed the article, and the short line above it was taken
    # for the article's own closing note
    bridge = "Harbour bridge closed for repairs"
    teaser = f"{bridge} The swing bridge will be shut to traffic for six weeks while engineers replace its bearings."
    body = [f"Crews on the island route returned to work on Friday morning after a deal on pay, number {n}, "
            f"ending the longest strike in the port's history." for n in range(4)]
    listings = [page(f"courier/city/page-{n}.txt", "City", bridge, teaser, f"Other story {n} of the city today",
                     "Another paragraph of a teaser about the city council and its plans for the old docks.")
                for n in range(3)]
    article = page("courier/city/ferry.txt", "Ferry strike ends after three weeks", "14 March 2025", *body,
                   "Related stories", "", bridge, teaser)
    stories = segment(*listings, article)[-1]
    [own] = [t for t in stories if t.article]
    assert own.text == "\n".join(body)
    assert bridge in [t.headline for t in stories]

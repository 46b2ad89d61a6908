"""Merging the same story across pages, and keeping different stories apart."""
from indexer.dedupe import Deduplicator
from indexer.records import Teaser

LEDE = ("Shares of Google Inc. fell almost 9 percent on Friday after an analyst forecast a sharp "
        "slowdown in the growth of the Internet search engine's revenues and profits next year.")
SHARED = "Ten new ambassadors presented their credentials to Belarus President Alexander Lukashenko."


def teaser(headline: str, text: str, page: str, how: str = "line", **kw) -> Teaser:
    return Teaser(headline=headline, text=text, page=page, site=page.split("/")[0], headlines=[headline],
                  headline_from=how, truncated=text.endswith(("...", "…")), **kw)


def merge(*teasers: Teaser) -> list:
    dedup = Deduplicator()
    for t in teasers:
        dedup.add(t)
    return list(dedup.stories())


def test_exact_copies_truncations_datelines_and_entity_noise_are_one_story():
    stories = merge(
        teaser("Google Stock Falls on Outlook", LEDE, "a/1.txt"),
        teaser("Google Stock Falls on Outlook", LEDE, "b/2.txt"),
        teaser("Google stock falls on outlook", " ".join(LEDE.split()[:15]) + " ...", "a/3.txt"),
        teaser("Google Stock Falls on Outlook - Analyst", "NEW YORK (Reuters) - " + LEDE, "c/4.txt"),
        teaser("Google Stock Falls on Outlook", LEDE.replace("engine's", "engine #39;s"), "d/5.txt"),
    )
    assert len(stories) == 1
    story = stories[0]
    assert story.pages == ["a/1.txt", "b/2.txt", "a/3.txt", "c/4.txt", "d/5.txt"]
    assert story.sites == ["a", "b", "c", "d"]
    assert story.headline == "Google Stock Falls on Outlook"  # the variant most pages print
    assert set(story.headlines) == {"Google Stock Falls on Outlook", "Google stock falls on outlook",
                                    "Google Stock Falls on Outlook - Analyst"}
    assert story.text.endswith("profits next year.")  # the complete version, not the truncated one


def test_the_article_page_decides_text_and_headline():
    article = teaser("Google shares slide", LEDE + "\nThe analyst cut his rating.", "a/article.txt", article=True)
    stories = merge(teaser("Google Stock Falls", LEDE, "b/1.txt", how="split"), article)
    [story] = stories
    assert story.headline == "Google shares slide" and story.text.endswith("cut his rating.")


def test_where_a_run_together_line_was_split_does_not_matter():
    whole = "Google Stock Falls on Outlook " + LEDE
    words = whole.split()
    stories = merge(teaser(" ".join(words[:5]), " ".join(words[5:]), "a/1.txt", how="split"),
                    teaser(" ".join(words[:7]), " ".join(words[7:]), "b/1.txt", how="split"))
    assert len(stories) == 1


def test_recurring_headlines_with_different_ledes_stay_apart():
    stories = merge(
        teaser("Today's schedule", "The farmers' market opens at 9 at the Old Library, where stalls sell "
               "bread and cheese until noon; a brass band plays on the quay in the afternoon.", "a/1.txt"),
        teaser("Today's schedule", "The book fair opens at 10 in the Town Hall, where local authors sign "
               "copies until four; a choir sings at the cathedral in the evening.", "a/2.txt"),
    )
    assert len(stories) == 2


def test_daily_reports_that_differ_only_in_their_numbers_stay_apart():
    report = ("Weather: Westhaven will see highs of {} degrees and lows of {} degrees today, with light "
              "winds from the west and a chance of showers in the late afternoon across the coast.")
    stories = merge(teaser("Weather", report.format(14, 6), "a/1.txt"),
                    teaser("Weather", report.format(17, 9), "a/2.txt"),
                    teaser("Weather", report.format(14, 6), "b/1.txt"))
    assert sorted(s.page_count for s in stories) == [1, 2]


def test_two_stories_sharing_a_lede_sentence_stay_apart():
    s = ("Belarus confirms interest in tighter cooperation with African states",
         "10 new ambassadors presented their credentials to Belarus President Alexander Lukashenko December 12. "
         "The ceremony symbolizes the official start of diplomats' duties in Belarus. This time, taking part "
         "in the ceremony were ambassadors of Afghanistan, Bulgaria, Egypt, Mozambique and Estonia.")
    u = ("Sanctions against Belarus affect living standards - President",
         SHARED + " Taking part in the ceremony were ambassadors of Afghanistan, Bulgaria, Egypt, Mozambique "
         "and Estonia. Six ambassadors have a concurrent accreditation in Moscow and Kiev.")
    assert len(merge(teaser(*s, "a/1.txt"), teaser(*u, "a/1.txt"))) == 2


def test_a_headline_only_teaser_joins_the_one_story_with_its_headline():
    stories = merge(teaser("Google Stock Falls on Outlook", LEDE, "a/1.txt"),
                    teaser("Google Stock Falls on Outlook", "", "b/home.txt"),
                    teaser("Ferry strike called off", "", "b/home.txt"))
    assert [(s.headline, s.pages) for s in stories] == [
        ("Google Stock Falls on Outlook", ["a/1.txt", "b/home.txt"]),
        ("Ferry strike called off", ["b/home.txt"])]


def test_a_headline_repeated_at_the_start_of_the_kept_text_is_removed():
    [story] = merge(teaser("Google Stock Falls on Outlook", "Google Stock Falls on Outlook " + LEDE, "a/1.txt"))
    assert story.text == LEDE


def test_story_ids_are_stable_across_builds():
    build = lambda: [s.id for s in merge(teaser("Google Stock Falls", LEDE, "a/1.txt"),
                                          teaser("Weather", "Sunny spells all day on the coast, light winds.",
                                                 "a/2.txt"))]
    assert build() == build()
    assert len(set(build())) == 2


def test_a_kicker_the_headline_already_opens_with_is_not_repeated():
    # broke: "Harbour strike" over "Harbour strike: Pilots return to work" when one page printed them joined
    lede = "Pilots returned to work on Monday after the port board offered a rise of six percent over two years."
    joined = teaser("Harbour strike: Pilots return to work", lede, "a.html", url="https://x.example/harbour-pilots-strike-ends")
    apart = teaser("Harbour strike: Pilots return to work", lede, "b.html", url="https://x.example/harbour-pilots-strike-ends",
                   kicker="Harbour strike")
    other = teaser("Pilots return to work", lede, "c.html", url="https://x.example/harbour-pilots-strike-ends-2",
                   kicker="Harbour strike")
    [story] = merge(joined, apart)
    assert story.headline.startswith("Harbour strike") and story.kicker == ""
    assert merge(other)[0].kicker == "Harbour strike"

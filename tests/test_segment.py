"""Segmenting pages into teasers: the seed page, and the layouts and traps of a crawl."""
import json
from pathlib import Path

import pytest

from indexer.headline import repeated_prefix, split_headline
from indexer.records import Page
from indexer.segment import CrawlStats, segment_page
from indexer.sources import ReadReport, iter_pages

SEED_DIR = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "seed"
SAMPLE_SEED = Path(__file__).resolve().parents[1] / "indexer" / "sample" / "pages" / "belarus-news"

MENU = "Home | World | Business | Sport"
FOOTER = "© 2025 The Harbour Courier. All rights reserved."


def segment(*pages: Page) -> list[list]:
    """Both passes over a handful of pages: learn the crawl, then segment each page."""
    stats = CrawlStats()
    for page in pages:
        stats.observe(page)
    return [segment_page(page, stats) for page in pages]


def page(id: str, *lines: str, site: str = "courier", **kw) -> Page:
    return Page(id=id, site=site, lines=list(lines), **kw)


def seed_page() -> Page:
    folder = SEED_DIR if SEED_DIR.exists() else SAMPLE_SEED
    return next(iter_pages([folder], ReadReport()))


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


def test_article_page_gives_one_story_with_its_body_and_related_teasers_apart():
    body = ["The Bank of Westhaven raised its main rate to 4 percent on Thursday.",
            "It was the third rise this year, the bank said in a statement.",
            "Borrowers will feel the change from next month, analysts said."]
    [teasers] = segment(page(
        "courier/articles/bank-of-westhaven-raises-rates.txt",
        "Bank of Westhaven raises rates", "12 March 2025", *body, "Related stories",
        "Ferry strike called off at Westhaven The ferry operators' union has called off Friday's strike."))
    article, related = teasers
    assert article.article and article.headline == "Bank of Westhaven raises rates"
    assert article.text == "\n".join(body) and article.date == "2025-03-12"
    assert related.headline == "Ferry strike called off at Westhaven" and not related.article


def test_date_lines_date_the_teasers_below_them_and_are_never_boilerplate():
    pages = [page(f"s/{n}.txt", "3 March 2025", f"Teaser {n} headline goes here",
                  f"The lede of teaser {n} tells what happened in the town.") for n in range(4)]
    for teasers in segment(*pages):
        assert teasers[0].date == "2025-03-03"


def test_a_lone_long_line_is_a_headline_only_teaser_and_short_ones_are_navigation():
    [teasers] = segment(page("p.txt", "Sections", "Proteste in Kanada : Trucker-Aufstand gegen die Impfpflicht"))
    assert [(t.headline, t.text) for t in teasers] == [
        ("Proteste in Kanada : Trucker-Aufstand gegen die Impfpflicht", "")]


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

"""The benchmark tools: bench/quality.py scores exports against truth; bench/compose.py writes consistent truth."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import compose, quality
from bench.stories import DEFAULT_DATA_DIR

DATA_DIR = DEFAULT_DATA_DIR  # ../shared/corpora beside the checkout, or $LEDE_CORPORA
FLOORS = Path(__file__).parent / "quality_floors.json"

# Five stories: two daily market reports under one headline, and two stories opening with the same sentence.
RATES = {
    "key": "rates", "headline": "Bank opts to leave rates on hold", "headlines": ["Bank opts to leave rates on hold"],
    "lede": "LONDON (Reuters) - The Bank of England has left interest rates on hold at 4.75% for a sixth month "
            "in a row, as policymakers weighed mixed signals from shoppers, house prices and factories.",
    "body": "", "pages": ["herald/articles/rates.txt", "herald/business/page-1.txt", "https://wire.example/b/1"],
}
MARKET_MON = {
    "key": "market-mon", "headline": "Market report", "headlines": ["Market report"],
    "lede": "The FTSE 100 closed 12 points higher at 4812 on 3 May, the Dow Jones added 40 to 10120 and the "
            "Nasdaq gained 7 to 1950.",
    "body": "", "pages": ["herald/business/page-1.txt"],
}
MARKET_TUE = {
    "key": "market-tue", "headline": "Market report", "headlines": ["Market report"],
    "lede": "The FTSE 100 closed 55 points higher at 4790 on 4 May, the Dow Jones added 12 to 10311 and the "
            "Nasdaq gained 21 to 2011.",
    "body": "", "pages": ["herald/business/page-2.txt"],
}
ENVOYS = {
    "key": "envoys", "headline": "Ten new ambassadors present credentials", "headlines": [],
    "lede": "Ten new ambassadors presented their credentials to the President on Friday. The ceremony marks the "
            "official start of their duties, and envoys from Chile, Kenya and Norway attended.",
    "body": "", "pages": ["wire/feeds/feed-001.jsonl:2"],
}
TRADE = {
    "key": "trade", "headline": "President urges envoys to boost trade", "headlines": [],
    "lede": "Ten new ambassadors presented their credentials to the President on Friday. He told them the country "
            "wants closer trade ties with Asia and Africa and promised new direct flights next year.",
    "body": "", "pages": ["wire/feeds/feed-001.jsonl:3", "herald/world/page-1.txt"],
}
TRUTH = [RATES, MARKET_MON, MARKET_TUE, ENVOYS, TRADE]


def record(story: dict, **changes) -> dict:
    """A perfect export record for a truth story, with some fields changed."""
    row = {"id": story["key"], "headline": story["headline"], "text": story["lede"], "pages": story["pages"]}
    return {**row, **changes}


def score(tmp_path: Path, records: list[dict]) -> dict:
    """Write TRUTH and the records, and evaluate."""
    (tmp_path / "truth.jsonl").write_text("".join(json.dumps(s) + "\n" for s in TRUTH))
    export = tmp_path / "export.jsonl"
    export.write_text("".join(json.dumps(r) + "\n" for r in records))
    return quality.evaluate(tmp_path, export)


def test_perfect_export_scores_full_marks(tmp_path):
    result = score(tmp_path, [record(s) for s in TRUTH])
    assert {k: result[k] for k in quality.FIGURES} == {
        "recovered": 1.0, "split": 0.0, "merged_wrong": 0.0,
        "headline_exact": 1.0, "no_headline_repeat": 1.0, "pages_recall": 1.0,
    }
    assert quality.check_floors(result, json.loads(FLOORS.read_text())) == []


def test_noisy_and_truncated_records_still_match(tmp_path):
    noisy = record(RATES, text="The Bank of England has left interest rates on hold at 4.75% for a sixth month in a row, as...")
    entity = record(ENVOYS, headline="Ten new ambassadors present credentials",
                    text="Ten new ambassadors presented their credentials to the President on Friday. The ceremony "
                         "marks the official start of their duties, and envoys from Chile, Kenya and Norway attended.")
    result = score(tmp_path, [noisy, record(MARKET_MON), record(MARKET_TUE), entity, record(TRADE)])
    assert result["recovered"] == 1.0 and result["merged_wrong"] == 0.0 and result["split"] == 0.0


def test_lost_story_is_caught(tmp_path):
    result = score(tmp_path, [record(s) for s in TRUTH if s is not TRADE])
    assert result["recovered"] == pytest.approx(4 / 5)
    assert result["examples"]["lost"][0]["key"] == "trade"


def test_split_story_is_caught(tmp_path):
    halves = [record(RATES, id="rates-1", pages=RATES["pages"][:1]), record(RATES, id="rates-2", pages=RATES["pages"][1:])]
    result = score(tmp_path, halves + [record(s) for s in TRUTH[1:]])
    assert result["split"] == pytest.approx(1 / 5)
    assert result["pages_recall"] == 1.0  # pages of both records count
    assert result["examples"]["split"][0]["records"] == ["rates-1", "rates-2"]


def test_wrong_merge_is_caught(tmp_path):
    both = record(MARKET_MON, text=f"{MARKET_MON['lede']} {MARKET_TUE['lede']}", pages=["x"])
    result = score(tmp_path, [record(RATES), both, record(ENVOYS), record(TRADE)])
    assert result["merged_wrong"] == pytest.approx(1 / 4)
    assert result["examples"]["merged_wrong"][0]["stories"] == ["market-mon", "market-tue"]


def test_stories_sharing_a_sentence_or_headline_do_not_cross_match(tmp_path):
    matching = quality.match(quality.load_truth_rows(TRUTH), quality.load_export_rows([record(s) for s in TRUTH]))
    assert {r: keys for r, keys in matching.by_record.items()} == {i: [s["key"]] for i, s in enumerate(TRUTH)}


def test_wrong_headline_is_caught(tmp_path):
    result = score(tmp_path, [record(s) for s in TRUTH[:3]] + [record(ENVOYS, headline="Ten new ambassadors"), record(TRADE)])
    assert result["headline_exact"] == pytest.approx(4 / 5)
    assert result["examples"]["headline_wrong"][0]["got"] == "Ten new ambassadors"


def test_headline_compared_after_entity_cleaning(tmp_path):
    story = record(RATES, headline="Bank opts to leave rates on  hold")
    result = score(tmp_path, [story] + [record(s) for s in TRUTH[1:]])
    assert result["headline_exact"] == 1.0


def test_headline_repeated_in_text_is_caught(tmp_path):
    repeated = record(TRADE, text=f"President urges envoys to boost trade {TRADE['lede']}")
    near = record(RATES, text=f"Bank opts to leave interest rates on hold {RATES['lede']}")
    result = score(tmp_path, [near, *map(record, TRUTH[1:4]), repeated])
    assert result["no_headline_repeat"] == pytest.approx(3 / 5)


def test_missing_page_is_caught(tmp_path):
    result = score(tmp_path, [record(RATES, pages=RATES["pages"][:2])] + [record(s) for s in TRUTH[1:]])
    assert result["pages_recall"] == pytest.approx(7 / 8)
    assert result["examples"]["pages_missing"][0]["missing"] == ["https://wire.example/b/1"]


def test_cleaning_matches_the_source_quirks():
    assert quality.clean_text("Eriksson doesn #39;t feel  #36;10 a\\team") == "Eriksson doesn't feel $10 a team"
    assert quality.clean_text("cracks down on  quot;phone sex quot; lines") == 'cracks down on "phone sex" lines'
    assert quality.strip_dateline(" NEW YORK (Reuters) - Stocks fell") == "Stocks fell"


# --- the composer ---

needs_data = pytest.mark.skipif(not (DATA_DIR / "ag_news" / "test.csv").exists(), reason="corpora not available")


@pytest.fixture(scope="module")
def composed(tmp_path_factory):
    out = tmp_path_factory.mktemp("composed")
    summary = compose.compose(out, stories=60, seed=7, layouts="dev", source="both", data_dir=DATA_DIR)
    truth = [json.loads(line) for line in (out / "truth.jsonl").read_text().splitlines()]
    return out, summary, truth, compose.read_crawl(out / "crawl")


@needs_data
def test_composed_truth_pages_exist(composed):
    out, summary, truth, pages = composed
    assert summary["stories"] == len(truth) == 60 and 3 <= summary["sites"] <= 5
    assert len({s["key"] for s in truth}) == 60
    assert all(1 <= len(s["pages"]) and set(s["pages"]) <= set(pages) for s in truth)
    block_pages = [json.loads(line)["page"] for line in (out / "blocks.jsonl").read_text().splitlines()]
    assert sorted(block_pages) == sorted(pages)


@needs_data
def test_composed_ledes_appear_on_their_pages(composed):
    _, _, truth, pages = composed
    for story in truth:
        opening = quality.shingles(quality.words(quality.strip_dateline(story["lede"])))[:10]
        for page in story["pages"]:
            shown = set(quality.shingles(quality.words(" ".join(pages[page]))))
            assert sum(g in shown for g in opening) >= 0.8 * len(opening), (story["key"], page)


@needs_data
def test_composed_truth_scores_full_marks_against_itself(composed, tmp_path):
    out, _, truth, _ = composed
    export = tmp_path / "oracle.jsonl"
    export.write_text("".join(json.dumps(record(s, text=f"{s['lede']}\n{s['body']}")) + "\n" for s in truth))
    result = quality.evaluate(out, export)
    assert result["recovered"] == 1.0 and result["split"] == 0.0 and result["merged_wrong"] == 0.0


@needs_data
def test_compose_is_deterministic_and_heldout_uses_other_rows(composed, tmp_path):
    out, _, truth, _ = composed
    compose.compose(tmp_path / "again", stories=60, seed=7, layouts="dev", source="both", data_dir=DATA_DIR)
    assert (tmp_path / "again" / "truth.jsonl").read_text() == (out / "truth.jsonl").read_text()
    compose.compose(tmp_path / "heldout", stories=60, seed=7, layouts="heldout", source="ag", data_dir=DATA_DIR)
    heldout = [json.loads(line) for line in (tmp_path / "heldout" / "truth.jsonl").read_text().splitlines()]
    ag_rows = lambda rows: {int(s["key"].split("-")[1]) % 2 for s in rows if s["source"] == "ag"}  # noqa: E731
    assert ag_rows(truth) == {0} and ag_rows(heldout) == {1}

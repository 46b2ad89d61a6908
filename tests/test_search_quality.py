"""Search quality gate on a composed crawl (bench/oracle/search_quality.py, small): phrases, headline MRR, snippets, hostile input."""
import pytest

from bench.oracle import search_quality as sq
from bench.oracle.stories import DEFAULT_DATA_DIR

STORIES = 300
PHRASES = 100
MRR_QUERIES = 100

pytestmark = [pytest.mark.slow,  # composes and indexes a crawl, then hundreds of queries
              pytest.mark.skipif(not (DEFAULT_DATA_DIR / "ag_news").exists(),
                                 reason="the research corpora (../shared/corpora) are not beside this checkout")]


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    figures = sq.run(tmp_path_factory.mktemp("search-quality"), STORIES, "dev", 1,
                     phrases=PHRASES, mrr_queries=MRR_QUERIES)
    print(sq.format_table(figures, f"tests/test_search_quality.py ({STORIES} stories, seed 1)"))
    return figures


def test_exact_phrases_find_every_story_holding_the_phrase_and_no_other(result):
    assert result["phrase_queries"] >= PHRASES
    assert result["phrase_errors"] == 0, result["phrase_mismatches"]
    assert result["phrase_precision"] >= 0.99, result["phrase_mismatches"]
    assert result["phrase_recall"] >= 0.99, result["phrase_mismatches"]
    # regression: headline variants were one run of positions, so "total Further" matched
    # "Further rise in UK jobless total" + "Further rise in jobless total"
    assert result["boundary_probes"] > 0 and result["boundary_matched"] == 0


def test_a_typed_headline_finds_its_story_first(result):
    assert result["mrr_errors"] == 0, result["mrr_misses"]
    assert result["mrr_same_headline"] >= 0.95, result["mrr_misses"]


def test_no_story_twice_in_one_query_and_pages_agree(result):
    assert result["duplicate_hits"] == 0, result["duplicate_examples"]
    assert result["paging_inconsistent"] == 0, result["paging_examples"]


def test_snippets_mark_the_words_found_in_the_text(result):
    assert result["mark_share"] >= 0.99, result["mark_missing"]


def test_hostile_input_neither_crashes_nor_reflects(result):
    assert result["hostile_inputs"] >= 50
    assert result["status_5xx"] == 0, result["hostile_failures"]
    assert result["reflections"] == 0, result["hostile_failures"]
    assert result["bad_error_shape"] == 0, result["hostile_failures"]


def test_the_reflection_check_would_see_a_raw_payload():
    # guards the gate itself: a payload's tag must yield a needle, and a javascript: href must be seen
    assert [m.group(0) for m in sq.TAG.finditer('"><img src=x onerror=alert(1)>')] == ["<img src=x onerror=alert(1"]
    assert sq.SCRIPT_URL_ATTR.search('<a href="javascript:alert(1)">x</a>')
    assert not sq.SCRIPT_URL_ATTR.search("<p>javascript:alert(1)</p>")

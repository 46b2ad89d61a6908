"""Facets, the date filter and the timeline: exact against a brute-force count over `lede export`,
on a generated crawl built with Whoosh's writer processes and on an index updated in place
(segments from two builds, deleted documents); and every filter parameter validated."""
import random
from collections import Counter
from datetime import date, timedelta

import numpy as np
import pytest

from bench.perf.crawl_gen import DEFAULT_DATA_DIR, generate
from indexer import build, passes
from indexer.build import iter_stories
from indexer.columns import day_number
from indexer.pipeline import build_index
from webapp import facets as fc
from webapp.search import IndexHolder, QueryError, expand_prefixes, parse_query, search

needs_corpora = pytest.mark.skipif(not (DEFAULT_DATA_DIR / "ag_news").is_dir(), reason="needs ../shared/corpora")
# few matches, very many (`the` is in nearly every story), and every kind of query the counting
# reads in its own way: words, ORs over fields, AND, NOT, phrases, prefixes, site:
QUERIES = ["the", "said", "the OR of", "said year", "the -said", "said NOT (year OR new)",
           '"the company"', "pri*", "headline:new", "site:gamma the"]
RARE_WORDS = 4  # and this many of the rarest words, a match or two each


def brute_force(stories: list[dict], ids: set[str], first: date | None = None, last: date | None = None,
                site: str | None = None) -> dict:
    """Facets, timeline and total of the stories with these ids, counted from export records."""
    chosen = [s for s in stories if s["id"] in ids and (site is None or site in s["sites"])]
    undated = sum(1 for s in chosen if not s["date"])
    if first or last:
        chosen = [s for s in chosen if s["date"] and (first is None or s["date"] >= first.isoformat())
                  and (last is None or s["date"] <= last.isoformat())]
    sites = Counter(site for s in chosen for site in s["sites"])
    return {"total": len(chosen), "undated": undated, "sites": dict(sites),
            "days": Counter(s["date"] for s in chosen if s["date"])}


def buckets_hold(timeline: list[dict], days: Counter) -> None:
    """The timeline's buckets are contiguous, cover every dated match and count each exactly."""
    for a, b in zip(timeline, timeline[1:]):
        assert a["end"] == b["start"]
    for bucket in timeline:
        assert bucket["count"] == sum(n for d, n in days.items() if bucket["start"] <= d < bucket["end"])
    assert sum(b["count"] for b in timeline) == sum(days.values())
    if timeline:
        assert timeline[0]["count"] and timeline[-1]["count"]


def whoosh_ids(holder: IndexHolder, q: str) -> set[str]:
    """The ids of every story Whoosh itself finds for q (its stored fields, no columns)."""
    with holder.searcher() as searcher:
        parsed = expand_prefixes(parse_query(q, searcher.schema), searcher.reader())
        return {hit["id"] for hit in searcher.search(parsed, limit=None)}


def check_index(index_dir, rng: random.Random) -> None:
    """Every query's facets, timeline and total equal the brute-force count, unfiltered and filtered."""
    stories = list(iter_stories(index_dir))
    holder = IndexHolder(index_dir)
    words = Counter(w for s in stories for w in set(s["text"].lower().split()) if w.isalpha())
    rare = sorted(w for w, n in words.items() if n <= 2)[:RARE_WORDS]
    dates = sorted(s["date"] for s in stories if s["date"])
    try:
        for q in QUERIES + rare:
            ids = whoosh_ids(holder, q)
            with holder.searcher() as searcher:
                parsed = expand_prefixes(parse_query(q, searcher.schema), searcher.reader())
                docs = fc.matching_docs(searcher, parsed)
                assert {searcher.stored_fields(int(d))["id"] for d in docs} == ids, q
                assert len(docs) == len(ids) and (np.diff(docs) > 0).all()
            low = date.fromisoformat(rng.choice(dates))
            high = low + timedelta(days=rng.randint(0, 120))
            site = rng.choice(stories)["sites"][0]
            for first, last, on in ((None, None, None), (low, high, None), (low, None, site), (None, high, None)):
                want = brute_force(stories, ids, first, last, on)
                data = search(holder, q, site=on, first=first and first.isoformat(),
                              last=last and last.isoformat(), per_page=5)
                got_sites = {c["value"]: c["count"] for c in data["facets"]["site"]}
                assert (data["total"], data["undated"], got_sites) == (want["total"], want["undated"], want["sites"]), q
                buckets_hold(data["timeline"], want["days"])
                assert len({h["id"] for h in data["results"]}) == min(5, want["total"])
                assert all(on in h["sites"] for h in data["results"]) if on else True
            by_date = search(holder, q, sort="date", per_page=5)  # counted from the matches the sort kept
            unfiltered = brute_force(stories, ids)
            assert {c["value"]: c["count"] for c in by_date["facets"]["site"]} == unfiltered["sites"], q
            buckets_hold(by_date["timeline"], unfiltered["days"])
    finally:
        holder.close()


@needs_corpora
def test_counts_equal_brute_force_on_a_generated_crawl_and_after_an_update(tmp_path, monkeypatch):
    monkeypatch.setattr(build, "PARALLEL_MIN_STORIES", 20)  # Whoosh's two writer processes, several segments
    monkeypatch.setattr(passes, "PARALLEL_MIN_BYTES", 0)
    generate(tmp_path / "gen", 3000, seed=3)
    crawl = tmp_path / "gen" / "crawl"
    files = sorted(crawl.rglob("*.jsonl"))
    held = {path: path.read_text(encoding="utf-8") for path in files[::3]}
    for path in held:
        path.unlink()
    build_index([crawl], tmp_path / "ix")
    check_index(tmp_path / "ix", random.Random(1))

    for path, text in held.items():  # a third of the crawl comes back, and one file goes
        path.write_text(text, encoding="utf-8")
    files[1].unlink()
    build_index([crawl], tmp_path / "ix", update=True)
    with IndexHolder(tmp_path / "ix").searcher() as searcher:
        reader = searcher.reader()
        assert reader.has_deletions() and len(list(reader.leaf_readers())) > 1  # what this test is about
    check_index(tmp_path / "ix", random.Random(2))


def test_day_numbers_and_buckets():
    assert day_number("1970-01-02") == 1 and day_number("1969-12-31") == -1
    assert day_number(None) == day_number("") == day_number("2025-02-30") == fc.NO_DAY
    columns = type("C", (), {})()
    for days, unit, first in ((["2025-03-14", "2025-03-16"], 1, "2025-03-14"),
                              (["2025-03-14", "2025-06-30"], 7, "2025-03-10"),  # a Monday
                              (["2024-12-31", "2027-01-01"], None, "2024-12-01")):
        columns.days = np.array([day_number(d) for d in days], dtype=np.int32)
        timeline = fc.timeline(np.arange(len(days)), columns)
        assert timeline[0]["start"] == first and sum(b["count"] for b in timeline) == 2
        span = (date.fromisoformat(timeline[0]["end"]) - date.fromisoformat(timeline[0]["start"])).days
        assert span == unit if unit else span == 31
        assert timeline[-1]["end"] > days[-1] >= timeline[-1]["start"]


@pytest.mark.parametrize("kwargs, message", [
    ({"first": "2025-3-1"}, "from must be a date written YYYY-MM-DD"),
    ({"last": "2025-02-30"}, "to is not a real date"),
    ({"first": "2025-03-02", "last": "2025-03-01"}, "from (2025-03-02) is after to (2025-03-01)"),
    ({"q": "bank date:2025-03-01..x"}, "the end of date:2025-03-01..x"),
    ({"q": "bank date:.."}, "has no date"),
    ({"q": "date:2025-01-01.."}, "no words"),
    ({"facets": ["colour"]}, "unknown facet 'colour'"),
])
def test_bad_filters_say_what_to_change(holder, kwargs, message):
    with pytest.raises(QueryError, match=message.replace("(", r"\(").replace(")", r"\)")):
        search(holder, **{"q": "bank", **kwargs})


def test_date_filter_leaves_out_undated_stories_only_when_set(holder):
    every = search(holder, "bank OR browser OR maduro")
    dated = search(holder, "bank OR browser OR maduro", first="1900-01-01")
    assert every["undated"] == dated["undated"] > 0
    assert dated["total"] == every["total"] - every["undated"]
    in_query = search(holder, "bank OR browser OR maduro date:1900-01-01..")
    assert (in_query["total"], in_query["from"], in_query["to"]) == (dated["total"], "1900-01-01", None)
    both = search(holder, "bank OR browser OR maduro date:2025-01-01..2025-12-31", first="2025-01-10", last="2026-01-01")
    assert (both["from"], both["to"]) == ("2025-01-10", "2025-12-31")  # the narrower of the two


def test_a_site_without_matches_gives_no_results(holder):
    data = search(holder, "bank", site="nowhere.example")
    assert (data["total"], data["results"], data["facets"]["site"], data["timeline"]) == (0, [], [], [])


def test_without_facets_nothing_is_counted(holder):
    data = search(holder, "bank", facets=[], timeline=False)
    assert (data["facets"], data["timeline"], data["undated"]) == (None, None, None)
    assert data["total"] == search(holder, "bank")["total"]


def test_the_language_facet_counts_and_filters_each_story_by_its_language(tmp_path):
    from indexer.build import write_index
    from indexer.records import Story

    languages = {"s0": "de", "s1": "de", "s2": "en", "s3": "fr"}
    write_index([Story(id=f"s{n}", headline=f"Ferry news {n}", headlines=[f"Ferry news {n}"], text="The ferry sails.",
                       pages=[f"p{n}"], sites=["x"], date="2025-03-01", language=languages[f"s{n}"])
                 for n in range(4)], tmp_path / "ix")
    holder = IndexHolder(tmp_path / "ix")
    try:
        assert search(holder, "ferry")["facets"]["language"] == [
            {"value": "de", "count": 2}, {"value": "en", "count": 1}, {"value": "fr", "count": 1}]
        assert search(holder, "ferry", language="DE")["total"] == 2
        assert search(holder, "ferry", language="it")["total"] == 0
    finally:
        holder.close()



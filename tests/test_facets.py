"""Facets, the date filter and the timeline: exact against a brute-force count over `lede export`,
on a generated crawl built with Whoosh's writer processes and on an index updated in place
(segments from two builds, deleted documents); and every filter parameter validated."""
import json
import random
from collections import Counter
from datetime import date, timedelta

import numpy as np
import pytest

from bench.perf.crawl_gen import DEFAULT_DATA_DIR, generate
from indexer import build, passes
from indexer.build import iter_stories
from indexer.columns import columns_of, day_number
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


@pytest.mark.slow  # a generated crawl built, updated and counted by brute force
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
    for days, unit, first in ((["2025-03-14", "2025-03-16"], 1, "2025-03-14"),
                              (["2025-03-14", "2025-06-30"], 7, "2025-03-10"),  # a Monday
                              (["2024-12-31", "2027-01-01"], None, "2024-12-01")):
        columns = columns_of(days, {"site": ["x"] * len(days)})
        timeline = fc.count(np.arange(len(days)), columns).timeline
        assert timeline[0]["start"] == first and sum(b["count"] for b in timeline) == 2
        span = (date.fromisoformat(timeline[0]["end"]) - date.fromisoformat(timeline[0]["start"])).days
        assert span == unit if unit else span == 31
        assert timeline[-1]["end"] > days[-1] >= timeline[-1]["start"]


# Stories on several sites, on none, without a date or a language: every key and day slot counting
# must give what counting each story's own values gives.
SITES = ["a.example", "b.example", "c.example", "d.example"]
LANGUAGES = ["en", "fr", "de"]


def random_stories(rng: random.Random, count: int) -> tuple[list[str], dict[str, list[list[str]]]]:
    dates = [(date(2024, 11, 20) + timedelta(days=rng.randint(0, 500))).isoformat() if rng.random() > 0.15 else ""
             for _ in range(count)]
    sites = [rng.sample(SITES, rng.choice([0, 1, 1, 1, 2, 3])) for _ in range(count)]
    languages = [[rng.choice(LANGUAGES)] if rng.random() > 0.1 else [] for _ in range(count)]
    return dates, {"site": sites, "language": languages}


def counted_by_hand(docs, dates, values, filters: fc.Filters) -> dict:
    chosen = [d for d in docs if all(v is None or v in values[name][d] for name, v in
                                     (("site", filters.site), ("language", filters.language)))]
    undated = sum(1 for d in chosen if not dates[d])
    low, high = (filters.first or date.min).isoformat(), (filters.last or date.max).isoformat()
    if filters.dated:
        chosen = [d for d in chosen if dates[d] and low <= dates[d] <= high]
    return {"docs": chosen, "undated": undated, "days": Counter(dates[d] for d in chosen if dates[d]),
            **{name: Counter(v for d in chosen for v in values[name][d]) for name in values}}


@pytest.mark.parametrize("sort_below", [fc.TALLY_SORT_BELOW, 10 ** 9])  # counters, and sorting
def test_counting_by_key_and_day_slot_equals_counting_each_story(monkeypatch, sort_below):
    monkeypatch.setattr(fc, "TALLY_SORT_BELOW", sort_below)
    rng = random.Random(5)
    dates, values = random_stories(rng, 3000)
    columns = columns_of(dates, {name: [",".join(v) for v in rows] for name, rows in values.items()})
    assert columns.key_count < 3000 and any(len(s) > 1 for s in values["site"])  # keys shared, several sites
    for n in range(40):
        docs = np.array(sorted(rng.sample(range(3000), rng.choice([0, 1, 5, 300, 3000]))), dtype=np.int64)
        first = date(2024, 11, 20) + timedelta(days=rng.randint(-30, 530)) if n % 3 else None
        last = first + timedelta(days=rng.randint(0, 90)) if first and n % 2 else None
        filters = fc.Filters(site=rng.choice([None, None, *SITES, "nowhere.example"]),
                             language=rng.choice([None, None, "fr", "it"]), first=first, last=last)
        got = fc.count(docs, columns, filters)
        want = counted_by_hand(docs.tolist(), dates, values, filters)
        assert got.docs.tolist() == want["docs"] and got.undated == want["undated"]
        if got.keep is not None:
            assert docs[got.keep].tolist() == want["docs"]
        for name in ("site", "language"):
            assert {c["value"]: c["count"] for c in got.facets[name]} == want[name]
            counts = [c["count"] for c in got.facets[name]]
            assert counts == sorted(counts, reverse=True)
        buckets_hold(got.timeline, want["days"])
    nothing = fc.count(np.arange(3000), columns, facets=(), timeline=False)
    assert (nothing.facets, nothing.timeline, len(nothing.docs)) == (None, None, 3000)


def test_columns_without_any_date_or_value():
    columns = columns_of(["", ""], {"site": ["", ""]})
    got = fc.count(np.arange(2), columns, fc.Filters(site="a.example"))
    assert (got.docs.tolist(), got.undated, got.facets, got.timeline) == ([], 0, {}, [])
    got = fc.count(np.arange(2), columns, fc.Filters(first=date(2025, 1, 1)))
    assert (got.docs.tolist(), got.undated, got.timeline) == ([], 2, [])


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




def test_columns_of_another_version_ask_for_a_rebuild(tmp_path):
    from indexer.build import IndexMissing, current_generation, write_index
    from indexer.columns import COLUMNS_META
    from indexer.records import Story

    write_index([Story(id="s0", headline="Ferry news", headlines=["Ferry news"], text="The ferry sails.",
                       pages=["p0"], sites=["x"], date="2025-03-01")], tmp_path / "ix")
    meta = current_generation(tmp_path / "ix") / COLUMNS_META
    meta.write_text(json.dumps({**json.loads(meta.read_text()), "version": 1}))  # columns of an older Lede
    holder = IndexHolder(tmp_path / "ix")
    try:
        with pytest.raises(IndexMissing, match=r"do not fit its index: rebuild it with `lede index PATH --index"):
            search(holder, "ferry")
    finally:
        holder.close()

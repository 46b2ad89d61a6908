"""indexer/whoosh_internals/bulk.py: common-word queries over numpy arrays give what Whoosh's own search gives."""
from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from indexer.whoosh_internals import bulk
from indexer.build import current_generation, open_index, write_index
from indexer.records import Story
from whoosh import query as wq
from webapp.search import IndexHolder, expand_prefixes, parse_query, run_query

COMMON = "the of to a in and said is on for was he it".split()
WORDS = [f"w{i}" for i in range(40)] + ["bank", "rates", "storm", "harbour"]
SITES = ["a.example", "b.example", "c.example"]
DATES = ["2024-01-02", "2024-03-04", "2025-05-06", None]
MIN_DOCS = 40  # low, so that most words of this small index get arrays and a few do not


def zipf_words(rng: random.Random, k: int) -> str:
    vocabulary = COMMON + WORDS
    return " ".join(rng.choices(vocabulary, [1 / (r + 1) for r in range(len(vocabulary))], k=k))


def stories(count: int, seed: int) -> list[Story]:
    rng = random.Random(seed)
    out = []
    for n in range(count):
        headline = zipf_words(rng, rng.randint(3, 8))
        headlines = [headline] + ([zipf_words(rng, 4)] if rng.random() < 0.2 else [])
        out.append(Story(id=f"s{n}", headline=headline, headlines=headlines,
                         text=zipf_words(rng, rng.randint(0, 60)),
                         caption=rng.choice(["", "", zipf_words(rng, 5)]),
                         pages=[f"p{n}"], sites=rng.sample(SITES, rng.choice((1, 1, 2))),
                         date=rng.choice(DATES)))
    return out


@pytest.fixture(scope="module")
def holder(tmp_path_factory):
    """2,400 stories written by two Whoosh processes (two segments), then an update that changes and
    removes some (deleted documents in the old segment), with low-threshold arrays."""
    path = tmp_path_factory.mktemp("bulk") / "ix"
    first = stories(2400, seed=1)
    write_index(first, path)
    changed = stories(300, seed=2)
    for story in changed:
        story.id = f"s{int(story.id[1:]) * 7}"
    kept = {s.id: s for s in first if int(s.id[1:]) % 11}  # every 11th story is gone
    kept.update((s.id, s) for s in changed)
    write_index(list(kept.values()), path, update=True)
    bulk.write_arrays(open_index(path), current_generation(path), MIN_DOCS)
    h = IndexHolder(path)
    yield h
    h.close()


def queries(seed: int, count: int) -> list[str]:
    """Single words, pairs, phrases, OR, NOT, fields and prefixes, most of them common words."""
    rng = random.Random(seed)
    words = COMMON + WORDS[:12] + ["bank", "zzzz"]
    shapes = [
        lambda: rng.choice(words),
        lambda: f"{rng.choice(words)} {rng.choice(words)}",
        lambda: f"{rng.choice(COMMON)} {rng.choice(COMMON)} {rng.choice(words)}",
        lambda: '"' + " ".join(rng.choices(COMMON + WORDS[:3], k=rng.choice((2, 3)))) + '"',
        lambda: f"{rng.choice(words)} OR {rng.choice(words)}",
        lambda: f"{rng.choice(COMMON)} -{rng.choice(words)}",
        lambda: f"({rng.choice(words)} OR {rng.choice(words)}) NOT {rng.choice(COMMON)}",
        lambda: f"headline:{rng.choice(COMMON)} {rng.choice(words)}",
        lambda: f'"{rng.choice(COMMON)} {rng.choice(COMMON)}" OR "{rng.choice(COMMON)} w1"',
        lambda: f"{rng.choice(COMMON)} site:{rng.choice(SITES)}",
        lambda: f"w1* {rng.choice(COMMON)}",
    ]
    fixed = ["the", "in the", '"of the"', "the who", '"the the"', "said the", '"said the bank"',
             "the -the", "bank", "zzzz the", '"w0 w1"']
    return fixed + [rng.choice(shapes)() for _ in range(count)]


def whoosh_answer(searcher, parsed, limit, sort, site):
    """Whoosh's own search (search.run_query takes no bulk path), narrowed to a site as facets.py does."""
    allow = set(searcher.docs_for_query(wq.Term("site", site))) if site else None
    return run_query(searcher, parsed, limit, sort, allow)


@pytest.mark.slow  # every bench query, both ways, on a generated crawl (the smaller cases above stay fast)
@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_bulk_gives_whoosh_results(holder, sort, monkeypatch):
    used = 0
    with holder.searcher() as searcher:
        for n, q in enumerate(queries(seed=3 if sort == "date" else 4, count=150)):
            parsed = expand_prefixes(parse_query(q, searcher.schema), searcher.reader())
            site = SITES[n % 3] if n % 4 == 0 else None
            limit = (10, 30, 100)[n % 3]
            fast = bulk.bulk_search(searcher, parsed, limit, sort, site)
            if fast is None:
                continue
            used += 1
            hits, total = fast
            expected, expected_total = whoosh_answer(searcher, parsed, limit, sort, site)
            assert total == expected_total, q
            got = [(h.fields()["id"], h.score) for h in hits]
            want = [(h.fields()["id"], h.score if sort == "relevance" else None) for h in expected]
            assert len(got) == len(want), q
            for (gid, gscore), (wid, wscore) in zip(got, want):
                if sort == "date":
                    assert gid == wid, q
                    continue
                assert gscore == pytest.approx(wscore, rel=1e-9), q
                assert gid == wid or gscore == pytest.approx(wscore, rel=1e-6), q  # a tie
    assert used > 100


def test_common_words_take_the_bulk_path_and_rare_ones_do_not(holder):
    with holder.searcher() as searcher:
        for q, expected in (("the", True), ('"of the"', True), ("zzzz", False), ("zzzz yyyy", False)):
            parsed = parse_query(q, searcher.schema)
            assert (bulk.bulk_search(searcher, parsed, 10, "relevance", None) is not None) == expected, q


def test_arrays_hold_every_field_of_the_schema(holder):
    with holder.searcher() as searcher:
        arrays = bulk.load_arrays(searcher)
        assert {"headline_en", "text_en", "site"} <= set(arrays.table)
        the = arrays.postings("text_en", "the", positions=True)
        expected = bulk.read_postings(searcher.reader(), "text_en", "the", positions=True)
        assert list(the.docs) == list(expected.docs)
        assert list(the.positions) == list(expected.positions)
        assert list(the.starts) == list(expected.starts)  # (worked out from the weights)


def test_positions_start_where_the_stored_starts_say_when_weights_are_not_counts(holder):
    with holder.searcher() as searcher:
        arrays = bulk.Arrays(Path(searcher._ix.storage.folder))  # (its own: the cached one stays as it is)
        expected = arrays.postings("text_en", "the", positions=True)
        first, count = arrays.table["text_en"]["the"]
        arrays.weights = np.array(arrays.weights)
        arrays.weights[first:first + count] *= 1.5  # as a field boost weights them
        boosted = arrays.postings("text_en", "the", positions=True)
        assert list(boosted.starts) == list(expected.starts)
        assert list(boosted.positions) == list(expected.positions)


def test_a_small_index_has_no_word_in_the_arrays_so_whoosh_searches_it(tmp_path):
    write_index(stories(50, seed=5), tmp_path / "ix")
    gen = current_generation(tmp_path / "ix")
    holder = IndexHolder(tmp_path / "ix")
    try:
        with holder.searcher() as searcher:
            assert bulk.load_arrays(searcher) is not None
            assert bulk.bulk_search(searcher, parse_query("the", searcher.schema), 10, "relevance", None) is None
    finally:
        holder.close()
    assert (gen / bulk.BULK_DIR / bulk.TABLE).exists()


def test_positions_decoded_in_bulk_as_whoosh_decodes_them():
    """Gaps read straight from the pickled bytes: small and large gaps, lists past pickle's batch of
    1,000, and values whose final "." Whoosh cut off, each decoded as Whoosh's Positions does."""
    from whoosh.formats import Positions
    fmt, rng = Positions(), random.Random(7)
    lists = [sorted(rng.sample(range(1, 300), 3)), [5], [300], [0, 255, 256, 70_000], list(range(1, 1002)),
             list(range(1, 2002, 2))]
    lists += [sorted(rng.sample(range(1, rng.choice((50, 400, 90_000))), rng.randint(1, 9))) for _ in range(300)]
    values = [fmt.encode(p) for p in lists]
    values += [v[:-1] for v in values[::5]]
    lists += lists[::5]
    starts, flat = bulk._decode_positions(values, fmt)
    assert [flat[starts[n]:starts[n + 1]].tolist() for n in range(len(values))] == lists
    assert [fmt.decode_positions(v) for v in values] == lists

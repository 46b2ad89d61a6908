"""indexer/whoosh_internals.py, its posting-list changes: Whoosh's query evaluation made faster, with the same results as Whoosh's own."""
from __future__ import annotations

import random

import pytest
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.fields import TEXT, Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.qparser import MultifieldParser
from whoosh.query import And

from indexer import whoosh_internals as postings

WORDS = [f"w{i}" for i in range(60)]
FIELDS = ("head", "body", "note")


@pytest.fixture
def restore_postings():
    before = (W3LeafMatcher.skip_to, And._matcher)
    yield
    W3LeafMatcher.skip_to, And._matcher = before


@pytest.fixture(scope="module")
def ix():
    """3,000 documents whose words follow a Zipf-like spread, so word lists span many blocks."""
    rng = random.Random(7)
    weights = [1 / (rank + 1) for rank in range(len(WORDS))]
    index = RamStorage().create_index(Schema(**{f: TEXT(stored=False) for f in FIELDS}))
    with index.writer() as w:
        for _ in range(3000):
            w.add_document(head=" ".join(rng.choices(WORDS, weights, k=rng.randint(0, 6))),
                           body=" ".join(rng.choices(WORDS, weights, k=rng.randint(5, 40))),
                           note=" ".join(rng.choices(WORDS, weights, k=rng.choice((0, 0, 3)))))
    return index


def walk(matcher, targets):
    """The ids skip_to lands on for each target in turn (None once the list runs out)."""
    seen = []
    for target in targets:
        if not matcher.is_active():
            break
        matcher.skip_to(target)
        seen.append(matcher.id() if matcher.is_active() else None)
    return seen


def test_skip_to_lands_where_whoosh_does(ix, restore_postings):
    rng = random.Random(3)
    with ix.searcher() as s:
        for word in ("w0", "w3", "w20", "w59"):
            for _ in range(20):
                targets = sorted(rng.sample(range(3100), rng.randint(1, 300)))
                postings.uninstall()
                expected = walk(s.postings("body", word), targets)
                postings.install()
                assert walk(s.postings("body", word), targets) == expected
                assert len(expected) > 0


def results(s, q):
    hits = s.search(q, limit=20)
    return len(hits), [(hit.docnum, round(hit.score, 9)) for hit in hits]


@pytest.mark.slow  # thousands of random AND queries, each run twice
def test_and_queries_find_the_same_documents_in_the_same_order(ix, restore_postings):
    rng = random.Random(5)
    parser = MultifieldParser(list(FIELDS), ix.schema)
    queries = [" ".join(rng.sample(WORDS, rng.randint(2, 4))) for _ in range(150)]
    queries += ['"w0 w1"', "w0 w1 OR w30", "(w2 OR w40) w0 -w5", "head:w1 w0 w2"]
    differed = 0
    with ix.searcher() as s:
        for text in queries:
            q = parser.parse(text)
            postings.uninstall()
            expected = results(s, q)
            postings.install()
            got = results(s, q)
            assert got == expected, text
            differed += expected[0] > 0
    assert differed > 100  # most queries match something: the comparison is not empty against empty


def test_open_index_installs_them(index_dir, restore_postings):
    from indexer.build import open_index

    postings.uninstall()
    open_index(index_dir)
    assert W3LeafMatcher.skip_to is postings.skip_to and And._matcher is postings.and_matcher


def test_field_lengths_are_whooshs(ix, restore_postings):
    lengths = []
    with ix.searcher() as s:
        perdoc = s.reader()._perdoc
        docs = range(perdoc.doc_count_all() + 1)  # and one past the last, which Whoosh allows
        for field in FIELDS + ("nosuchfield",):
            postings.uninstall()
            expected = [perdoc.doc_field_length(d, field, -1) for d in docs]
            postings.install()
            assert [perdoc.doc_field_length(d, field, -1) for d in docs] == expected
            lengths += expected
    assert None in lengths and -1 in lengths and len(set(lengths)) > 20  # no field, no column, lengths


def test_written_index_is_byte_for_byte_whooshs(tmp_path, restore_postings):
    """What the writer asks the lengths for (each block's shortest and longest document) is the same."""
    from whoosh.index import create_in

    rng = random.Random(11)
    docs = [{f: " ".join(rng.choices(WORDS, k=rng.randint(0, 30))) for f in FIELDS} for _ in range(800)]
    written = []
    for install, name in ((postings.uninstall, "whoosh"), (postings.install, "lede")):
        install()
        (tmp_path / name).mkdir()
        index = create_in(tmp_path / name, Schema(**{f: TEXT(stored=False) for f in FIELDS}))
        writer = index.writer(compound=False)
        for doc in docs:
            writer.add_document(**doc)
        writer.commit()
        segid = index.reader().segment().segid
        written.append({f.name.replace(segid, ""): f.read_bytes() for f in (tmp_path / name).iterdir()
                        if segid in f.name})  # the table of contents differs: it has the segment's id
    assert written[0] == written[1]
    assert {".trm", ".pst"} <= {name[-4:] for name in written[0]}


def lede_documents(n: int) -> list[dict]:
    """Documents of Lede's schema: headline variants on lines, long texts (positions past the shared
    values), German and English, sites, dates, stored fields."""
    from indexer.build import story_fields
    from indexer.records import Story

    rng = random.Random(5)
    words = WORDS + ["Verhandlungen", "Muenchen", "München", "said", "the", "THE", "naïve", "café"]
    docs = []
    for i in range(n):
        text = " ".join(rng.choices(words, k=rng.choice((3, 40, 40, 40, 5000))))
        headlines = [" ".join(rng.choices(words, k=rng.randint(1, 8))) for _ in range(rng.randint(1, 3))]
        story = Story(id=f"s{i}", headline=headlines[0], headlines=headlines, text=text,
                      caption=" ".join(rng.choices(words, k=rng.choice((0, 4)))), sites=rng.sample(["a", "b", "c"], 2),
                      pages=[f"p{i}"], page_dates=["2024-01-02"], date="2024-01-02" if i % 3 else None,
                      language=rng.choice(("en", "de", "xx")), kicker=rng.choice(("", "Kicker")))
        docs.append(story_fields(story))
    return docs


# Made-up words in several scripts, and one beyond the Basic Multilingual Plane (a word character):
# their order as str is their order as UTF-8 bytes, which the index is sorted by
UNICODE_WORDS = ["café", "naïve", "zebra", "Ärger", "ÿes", "привет", "東京", "𝔘𝔫𝔦", "ｆｕｌｌ"]


def edge_documents() -> list[dict]:
    """Documents of Lede's schema whose words take every way through the writer: words held by one
    document, two, 128 (a full block), 129 and 300 (more than one block), a word several times in
    a document, positions past the shared values (texts of 5,000 words, a word first seen beyond
    position 4,096), made-up words in several scripts, headline variants with empty and wordless
    lines between them and before the first, three languages' fields, sites and dates repeated."""
    from indexer.build import story_fields
    from indexer.records import Story

    rng = random.Random(9)
    docs, english = [], 0
    for i in range(330):
        language = rng.choice(("de", "xx")) if i % 10 == 9 else "en"  # (so that English words fill blocks)
        english += language == "en"
        words = ["every", f"solo{i}", f"pair{i // 2}", "x128" if english <= 128 else "",
                 "x129" if english <= 129 else "", rng.choice(UNICODE_WORDS), rng.choice(UNICODE_WORDS).upper(),
                 "the", "The", "THE" if i % 3 else "", "the"]
        if i % 60 == 7:  # a long text: positions past the shared values, a word seen first beyond them
            words += rng.choices(WORDS, k=5000) + [f"late{i}", "every", "late"]
        rng.shuffle(words)
        headlines = rng.choice([["Ferry strike ends"], ["", "Second line"], ["One -- two", "--", "three four"],
                                [f"Headline {i} {rng.choice(UNICODE_WORDS)}", "Headline again"]])
        story = Story(id=f"s{i:03d}", headline=headlines[0], headlines=headlines, text=" ".join(w for w in words if w),
                      caption=rng.choice(["", "A caption", "\nafter a break"]),
                      kicker=rng.choice(["", "Kicker"]), sites=rng.sample(["a", "b", "c"], rng.randint(1, 2)),
                      pages=[f"p{i}"] * rng.randint(1, 3), page_dates=["2024-01-02"],
                      date=rng.choice([None, "2024-01-02", "2024-02-03"]), language=language)
        docs.append(story_fields(story))
    return docs


def written_files(tmp_path, name: str, docs: list[dict], writer_of, optimize: bool = False) -> dict[str, bytes]:
    """The files of the segment a writer writes the documents into, named without the segment's id;
    with `optimize`, into an index holding a segment of Whoosh's own writer already, merged into it."""
    from whoosh.index import create_in
    from whoosh.writing import SegmentWriter
    from indexer.analysis import make_schema

    (tmp_path / name).mkdir()
    index = create_in(tmp_path / name, make_schema())
    if optimize:
        first = SegmentWriter(index, compound=False)
        for doc in docs[::3]:
            first.add_document(**doc)
        first.commit()
    writer = writer_of(index)
    for doc in docs[1::3] if optimize else docs:
        writer.add_document(**doc)
    writer.commit(optimize=optimize)
    segid = index.reader().segment().segid
    return {f.name.replace(segid, ""): f.read_bytes() for f in (tmp_path / name).iterdir() if segid in f.name}


@pytest.fixture
def whoosh_shares_values(monkeypatch):
    """Whoosh's own writer, its one-position values the bulk writer's shared ones: with the pool in
    memory its blocks' pickles then refer back to a value met before in the block as the bulk
    writer's do, so the two write the same bytes."""
    from whoosh.formats import Positions
    from indexer.whoosh_internals import writer as bulk_writer

    encode = Positions.encode

    def shared_encode(self, poslist):
        if len(poslist) == 1 and poslist[0] < bulk_writer._SHARED_VALUES:
            return bulk_writer._ONE_POSITION[poslist[0]]
        return encode(self, poslist)

    monkeypatch.setattr(Positions, "encode", shared_encode)


@pytest.mark.parametrize("limitmb", [256, 0.05])  # (0.05: the pool goes to disk as sorted runs, Whoosh's merge)
@pytest.mark.parametrize("docs", ["lede", "edge"])
def test_bulk_writer_writes_whooshs_files(tmp_path, monkeypatch, limitmb, docs):
    """BulkSegmentWriter's segment is Whoosh's SegmentWriter's byte for byte (one-position values not
    shared), and holds the same postings with them shared (the blocks' pickles then refer back)."""
    from whoosh.writing import SegmentWriter
    from indexer.whoosh_internals import writer as bulk_writer

    docs = lede_documents(120) if docs == "lede" else edge_documents()
    postings.install()
    whoosh = written_files(tmp_path, "whoosh", docs, lambda ix: SegmentWriter(ix, limitmb=limitmb, compound=False))
    shared = written_files(tmp_path, "shared", docs,
                           lambda ix: bulk_writer.BulkSegmentWriter(ix, limitmb=limitmb, compound=False))
    monkeypatch.setattr(bulk_writer, "_SHARED_VALUES", 0)
    apart = written_files(tmp_path, "apart", docs,
                          lambda ix: bulk_writer.BulkSegmentWriter(ix, limitmb=limitmb, compound=False))
    assert apart == whoosh
    assert {".trm", ".pst", ".col"} <= {name[-4:] for name in whoosh}
    assert {k: v for k, v in shared.items() if k[-4:] not in (".trm", ".pst")} == \
        {k: v for k, v in whoosh.items() if k[-4:] not in (".trm", ".pst")}
    from whoosh.index import open_dir
    readers = [open_dir(tmp_path / name).reader() for name in ("whoosh", "shared")]
    terms = list(readers[0].all_terms())
    assert terms == list(readers[1].all_terms()) and len(terms) > 100
    for field, text in terms:
        infos = [r.term_info(field, text) for r in readers]
        assert len({(i.weight(), i.doc_frequency(), i.min_length(), i.max_length(), i.max_weight()) for i in infos}) == 1
        found = [list(r.postings(field, text).items_as("positions") if field.split("_")[0] in ("headline", "text", "caption")
                      else r.postings(field, text).all_items()) for r in readers]
        assert found[0] == found[1]


@pytest.mark.parametrize("optimize", [False, True])  # (True: an old segment merged in: words as bytes too)
@pytest.mark.parametrize("docs", ["lede", "edge"])
def test_bulk_writer_writes_whooshs_files_with_values_shared(tmp_path, whoosh_shares_values, docs, optimize):
    from whoosh.writing import SegmentWriter
    from indexer.whoosh_internals import writer as bulk_writer

    docs = lede_documents(120) if docs == "lede" else edge_documents()
    postings.install()
    whoosh = written_files(tmp_path, "whoosh", docs, lambda ix: SegmentWriter(ix, compound=False), optimize)
    bulk = written_files(tmp_path, "bulk", docs, lambda ix: bulk_writer.BulkSegmentWriter(ix, compound=False),
                         optimize)
    assert bulk == whoosh
    assert {".trm", ".pst", ".col"} <= {name[-4:] for name in whoosh}


def documents_of(index) -> dict[str, tuple]:
    """Each document's stored fields and its postings (field, word, weight) by id, whatever its
    segment and number."""
    from whoosh.index import open_dir

    reader = open_dir(index).reader()
    by_docnum = {docnum: [] for docnum in reader.all_doc_ids()}
    for field, text in reader.all_terms():
        for docnum, weight in reader.postings(field, text).items_as("weight"):
            by_docnum[docnum].append((field, text, weight))
    return {reader.stored_fields(n)["id"]: (sorted(reader.stored_fields(n).items()), sorted(postings))
            for n, postings in by_docnum.items()}


@pytest.mark.slow  # writer processes forked by the fork server
def test_writers_of_the_fork_server_write_what_one_writer_does(tmp_path):
    """Writer processes started through the fork server (a large crawl's) write the documents into
    their segments, each holding what one writer would write of them."""
    from whoosh.index import create_in, open_dir
    from indexer.analysis import make_schema
    from indexer.whoosh_internals import start_writer_server, writer_processes
    from indexer.whoosh_internals.writer import BulkSegmentWriter

    docs = lede_documents(1500)
    postings.install()
    start_writer_server()
    written = {}
    for name, procs in (("one", 1), ("two", 2)):
        (tmp_path / name).mkdir()
        index = create_in(tmp_path / name, make_schema())
        with writer_processes("forkserver", BulkSegmentWriter):
            writer = index.writer(procs=2, multisegment=True, limitmb=64, compound=False) if procs > 1 else \
                BulkSegmentWriter(index, limitmb=64, compound=False)
            for doc in docs:
                writer.add_document(**doc)
            writer.commit()
        written[name] = documents_of(tmp_path / name)
    assert len(list(open_dir(tmp_path / "two").reader().leaf_readers())) == 2
    assert written["two"] == written["one"] and len(written["one"]) == len(docs)

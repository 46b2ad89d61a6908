"""indexer/whoosh_internals.py: every private name of Whoosh it uses exists, and another Whoosh is refused."""
import importlib.util
import sys
from pathlib import Path

import pytest
import whoosh
from io import BytesIO

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, W3PerDocReader, W3TermInfo, _lenfield
from whoosh.filedb.structfile import StructFile
from whoosh.formats import Positions
from whoosh.writing import SegmentWriter
from whoosh.fields import TEXT, Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.highlight import Formatter
from whoosh.query import And

from indexer import whoosh_internals

WORDS = [f"w{i}" for i in range(12)]


@pytest.fixture(scope="module")
def searcher():
    """A small index whose common word spans several blocks of postings."""
    ix = RamStorage().create_index(Schema(body=TEXT))
    with ix.writer() as writer:
        for n in range(400):
            writer.add_document(body=" ".join(WORDS[: 1 + n % len(WORDS)]))
    with ix.searcher() as s:
        yield s


def holders(searcher) -> dict:
    """What each key of PRIVATE_NAMES names: a module, a class, or an instance made here."""
    perdoc = searcher.reader()._perdoc
    segment = searcher.reader().leaf_readers()[0][0]
    matcher = searcher.postings("body", "w0")
    assert isinstance(matcher, W3LeafMatcher) and isinstance(perdoc, W3PerDocReader)
    writer = SegmentWriter(searcher._ix)
    writer.cancel()
    postings_writer = writer.codec.postings_writer(StructFile(BytesIO()))
    postings_writer.start_postings(Positions(), W3TermInfo())
    return {
        "whoosh.codec.whoosh3": sys.modules["whoosh.codec.whoosh3"],
        "whoosh.multiproc": sys.modules["whoosh.multiproc"],
        "W3LeafMatcher": W3LeafMatcher, "W3LeafMatcher()": matcher,
        "And": And,
        "W3PerDocReader": W3PerDocReader, "W3PerDocReader()": perdoc,
        "column reader()": perdoc._cached_reader(_lenfield("body"), LENGTHS_COLUMN),
        "Formatter": Formatter,
        "SegmentReader()": segment,
        "W3TermsReader()": segment._terms,
        "W3Codec()": segment._terms._codec,
        "W3LeafMatcher() (bulk)": matcher,
        "Searcher()": searcher,
        "whoosh.multiproc (writer)": sys.modules["whoosh.multiproc"],
        "SegmentWriter()": writer, "W3FieldWriter()": writer.fieldwriter,
        "OrderedHashWriter()": writer.fieldwriter._tindex, "W3PerDocWriter()": writer.perdocwriter,
        "W3PostingsWriter()": postings_writer,
    }


def test_every_private_name_it_uses_exists(searcher):
    found = holders(searcher)
    assert set(found) == set(whoosh_internals.PRIVATE_NAMES)
    missing = [f"{holder}.{name}" for holder, names in whoosh_internals.PRIVATE_NAMES.items()
               for name in names if not hasattr(found[holder], name)]
    assert missing == []


def test_a_name_gone_would_be_seen(searcher):
    found = holders(searcher)
    assert not hasattr(found["W3LeafMatcher()"], "_no_such_name")  # (hasattr is not always true)


def test_another_whoosh_version_is_refused_by_name(monkeypatch):
    monkeypatch.setattr(whoosh, "versionstring", lambda: "2.7.4")
    spec = importlib.util.spec_from_file_location("indexer._whoosh_internals_again", whoosh_internals.__file__)
    with pytest.raises(ImportError, match=r"written for whoosh-reloaded 2\.7\.5.*2\.7\.4"):
        spec.loader.exec_module(importlib.util.module_from_spec(spec))


def test_the_pinned_version_is_the_one_it_was_written_for():
    pyproject = (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    assert f'"whoosh-reloaded=={whoosh_internals.WRITTEN_FOR}"' in pyproject

"""Lede's indexer: a crawl of news pages in, a Whoosh index of stories out.

The pipeline, one module per stage:

1. ``readers/``  read pages from folders: one reader per format (.txt, .jsonl; .gz too), a ``Page`` each;
2. ``segment``   turn a page into teasers: boilerplate dropped, captions and
   headlines recognised, repeated headlines removed (``headline`` finds where a
   run-together "headline lede" line splits);
3. ``dedupe``    merge the teasers of every page into stories (exact copies,
   then candidates sharing a run of words, verified by containment);
4. ``analysis``  the analysis chain (NLTK tokenizer, accent folding, Snowball
   stemmer) and the Whoosh schema;
5. ``build``     write a new index generation and swap it in atomically.

``pipeline.build_index`` runs them all: a full build (``pipeline.crawl_stories``), or with
``--update`` only what a re-crawl changed (``update``, from the state ``crawlstate`` keeps). The
passes both run over the crawl are in ``passes`` (learn the statistics, segment, deduplicate), and
``workers`` is the one way they run worker processes. ``records`` holds the records passed between
stages (``Page``, ``Teaser``, ``Story``); ``cli`` is ``lede index`` and ``lede export``.

The names below are imported from their modules when first asked for (PEP 562): importing a
module of the package (``indexer.language``, say) does not import Whoosh and NLTK with them, so
``lede index`` can start loading the language model before it imports the rest (`cli`).
"""
from __future__ import annotations

import importlib

_EXPORTS = {"BuildSummary": "pipeline", "build_index": "pipeline", "IndexMissing": "build",
            "iter_stories": "build", "open_index": "build", "Page": "records", "Story": "records",
            "Teaser": "records"}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # (asked once)
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))

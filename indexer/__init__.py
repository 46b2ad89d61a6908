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
"""
from .build import IndexMissing, iter_stories, open_index
from .pipeline import BuildSummary, build_index
from .records import Page, Story, Teaser

__all__ = ["BuildSummary", "IndexMissing", "Page", "Story", "Teaser", "build_index", "iter_stories", "open_index"]

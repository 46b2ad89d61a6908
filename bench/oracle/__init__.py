"""The quality oracle: crawls composed from real headline+lede data with their truth, and the scoring of an export.

- ``stories``   picks source stories (AG News, BBC News, read at run time) and adds traps;
- ``layouts``   how a story's appearance reads (text variations, teaser layouts: "dev" and "heldout");
- ``compose``   lays the stories out over pages and writes the crawl with ``truth.jsonl``;
- ``quality``   scores a ``lede export`` against the truth (recovered, split, merged, headlines, pages);
- ``quality_run``     composes, indexes and scores in one command;
- ``search_quality``  phrase exactness, headline MRR, snippets and hostile inputs on a composed crawl;
- ``articles_check``  how much of each real article page's body its story keeps;
- ``tune_headline``   fits the headline splitter's weights on the source pairs (a one-off tool).

It reaches Lede only through its public functions (``build_index``, ``iter_stories``, ``search``,
``create_app``); run each as ``python -m bench.oracle.NAME``.
"""

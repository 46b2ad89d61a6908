"""The performance tools: how fast Lede builds, updates and answers, beside naive Whoosh and SQLite FTS5.

- ``crawl_gen``     generates a crawl of any size (stories recombined from the oracle's sources);
- ``engines``       how each engine (lede, naive Whoosh, FTS5) is built and queried;
- ``bench``         builds all three on one crawl and times their queries;
- ``update_bench``  times ``lede index --update`` after a re-crawl against a full build;
- ``floors``        what Whoosh alone takes for its share of each figure Lede misses;
- ``stress``        many clients on ``lede serve`` with a rebuild in the middle;
- ``memory``        a tree of processes' memory, read from /proc.

Run each as ``python -m bench.perf.NAME`` from the checkout (see bench/README.md).
"""

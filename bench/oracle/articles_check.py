"""How much of each real article page's body (article_extraction_benchmark ground truth) Lede keeps
in one story: `python -m bench.oracle.articles_check INDEX_EXPORT.jsonl` after indexing pages_text.jsonl.gz."""
from __future__ import annotations

import gzip
import json
import statistics
import sys
from collections import defaultdict

from bench.oracle.stories import DEFAULT_DATA_DIR
from indexer.dedupe import shingles
from indexer.text import fold_words

CORPUS = DEFAULT_DATA_DIR / "article_extraction_benchmark"


def main(export: str) -> None:
    truth = json.loads((CORPUS / "ground-truth.json").read_text())
    with gzip.open(CORPUS / "pages_text.jsonl.gz", "rt", encoding="utf-8") as fh:
        pages = [json.loads(line) for line in fh]
    stories_by_page = defaultdict(list)
    for line in open(export, encoding="utf-8"):
        story = json.loads(line)
        for page in story["pages"]:
            stories_by_page[page].append(story)
    kept = []
    for n, page in enumerate(pages, 1):
        body = shingles(fold_words(truth[page["id"]]["articleBody"]))
        stories = stories_by_page.get(page.get("url") or f"pages_text.jsonl.gz:{n}", [])
        best = max((len(body & shingles(fold_words(s["headline"] + " " + s["text"]))) / max(1, len(body))
                    for s in stories), default=0.0)
        kept.append(best)
    print(f"pages: {len(kept)}; share of the article body in its best story: "
          f"median {statistics.median(kept):.2f}, mean {statistics.mean(kept):.2f}, "
          f">=0.9 on {sum(k >= 0.9 for k in kept)} pages, <0.5 on {sum(k < 0.5 for k in kept)}")


if __name__ == "__main__":
    main(sys.argv[1])

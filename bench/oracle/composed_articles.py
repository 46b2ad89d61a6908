"""Article pages that nothing but their shape tells: compose a crawl whose article pages have no date line
(a byline or nothing), a numeric address and the site's name for a title, index it, and score it.

    python -m bench.oracle.composed_articles [--stories 1000] [--layouts dev|heldout] [--seed 0] [--json]

Issue 13's held-out figures: records that are no story (match no truth story), article pages keeping
their body in their story (the best record listing the page holds BODY_KEPT of the body's word
3-grams), headlines exactly right, beside `quality.evaluate`'s other figures.
"""
from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from bench.oracle import quality, quality_run

BODY_KEPT = 0.95  # an article page keeps its body when its story holds this share of the body's 3-grams


def article_pages(work: Path) -> dict[str, str]:
    """Article page id -> its story key (blocks.jsonl), for the stories that have a body beyond their lede."""
    with open(work / "truth.jsonl", encoding="utf-8") as fh:
        with_body = {row["key"] for row in map(json.loads, fh) if row["body"].strip()}
    with open(work / "blocks.jsonl", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    return {row["page"]: row["article"] for row in rows if row.get("article") in with_body}


def bodies_kept(work: Path, export: Path) -> tuple[int, int]:
    """(article pages whose story keeps BODY_KEPT of the body, article pages)."""
    truth = {}
    with open(work / "truth.jsonl", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            truth[row["key"]] = set(quality.shingles(quality.words(f"{row['lede']} {row['body']}")))
    by_page: dict[str, list[set]] = {}
    with open(export, encoding="utf-8") as fh:
        for line in fh:
            story = json.loads(line)
            held = set(quality.shingles(quality.words(f"{story['headline']} {story['text']}")))
            for page in story["pages"]:
                by_page.setdefault(page, []).append(held)
    pages = article_pages(work)
    kept = 0
    for page, key in pages.items():
        body = truth[key]
        best = max((len(body & held) / max(1, len(body)) for held in by_page.get(page, [])), default=0.0)
        kept += best >= BODY_KEPT
    return kept, len(pages)


def run(work: Path, stories: int, layouts: str, seed: int) -> dict:
    """Compose with bare article pages under `work`, index, export and score."""
    result = {k: v for k, v in quality_run.run(work, stories, layouts, seed, bare_articles=True).items()
              if k != "examples"}
    kept, articles = bodies_kept(work, work / "export.jsonl")
    counts = result["counts"]
    result["no_story"] = counts["unmatched_records"] / max(1, counts["records"])
    result["bodies_kept"] = kept / max(1, articles)
    result["counts"].update(article_pages=articles, bodies_kept=kept)
    return result


def main() -> int:
    args = quality_run.arguments(__doc__.splitlines()[0], "heldout")
    with tempfile.TemporaryDirectory() as tmp:
        result = run(Path(tmp), args.stories, args.layouts, args.seed)
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        counts = result["counts"]
        print(f"records that are no story  {result['no_story']:.2%} ({counts['unmatched_records']} of {counts['records']})")
        print(f"article pages keeping body {result['bodies_kept']:.2%} ({counts['bodies_kept']} of {counts['article_pages']})")
        print(f"headlines exactly right    {result['headline_exact']:.2%}")
        print(f"stories recovered          {result['recovered']:.2%}; split {result['split']:.2%}; "
              f"merged {result['merged_wrong']:.2%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Why the real-page benchmark's misses are missed: records holding no linked story and truth stories
not found, classified against the raw HTML of their pages.

    python -m bench.oracle.realpages --html --work DIR [--snapshots ...]   # writes DIR/html, DIR/export.jsonl
    python -m bench.oracle.realpages_why --work DIR [--snapshots ...] [--examples N]

The truth (`realpages.page_links`) names a teaser only by a link whose headline (the first heading
inside the link, else the heading around it, else the link's text) has 4 to 30 words, at an address
whose last segment is a slug of 4+ words or carries a 5-digit number. A record of Lede's at an address
the truth has no headline for holds no linked story whatever it holds; this module says, for each such
record, why the truth has none, from the page's own links to that address:

- `no text`: every link to the address has no text (an overlay link, an image), `aria-label`/`title` or not;
- `first heading a kicker`: the link's first heading has fewer than 4 words while the link has more
  (volksstimme.de's `<h4>` kicker over its `<h3>` headline);
- `short`: the link's headline has fewer than 4 words ("Der Beleidigte", "DAX");
- `long`: more than 30 (a whole teaser in one link);
- `not an article's address`: the address fails the truth's slug/number test (zeit.de/news/2025-02/28/...).

A record at a truth link's address whose kicker holds the truth's headline (the truth took the kicker)
is counted apart; so is a truth story not found whose words are a kicker of a record on its page.
What is left is what the truth could have named: the measure of Lede's own misses.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from bench.oracle import realpages as rp

NO_TEXT, KICKER_FIRST, SHORT, LONG, NOT_ARTICLE = (
    "no text", "first heading a kicker", "short", "long", "not an article's address")
TRUTH_KICKER = "the truth's headline is the record's kicker"
OTHER_HEADLINE = "a truth link's address, another headline"
NO_URL = "no url"
UNSEEN = "no link to its address on its pages"
NAMED = "the truth names a link to it"  # (its headline was not matched: counted as Lede's miss)


def _address(href: str, site: str) -> str | None:
    """Any address on the site (host without www. and path), article's or not."""
    try:
        parts = urlsplit(urljoin(f"https://www.{site}/", href.strip()))
    except ValueError:
        return None
    return (parts.hostname or "").removeprefix("www.") + parts.path


def link_reasons(tree, site: str) -> dict[str, Counter]:
    """For each address the page links to, why the truth takes (or does not take) each link to it."""
    out: dict[str, Counter] = defaultdict(Counter)
    for link in tree.css("a[href]"):
        href = link.attributes.get("href") or ""
        address = rp._article_address(href, site)
        if address is None:
            plain = _address(href, site)
            if plain is not None:
                out[plain][NOT_ARTICLE] += 1
            continue
        count = len(rp.words(rp._teaser_headline(link)))
        if count == 0:
            out[address][NO_TEXT] += 1
        elif count < rp.MIN_HEADLINE_WORDS:
            heading = link.css_first("h1, h2, h3, h4, h5, h6")
            own = len(rp.words(rp._spaced_text(link)))
            out[address][KICKER_FIRST if heading is not None and own >= rp.MIN_HEADLINE_WORDS else SHORT] += 1
        elif count > rp.MAX_HEADLINE_WORDS:
            out[address][LONG] += 1
        else:
            out[address][NAMED] += 1
    return out


def _why(reasons: dict[str, int]) -> str:
    """One reason for an address from its links' reasons: named when any link is, else the commonest."""
    if not reasons:
        return UNSEEN
    if reasons.get(NAMED):
        return NAMED
    return Counter(reasons).most_common(1)[0][0]


def classify(work: Path, picked: list[str]) -> tuple[dict, dict]:
    """(no-link records by reason, not-found stories by reason, examples) of DIR/export.jsonl."""
    pages, links = rp.load_pages(picked)
    truth = rp.build_truth(links)
    records = rp.read_export(work / "export.jsonl")
    result = rp.score(records, truth)
    by_address = {link.address: i for i, link in enumerate(truth.links)}
    reasons: dict[str, dict[str, Counter]] = {}
    for page in pages:
        reasons[page.key] = link_reasons(rp.parse(page.html), page.site)
    no_link: Counter = Counter()
    sites: dict[str, Counter] = defaultdict(Counter)
    examples: dict[str, list] = defaultdict(list)
    for n, held in enumerate(result.holds):
        if held:
            continue
        record = records[n]
        address = rp._record_address(record.get("url"))
        if address is None:
            why = NO_URL
        elif address in by_address:
            kicker = frozenset(rp.words(record.get("kicker") or ""))
            why = TRUTH_KICKER if kicker and truth.links[by_address[address]].words <= kicker else OTHER_HEADLINE
        else:
            seen = Counter()
            for name in record.get("pages") or ():
                seen.update(reasons.get(rp.page_key(name), {}).get(address, Counter()))
            why = _why(seen)
        no_link[why] += 1
        sites[why][(record.get("sites") or ["?"])[0]] += 1
        examples[why].append(record)
    found = {truth.links[i].story for held in result.holds for i in held}
    kickers: dict[str, list[frozenset]] = defaultdict(list)  # page key -> kickers of its records
    at: dict[str, int] = Counter()
    for record in records:
        kicker = frozenset(rp.words(record.get("kicker") or ""))
        for name in record.get("pages") or ():
            if kicker:
                kickers[rp.page_key(name)].append(kicker)
        if (address := rp._record_address(record.get("url"))) is not None:
            at[address] += 1
    not_found: Counter = Counter()
    for story, members in enumerate(truth.stories):
        if story in found:
            continue
        link = truth.links[members[0]]
        if any(link.words <= kicker for key in link.pages for kicker in kickers.get(key, ())):
            why = "the truth's headline is a kicker of a record on its page"
        elif any(at.get(truth.links[i].address) for i in members):
            why = "a record at its address, another headline"
        else:
            why = "no record at its address"
        not_found[why] += 1
        examples["not found: " + why].append({"headline": link.headline, "address": link.address,
                                              "pages": sorted(link.pages)[:2]})
    counts = {"records": len(records), "truth stories": len(truth.stories),
              "no link": sum(no_link.values()), "not found": sum(not_found.values())}
    return ({"counts": counts, "no link": dict(no_link.most_common()), "not found": dict(not_found.most_common()),
             "no link by site": {why: dict(c.most_common(5)) for why, c in sites.items()}},
            examples)


CANNOT_NAME = (NO_TEXT, KICKER_FIRST, SHORT, LONG, NOT_ARTICLE, TRUTH_KICKER)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, required=True, help="a `realpages --html --work` folder")
    parser.add_argument("--snapshots", help="the snapshots that run used (default: all six)")
    parser.add_argument("--examples", type=int, default=0, metavar="N", help="print N examples of each reason")
    args = parser.parse_args(argv)
    picked = rp.pick_snapshots(args.snapshots.split(",") if args.snapshots else None)
    summary, examples = classify(args.work, picked)
    counts = summary["counts"]
    records, stories = counts["records"], counts["truth stories"]
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    unnamed = sum(summary["no link"].get(why, 0) for why in CANNOT_NAME)
    kicker_stories = sum(v for k, v in summary["not found"].items() if "kicker" in k)
    print(f"\nno link: {counts['no link']:,} of {records:,} records ({counts['no link'] / records:.2%}); "
          f"{unnamed:,} at an address the truth cannot name ({unnamed / records:.2%} of records); "
          f"the rest {(counts['no link'] - unnamed) / records:.2%}")
    print(f"not found: {counts['not found']:,} of {stories:,} stories ({counts['not found'] / stories:.2%}); "
          f"{kicker_stories:,} whose truth headline is a kicker; found over the rest "
          f"{1 - (counts['not found'] - kicker_stories) / (stories - kicker_stories):.2%}")
    for why, shown in examples.items():
        for record in shown[:args.examples]:
            view = record if "address" in record else {
                "kicker": record.get("kicker"), "headline": record.get("headline"),
                "text": (record.get("text") or "")[:80], "url": record.get("url"), "page": (record.get("pages") or [""])[0]}
            print(json.dumps({"why": why, **view}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())

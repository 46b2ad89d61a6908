"""Why the real-page benchmark's misses are missed: records holding no linked story and truth stories
not found, classified against the raw HTML of their pages.

    python -m bench.oracle.realpages [--html] --work DIR [--snapshots ...]   # writes DIR/html or DIR/text, DIR/export.jsonl
    python -m bench.oracle.realpages_why --work DIR [--snapshots ...] [--examples N] [--sample N --seed S]

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

A text-path run (DIR/text, no DIR/html) has records with no address, so each no-link record is placed
by its words (its headline, else its text's opening) in its first page's HTML (`where_on_page`):
in an article link the truth names (another part of that link: a kicker, a lede, a headline with a
tail run into it; or whose truth headline is the record's kicker), in one it does not name (and why:
the reasons above), in a link to a site address that is no article's, to an article on a subdomain,
off the site; or outside any link, beside one article link (the teaser's block: the nearest of
TEASER_BLOCK_LEVELS ancestors holding links to one article only), named or not; or in no teaser's
block at all. Records in or beside a link the truth cannot name are the measure's (`CANNOT_NAME_TEXT`);
those in a link to a site address that is no article's, or to a subdomain's article, are mixed
(`MIXED_TEXT`: real teasers and menus or adverts, about half each by eye); the rest are Lede's.
"""
from __future__ import annotations

import argparse
from bisect import bisect_right
import json
import random
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
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


# --- the text path: where a record's lines stand in the page's HTML ---

IN_NAMED_LINK = "in a named link (another part of it)"
IN_UNNAMED_LINK = "in an article link the truth does not name: "  # + the link's reason
IN_SECTION_LINK = "in a link to a site address that is no article's"
IN_OFFSITE_LINK = "in a link off the site"
IN_SUBSITE_LINK = "in an article link on a subdomain of the site"  # the truth takes sportbild.bild.de for another site
IN_KICKER_NAMED_LINK = "in a named link whose truth headline is the record's kicker"  # a kicker-first link, 4+ words
BESIDE_NAMED = "beside a named link, outside it"
BESIDE_UNNAMED = "beside an article link the truth does not name: "  # + the link's reason
NO_TEASER = "in no link and no teaser's block"
NOT_ON_PAGE = "not found in its page's text"
TEASER_BLOCK_LEVELS = 4  # a line's teaser block is an ancestor this near holding links to one article only
CANNOT_NAME_TEXT = tuple(IN_UNNAMED_LINK + why for why in (NO_TEXT, KICKER_FIRST, SHORT, LONG)) + \
    tuple(BESIDE_UNNAMED + why for why in (NO_TEXT, KICKER_FIRST, SHORT, LONG)) + (IN_KICKER_NAMED_LINK,)
MIXED_TEXT = (IN_SECTION_LINK, IN_SUBSITE_LINK)  # by eye, about half real teasers (product tests, sportbild.bild.de),
# half menus, link lists and adverts: counted apart, neither the measure's nor Lede's


@dataclass
class Line:
    """A line of a page's block-per-line text: its words, and for each word the link (a[href]) it is in and
    the text node it came from."""

    words: list[str]
    links: list[object]  # a LexborNode or None, per word
    nodes: list[object]  # the text node each word came from


def annotated_lines(tree) -> list[Line]:
    """The page's text as `realpages.page_text` cuts it into lines, each word with its link and text node
    (a word run over two inline nodes, "30.1.2026" + "Von", is one word, of the node it starts in)."""
    lines: list[list[tuple[str, object, object]]] = [[]]  # per line: (text, link, node) pieces
    stack = [(tree.root, False, None)]
    while stack:
        node, leaving, link = stack.pop()
        tag = node.tag
        if leaving:
            lines.append([])
        elif tag == "-text":
            lines[-1].append((node.text_content or "", link, node))
        elif not tag.startswith("-"):
            if tag in rp.BLOCK_TAGS:
                lines.append([])
                stack.append((node, True, link))
            inner = node if tag == "a" and node.attributes.get("href") is not None else link
            stack.extend((child, False, inner) for child in reversed(list(node.iter(include_text=True))))
    out = []
    for pieces in lines:
        text = "".join(piece for piece, _, _ in pieces).lower()
        starts, at = [], 0
        for piece, link, node in pieces:
            starts.append(at)
            at += len(piece)
        line = Line([], [], [])
        for m in rp.WORD.finditer(text):
            n = bisect_right(starts, m.start()) - 1
            while n > 0 and starts[n] == starts[n - 1] and not pieces[n][0]:
                n -= 1
            line.words.append(m.group())
            line.links.append(pieces[n][1])
            line.nodes.append(pieces[n][2])
        if line.words:
            out.append(line)
    return out


def _find(sequence: list[str], lines: list[Line]) -> tuple[Line, int] | None:
    """The first line holding the words in a row, and where; None when no line does."""
    n = len(sequence)
    for line in lines:
        for i in range(len(line.words) - n + 1):
            if line.words[i:i + n] == sequence:
                return line, i
    return None


def _article_links(node, site: str) -> set[str]:
    """The article addresses the links inside a node point to."""
    found = set()
    for link in node.css("a[href]"):
        if (address := rp._article_address(link.attributes.get("href") or "", site)) is not None:
            found.add(address)
    return found


def _link_reason(link, site: str, named: dict[str, frozenset[str]] | set[str]) -> str:
    """Why the truth takes, or does not take, one article link."""
    address = rp._article_address(link.attributes.get("href") or "", site)
    if address in named:
        return NAMED
    count = len(rp.words(rp._teaser_headline(link)))
    if count == 0:
        return NO_TEXT
    if count < rp.MIN_HEADLINE_WORDS:
        heading = link.css_first("h1, h2, h3, h4, h5, h6")
        own = len(rp.words(rp._spaced_text(link)))
        return KICKER_FIRST if heading is not None and own >= rp.MIN_HEADLINE_WORDS else SHORT
    return LONG if count > rp.MAX_HEADLINE_WORDS else NAMED


def _on_subsite(href: str, site: str) -> bool:
    """A link to an article's address (by the truth's slug/number test) on a subdomain of the site."""
    address = _address(href, site)
    if address is None:
        return False
    host, _, path = address.partition("/")
    return host.endswith("." + site) and rp._article_address(f"https://{site}/{path}", site) is not None


def where_on_page(sequence: list[str], lines: list[Line], site: str, named: dict[str, frozenset[str]],
                  kicker: frozenset[str] = frozenset()) -> tuple[str, str]:
    """Where a record's words (its headline, else its text's opening) stand in the page's HTML (see above),
    with the text of the link they are in or beside. `named`: the truth's headline words by address;
    `kicker`: the record's kicker's words."""
    found = _find(sequence, lines)
    if found is None:
        return NOT_ON_PAGE, ""
    line, at = found
    links = [l for l in line.links[at:at + len(sequence)] if l is not None]
    if links:
        link = Counter(l.mem_id for l in links).most_common(1)[0][0]
        link = next(l for l in links if l.mem_id == link)
        href = link.attributes.get("href") or ""
        if rp._article_address(href, site) is None:
            address = _address(href, site)
            on_site = address is not None and address.split("/", 1)[0] == site
            where = IN_SECTION_LINK if on_site else IN_SUBSITE_LINK if _on_subsite(href, site) else IN_OFFSITE_LINK
            return where, rp._spaced_text(link)
        reason = _link_reason(link, site, named)
        if reason != NAMED:
            return IN_UNNAMED_LINK + reason, rp._spaced_text(link)
        truth_words = named.get(rp._article_address(href, site) or "", frozenset())
        return (IN_KICKER_NAMED_LINK if kicker and truth_words <= kicker else IN_NAMED_LINK), rp._spaced_text(link)
    node = line.nodes[at].parent
    for _ in range(TEASER_BLOCK_LEVELS):
        if node is None:
            break
        addresses = _article_links(node, site)
        if len(addresses) > 1:
            break
        if addresses:
            address = addresses.pop()
            reasons = [_link_reason(l, site, named) for l in node.css("a[href]")
                       if rp._article_address(l.attributes.get("href") or "", site) == address]
            reason = NAMED if NAMED in reasons else Counter(reasons).most_common(1)[0][0]
            return (BESIDE_NAMED if reason == NAMED else BESIDE_UNNAMED + reason), rp._spaced_text(node)[:200]
        node = node.parent
    return NO_TEASER, ""


def record_kind(record: dict) -> str:
    """What a record is by its parts: headline-only (with or without a kicker), headline and text, text only."""
    if not record.get("headline"):
        return "text only"
    if not (record.get("text") or "").strip():
        return "headline only, kicker" if record.get("kicker") else "headline only"
    return "headline and text"


def classify_text(work: Path, picked: list[str]) -> tuple[dict, dict]:
    """(no-link records of a text-path export by where their headline stands in the page's HTML, examples)."""
    pages, links = rp.load_pages(picked)
    truth = rp.build_truth(links)
    named = {link.address: link.words for link in truth.links}
    records = rp.read_export(work / "export.jsonl")
    result = rp.score(records, truth)
    by_key = {page.key: page for page in pages}
    cache: dict[str, list[Line]] = {}
    why: Counter = Counter()
    sites: dict[str, Counter] = defaultdict(Counter)
    kinds: dict[str, Counter] = defaultdict(Counter)
    examples: dict[str, list] = defaultdict(list)
    for n, held in enumerate(result.holds):
        if held:
            continue
        record = records[n]
        key = rp.page_key((record.get("pages") or [""])[0])
        page = by_key.get(key)
        sequence = rp.words(record.get("headline") or "") or rp.words(record.get("text") or "")[:12]
        reason, near = NOT_ON_PAGE, ""
        if page is not None and sequence:
            if key not in cache:
                cache[key] = annotated_lines(rp.parse(page.html))
            reason, near = where_on_page(sequence, cache[key], page.site, named,
                                         frozenset(rp.words(record.get("kicker") or "")))
        why[reason] += 1
        sites[reason][key.split("/", 1)[0]] += 1
        kinds[reason][record_kind(record)] += 1
        examples[reason].append({**record, "near": near})
    counts = {"records": len(records), "no link": sum(why.values())}
    return ({"counts": counts, "no link": dict(why.most_common()),
             "no link by site": {w: dict(c.most_common(5)) for w, c in sites.items()},
             "no link by kind": {w: dict(c.most_common()) for w, c in kinds.items()}}, examples)


CANNOT_NAME = (NO_TEXT, KICKER_FIRST, SHORT, LONG, NOT_ARTICLE, TRUTH_KICKER)


def _print_examples(examples: dict[str, list], limit: int) -> None:
    for why, shown in examples.items():
        for record in shown[:limit]:
            view = record if "address" in record else {
                "kicker": record.get("kicker"), "headline": record.get("headline"), "caption": record.get("caption"),
                "text": (record.get("text") or "")[:80], "url": record.get("url"), "page": (record.get("pages") or [""])[0],
                **({"near": record["near"]} if record.get("near") else {})}
            print(json.dumps({"why": why, **view}, ensure_ascii=False))


def _print_sample(examples: dict[str, list], size: int, seed: int) -> None:
    """A random sample of the no-link records, whatever their reason, numbered for a tally by eye
    (a whole story / part of a teaser / navigation, adverts, boilerplate)."""
    everything = [(why, record) for why, records in examples.items() for record in records]
    random.Random(seed).shuffle(everything)
    for n, (why, record) in enumerate(everything[:size]):
        print(f"{n:3} [{why}] {(record.get('pages') or [''])[0]}\n"
              f"    kicker={record.get('kicker')!r} headline={record.get('headline')!r} caption={record.get('caption')!r}\n"
              f"    text={(record.get('text') or '')[:160]!r}\n    near={(record.get('near') or '')[:200]!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, required=True, help="a `realpages --work` folder (HTML or text path)")
    parser.add_argument("--snapshots", help="the snapshots that run used (default: all six)")
    parser.add_argument("--examples", type=int, default=0, metavar="N", help="print N examples of each reason")
    parser.add_argument("--sample", type=int, default=0, metavar="N",
                        help="text path: print N no-link records drawn at random, for a tally by eye")
    parser.add_argument("--seed", type=int, default=0, help="the --sample draw's seed")
    args = parser.parse_args(argv)
    picked = rp.pick_snapshots(args.snapshots.split(",") if args.snapshots else None)
    if not (args.work / "html").is_dir():  # a text-path run: records have no address, their lines are looked up
        summary, examples = classify_text(args.work, picked)
        counts = summary["counts"]
        print(json.dumps(summary, ensure_ascii=False, indent=1))
        unnamed = sum(summary["no link"].get(why, 0) for why in CANNOT_NAME_TEXT)
        mixed = sum(summary["no link"].get(why, 0) for why in MIXED_TEXT)
        total = counts["records"]
        print(f"\nno link: {counts['no link']:,} of {total:,} records ({counts['no link'] / total:.2%}); "
              f"{unnamed:,} in or beside a link the truth cannot name ({unnamed / total:.2%} of records); "
              f"{mixed:,} in a section or subdomain link ({mixed / total:.2%}); "
              f"the rest {(counts['no link'] - unnamed - mixed) / total:.2%}")
        _print_examples(examples, args.examples)
        _print_sample(examples, args.sample, args.seed)
        return 0
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
    _print_examples(examples, args.examples)
    return 0

if __name__ == "__main__":
    sys.exit(main())

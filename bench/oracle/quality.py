"""Score an export against a composed crawl's truth: stories lost, split, wrongly merged; headlines; pages.

    python -m bench.oracle.quality TRUTH_DIR EXPORT.jsonl [--json] [--examples]

Matching never looks at record ids. Texts are normalised (entity residue, curly quotes,
case, punctuation, leading wire datelines) and cut into word 3-grams. A record matches a
truth story when it holds at least LEDE_SHARE of the first LEDE_SHINGLES shingles of the
story's lede, or when its headline is one of the story's headlines and it holds at least
HEADLINE_LEDE_SHARE of them (a truncated teaser). Two stories that share one sentence, or
daily reports under one headline, therefore match one record only if it holds both ledes.
"""
from __future__ import annotations

import argparse
import gzip
import html
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

SHINGLE_SIZE = 3
LEDE_SHINGLES = 25
LEDE_SHARE = 0.6
HEADLINE_LEDE_SHARE = 0.4
NEAR_HEADLINE_RATIO = 0.8  # headlines this similar (word sequences) count as one headline
REPEAT_RATIO = 0.8  # a text opening this similar to the headline repeats it
MIN_REPEAT_WORDS = 2
MAX_EXAMPLES = 10
FIGURES = ("recovered", "split", "merged_wrong", "headline_exact", "no_headline_repeat", "pages_recall")
FLOOR_KEYS = {"split": "split_max", "merged_wrong": "merged_wrong_max"}  # figures that are ceilings

APOSTROPHE_CODES = {39, 146}  # AG writes "doesn #39;t": the residue eats the space before it
PLAIN = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})
ENTITY_RESIDUE = re.compile(r"(\s?)&?#(\d{2,4});")
NAMED_RESIDUE = re.compile(r"(\s?)&?\b(quot|amp|lt|gt|nbsp);")  # AG also drops the "&": "sex quot; lines"
NAMED = {"quot": '"', "amp": "&", "lt": "<", "gt": ">", "nbsp": " "}
QUOTE_SPACING = re.compile(r'\s*"\s*')
DATELINE = re.compile(
    r"^\s*(?:[A-Z][A-Za-z.'\- ,]{0,40}\s)?\([A-Za-z.' ]{1,30}\)\s*[-\u2013\u2014]+\s*"  # NEW YORK (Reuters) -
    r"|^\s*[A-Za-z][A-Za-z.]{0,20}\s+-\s+"  # Reuters - / AP - / SPACE.com -
)
WORD = re.compile(r"\w+")
SPACE = re.compile(r"\s+")


# --- text normalisation (the composer uses the same cleaning for its truth) ---

def _decode_entity(match: re.Match) -> str:
    """One `#NN;` residue as its character (cp1252 for 128-159, as the source meant)."""
    space, code = match.group(1), int(match.group(2))
    if 128 <= code <= 159:
        char = bytes([code]).decode("cp1252", errors="replace")
    else:
        char = chr(code) if code < 0x110000 else ""
    return char if code in APOSTROPHE_CODES else space + char


def _decode_named(match: re.Match) -> str:
    """One `quot;` / `&amp;` residue as its character; a closing quote keeps no space before it."""
    space, name = match.group(1), match.group(2)
    following = match.string[match.end() : match.end() + 1]
    closing = name == "quot" and (not following or not following.isalnum())
    return NAMED[name] if closing else space + NAMED[name]


def clean_text(text: str) -> str:
    """Text as a reader expects it: entity residue decoded, `\\` breaks as spaces, whitespace collapsed."""
    text = ENTITY_RESIDUE.sub(_decode_entity, text)
    text = NAMED_RESIDUE.sub(_decode_named, text)
    text = html.unescape(text)
    text = text.replace("\\$", "$").replace("\\", " ")
    return SPACE.sub(" ", text).strip()


def comparable(text: str) -> str:
    """Cleaned text with curly quotes and dashes made plain, no space around double quotes: for equality."""
    return QUOTE_SPACING.sub('"', clean_text(text).translate(PLAIN))


def strip_dateline(text: str) -> str:
    """The text without a leading wire dateline such as "NEW YORK (Reuters) - " or "AP - "."""
    return DATELINE.sub("", text, count=1)


def words(text: str) -> list[str]:
    """Lowercased word tokens of cleaned text."""
    return WORD.findall(comparable(text).lower())


def shingles(tokens: list[str], size: int = SHINGLE_SIZE) -> list[tuple[str, ...]]:
    """Consecutive word n-grams in order (the whole text as one shingle when shorter)."""
    if len(tokens) < size:
        return [tuple(tokens)] if tokens else []
    return [tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)]


def lede_shingles(lede: str) -> set[tuple[str, ...]]:
    """The first LEDE_SHINGLES shingles of a lede, dateline removed."""
    return set(shingles(words(strip_dateline(clean_text(lede))))[:LEDE_SHINGLES])


def headline_key(headline: str) -> str:
    """A headline reduced to lowercase words, for "is this the same headline" lookups."""
    return " ".join(words(headline))


def repeats_headline(headline: str, text: str) -> bool:
    """True when the text opens with a near copy of the headline."""
    head = words(headline)
    if len(head) < MIN_REPEAT_WORDS:
        return False
    body = words(text)
    n = len(head)
    best = max(SequenceMatcher(None, head, body[:k], autojunk=False).ratio() for k in (n - 1, n, n + 1))
    return best >= REPEAT_RATIO


# --- records ---

@dataclass
class TruthStory:
    """One story the composer laid out, as truth.jsonl lists it."""

    key: str
    headline: str
    headlines: list[str]
    lede: str
    pages: list[str]
    shingles: set = field(default_factory=set)
    headline_keys: set = field(default_factory=set)


@dataclass
class Record:
    """One story record from `lede export`."""

    id: str
    headline: str
    text: str
    pages: list[str]
    shingles: set = field(default_factory=set)


def _open_lines(path: Path):
    """The lines of a JSONL file, gzipped or not."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        yield from (line for line in fh if line.strip())


def load_truth_rows(rows) -> list[TruthStory]:
    """Truth stories from truth.jsonl rows (dicts)."""
    stories = []
    for row in rows:
        headlines = [row["headline"], *row.get("headlines", [])]
        stories.append(TruthStory(
            key=row["key"], headline=row["headline"], headlines=headlines, lede=row["lede"],
            pages=list(dict.fromkeys(row["pages"])), shingles=lede_shingles(row["lede"]),
            headline_keys={headline_key(h) for h in headlines},
        ))
    return stories


def load_export_rows(rows) -> list[Record]:
    """Records from `lede export` rows (dicts)."""
    records = []
    for n, row in enumerate(rows, 1):
        headline, text = row.get("headline") or "", row.get("text") or ""
        records.append(Record(
            id=str(row.get("id", f"line-{n}")), headline=headline, text=text,
            pages=list(dict.fromkeys(row.get("pages") or [])),
            shingles=set(shingles(words(f"{headline} {text}"))),
        ))
    return records


def load_truth(path: Path) -> list[TruthStory]:
    """Truth stories from truth.jsonl (or a directory holding it)."""
    path = path / "truth.jsonl" if path.is_dir() else path
    return load_truth_rows(json.loads(line) for line in _open_lines(path))


def load_export(path: Path) -> list[Record]:
    """Records from a `lede export` JSONL file."""
    return load_export_rows(json.loads(line) for line in _open_lines(path))


# --- matching ---

@dataclass
class Matching:
    """Which records match which truth stories, with the lede share behind each match."""

    by_story: dict[str, dict[int, float]]  # story key -> {record index: lede share}
    by_record: dict[int, list[str]]  # record index -> story keys


def match(stories: list[TruthStory], records: list[Record]) -> Matching:
    """Match every record to the truth stories whose lede (or headline and part of the lede) it holds."""
    postings: dict[tuple, list[int]] = {}
    for i, story in enumerate(stories):
        for gram in story.shingles:
            postings.setdefault(gram, []).append(i)
    by_headline: dict[str, list[int]] = {}
    for i, story in enumerate(stories):
        for key in story.headline_keys:
            by_headline.setdefault(key, []).append(i)
    by_story: dict[str, dict[int, float]] = {s.key: {} for s in stories}
    by_record: dict[int, list[str]] = {}
    for r, record in enumerate(records):
        hits = Counter(i for gram in record.shingles for i in postings.get(gram, ()))
        same_headline = set(by_headline.get(headline_key(record.headline), ()))
        for i in set(hits) | same_headline:
            story = stories[i]
            share = hits[i] / len(story.shingles) if story.shingles else 0.0
            if share >= LEDE_SHARE or (share >= HEADLINE_LEDE_SHARE and (
                    i in same_headline or _near_headline(record.headline, story))):
                by_story[story.key][r] = share
                by_record.setdefault(r, []).append(story.key)
    return Matching(by_story, by_record)


def _near_headline(headline: str, story: TruthStory) -> bool:
    """True when the headline is a near copy (a word changed, case, suffix) of one of the story's headlines."""
    key = headline_key(headline).split()
    return bool(key) and any(
        SequenceMatcher(None, key, known.split(), autojunk=False).ratio() >= NEAR_HEADLINE_RATIO
        for known in story.headline_keys
    )


def _best_record(story: TruthStory, matched: dict[int, float], records: list[Record]) -> int | None:
    """The record that represents a story best: highest lede share, then most of its pages."""
    if not matched:
        return None
    truth_pages = set(story.pages)
    return max(matched, key=lambda r: (matched[r], len(truth_pages & set(records[r].pages)), -r))


def _share(part: int, whole: int) -> float:
    """part / whole, or 1.0 for an empty whole."""
    return part / whole if whole else 1.0


def _story_example(story: TruthStory, rids: list[str], **extra) -> dict:
    """One failure example for the report."""
    return {"key": story.key, "headline": story.headline, "records": rids, **extra}


def evaluate(truth_path: str | Path, export_path: str | Path) -> dict:
    """All quality figures (shares in 0..1), counts and up to MAX_EXAMPLES examples per failure kind."""
    stories = load_truth(Path(truth_path))
    records = load_export(Path(export_path))
    matching = match(stories, records)
    examples: dict[str, list] = {k: [] for k in ("lost", "split", "merged_wrong", "headline_wrong", "headline_repeat", "pages_missing")}

    def note(kind: str, item: dict) -> None:
        if len(examples[kind]) < MAX_EXAMPLES:
            examples[kind].append(item)

    recovered = split = headline_ok = pages_found = pages_total = 0
    for story in stories:
        matched = matching.by_story[story.key]
        rids = [records[r].id for r in sorted(matched)]
        pages_total += len(story.pages)
        if not matched:
            note("lost", _story_example(story, rids))
            continue
        recovered += 1
        if len(matched) > 1:
            split += 1
            note("split", _story_example(story, rids))
        best = records[_best_record(story, matched, records)]
        if comparable(best.headline) == comparable(story.headline):
            headline_ok += 1
        else:
            note("headline_wrong", _story_example(story, [best.id], got=best.headline))
        listed = set().union(*(records[r].pages for r in matched))
        found = [p for p in story.pages if p in listed]
        pages_found += len(found)
        if len(found) < len(story.pages):
            note("pages_missing", _story_example(story, rids, missing=[p for p in story.pages if p not in listed][:5]))

    merged_wrong = 0
    for r, keys in sorted(matching.by_record.items()):
        if len(keys) > 1:
            merged_wrong += 1
            note("merged_wrong", {"record": records[r].id, "headline": records[r].headline, "stories": keys[:5]})
    repeats = 0
    for record in records:
        if repeats_headline(record.headline, record.text):
            repeats += 1
            note("headline_repeat", {"record": record.id, "headline": record.headline, "text": record.text[:120]})

    n_stories, n_records = len(stories), len(records)
    return {
        "recovered": _share(recovered, n_stories),
        "split": _share(split, n_stories) if n_stories else 0.0,
        "merged_wrong": _share(merged_wrong, n_records) if n_records else 0.0,
        "headline_exact": _share(headline_ok, n_stories),
        "no_headline_repeat": _share(n_records - repeats, n_records),
        "pages_recall": _share(pages_found, pages_total),
        "counts": {
            "truth_stories": n_stories, "records": n_records, "recovered": recovered, "split": split,
            "merged_wrong": merged_wrong, "headline_exact": headline_ok, "headline_repeat": repeats,
            "pages_found": pages_found, "pages_total": pages_total,
            "unmatched_records": n_records - len(matching.by_record),
        },
        "examples": examples,
    }


def check_floors(result: dict, floors: dict) -> list[str]:
    """The figures that miss their floors (or exceed their `_max` ceilings), as messages; a figure
    the floors leave out is a failure too (a floors file of other keys must not pass everything)."""
    failures = []
    for name in FIGURES:
        key = FLOOR_KEYS.get(name, name)
        if key not in floors:
            failures.append(f"{name}: no floor ({key!r}) in the floors given")
            continue
        value, limit = result[name], floors[key]
        if (value > limit) if key.endswith("_max") else (value < limit):
            failures.append(f"{name} = {value:.4f}, {'max' if key.endswith('_max') else 'floor'} {limit}")
    return failures


def format_table(result: dict) -> str:
    """The figures as a readable table."""
    counts = result["counts"]
    rows = [
        ("recovered", "truth stories matched by a record", "higher"),
        ("split", "truth stories spread over 2+ records", "lower"),
        ("merged_wrong", "records holding 2+ truth stories", "lower"),
        ("headline_exact", "best record's headline == truth", "higher"),
        ("no_headline_repeat", "records whose text does not repeat the headline", "higher"),
        ("pages_recall", "truth pages listed on matched records", "higher"),
    ]
    lines = [f"{'figure':<20}{'value':>9}  meaning ({'better'})"]
    lines += [f"{name:<20}{result[name] * 100:>8.2f}%  {what} ({better} is better)" for name, what, better in rows]
    lines.append(
        f"\n{counts['truth_stories']} truth stories, {counts['records']} records "
        f"({counts['unmatched_records']} matching no truth story), {counts['pages_total']} truth page listings"
    )
    return "\n".join(lines)


def format_examples(result: dict) -> str:
    """Up to MAX_EXAMPLES examples per failure kind."""
    out = []
    for kind, items in result["examples"].items():
        out.append(f"\n{kind}: {len(items)} shown")
        out += [f"  {json.dumps(item, ensure_ascii=False)}" for item in items]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """CLI: print the figures for one export against one truth."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("truth", help="TRUTH_DIR (holding truth.jsonl) or the truth.jsonl file")
    parser.add_argument("export", help="EXPORT.jsonl from `lede export`")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--examples", action="store_true", help="list up to 10 examples of each failure kind")
    parser.add_argument("--floors", help="a floors JSON file (e.g. tests/quality_floors.json); exit 1 if one is missed")
    parser.add_argument("--floor-set", default="dev", help="which floors of the file: dev, heldout or targets")
    args = parser.parse_args(argv)
    result = evaluate(args.truth, args.export)
    if args.json:
        shown = result if args.examples else {k: v for k, v in result.items() if k != "examples"}
        print(json.dumps(shown, indent=1, ensure_ascii=False))
    else:
        print(format_table(result))
        if args.examples:
            print(format_examples(result))
    if args.floors:
        failures = check_floors(result, json.loads(Path(args.floors).read_text())[args.floor_set])
        for failure in failures:
            print(f"BELOW FLOOR: {failure}", file=sys.stderr)
        return 1 if failures else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Measure search in a story's own language: the real German listing pages and a composed English crawl.

    python -m bench.oracle.language_quality [--snapshots 2026-03] [--queries 300] [--phrases 300]
                                     [--english-stories 1000] [--seed 0] [--json]

Builds two indexes in a temp dir with Lede's pipeline: the German news listing pages as
`bench/oracle/realpages.py` turns them into text (its truth: each teaser's article link) and a composed
English crawl (bench/oracle/compose.py, held-out layouts). Then, on the German index:

1. known-item MRR: for a sample of linked stories (links some story of the export holds, by
   realpages' `record_holds`: by headline, or by a text that opens with it), the link's headline
   typed as plain words; the rank of the first hit that holds the link (in the first 100), so
   that search is measured, not segmenting;
2. the same with one word inflected differently: a word of the headline swapped for another
   word of the crawl that is it plus or minus a German inflection ending (Verhandlung ->
   Verhandlungen, Polizisten -> Polizist), so the variant is a real word of these pages;
3. exact phrases (2-4 words of a story's text, half with a stop word): the hits against a
   brute-force scan of every story: a phrase matches a story when the same run of words,
   split by a plain regular expression, folded (`analysis.fold_token`) and stemmed by NLTK's
   Snowball stemmer of the story's language, stop words included, lies in its text, caption,
   kicker or one headline variant;
4. tagging: the share of German-page stories (with a headline of 3+ words and 5+ words of text)
   tagged `de`, and of the English crawl's stories tagged `en`.

Works against a tree without languages too (MRR only), for the before/after comparison.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

from nltk.stem.snowball import SnowballStemmer

from bench.oracle import realpages
from bench.oracle.search_quality import MAX_RANK, all_pages, headline_query
from indexer import build_index, iter_stories
from webapp.search import IndexHolder, QueryError, search

QUERIES = 300
PHRASES = 300
MIN_HEADLINE_WORDS = 3  # shorter headlines ("Wetter") are section names more often than stories
MIN_TEXT_WORDS = 5  # a story (for tagging) has a headline and at least this much text
GERMAN_ENDINGS = ("e", "en", "n", "er", "es", "s", "ern", "ns", "nen")  # plural and case endings
MIN_INFLECTED_CHARS = 4
PHRASE_WORDS = (2, 4)
GERMAN_STOP_WORDS = frozenset("""der die das den dem des ein eine einer eines einem einen und oder
aber von zu im am mit für auf aus bei nach vor über unter um an in ist sind war wird werden wie als
auch nicht noch nur sich es er sie wir""".split())
SNOWBALL = {"ar": "arabic", "da": "danish", "de": "german", "en": "english", "es": "spanish",
            "fi": "finnish", "fr": "french", "hu": "hungarian", "it": "italian", "nl": "dutch",
            "no": "norwegian", "nb": "norwegian", "nn": "norwegian", "pt": "portuguese",
            "ro": "romanian", "ru": "russian", "sv": "swedish"}  # (the oracle's own copy)
WORD = re.compile(r"\w+")
TARGETS = {"mrr": 0.95, "mrr_inflected": 0.9, "phrase_precision": 0.99, "phrase_recall": 0.99,
           "tagged_de": 0.98, "tagged_en": 0.98}


# ---------------------------------------------------------------- crawls

def is_story(story: dict) -> bool:
    return len(story["headline"].split()) >= MIN_HEADLINE_WORDS and len(story["text"].split()) >= MIN_TEXT_WORDS


# ---------------------------------------------------------------- the oracle

def oracle_terms(text: str, lang: str) -> list[str]:
    """Words of a text split by a regular expression, folded as Lede folds them, Snowball-stemmed."""
    from indexer.analysis import fold_token  # (only in a tree with languages)
    stemmer = SnowballStemmer(SNOWBALL[lang]) if lang in SNOWBALL else None
    words = (fold_token(w, lang) for w in WORD.findall(text))
    return [stemmer.stem(w) if stemmer else w for w in words]


class Oracle:
    """Every story's fields as oracle terms, with where each term stands, for brute-force phrase matching."""

    def __init__(self, stories: list[dict]):
        self.fields: dict[str, list[list[str]]] = {}
        self.starts: dict[str, dict[str, list[tuple[str, int, int]]]] = {}  # lang -> term -> (story, field, pos)
        for s in stories:
            lang = s["language"]
            fields = [oracle_terms(f, lang) for f in (*s["headlines"], s["text"], s["caption"], s.get("kicker", "")) if f]
            self.fields[s["id"]] = fields
            where = self.starts.setdefault(lang, {})
            for n, terms in enumerate(fields):
                for i, term in enumerate(terms):
                    where.setdefault(term, []).append((s["id"], n, i))

    def matches(self, phrase: str) -> set[str]:
        """The stories holding the phrase, each read in its own language."""
        found = set()
        for lang, where in self.starts.items():
            words = oracle_terms(phrase, lang)
            k = len(words)
            for story, n, i in where.get(words[0], ()) if words else ():
                if self.fields[story][n][i:i + k] == words:
                    found.add(story)
        return found


# ---------------------------------------------------------------- measures

def rank_of(holder: IndexHolder, query: str, link, records: dict) -> int | None:
    """Rank of the first hit holding the link (None past MAX_RANK)."""
    hits = search(holder, query, per_page=MAX_RANK)["results"]
    return next((i + 1 for i, h in enumerate(hits) if realpages.record_holds(records[h["id"]], link)), None)


def inflected(query: str, vocabulary: set[str], rng: random.Random) -> str | None:
    """The query with one word swapped for a real word of the crawl one German ending longer or shorter."""
    words = query.split()
    order = list(range(len(words)))
    rng.shuffle(order)
    for i in order:
        word = words[i]
        if len(word) < MIN_INFLECTED_CHARS or not word.isalpha():
            continue
        variants = [word + e for e in GERMAN_ENDINGS if word + e in vocabulary]
        variants += [word[:-len(e)] for e in GERMAN_ENDINGS
                     if word.endswith(e) and len(word) - len(e) >= MIN_INFLECTED_CHARS and word[:-len(e)] in vocabulary]
        if variants:
            return " ".join(words[:i] + [rng.choice(sorted(variants))] + words[i + 1:])
    return None


def run_mrr(holder: IndexHolder, stories: list[dict], truth, n: int, rng: random.Random) -> dict:
    """MRR of linked stories' headlines as queries, plain and with one word inflected differently."""
    records = {s["id"]: realpages.Record.from_export(s) for s in stories}
    vocabulary = {w for s in stories for w in WORD.findall(f"{s['headline']} {s['text']}")}
    held = set()
    for record in records.values():
        held.update(realpages.record_links(record, truth))
    linked = [truth.links[i] for i in sorted(held)]
    sample = rng.sample(linked, min(n, len(linked)))
    plain = bent = 0.0
    bent_n, misses, bent_misses = 0, [], []
    for link in sample:
        query = headline_query(link.headline)
        try:
            r = rank_of(holder, query, link, records)
        except QueryError:
            r = None
        plain += 1 / r if r else 0
        if r != 1 and len(misses) < 10:
            misses.append({"query": query, "rank": r})
        variant = inflected(query, vocabulary, rng)
        if variant is None:
            continue
        bent_n += 1
        try:
            r = rank_of(holder, variant, link, records)
        except QueryError:
            r = None
        bent += 1 / r if r else 0
        if r != 1 and len(bent_misses) < 10:
            bent_misses.append({"query": variant, "headline": link.headline, "rank": r})
    return {"links": len(truth.links), "linked": len(linked), "mrr_queries": len(sample),
            "mrr": round(plain / max(1, len(sample)), 4), "mrr_inflected_queries": bent_n,
            "mrr_inflected": round(bent / max(1, bent_n), 4), "mrr_misses": misses,
            "mrr_inflected_misses": bent_misses}


def pick_phrases(stories: list[dict], n: int, rng: random.Random) -> list[str]:
    """Runs of 2-4 words of stories' text, every other one with a German stop word."""
    phrases = []
    texts = [s["text"] for s in stories if len(s["text"].split()) >= PHRASE_WORDS[1]]
    while len(phrases) < n and texts:
        words = WORD.findall(rng.choice(texts))
        size = rng.randint(*PHRASE_WORDS)
        starts = list(range(len(words) - size + 1))
        if len(phrases) % 2:
            starts = [i for i in starts if any(w.lower() in GERMAN_STOP_WORDS for w in words[i:i + size])]
        if starts:
            i = rng.choice(starts)
            phrases.append(" ".join(words[i:i + size]))
    return phrases


def run_phrases(holder: IndexHolder, stories: list[dict], n: int, rng: random.Random) -> dict:
    """Micro precision and recall of exact phrase queries against the oracle."""
    oracle = Oracle(stories)
    tp = fp = fn = 0
    mismatches = []
    for phrase in pick_phrases(stories, n, rng):
        query = f'"{phrase}"'
        got = {h["id"] for page in all_pages(holder, query) for h in page}
        expected = oracle.matches(phrase)
        tp, fp, fn = tp + len(got & expected), fp + len(got - expected), fn + len(expected - got)
        if got != expected and len(mismatches) < 10:
            mismatches.append({"query": query, "extra": sorted(got - expected)[:3], "missing": sorted(expected - got)[:3]})
    return {"phrase_queries": n, "phrase_expected_hits": tp + fn, "phrase_precision": round(tp / max(1, tp + fp), 4),
            "phrase_recall": round(tp / max(1, tp + fn), 4), "phrase_mismatches": mismatches}


def tagging(stories: list[dict], lang: str) -> dict:
    """The share of stories (with a headline and text) tagged `lang`, and of all stories."""
    real = [s for s in stories if is_story(s)]
    wrong = [s for s in real if s.get("language") != lang]
    return {f"tagged_{lang}": round(1 - len(wrong) / max(1, len(real)), 4), f"tagged_{lang}_stories": len(real),
            f"tagged_{lang}_all": round(sum(s.get("language") == lang for s in stories) / max(1, len(stories)), 4),
            f"tagged_{lang}_as": dict(Counter(s.get("language") for s in wrong).most_common(8)),
            f"tagged_{lang}_wrong": [f"{s['headline'][:60]} | {s['text'][:80]}" for s in wrong[:8]]}


def run(work: Path, snapshots: list[str] | None, queries: int, phrases: int, english_stories: int,
        seed: int) -> dict:
    from bench.oracle import compose
    result: dict = {}
    pages, links = realpages.load_pages(realpages.pick_snapshots(snapshots))
    truth = realpages.build_truth(links)
    result["german_pages"] = realpages.write_text_pages(pages, work / "de" / "crawl")
    del pages
    build_index([work / "de" / "crawl"], work / "de" / "index")
    german = list(iter_stories(work / "de" / "index"))
    holder = IndexHolder(work / "de" / "index")
    result["german_stories"] = len(german)
    result.update(run_mrr(holder, german, truth, queries, random.Random(seed)))
    if "language" in german[0]:
        result.update(run_phrases(holder, german, phrases, random.Random(seed)))
        result.update(tagging(german, "de"))
        compose.compose(work / "en", stories=english_stories, seed=seed, layouts="heldout")
        build_index([work / "en" / "crawl"], work / "en" / "index")
        english = list(iter_stories(work / "en" / "index"))
        result["english_stories"] = len(english)
        result.update(tagging(english, "en"))
    return result


def format_table(result: dict) -> str:
    rows = ["| figure | value | target |", "|---|---|---|"]
    for key in ("mrr", "mrr_inflected", "phrase_precision", "phrase_recall", "tagged_de", "tagged_en"):
        if key in result:
            rows.append(f"| {key} | {result[key]} | >= {TARGETS[key]} |")
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snapshots", help="comma-separated snapshot names or prefixes (default all)")
    parser.add_argument("--queries", type=int, default=QUERIES)
    parser.add_argument("--phrases", type=int, default=PHRASES)
    parser.add_argument("--english-stories", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not realpages.CORPUS.exists():
        print(f"no German pages in {realpages.CORPUS}", file=sys.stderr)
        return 2
    snapshots = args.snapshots.split(",") if args.snapshots else None
    with tempfile.TemporaryDirectory(prefix="lede-lang-") as tmp:
        result = run(Path(tmp), snapshots, args.queries, args.phrases, args.english_stories, args.seed)
    print(json.dumps(result, indent=1, ensure_ascii=False) if args.json else format_table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())

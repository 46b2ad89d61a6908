"""Measure search quality on a composed crawl: exact phrases, headline MRR, snippets and hostile input.

    python -m bench.oracle.search_quality [--stories 1000] [--layouts dev|heldout] [--seed 0] [--json]
                                   [--index DIR] [--phrases 300] [--mrr-queries 300]

Composes a ground-truth crawl (bench/oracle/compose.py) and builds an index in a temp dir, or takes
`--index DIR`, then measures on that index:

1. exact phrase queries: the hits of `"phrase"` (all pages) against a brute-force scan of every
   story's headline, text and caption after the same analysis (stemming_analyzer);
2. headline MRR: a story's headline typed as plain words, rank of that story (and of any story
   with the same headline) in the first 100 hits;
3. no story twice in one query's results, and a <mark> in the snippet of hits whose text
   (or caption) holds the query's words;
4. hostile input through the Flask test client: no 5xx, no payload reflected unescaped in HTML,
   JSON errors in the documented shape.

The headline field holds every headline variant joined by newlines and is analysed as one
stream, so a phrase can span two variants (last word of one, first word of the next); the
brute force does the same and the run reports how often the index matches such a phrase.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from indexer import iter_stories
from indexer.analysis import stemming_analyzer
from webapp.highlight import body_text
from webapp.search import MAX_PER_PAGE, IndexHolder, QueryError, search

PHRASES = 300
MRR_QUERIES = 300
BOUNDARY_PROBES = 50
MAX_RANK = 100
PER_PAGE = MAX_PER_PAGE
PHRASE_WORDS = (2, 4)
NEAR_MISS_SHARE = 0.2  # phrases made by reordering words or changing a stop word
STOP_SHARE = 0.3  # phrases that must hold a stop word ("of the", "Bank of ...")
HEADLINE_SHARE = 0.35  # of the remaining phrases, taken from a headline variant (else text or caption)
CAPTION_SHARE = 0.1
MAX_MISMATCHES = 10
PAGING_QUERIES = 10  # phrases with the most hits, paged 10 at a time in both sorts
PAGING_PER_PAGE = 10
STOP_WORDS = ("of", "the", "a", "an", "in", "on", "to", "for", "and", "at", "by", "with", "from", "as", "is")
UNSAFE_IN_PHRASE = re.compile(r'["*?\n\r\t]')  # surface text that would end or escape the quotes
OPERATOR_CHARS = re.compile(r'["()*:?]')  # what the query language reads as syntax
OPERATOR_WORDS = {"AND", "OR", "NOT"}
TARGETS = {"phrase_precision": 0.99, "phrase_recall": 0.99, "mrr_same_headline": 0.95,
           "duplicate_hits": 0, "paging_inconsistent": 0, "mark_share": 0.99, "status_5xx": 0, "reflections": 0,
           "bad_error_shape": 0}
# a tag opening in a payload: its first characters must never reach an HTML page unescaped
TAG = re.compile(r"<[a-zA-Z/!][^<]{0,24}")
SCRIPT_URL_ATTR = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.I)

HOSTILE_QUERIES = [
    '"', '""', '"unclosed phrase', 'unclosed phrase"', '"a" "b', "(", ")", "((((", "(bank", "bank)",
    ")(", "(()())", "AND", "OR", "NOT", "AND OR NOT", "bank AND", "OR bank", "NOT bank", "NOT NOT NOT",
    "-", "--", "-bank", "bank -", "- - -", "-(", "*", "**", "?", "a*", "b?", "*bank", "?ank", "ba*k",
    "(*)", '"*"', "", " ", "\t\n ", "x" * 5000, "bank " * 1000, "\x00", "bank\x00oil", "%00",
    "bank%00", "\x1b[31mred\x1b[0m", "\x7f\x7f", "\u202eevil\u202c", "\u0645\u0631\u062d\u0628\u0627",
    "\U0001F600\U0001F525", "e\u0301\u0301\u0301\u0301", "Z\u0324\u0354\u0367\u0311a\u0308\u0356",
    "\ufeffbank", "\u200b", "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>", "javascript:alert(1)", "{{7*7}}", "${7*7}", "{% print 1 %}",
    "' OR 1=1 --", "'; DROP TABLE stories; --", "1 UNION SELECT * FROM users", "title:bank",
    "id:abc", "foo:bar", "site:", "headline:", 'headline:"', "headline:(bank OR", "site:<script>",
    "bank^2", "[a TO z]", "{a TO z}", "bank~2", '"bank oil"~3', "\\", '\\"', "/regex.*/",
    "<", ">", "&amp;", "&#x3C;script&#x3E;", "../../etc/passwd", "a" * 501, "(" * 200 + "bank",
    "bank OR " * 60 + "oil", "el*", "e*", "zz*",
]
HOSTILE_PARAMS = [  # benign query, hostile other parameters
    {"per_page": "100000000"}, {"per_page": "-5"}, {"per_page": "0"}, {"per_page": "abc"},
    {"per_page": "1e9"}, {"page": "0"}, {"page": "-1"}, {"page": "1000000"},
    {"page": "99999999999999999999999"}, {"page": "abc"}, {"page": "1.5"}, {"page": ""},
    {"sort": "evil"}, {"sort": "<script>alert(1)</script>"}, {"sort": ""},
    {"site": "<script>alert(1)</script>"}, {"site": '"><img src=x onerror=alert(1)>'},
    {"site": "x" * 5000}, {"site": "\x00"}, {"q": ["bank", "oil"]},
]
HOSTILE_IDS = [
    "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "javascript:alert(1)",
    "../../etc/passwd", "\x00", "%00", "x" * 5000, "{{7*7}}", "' OR 1=1 --", "\u202eevil",
    "\U0001F600", "*", "id:*",
]
RAW_QUERY_STRINGS = ["q=%ED%A0%80", "q=%FF%FE%00", "q=bank&page=%FF", "q=%C0%AE%C0%AE"]  # invalid UTF-8


@dataclass
class Doc:
    """One indexed story, with its searchable fields as the index analyses them."""

    id: str
    headline: str
    headlines: list[str]
    text: str
    caption: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # headline (variants joined), text, caption, kicker
    variants: list[list[str]] = field(default_factory=list)
    starts: dict[str, dict[str, list[int]]] = field(default_factory=dict)  # field -> token -> positions


@dataclass
class Phrase:
    """One exact-phrase query and where it came from."""

    query: str
    tokens: tuple[str, ...]
    kind: str  # text | headline | caption | stop | near-miss
    source: str


class Analyzer:
    """stemming_analyzer(), as the index runs it: tokens and their character spans."""

    def __init__(self):
        self.analyzer = stemming_analyzer()

    def tokens(self, text: str) -> list[str]:
        return [t.text for t in self.analyzer(text, mode="index")]

    def spans(self, text: str) -> list[tuple[str, int, int]]:
        return [(t.text, t.startchar, t.endchar) for t in self.analyzer(text, chars=True, mode="index")]


def load_docs(index_dir: Path, an: Analyzer) -> list[Doc]:
    """Every story of the index, analysed field by field like the index does."""
    docs = []
    for story in iter_stories(index_dir):
        doc = Doc(story["id"], story["headline"], story["headlines"], story["text"], story["caption"])
        doc.fields = {"headline": an.tokens("\n".join(doc.headlines)), "text": an.tokens(doc.text),
                      "caption": an.tokens(doc.caption),
                      "kicker": an.tokens(story.get("kicker") or "")}  # searched in the caption fields, shown apart
        doc.variants = [an.tokens(h) for h in doc.headlines]
        for name, tokens in doc.fields.items():
            where: dict[str, list[int]] = {}
            for i, tok in enumerate(tokens):
                where.setdefault(tok, []).append(i)
            doc.starts[name] = where
        docs.append(doc)
    return docs


def occurs(tokens: list[str], starts: dict[str, list[int]], phrase: tuple[str, ...]) -> bool:
    """Whether phrase is a consecutive run of tokens."""
    n = len(phrase)
    return any(tuple(tokens[i:i + n]) == phrase for i in starts.get(phrase[0], ()))


SEARCHED_BESIDE_HEADLINES = ("text", "caption", "kicker")  # the kicker is searched in the caption fields, a line
# apart from the caption (no phrase runs from one into the other), and shown apart from the snippet


def in_fields(doc: Doc, phrase: tuple[str, ...], names=("headline", "text", "caption")) -> bool:
    return any(occurs(doc.fields[f], doc.starts[f], phrase) for f in names)


def in_one_variant(doc: Doc, phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(tuple(v[i:i + n]) == phrase for v in doc.variants for i in range(len(v) - n + 1))


# ---------------------------------------------------------------- phrases

def window(an: Analyzer, raw: str, rng: random.Random, need_stop: bool) -> tuple[str, list[str]] | None:
    """A run of 2-4 words of raw text: (its query text, its raw words), or None if there is none."""
    spans = an.spans(raw)
    words = [raw[s:e] for _, s, e in spans]
    if len(spans) < PHRASE_WORDS[0]:
        return None
    n = rng.randint(PHRASE_WORDS[0], min(PHRASE_WORDS[1], len(spans)))
    starts = list(range(len(spans) - n + 1))
    if need_stop:
        starts = [i for i in starts if any(w.lower() in STOP_WORDS for w in words[i:i + n])]
        if not starts:
            return None
    i = rng.choice(starts)
    surface = raw[spans[i][1]:spans[i + n - 1][2]]
    if UNSAFE_IN_PHRASE.search(surface):
        surface = " ".join(words[i:i + n])
    return surface, words[i:i + n]


def near_miss(words: list[str], rng: random.Random) -> str | None:
    """The same words in another order, or with another stop word."""
    stops = [i for i, w in enumerate(words) if w.lower() in STOP_WORDS]
    out = list(words)
    if stops and rng.random() < 0.6:
        i = rng.choice(stops)
        out[i] = rng.choice([s for s in STOP_WORDS if s != words[i].lower()])
    else:
        i = rng.randrange(len(words) - 1)
        out[i], out[i + 1] = out[i + 1], out[i]
    return " ".join(out) if [w.lower() for w in out] != [w.lower() for w in words] else None


def pick_phrases(docs: list[Doc], n: int, rng: random.Random, an: Analyzer) -> list[Phrase]:
    """n phrase queries: plain runs of text and headlines, runs holding stop words, and near-misses."""
    plan = (["near-miss"] * round(n * NEAR_MISS_SHARE) + ["stop"] * round(n * STOP_SHARE))
    rest = n - len(plan)
    heads, caps = round(rest * HEADLINE_SHARE), round(rest * CAPTION_SHARE)
    plan += ["headline"] * heads + ["caption"] * caps + ["text"] * (rest - heads - caps)
    phrases, seen = [], set()
    for kind in plan:
        for _ in range(200):
            doc = rng.choice(docs)
            source = kind if kind in ("headline", "caption", "text") else rng.choice(("headline", "text"))
            raw = (rng.choice(doc.headlines) if doc.headlines else "") if source == "headline" else getattr(doc, source)
            got = window(an, raw, rng, need_stop=kind == "stop") if raw else None
            if got is None:
                continue
            query = near_miss(got[1], rng) if kind == "near-miss" else got[0]
            if query is None:
                continue
            tokens = tuple(an.tokens(query))
            if len(tokens) >= 2 and tokens not in seen:
                seen.add(tokens)
                phrases.append(Phrase(query, tokens, kind, doc.id))
                break
    return phrases


def boundary_probes(docs: list[Doc], rng: random.Random, an: Analyzer) -> list[Phrase]:
    """Phrases made of the last word of one headline variant and the first word of the next."""
    multi = [d for d in docs if len(d.variants) > 1 and all(d.variants)]
    probes = []
    for doc in rng.sample(multi, min(BOUNDARY_PROBES, len(multi))):
        i = rng.randrange(len(doc.headlines) - 1)
        last = [doc.headlines[i][s:e] for _, s, e in an.spans(doc.headlines[i])][-1]
        first = [doc.headlines[i + 1][s:e] for _, s, e in an.spans(doc.headlines[i + 1])][0]
        query = f"{last} {first}"
        tokens = tuple(an.tokens(query))
        if not in_fields(doc, tokens, SEARCHED_BESIDE_HEADLINES) and not in_one_variant(doc, tokens):
            probes.append(Phrase(query, tokens, "boundary", doc.id))  # only where it is truly absent
    return probes


# ---------------------------------------------------------------- running queries

class Checks:
    """What every query run adds to: duplicate hits and snippets that should show a <mark>."""

    def __init__(self, by_id: dict[str, Doc]):
        self.by_id = by_id
        self.duplicates: list[dict] = []
        self.mark_expected = 0
        self.mark_missing: list[dict] = []

    def pages(self, query: str, pages: list[list[dict]]) -> None:
        seen: set[str] = set()
        for page in pages:
            ids = [h["id"] for h in page]
            if len(set(ids)) != len(ids) or seen & set(ids):
                self.duplicates.append({"query": query, "ids": sorted(i for i in ids if ids.count(i) > 1 or i in seen)})
            seen.update(ids)

    def snippet(self, query: str, hit: dict, expected: bool) -> None:
        if not expected:
            return
        self.mark_expected += 1
        if "<mark>" not in str(hit["snippet"]):
            doc = self.by_id[hit["id"]]
            # the snippet leaves out a leading copy of a headline variant: say when that is why
            dropped = len(body_text({"text": doc.text, "headlines": doc.headlines})) < len(doc.text)
            self.mark_missing.append({"query": query, "id": hit["id"], "headline_copy_dropped": dropped,
                                      "snippet": str(hit["snippet"])[:160]})


def all_pages(holder: IndexHolder, query: str, per_page: int = PER_PAGE, sort: str = "relevance") -> list[list[dict]]:
    """Every page of hits of a query."""
    pages, page = [], 1
    while True:
        data = search(holder, query, page=page, per_page=per_page, sort=sort)
        pages.append(data["results"])
        if page * per_page >= data["total"] or not data["results"]:
            return pages
        page += 1


def run_paging(holder, queries: list[tuple[str, set[str]]], checks) -> dict:
    """Small pages in both sorts: no story on two pages, none left out (vs the hits of one big page)."""
    inconsistent = []
    for query, ids in queries:
        for sort in ("relevance", "date"):
            pages = all_pages(holder, query, PAGING_PER_PAGE, sort)
            checks.pages(f"{query} sort={sort} per_page={PAGING_PER_PAGE}", pages)
            if {h["id"] for page in pages for h in page} != ids:
                inconsistent.append(f"{query} sort={sort}")
    return {"paging_queries": len(queries), "paging_inconsistent": len(inconsistent),
            "paging_examples": inconsistent[:MAX_MISMATCHES]}


def run_phrases(holder, docs, phrases, checks) -> dict:
    """Micro precision and recall of exact phrase queries against the brute-force truth."""
    tp = fp = fn = errors = most = 0
    mismatches, big = [], []
    for ph in phrases:
        query = f'"{ph.query}"'
        # the index keeps headline variants apart (a gap of positions between them)
        expected = {d.id for d in docs if in_fields(d, ph.tokens, SEARCHED_BESIDE_HEADLINES) or in_one_variant(d, ph.tokens)}
        try:
            pages = all_pages(holder, query)
        except QueryError as exc:
            pages, errors = [], errors + 1
            mismatches.append({"query": query, "kind": ph.kind, "error": str(exc)})
        checks.pages(query, pages)
        got = set()
        for hit in (h for page in pages for h in page):
            got.add(hit["id"])
            doc = checks.by_id[hit["id"]]
            checks.snippet(query, hit, in_fields(doc, ph.tokens, ("text", "caption")))
        most = max(most, len(got))
        big.append((len(got), query, got))
        tp, fp, fn = tp + len(got & expected), fp + len(got - expected), fn + len(expected - got)
        if got != expected and len(mismatches) < MAX_MISMATCHES:
            mismatches.append({"query": query, "kind": ph.kind, "tokens": list(ph.tokens),
                               "extra": sorted(got - expected)[:5], "missing": sorted(expected - got)[:5]})
    kinds = {}
    for ph in phrases:
        kinds[ph.kind] = kinds.get(ph.kind, 0) + 1
    return {"phrase_queries": len(phrases), "phrase_kinds": kinds,
            "phrase_expected_hits": tp + fn, "phrase_most_hits": most, "phrase_precision": round(tp / max(1, tp + fp), 4),
            "phrase_recall": round(tp / max(1, tp + fn), 4), "phrase_false_hits": fp,
            "phrase_missed_hits": fn, "phrase_errors": errors,
            "phrase_mismatches": mismatches[:MAX_MISMATCHES],
            "_paging": [(q, ids) for _, q, ids in sorted(big, key=lambda b: (-b[0], b[1]))[:PAGING_QUERIES]]}


def run_boundary(holder, probes) -> dict:
    """How often the index matches a phrase spanning two headline variants of the same story."""
    matched = 0
    for ph in probes:
        try:
            ids = {h["id"] for page in all_pages(holder, f'"{ph.query}"') for h in page}
        except QueryError:
            continue
        matched += ph.source in ids
    return {"boundary_probes": len(probes), "boundary_matched": matched}


def headline_query(headline: str) -> str:
    """A headline as a person would type it: words only, without the query language's operators."""
    words = OPERATOR_CHARS.sub(" ", headline).split()
    words = [w.lstrip("-") for w in words]
    return " ".join(w for w in words if w and w not in OPERATOR_WORDS)


def norm(headline: str) -> str:
    return " ".join(headline.casefold().split())


def run_mrr(holder, docs, n, rng, checks, an) -> dict:
    """Mean reciprocal rank of a story (strict) or of a story with its headline (same-headline)."""
    sample = rng.sample(docs, min(n, len(docs)))
    strict = same = 0.0
    errors, misses = 0, []
    for doc in sample:
        query = headline_query(doc.headline)
        try:
            hits = search(holder, query, page=1, per_page=MAX_RANK)["results"]
        except QueryError as exc:
            errors += 1
            misses.append({"query": query, "id": doc.id, "error": str(exc)})
            continue
        checks.pages(query, [hits])
        terms = set(an.tokens(query))
        ranks = [h["id"] for h in hits]
        for hit in hits:
            other = checks.by_id[hit["id"]]
            checks.snippet(query, hit, bool(terms & (set(other.fields["text"]) | set(other.fields["caption"]))))
        r_strict = ranks.index(doc.id) + 1 if doc.id in ranks else None
        r_same = next((i + 1 for i, h in enumerate(ranks) if norm(checks.by_id[h].headline) == norm(doc.headline)), None)
        strict += 1 / r_strict if r_strict else 0
        same += 1 / r_same if r_same else 0
        if r_same != 1 and len(misses) < MAX_MISMATCHES:
            top = checks.by_id[ranks[0]].headline if ranks else None
            misses.append({"query": query, "id": doc.id, "rank": r_same, "top": top})
    k = max(1, len(sample))
    return {"mrr_queries": len(sample), "mrr_strict": round(strict / k, 4), "mrr_same_headline": round(same / k, 4),
            "mrr_errors": errors, "mrr_misses": misses}


# ---------------------------------------------------------------- hostile input

def hostile(index_dir: Path, story_id: str) -> dict:
    """Hostile and malformed input through the Flask test client: 5xx, reflections, error shapes."""
    from webapp import create_app  # Flask only for this part
    client = create_app({"TESTING": True, "INDEX_DIR": str(index_dir)}).test_client()
    requests = []  # (path, query_string, payloads that must not come back unescaped)
    for q in HOSTILE_QUERIES:
        for path in ("/", "/api/search"):
            requests.append((path, {"q": q}, [q]))
        requests.append((f"/story/{story_id}", {"q": q}, [q]))
    for params in HOSTILE_PARAMS:
        for path in ("/", "/api/search"):
            requests.append((path, {"q": "bank", **params}, [v for v in params.values() if isinstance(v, str)]))
    for x in HOSTILE_IDS:
        for path in ("/story/", "/api/story/"):
            requests.append((path + quote(x, safe=""), {}, [x]))
    for raw in RAW_QUERY_STRINGS:
        for path in ("/", "/api/search"):
            requests.append((path, raw, []))
    status_5xx, reflections, bad_shape, statuses = [], [], [], {}
    for path, qs, payloads in requests:
        resp = client.get(path, query_string=qs)
        statuses[resp.status_code] = statuses.get(resp.status_code, 0) + 1
        what = f"{path} {qs!r}"[:120]
        if resp.status_code >= 500:
            status_5xx.append(f"{resp.status_code} {what}")
        body = resp.get_data(as_text=True)
        if path.startswith("/api/"):
            if resp.status_code >= 400 and not error_shape(resp):
                bad_shape.append(f"{resp.status_code} {what}: {body[:80]}")
        else:
            needles = [m.group(0) for p in payloads for m in TAG.finditer(p)]
            if any(n in body for n in needles) or SCRIPT_URL_ATTR.search(body):
                reflections.append(what)
    inputs = len(HOSTILE_QUERIES) + len(HOSTILE_PARAMS) + len(HOSTILE_IDS) + len(RAW_QUERY_STRINGS)
    return {"hostile_inputs": inputs, "hostile_requests": len(requests), "statuses": statuses,
            "status_5xx": len(status_5xx), "reflections": len(reflections), "bad_error_shape": len(bad_shape),
            "hostile_failures": (status_5xx + reflections + bad_shape)[:MAX_MISMATCHES]}


def error_shape(resp) -> bool:
    """Whether a JSON error is {"error": {"status": <the status>, "message": <text>}}."""
    data = resp.get_json(silent=True)
    err = data.get("error") if isinstance(data, dict) else None
    return (isinstance(err, dict) and set(data) == {"error"} and set(err) == {"status", "message"}
            and err["status"] == resp.status_code and isinstance(err["message"], str) and err["message"] != "")


# ---------------------------------------------------------------- the run

def measure(index_dir: Path, phrases: int = PHRASES, mrr_queries: int = MRR_QUERIES, seed: int = 0) -> dict:
    """Every figure, measured on the index in index_dir."""
    started = time.perf_counter()
    an, rng = Analyzer(), random.Random(seed)
    docs = load_docs(index_dir, an)
    checks = Checks({d.id: d for d in docs})
    holder = IndexHolder(index_dir)
    try:
        result = {"stories": len(docs)}
        result.update(run_phrases(holder, docs, pick_phrases(docs, phrases, rng, an), checks))
        result.update(run_paging(holder, result.pop("_paging"), checks))
        result.update(run_boundary(holder, boundary_probes(docs, rng, an)))
        result.update(run_mrr(holder, docs, mrr_queries, rng, checks, an))
    finally:
        holder.close()
    result.update({"duplicate_hits": len(checks.duplicates), "duplicate_examples": checks.duplicates[:MAX_MISMATCHES],
                   "mark_expected": checks.mark_expected,
                   "mark_share": round(1 - len(checks.mark_missing) / max(1, checks.mark_expected), 4),
                   "mark_missing": checks.mark_missing[:MAX_MISMATCHES]})
    result.update(hostile(index_dir, docs[0].id if docs else "none"))
    result["seconds"] = round(time.perf_counter() - started, 1)
    return result


def run(work: Path, stories: int, layouts: str, seed: int, **kwargs) -> dict:
    """Compose a crawl under `work`, build its index there and measure it."""
    from bench.oracle import compose
    from indexer import build_index
    compose.compose(work, stories=stories, seed=seed, layouts=layouts)
    build_index([work / "crawl"], work / "index")
    return measure(work / "index", seed=seed, **kwargs)


def failures(result: dict) -> list[str]:
    """Each figure that misses its target."""
    out = []
    for key, target in TARGETS.items():
        value = result[key]
        if (value > target) if isinstance(target, int) else (value < target):
            out.append(f"{key} = {value} (target {'≤' if isinstance(target, int) else '≥'} {target})")
    return out


def format_table(result: dict, command: str) -> str:
    """The figures as a short markdown table, with the command that produced them."""
    rows = [
        ("stories indexed", result["stories"], ""),
        ("phrase queries (kinds)", f"{result['phrase_queries']} {result['phrase_kinds']}", "≥ 300"),
        ("phrase precision (micro)", result["phrase_precision"], "≥ 0.99"),
        ("phrase recall (micro)", result["phrase_recall"], "≥ 0.99"),
        ("phrase hits expected / false / missed", f"{result['phrase_expected_hits']} / "
         f"{result['phrase_false_hits']} / {result['phrase_missed_hits']}", ""),
        ("most hits of one phrase (all pages read)", result["phrase_most_hits"], ""),
        ("phrases spanning two variants that match", f"{result['boundary_matched']} / {result['boundary_probes']}", ""),
        ("headline MRR, same headline", result["mrr_same_headline"], "≥ 0.95"),
        ("headline MRR, strict id", result["mrr_strict"], ""),
        ("queries with a story twice", result["duplicate_hits"], "0"),
        ("paged 10 at a time, hits differ from one big page", f"{result['paging_inconsistent']} "
         f"(of {2 * result['paging_queries']} runs)", "0"),
        ("snippets with <mark> (of expected)", f"{result['mark_share']} ({result['mark_expected']})", "≥ 0.99"),
        ("hostile inputs / requests", f"{result['hostile_inputs']} / {result['hostile_requests']}", "≥ 50"),
        ("responses ≥ 500", result["status_5xx"], "0"),
        ("payloads reflected unescaped", result["reflections"], "0"),
        ("JSON errors not in the documented shape", result["bad_error_shape"], "0"),
        ("seconds (measuring)", result["seconds"], ""),
    ]
    lines = [f"`{command}`", "", "| figure | value | target |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    for key in ("phrase_mismatches", "mrr_misses", "duplicate_examples", "paging_examples", "mark_missing",
                "hostile_failures"):
        if result.get(key):
            lines += ["", f"{key}:"] + [f"- {json.dumps(x, ensure_ascii=False)}" for x in result[key]]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--layouts", choices=("dev", "heldout"), default="dev")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--index", type=Path, help="measure this built index instead of composing one")
    parser.add_argument("--phrases", type=int, default=PHRASES)
    parser.add_argument("--mrr-queries", type=int, default=MRR_QUERIES)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    kwargs = {"phrases": args.phrases, "mrr_queries": args.mrr_queries}
    if args.index:
        result = measure(args.index, seed=args.seed, **kwargs)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            result = run(Path(tmp), args.stories, args.layouts, args.seed, **kwargs)
    result["failures"] = failures(result)
    if args.json:
        print(json.dumps(result, indent=1, ensure_ascii=False))
    else:
        print(format_table(result, "python -m bench.oracle.search_quality " + " ".join(sys.argv[1:])))
    return 0


if __name__ == "__main__":
    sys.exit(main())

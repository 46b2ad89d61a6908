"""Query → hits: the one module that searches the index, for the HTML page, the JSON API and the CLI.

With `highlight.py` (the snippets) and `facets.py` (counting every match), it is the only webapp
code that imports Whoosh.
``IndexHolder`` keeps the live index open for the life of the process and notices when
a rebuild swaps in a new generation; ``search`` parses a query string, runs it and
returns the plain dict the JSON API serves and the templates render; ``get_story``
does the same for one story.
"""
from __future__ import annotations

import copy
import math
import re
import time
from dataclasses import dataclass

import numpy as np
from whoosh import query as wq
from whoosh.collectors import FilterCollector, TopCollector
from whoosh.spelling import ListCorrector
from whoosh.qparser import (BoostPlugin, EveryPlugin, FieldsPlugin, MultifieldPlugin,
                            OperatorsPlugin, PrefixPlugin, QueryParser, RangePlugin,
                            SingleQuotePlugin, WildcardPlugin, syntax)

from indexer.analysis import DEFAULT_LANGUAGE, fold_token, search_fields
from indexer.build import IndexMissing, stored_story
from indexer.columns import Columns
from indexer.whoosh_internals.bulk import bulk_matches

from . import facets as fc
from .highlight import Marks, snippet
from .limits import DEFAULT_PER_PAGE, MAX_PER_PAGE, SORTS
from .live import IndexHolder

__all__ = ["IndexHolder", "IndexMissing", "QueryError", "search", "get_story", "parse_query"]

FIELD_PREFIXES = ("headline", "site", "lang")  # the only `field:` prefixes a query may use
MAX_QUERY_LENGTH = 500
MAX_PAGE = 1000
MIN_PREFIX_CHARS = 2
MAX_PREFIX_TERMS = 200  # words a `prefix*` may expand to (per field)
SUGGEST_BELOW = 3  # offer "Did you mean" when fewer hits than this
SUGGEST_CANDIDATES = 20  # spellings weighed per unknown word


# `-word`, `-"a phrase"`, `-(a OR b)` at the start of a clause mean NOT, like the NOT keyword
_NOT = r"(^|(?<=[\s()]))(NOT(?=\s)|-(?=[\w\"(]))"
_LEADING_WILDCARD = re.compile(r"(^|[\s(\"':+-])[*?]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class QueryError(ValueError):
    """The request cannot be answered as asked; the message says what to change (HTTP 400)."""

    status = 400


# ---------------------------------------------------------------- parsing

class LanguageFieldsPlugin(MultifieldPlugin):
    """A word with no field (or `headline:`) becomes the OR of that word in the fields of every
    language the index holds, each analysing it as its language does: `Verhandlungen` is
    `verhandl` in text_de and `verhandlungen` in text_en."""

    def __init__(self, langs: list[str]):
        super().__init__(search_fields(langs))
        self.headline_fields = search_fields(langs, ("headline",))

    def do_multifield(self, parser, group):
        for i, node in enumerate(group):
            if isinstance(node, syntax.GroupNode):
                group[i] = self.do_multifield(parser, node)
            elif node.has_fieldname and node.fieldname in (None, "headline"):
                fieldnames = self.fieldnames if node.fieldname is None else self.headline_fields
                fielded = []
                for fieldname in fieldnames:
                    copied = copy.copy(node)
                    copied.set_fieldname(fieldname, override=True)
                    fielded.append(copied)
                group[i] = self.group(fielded)
        return group


def make_parser(schema, langs: list[str] | None = None) -> QueryParser:
    """Whoosh's parser with only the syntax Lede documents: AND OR NOT -word ( ) "phrase" word*
    headline: site: lang:, a word looked up in the fields of each language in `langs`."""
    parser = QueryParser(None, schema)
    for plugin in (WildcardPlugin, RangePlugin, BoostPlugin, EveryPlugin, SingleQuotePlugin,
                   FieldsPlugin, OperatorsPlugin):
        parser.remove_plugin_class(plugin)
    parser.add_plugin(LanguageFieldsPlugin(langs or [DEFAULT_LANGUAGE]))
    parser.add_plugin(FieldsPlugin(expr=r"(?P<text>%s):" % "|".join(FIELD_PREFIXES)))
    parser.add_plugin(OperatorsPlugin(Not=_NOT, AndMaybe=None, AndNot=None, Require=None))
    parser.add_plugin(PrefixPlugin())
    return parser


def clean_query(q: str | None) -> str:
    """The query string as it will be parsed, or QueryError saying what to change."""
    q = _CONTROL.sub(" ", q or "").strip()
    if not q:
        raise QueryError("q is required: type one or more words to search for")
    if len(q) > MAX_QUERY_LENGTH:
        raise QueryError(f"the query is too long ({len(q)} characters): "
                         f"keep it under {MAX_QUERY_LENGTH}")
    if _LEADING_WILDCARD.search(q):
        raise QueryError(f"a * or ? cannot start a word: put at least {MIN_PREFIX_CHARS} "
                         "letters before the * (for example elect*)")
    return q


def parse_query(q: str, schema, langs: list[str] | None = None):
    """Parse a cleaned query string into a Whoosh query over the fields of `langs`, or raise QueryError."""
    try:
        parsed = make_parser(schema, langs).parse(q)
    except Exception as exc:  # Whoosh's parser is lenient; anything it still trips on is the query's fault
        raise QueryError(f"could not understand the query ({exc}): "
                         'try fewer operators, or put it in "quotes"') from None
    parsed = parsed.normalize()
    if parsed is wq.NullQuery or not list(parsed.iter_all_terms(phrases=True)) and not _has_prefix(parsed):
        raise QueryError("the query has no words to search for: type one or more words")
    return parsed


def _has_prefix(q) -> bool:
    return isinstance(q, wq.Prefix) or any(_has_prefix(c) for c in q.children())


def expand_prefixes(q, reader):
    """Replace each `word*` with the OR of the indexed words it starts, capped at MAX_PREFIX_TERMS."""
    def expand(node):
        if not isinstance(node, wq.Prefix):
            return node
        if len(node.text) < MIN_PREFIX_CHARS:
            raise QueryError(f"{node.text}* is too short: put at least {MIN_PREFIX_CHARS} "
                             "letters before the *")
        words = []
        for word in reader.expand_prefix(node.fieldname, node.text):
            words.append(word.decode("utf-8") if isinstance(word, bytes) else word)
            if len(words) > MAX_PREFIX_TERMS:
                raise QueryError(f"{node.text}* matches too many words: "
                                 "put more letters before the *")
        return wq.Or([wq.Term(node.fieldname, w, boost=node.boost) for w in words])
    return q.accept(expand).normalize()


# ---------------------------------------------------------------- searching

def search(holder: IndexHolder, q: str | None, page: int = 1, per_page: int = DEFAULT_PER_PAGE,
           sort: str = "relevance", site: str | None = None, language: str | None = None,
           first: str | None = None, last: str | None = None, facets: list[str] | None = None,
           timeline: bool = True) -> dict:
    """One page of hits for a query string, with its facets and timeline over every match: the
    dict the JSON API returns and the HTML page renders. `first`/`last` are the `from`/`to` days
    (YYYY-MM-DD, both included); `facets` names the facets to count ([] for none)."""
    started = time.perf_counter()
    q = clean_query(q)
    if sort not in SORTS:
        raise QueryError(f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
    if not 1 <= page <= MAX_PAGE:
        raise QueryError(f"page must be between 1 and {MAX_PAGE}")
    per_page = min(max(per_page, 1), MAX_PER_PAGE)
    try:
        words, filters = fc.make_filters(q, site, language, first, last)
        wanted = list(fc.FACET_NAMES) if facets is None else fc.check_facet_names(facets)
    except fc.FilterError as exc:
        raise QueryError(str(exc)) from None
    if not words:
        raise QueryError("the query has no words to search for: type one or more words "
                         "(date: only narrows a search)")
    with holder.searcher() as searcher:
        langs = holder.languages()
        parsed = expand_prefixes(parse_query(words, searcher.schema, langs), searcher.reader())
        results, total, counted = counted_query(holder, searcher, parsed, page * per_page, sort,
                                                filters, wanted, timeline)
        marks = Marks.from_query(parsed)
        hits = [hit_record(hit, marks, sort) for hit in results[(page - 1) * per_page:page * per_page]]
        suggestion = suggest(searcher, q, total, holder, langs) if total < SUGGEST_BELOW else None
    return {
        "query": q,
        "total": total,
        "page": page,
        "per_page": per_page,
        "took_ms": round((time.perf_counter() - started) * 1000, 1),
        "suggestion": suggestion,
        "site": filters.site,
        "language": filters.language,
        "from": filters.first.isoformat() if filters.first else None,
        "to": filters.last.isoformat() if filters.last else None,
        "undated": counted.undated,
        "facets": counted.facets,
        "timeline": counted.timeline,
        "results": hits,
    }


@dataclass(slots=True)
class Counted:
    """What counting every match gave (all None when nothing was counted)."""

    facets: dict[str, list[dict]] | None = None
    timeline: list[dict] | None = None
    undated: int | None = None  # matches without a date (before the date filter)
    total: int | None = None  # how many matches the filters allow
    docs: np.ndarray | None = None  # those matches (sorted document numbers)
    keep: np.ndarray | None = None  # which of the matches counted those are (None: every one)


def counted_query(holder: IndexHolder, searcher, parsed, limit: int, sort: str, filters: fc.Filters,
                  wanted: list[str], timeline: bool) -> tuple:
    """run_query narrowed by the filters, and its matches counted by facet and over time: the
    hits, the exact total and what was Counted. The matches are read once: a query of common
    words evaluated whole over the bulk arrays (`whoosh_internals.bulk`), then ranked there; else a
    word's or an OR's (or any query's, when filters must narrow it first) from their posting arrays,
    whose count spares the search its own; an AND's or a phrase's as the search visits them anyway."""
    counting = bool(wanted or timeline)
    counted = Counted()
    found = bulk_matches(searcher, parsed)  # a query of common words: every match over numpy arrays
    if found is not None:
        bulk, matches = found
        if filters.any or counting:
            counted = count_matches(holder.columns(searcher), matches.docs, filters, wanted, timeline)
            if counted.keep is not None:
                matches = matches.where(counted.keep)
        results, total = bulk.rank(matches, limit, sort)
        return results, total, counted
    if filters.any or counting and _words_only(parsed):
        counted = count_matches(holder.columns(searcher), fc.matching_docs(searcher, parsed), filters, wanted,
                                timeline)
    seen = [] if counting and counted.total is None else None
    allow = set(counted.docs.tolist()) if filters.any else None  # (Whoosh's filter takes a set)
    results, total = run_query(searcher, parsed, limit, sort, allow, counted.total, seen)
    if seen is not None:
        docs = np.unique(np.array(seen, dtype=np.int64)) if len(seen) == total else \
            fc.matching_docs(searcher, parsed)  # (a search that did not visit them all)
        counted = count_matches(holder.columns(searcher), docs, filters, wanted, timeline)
    return results, total, counted


def count_matches(columns: Columns, docs, filters: fc.Filters, wanted: list[str], timeline: bool) -> Counted:
    """The matches (sorted document numbers) narrowed by the filters and counted by facet and
    over time."""
    got = fc.count(docs, columns, filters, wanted, timeline)
    return Counted(facets=got.facets, timeline=got.timeline, undated=got.undated,
                   total=len(got.docs), docs=got.docs, keep=got.keep)


def run_query(searcher, parsed, limit: int, sort: str, allow: set | None = None,
              total: int | None = None, seen: list | None = None) -> tuple:
    """The top `limit` hits of a parsed query and the exact number of stories it matches, among
    the documents in `allow` when given (the filters' matches, see facets.py). A caller that
    counted the matches already gives their `total`, and a search of words need not count them
    (an AND or a phrase still visits every match: Whoosh's pruning top-N search would change
    the scores of the hits it shows, see CountingTopCollector). A search that visits every match
    (AND, phrases, date order) appends each one's document number to `seen`, when given."""
    if allow is not None and not allow:  # (Whoosh reads an empty filter as no filter)
        return [], 0
    if sort == "date":  # the sorting collector keeps every match, so its count is exact and free
        results = searcher.search(parsed, limit=limit, sortedby="date", reverse=True, filter=allow)
        if seen is not None:
            seen.extend(results.docs())
        return results, len(results)
    if allow is None and _words_only(parsed):
        # Whoosh's own top-N search skips blocks that cannot reach the top; the matches of
        # a word, or of an OR of words, are cheap to count afterwards
        results = searcher.search(parsed, limit=limit)
        return results, total if total is not None else _count_words(searcher, parsed)
    # AND and phrases: counting in a second pass costs more than the search, so count while searching
    collector = CountingTopCollector(limit, seen)
    searcher.search_with_collector(parsed, FilterCollector(collector, allow) if allow is not None else collector)
    return collector.results(), collector.total


class CountingTopCollector(TopCollector):
    """Whoosh's top-N collector made to visit every match, so it counts them in the same pass.

    Whoosh's TopCollector skips posting blocks and prunes sub-queries that cannot
    reach the top N (``matcher.replace(minscore)``, even with ``optimize=False``),
    so its count needs a second pass over the matches (``len(results)``).
    """

    def __init__(self, limit: int, seen: list | None = None):
        super().__init__(limit, usequality=False)
        self.seen = seen  # gets every match's document number, when given

    def matches(self):
        matcher = self.matcher
        if self.seen is None:
            while matcher.is_active():
                yield matcher.id()
                matcher.next()
            return
        seen, offset = self.seen, self.offset
        while matcher.is_active():
            docnum = matcher.id()
            seen.append(offset + docnum)
            yield docnum
            matcher.next()


def _words_only(q) -> bool:
    """Whether q is one word in one field, or an OR of such (as a word over several fields is)."""
    return isinstance(q, wq.Term) or isinstance(q, wq.Or) and all(_words_only(c) for c in q.subqueries)


def _count_words(searcher, q) -> int:
    """How many stories hold at least one of the words of an OR of words."""
    docs = set()
    for term in q.leaves():
        docs.update(searcher.docs_for_query(term))
    return len(docs)


def page_count(total: int, per_page: int) -> int:
    """How many pages of per_page hits `total` hits fill (at least 1)."""
    return max(1, math.ceil(total / per_page))


def hit_record(hit, marks: "Marks", sort: str) -> dict:
    """The JSON record of one hit: highlighted headline and snippet, pages, site, date, score."""
    story = stored_story(hit.fields())
    return {
        "id": story["id"],
        "headline": marks.whole(story["headline"], "headline", story["language"]),
        "kicker": marks.whole(story["kicker"], "caption", story["language"]),
        "snippet": snippet(story, marks),
        "pages": story["pages"],
        "page_count": story["page_count"],
        "site": ",".join(story["sites"]),
        "sites": story["sites"],
        "date": story["date"],
        "language": story["language"],
        "url": story["url"],  # the article's address
        "page_urls": story["page_urls"],
        "score": None if sort == "date" or hit.score is None else round(hit.score, 4),
    }


def get_story(holder: IndexHolder, story_id: str, q: str | None = None) -> dict | None:
    """One story's export record by id (None if unknown); with `q`, adds `headlines_html`/`text_html` highlighted."""
    with holder.searcher() as searcher:
        fields = searcher.document(id=story_id)
        if fields is None:
            return None
        story = stored_story(fields)
        marks = Marks()
        if q:
            try:
                parsed = expand_prefixes(parse_query(clean_query(q), searcher.schema, holder.languages()),
                                         searcher.reader())
                marks = Marks.from_query(parsed)
            except QueryError:
                pass  # the story is still worth showing, just without highlights
    lang = story["language"]
    story["headlines_html"] = [marks.whole(h, "headline", lang) for h in story["headlines"]]
    story["text_html"] = marks.whole(story["text"], "text", lang)
    story["caption_html"] = marks.whole(story["caption"], "caption", lang)
    story["kicker_html"] = marks.whole(story["kicker"], "caption", lang)
    return story


def suggest(searcher, q: str, total: int, holder: IndexHolder, langs: list[str]) -> str | None:
    """The query with unknown words replaced by the closest words of one language's stories, if
    that finds more of that language's stories than the query found in all: of the languages the
    index holds, the one whose spelling finds most."""
    best, best_total = None, total
    for lang in langs:
        fixed = _respelled(q, holder.vocabulary(lang), lang)
        if fixed is None:
            continue
        try:
            parsed = expand_prefixes(parse_query(fixed, searcher.schema, [lang]), searcher.reader())
        except QueryError:
            continue
        found = len(searcher.search(parsed, limit=1, filter=wq.Term("lang", lang)))
        if found > best_total:
            best, best_total = fixed, found
    return best


def _respelled(q: str, vocabulary: dict[str, int], lang: str) -> str | None:
    """The query with each word the vocabulary lacks replaced by its nearest word there (of
    those, the commonest), or None when no word changed."""
    if not vocabulary:
        return None
    corrector = ListCorrector(list(vocabulary))
    changed = False

    def fix(match: re.Match) -> str:
        nonlocal changed
        word = match.group(0)
        if word in ("AND", "OR", "NOT"):
            return word
        folded = fold_token(word, lang)
        if folded in vocabulary:
            return word
        for distance in (1, 2):  # the nearest words first; of those, the commonest
            found = corrector.suggest(folded, limit=SUGGEST_CANDIDATES, maxdist=distance)
            if found:
                changed = True
                return max(found, key=lambda w: vocabulary[w])
        return word

    # words only: not field names (`site:`), not prefixes (`elect*`)
    fixed = re.sub(r"(?<![\w:])\w+(?![\w:*])", fix, q)
    return fixed if changed else None

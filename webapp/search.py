"""Query → hits: the one module that searches the index, for the HTML page, the JSON API and the CLI.

With `highlight.py` (the snippets), it is the only webapp code that imports Whoosh.
``IndexHolder`` keeps the live index open for the life of the process and notices when
a rebuild swaps in a new generation; ``search`` parses a query string, runs it and
returns the plain dict the JSON API serves and the templates render; ``get_story``
does the same for one story.
"""
from __future__ import annotations

import math
import re
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from whoosh import query as wq
from whoosh.collectors import FilterCollector, TopCollector
from whoosh.index import IndexError as WhooshIndexError
from whoosh.spelling import ListCorrector
from whoosh.qparser import (BoostPlugin, EveryPlugin, FieldsPlugin, MultifieldParser,
                            OperatorsPlugin, PrefixPlugin, RangePlugin, SingleQuotePlugin,
                            WildcardPlugin)

from indexer.analysis import word_analyzer
from indexer.build import IndexMissing, open_index, read_vocabulary, stored_story
from indexer.bulk import bulk_search

from .highlight import Marks, snippet

__all__ = ["IndexHolder", "IndexMissing", "QueryError", "search", "get_story", "parse_query"]

SEARCH_FIELDS = ("headline", "text", "caption")
FIELD_PREFIXES = ("headline", "site")  # the only `field:` prefixes a query may use
SORTS = ("relevance", "date")
MAX_QUERY_LENGTH = 500
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 10
MAX_PAGE = 1000
MIN_PREFIX_CHARS = 2
MAX_PREFIX_TERMS = 200  # words a `prefix*` may expand to (per field)
SUGGEST_BELOW = 3  # offer "Did you mean" when fewer hits than this
SUGGEST_CANDIDATES = 20  # spellings weighed per unknown word
# How often to look at CURRENT for a newly built generation: at every request (one stat). Then every
# server process answers from a new generation from the first request after the swap on, and a client
# never sees the new index from one process and the old one from another a moment later.
REFRESH_SECONDS = 0.0


# `-word`, `-"a phrase"`, `-(a OR b)` at the start of a clause mean NOT, like the NOT keyword
_NOT = r"(^|(?<=[\s()]))(NOT(?=\s)|-(?=[\w\"(]))"
_LEADING_WILDCARD = re.compile(r"(^|[\s(\"':+-])[*?]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class QueryError(ValueError):
    """The request cannot be answered as asked; the message says what to change (HTTP 400)."""

    status = 400


# ---------------------------------------------------------------- the live index

class _Generation:
    """One opened generation of the index and a pool of searchers over it."""

    def __init__(self, name: str, ix):
        self.name = name
        self.ix = ix
        self.vocabulary: dict[str, int] | None = None  # loaded on the first "Did you mean"
        self.idle: list = []
        self.busy = 0
        self.retired = False

    def close_idle(self) -> None:
        while self.idle:
            self.idle.pop().close()


class IndexHolder:
    """The live index of one directory, opened once per process and reopened when a rebuild swaps CURRENT.

    Whoosh searchers are not shared between threads: each request borrows one
    from a pool and gives it back. When a new generation goes live, the old
    one's searchers are closed as soon as no request is using them.
    """

    def __init__(self, index_dir: Path | str, refresh_seconds: float = REFRESH_SECONDS):
        self.index_dir = Path(index_dir)
        self.refresh_seconds = refresh_seconds
        self._lock = threading.Lock()
        self._gen: _Generation | None = None
        self._checked = 0.0
        self._stamp: tuple | None = None

    @contextmanager
    def searcher(self) -> Iterator:
        """Borrow a searcher over the live generation (raises IndexMissing when there is none)."""
        with self._lock:
            gen = self._current()
            try:
                s = gen.idle.pop() if gen.idle else gen.ix.searcher()
            except (OSError, WhooshIndexError):
                # two rebuilds removed this generation before we looked at CURRENT again
                self._retire(gen)
                self._gen = self._stamp = None
                gen = self._current()
                s = gen.idle.pop() if gen.idle else _open_searcher(gen.ix, self.index_dir)
            gen.busy += 1
        try:
            yield s
        finally:
            with self._lock:
                gen.busy -= 1
                if gen.retired:
                    s.close()
                    if gen.busy == 0:
                        gen.close_idle()
                else:
                    gen.idle.append(s)

    def vocabulary(self) -> dict[str, int]:
        """The live generation's spelling words (word -> stories holding it), sorted."""
        with self._lock:
            gen = self._current()
            if gen.vocabulary is None:
                gen.vocabulary = read_vocabulary(self.index_dir / gen.name)
            return gen.vocabulary

    def close(self) -> None:
        """Close every idle searcher (the process is done serving)."""
        with self._lock:
            if self._gen is not None:
                self._gen.retired = True
                self._gen.close_idle()
                self._gen = None

    def _current(self) -> _Generation:
        now = time.monotonic()
        if self._gen is not None and now - self._checked < self.refresh_seconds:
            return self._gen
        self._checked = now
        stamp = self._current_stamp()
        if self._gen is not None and stamp == self._stamp:
            return self._gen
        try:
            ix = open_index(self.index_dir)  # raises IndexMissing with the command that fixes it
        except IndexMissing:  # perhaps a rebuild removed the generation CURRENT named as we read it
            ix = open_index(self.index_dir)
        name = Path(ix.storage.folder).name
        if self._gen is not None and self._gen.name == name:
            ix.close()
            self._stamp = stamp
            return self._gen
        old, self._gen, self._stamp = self._gen, _Generation(name, ix), stamp
        if old is not None:
            self._retire(old)
        return self._gen

    @staticmethod
    def _retire(gen: _Generation) -> None:
        """Stop lending gen's searchers; close them now, or as the last request using one ends."""
        gen.retired = True
        if gen.busy == 0:
            gen.close_idle()

    def _current_stamp(self) -> tuple | None:
        try:
            st = (self.index_dir / "CURRENT").stat()
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size, st.st_ino)


def _open_searcher(ix, index_dir: Path):
    """A new searcher over an opened generation, or IndexMissing when its files are gone."""
    try:
        return ix.searcher()
    except (OSError, WhooshIndexError) as exc:
        raise IndexMissing(f"the index in {index_dir} is damaged or incomplete ({exc}): "
                           f"rebuild it with `lede index PATH --index {index_dir}`") from None


# ---------------------------------------------------------------- parsing

def make_parser(schema) -> MultifieldParser:
    """Whoosh's parser with only the syntax Lede documents: AND OR NOT -word ( ) "phrase" word* headline: site:."""
    parser = MultifieldParser(list(SEARCH_FIELDS), schema)
    for plugin in (WildcardPlugin, RangePlugin, BoostPlugin, EveryPlugin, SingleQuotePlugin,
                   FieldsPlugin, OperatorsPlugin):
        parser.remove_plugin_class(plugin)
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


def parse_query(q: str, schema):
    """Parse a cleaned query string into a Whoosh query, or raise QueryError."""
    try:
        parsed = make_parser(schema).parse(q)
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
           sort: str = "relevance", site: str | None = None) -> dict:
    """One page of hits for a query string: the dict the JSON API returns and the HTML page renders."""
    started = time.perf_counter()
    q = clean_query(q)
    if sort not in SORTS:
        raise QueryError(f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
    if not 1 <= page <= MAX_PAGE:
        raise QueryError(f"page must be between 1 and {MAX_PAGE}")
    per_page = min(max(per_page, 1), MAX_PER_PAGE)
    site = (site or "").strip().lower() or None
    with holder.searcher() as searcher:
        parsed = expand_prefixes(parse_query(q, searcher.schema), searcher.reader())
        results, total = run_query(searcher, parsed, page * per_page, sort, site)
        marks = Marks.from_query(parsed)
        hits = [hit_record(hit, marks, sort) for hit in results[(page - 1) * per_page:page * per_page]]
        suggestion = suggest(searcher, q, total, holder.vocabulary()) if total < SUGGEST_BELOW else None
    return {
        "query": q,
        "total": total,
        "page": page,
        "per_page": per_page,
        "took_ms": round((time.perf_counter() - started) * 1000, 1),
        "suggestion": suggestion,
        "results": hits,
    }


def run_query(searcher, parsed, limit: int, sort: str, site: str | None) -> tuple:
    """The top `limit` hits of a parsed query and the exact number of stories it matches."""
    found = bulk_search(searcher, parsed, limit, sort, site)  # common words: over numpy arrays
    if found is not None:
        return found
    only_site = wq.Term("site", site) if site else None
    if sort == "date":  # the sorting collector keeps every match, so its count is exact and free
        results = searcher.search(parsed, limit=limit, sortedby="date", reverse=True, filter=only_site)
        return results, len(results)
    if only_site is None and _words_only(parsed):
        # Whoosh's own top-N search skips blocks that cannot reach the top; the matches of
        # a word, or of an OR of words, are cheap to count afterwards
        results = searcher.search(parsed, limit=limit)
        return results, _count_words(searcher, parsed)
    # AND and phrases: counting in a second pass costs more than the search, so count while searching
    collector = CountingTopCollector(limit)
    searcher.search_with_collector(parsed, FilterCollector(collector, only_site) if only_site else collector)
    return collector.results(), collector.total


class CountingTopCollector(TopCollector):
    """Whoosh's top-N collector made to visit every match, so it counts them in the same pass.

    Whoosh's TopCollector skips posting blocks and prunes sub-queries that cannot
    reach the top N (``matcher.replace(minscore)``, even with ``optimize=False``),
    so its count needs a second pass over the matches (``len(results)``).
    """

    def __init__(self, limit: int):
        super().__init__(limit, usequality=False)

    def matches(self):
        matcher = self.matcher
        while matcher.is_active():
            yield matcher.id()
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
        "headline": marks.whole(story["headline"], "headline"),
        "snippet": snippet(story, marks),
        "pages": story["pages"],
        "page_count": story["page_count"],
        "site": ",".join(story["sites"]),
        "date": story["date"],
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
                parsed = expand_prefixes(parse_query(clean_query(q), searcher.schema),
                                         searcher.reader())
                marks = Marks.from_query(parsed)
            except QueryError:
                pass  # the story is still worth showing, just without highlights
    story["headlines_html"] = [marks.whole(h, "headline") for h in story["headlines"]]
    story["text_html"] = marks.whole(story["text"], "text")
    story["caption_html"] = marks.whole(story["caption"], "caption")
    return story


def suggest(searcher, q: str, total: int, vocabulary: dict[str, int]) -> str | None:
    """The query with unknown words replaced by the closest indexed words, if that finds more."""
    corrector = ListCorrector(list(vocabulary))
    reader = searcher.reader()
    analyzer = word_analyzer()
    changed = False

    def fix(match: re.Match) -> str:
        nonlocal changed
        word = match.group(0)
        if word in ("AND", "OR", "NOT"):
            return word
        folded = [t.text for t in analyzer(word)]
        if len(folded) != 1 or folded[0] in vocabulary:
            return word
        for distance in (1, 2):  # the nearest words first; of those, the commonest
            found = corrector.suggest(folded[0], limit=SUGGEST_CANDIDATES, maxdist=distance)
            if found:
                changed = True
                return max(found, key=lambda w: vocabulary[w])
        return word

    # words only: not field names (`site:`), not prefixes (`elect*`)
    fixed = re.sub(r"(?<![\w:])\w+(?![\w:*])", fix, q)
    if not changed:
        return None
    try:
        parsed = expand_prefixes(parse_query(fixed, searcher.schema), reader)
    except QueryError:
        return None
    return fixed if len(searcher.search(parsed, limit=1)) > total else None

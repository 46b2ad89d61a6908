"""The analysis chain and the Whoosh schema: how story text becomes searchable terms, in its language.

Text is tokenized by NLTK's regexp_span_tokenize (offsets kept for highlighting),
lowercased, folded as its language writes (`fold_token`: ``Nicolas`` finds ``Nicolás``;
in German ``Muenchen`` finds ``München``) and stemmed with NLTK's Snowball stemmer of
its language (``Verhandlungen`` finds ``Verhandlung``). A language without a Snowball
stemmer is folded but not stemmed. Stop words and one-letter words stay in place, in
every language, so ``"Bank of England"`` and ``"Ende der Verhandlungen"`` are real phrases.

Whoosh gives a field one analyzer, so each story's headline, text and caption are indexed
in the fields of its language's analysis (``text_de``; ``text_other`` for the languages
without a stemmer), and a query word is looked up in the fields of every language the
index holds, stemmed as each stems it (`fields_of`, `search_fields`).
"""
from __future__ import annotations

import functools
import re
from typing import Iterator

from nltk.stem.snowball import SnowballStemmer
from nltk.tokenize.util import regexp_span_tokenize
from whoosh.analysis import Token, Tokenizer
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.support.charset import accent_map

SCHEMA_VERSION = 6  # 2: spelling words in vocabulary.txt; 3: no phrase across headline variants;
# 4: languages (a field set per language), site and lang sortable (the facet columns read them per
# document number), page_dates stored, url and page_urls stored,
# bulk/ arrays of frequent words beside the index; 5: kicker and author stored, the kicker indexed
# in the caption fields (a line of its own before the caption); 6: the facet columns keep a key per
# story (its combination of sites and language) and a day slot (indexer/columns.py)
TOKEN_PATTERN = r"\w+"
STEM_CACHE_SIZE = 100_000  # per language
TERM_CACHE_SIZE = 200_000  # words as written, per language: capitalised and plain forms are two entries
HEADLINE_BOOST = 3.0
VARIANT_GAP = 10  # positions skipped between headline variants (one per line)

# ISO 639-1 code -> NLTK's Snowball stemmer ("porter" is another English one, left out)
SNOWBALL = {"ar": "arabic", "da": "danish", "de": "german", "en": "english", "es": "spanish",
            "fi": "finnish", "fr": "french", "hu": "hungarian", "it": "italian", "nl": "dutch",
            "no": "norwegian", "nb": "norwegian", "nn": "norwegian", "pt": "portuguese",
            "ro": "romanian", "ru": "russian", "sv": "swedish"}
_SAME_STEMMER = {"nb": "no", "nn": "no"}  # Norwegian Bokmål and Nynorsk share one stemmer
UNSTEMMED = "other"  # the analysis (and field suffix) of every language without a Snowball stemmer
DEFAULT_LANGUAGE = "en"  # a story's language when nothing tells (an index built before languages)
TEXT_FIELDS = ("headline", "text", "caption")  # indexed once per analysis: headline_en, text_de, ...
# Scripts whose marks are letters of their own, not accents to fold away: accent_map leaves
# Cyrillic and Arabic alone already, and the Snowball stemmers of these languages expect them.
_NO_ACCENT_FOLDING = frozenset({"ru", "ar"})
# German: a keyboard without umlauts writes ae, oe, ue (Muenchen), and Snowball's "german2" variant
# reads them as ä, ö, ü. Not after a vowel or q: teuer, Steuer, neue, Bauer, Quelle stay as they are
# (german2 would turn teuer into tür, and then into the stem of Tür).
_GERMAN_DIGRAPH = re.compile(r"(?<![aeiouyäöüq])([aou])e")
_GERMAN_UMLAUT = {"a": "ä", "o": "ö", "u": "ü"}
_GAPS = re.compile(r"\W+")  # what separates the words of TOKEN_PATTERN
_WORDS = re.compile(TOKEN_PATTERN)  # the words themselves: the text between runs of _GAPS


def analysis_key(lang: str | None) -> str:
    """The analysis a language's stories get: its own code when Snowball stems it, else UNSTEMMED."""
    lang = lang or DEFAULT_LANGUAGE
    return _SAME_STEMMER.get(lang, lang) if lang in SNOWBALL else UNSTEMMED


def fields_of(lang: str | None) -> dict[str, str]:
    """The indexed field names of a language's stories: {"headline": "headline_de", ...}."""
    key = analysis_key(lang)
    return {name: f"{name}_{key}" for name in TEXT_FIELDS}


def search_fields(langs, names=TEXT_FIELDS) -> list[str]:
    """The indexed fields a query word is looked up in, for an index holding these languages."""
    keys = sorted({analysis_key(lang) for lang in langs} or {DEFAULT_LANGUAGE})
    return [f"{name}_{key}" for key in keys for name in names]


def _stemmer(key: str):
    """The cached stem function of one analysis (identity for UNSTEMMED)."""
    if key == UNSTEMMED:
        return str
    stem_one = SnowballStemmer(SNOWBALL[key]).stem
    return functools.lru_cache(maxsize=STEM_CACHE_SIZE)(stem_one)


_STEMS: dict[str, object] = {}


def stem(word: str, lang: str | None = DEFAULT_LANGUAGE) -> str:
    """Snowball-stem one folded word as its language does, cached (functools' cache in C costs a
    third of Whoosh's own cache in Python)."""
    key = analysis_key(lang)
    fn = _STEMS.get(key)
    if fn is None:
        fn = _STEMS[key] = _stemmer(key)
    return fn(word)


class _TermCache(dict):
    """Words as written -> their terms in one language's stemmed fields: a miss works the term out
    (`stem(fold_token(word))`), a hit is one dict lookup in C (less time than functools'
    LRU cache, which reorders its entries on every hit); it starts again when full."""

    def __init__(self, lang: str):
        super().__init__()
        self.lang = lang

    def __missing__(self, word: str) -> str:
        if len(self) >= TERM_CACHE_SIZE:
            self.clear()
        term = self[word] = stem(fold_token(word, self.lang), self.lang)
        return term


_TERMS: dict[str, _TermCache] = {}


def term_of(lang: str | None = DEFAULT_LANGUAGE):
    """The cached function from a word as written to its term in `lang`'s stemmed fields
    (`stem(fold_token(word))`): one cache lookup per word instead of folding it and then
    looking up its stem; the words of news text repeat, so most words are found there."""
    lang = lang or DEFAULT_LANGUAGE
    cache = _TERMS.get(lang)
    if cache is None:
        cache = _TERMS[lang] = _TermCache(lang)
    return cache.__getitem__


class NltkTokenizer(Tokenizer):
    """A Whoosh tokenizer over NLTK's regexp_span_tokenize, keeping positions and offsets.

    With a `line_gap`, positions jump at each line break, so that no phrase runs from the end of
    one line (a headline variant) into the next. With `fold`, tokens come lowercased and folded as
    `lang` folds them; with `stemmed` too, Snowball-stemmed as `lang` stems them (one step each,
    where Whoosh's filters would make a pass each).
    """

    def __init__(self, line_gap: int = 0, fold: bool = False, lang: str = DEFAULT_LANGUAGE,
                 stemmed: bool = False):
        self.line_gap = line_gap
        self.fold = fold
        self.lang = lang
        self.stemmed = stemmed

    def __eq__(self, other):
        return self.__class__ is other.__class__ and self.__dict__ == other.__dict__

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True,
                 mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        lang, fold, stemmed = self.lang, self.fold, self.stemmed
        term = term_of(lang) if fold and stemmed else None
        if not tokenize:
            token.original = token.text = value
            token.boost = 1.0
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar = start_char
                token.endchar = start_char + len(value)
            yield token
            return
        pos, last_end = start_pos - 1, 0
        for start, end in _spans(value):
            pos += 1
            if self.line_gap and "\n" in value[last_end:start]:
                pos += self.line_gap
            last_end = end
            text = value[start:end]
            if keeporiginal:
                token.original = text
            if term:
                text = term(text)
            elif fold:
                text = fold_token(text, lang)
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = pos
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token


    def term_runs(self, value: str) -> list[tuple[int, list[str]]]:
        """The value's terms as runs of consecutive positions, (position of the first, terms): one
        run, or with a `line_gap` one a line that has words. The terms and positions the tokens of
        `__call__` give (positions from 0), without a token object per word (the index writer's
        fast path, `whoosh_internals.writer`)."""
        term = term_of(self.lang) if self.fold and self.stemmed else \
            (functools.partial(fold_token, lang=self.lang) if self.fold else None)
        if not self.line_gap:
            words = _WORDS.findall(value)
            return [(0, list(map(term, words)) if term else words)]
        runs, pos = [], 0
        for number, line in enumerate(value.split("\n")):
            words = _WORDS.findall(line)
            if words:  # (words never span a line break; a jump before each line's words but the first line's)
                if number:
                    pos += self.line_gap
                runs.append((pos, list(map(term, words)) if term else words))
                pos += len(words)
        return runs


def _spans(text: str):
    """Token offsets: the text between runs of non-word characters (NLTK's regexp_span_tokenize
    with a compiled pattern, which runs it directly; RegexpTokenizer's time-limited regex engine
    is 2.3x slower and bounds a whole huge text's tokenizing by one wall-clock limit)."""
    return ((start, end) for start, end in regexp_span_tokenize(text, _GAPS) if start != end)


def fold_token(word: str, lang: str | None = DEFAULT_LANGUAGE) -> str:
    """A word lowercased and folded as its language's analysis folds it: accents stripped
    (`accent_map`; not in Russian or Arabic), and in German ae/oe/ue read as umlauts and ß as ss,
    so that Muenchen, München and Munchen are one word."""
    word = word.lower()
    if lang == "de":
        if "e" in word:
            word = _GERMAN_DIGRAPH.sub(lambda m: _GERMAN_UMLAUT[m.group(1)], word)
        word = word.replace("ß", "ss")
    if word.isascii() or lang in _NO_ACCENT_FOLDING:
        return word
    return word.translate(accent_map)


def stemmed_words(text: str, lang: str | None = DEFAULT_LANGUAGE) -> Iterator[tuple[str, int, int]]:
    """(term, start, end) of each word of a text: the terms `stemming_analyzer(lang=lang)` gives,
    with their character offsets, without making Whoosh's token objects (the highlighter runs this
    over the text of every hit it shows)."""
    term = term_of(lang)
    for start, end in _spans(text):
        yield term(text[start:end]), start, end


def word_analyzer(line_gap: int = 0, lang: str | None = DEFAULT_LANGUAGE):
    """Tokens lowercased and folded as `lang` folds them, not stemmed: for spelling suggestions."""
    return NltkTokenizer(line_gap, fold=True, lang=lang or DEFAULT_LANGUAGE)


def stemming_analyzer(line_gap: int = 0, lang: str | None = DEFAULT_LANGUAGE):
    """The analyzer of a language's searchable text fields: words, folded, Snowball-stemmed."""
    return NltkTokenizer(line_gap, fold=True, lang=lang or DEFAULT_LANGUAGE, stemmed=True)


def make_schema() -> Schema:
    """One Whoosh document per story: its text stored once, and indexed in the fields of its
    language's analysis (every analysis has its fields; those no story uses cost nothing)."""
    fields = {
        "id": ID(stored=True, unique=True),
        # every headline variant, one per line, the chosen one first
        "headline": STORED(),
        "text": STORED(),
        "caption": STORED(),
        "kicker": STORED(),  # searched in the caption fields
        "author": STORED(),
        "lang": KEYWORD(stored=True, lowercase=True, sortable=True),  # (for indexer/columns.py)
        "site": KEYWORD(stored=True, lowercase=True, commas=True, sortable=True),  # (for indexer/columns.py)
        "pages": STORED(),
        "page_dates": STORED(),  # the date of each page, in the order of pages ("" for none)
        "url": STORED(),  # the article's address
        "page_urls": STORED(),  # the address of each page in `pages` ("" when unknown)
        "page_count": NUMERIC(stored=True, sortable=True),
        "date": ID(stored=True, sortable=True),
    }
    for key in sorted(set(SNOWBALL) - set(_SAME_STEMMER)) + [UNSTEMMED]:
        lang = key if key != UNSTEMMED else "xx"
        text = stemming_analyzer(lang=lang)
        fields[f"headline_{key}"] = TEXT(analyzer=stemming_analyzer(VARIANT_GAP, lang),
                                         field_boost=HEADLINE_BOOST)
        fields[f"text_{key}"] = TEXT(analyzer=text)
        # the kicker and the caption, one per line (no phrase runs from one into the other)
        fields[f"caption_{key}"] = TEXT(analyzer=stemming_analyzer(VARIANT_GAP, lang))
    return Schema(**fields)

"""The analysis chain and the Whoosh schema: how story text becomes searchable terms.

Text is tokenized by NLTK's regexp_span_tokenize (offsets kept for highlighting),
lowercased, accent-folded (``Nicolas`` finds ``Nicolás``) and stemmed with
NLTK's Snowball stemmer behind Whoosh's LRU cache. Stop words and one-letter
words stay in place, so ``"Bank of England"`` is a real phrase query.
"""
from __future__ import annotations

import functools
import re
from typing import Iterator

from nltk.stem.snowball import SnowballStemmer
from nltk.tokenize.util import regexp_span_tokenize
from whoosh.analysis import StemFilter, Token, Tokenizer
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.support.charset import accent_map

SCHEMA_VERSION = 4  # 2: spelling words in vocabulary.txt; 3: no phrase across headline variants; 4: bulk/ arrays
TOKEN_PATTERN = r"\w+"
STEM_CACHE_SIZE = 100_000
HEADLINE_BOOST = 3.0
VARIANT_GAP = 10  # positions skipped between headline variants (one per line)

_STEMMER = SnowballStemmer("english")
_GAPS = re.compile(r"\W+")  # what separates the words of TOKEN_PATTERN


@functools.lru_cache(maxsize=STEM_CACHE_SIZE)
def stem(word: str) -> str:
    """Snowball-stem one lowercased word, cached (module-level so the schema pickles; functools'
    cache in C costs a third of Whoosh's own cache in Python)."""
    return _STEMMER.stem(word)


class NltkTokenizer(Tokenizer):
    """A Whoosh tokenizer over NLTK's regexp_span_tokenize, keeping positions and offsets.

    With a `line_gap`, positions jump at each line break, so that no phrase runs from the end of
    one line (a headline variant) into the next. With `fold`, tokens come lowercased and
    accent-folded (what LowercaseFilter and CharsetFilter(accent_map) do, in one step).
    """

    fold = False  # (what a tokenizer unpickled from an index built before `fold` existed has)

    def __init__(self, line_gap: int = 0, fold: bool = False):
        self.line_gap = line_gap
        self.fold = fold

    def __eq__(self, other):
        return self.__class__ is other.__class__ and (self.line_gap, self.fold) == (
            getattr(other, "line_gap", 0), getattr(other, "fold", False))

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True,
                 mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
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
        fold = self.fold
        for start, end in _spans(value):
            pos += 1
            if self.line_gap and "\n" in value[last_end:start]:
                pos += self.line_gap
            last_end = end
            text = value[start:end]
            if keeporiginal:
                token.original = text
            if fold:
                text = fold_token(text)
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = pos
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token


def _spans(text: str):
    """Token offsets: the text between runs of non-word characters (NLTK's regexp_span_tokenize
    with a compiled pattern, which runs it directly; RegexpTokenizer's time-limited regex engine
    is 2.3x slower and bounds a whole huge text's tokenizing by one wall-clock limit)."""
    return ((start, end) for start, end in regexp_span_tokenize(text, _GAPS) if start != end)


def fold_token(word: str) -> str:
    """A word lowercased and accent-folded, as every text field's analysis folds it."""
    word = word.lower()
    return word if word.isascii() else word.translate(accent_map)


def stemmed_words(text: str) -> Iterator[tuple[str, int, int]]:
    """(term, start, end) of each word of a text: the terms `stemming_analyzer` gives, with their
    character offsets, without making Whoosh's token objects (the highlighter runs this over the
    text of every hit it shows)."""
    for start, end in _spans(text):
        yield stem(fold_token(text[start:end])), start, end


def word_analyzer(line_gap: int = 0):
    """Tokens lowercased and accent-folded, not stemmed: for spelling suggestions."""
    return NltkTokenizer(line_gap, fold=True)


def stemming_analyzer(line_gap: int = 0):
    """The analyzer of every searchable text field: words, folded, Snowball-stemmed."""
    return word_analyzer(line_gap) | StemFilter(stemfn=stem, cachesize=None)


def make_schema() -> Schema:
    """One Whoosh document per story."""
    text = stemming_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        # every headline variant, one per line, the chosen one first
        headline=TEXT(analyzer=stemming_analyzer(VARIANT_GAP), stored=True, field_boost=HEADLINE_BOOST),
        text=TEXT(analyzer=text, stored=True),
        caption=TEXT(analyzer=text, stored=True),
        site=KEYWORD(stored=True, lowercase=True, commas=True),
        pages=STORED(),
        page_count=NUMERIC(stored=True, sortable=True),
        date=ID(stored=True, sortable=True),
    )

"""Highlighting: a query's matches marked in a story's headline, text and caption, and the snippet of a hit.

``Marks`` holds what one query highlights; ``snippet`` picks the text around the best match. All
output is escaped text with ``<mark>`` around matches, made ``Markup`` in exactly one place
(``_format``). Whoosh's highlighter does the fragmenting; the terms come from the schema's own
analysis of the story's language (`stemmed_words`), so what is marked is exactly what matched:
`Verhandlungen` in a German story for the query `Verhandlung`.
"""
from __future__ import annotations

from markupsafe import Markup, escape
from whoosh import query as wq
from whoosh.highlight import BasicFragmentScorer, ContextFragmenter, Fragment, top_fragments

from indexer.analysis import DEFAULT_LANGUAGE, fields_of, stemmed_words
from indexer.whoosh_internals import EscapingFormatter

__all__ = ["Marks", "snippet", "body_text"]

SNIPPET_CHARS = 240
SNIPPET_SURROUND = 60
SNIPPET_SCAN_CHARS = 2000  # a long text's snippet comes from its start when a match lies there


class MarkFormatter(EscapingFormatter):
    """Escapes text with markupsafe and wraps each match in <mark>."""

    between = " … "

    def escape_text(self, text: str) -> str:
        return str(escape(text))

    def format_token(self, text, token, replace=False):
        return f"<mark>{escape(text[token.startchar:token.endchar])}</mark>"


class Mark:
    """One token of a highlighted text: what Whoosh's fragmenter, scorer and formatter read of a
    token, and nothing else (making these costs a third of what copying Whoosh's tokens does)."""

    __slots__ = ("text", "startchar", "endchar", "matched")
    boost = 1.0

    def __init__(self, text: str, startchar: int, endchar: int, matched: bool):
        self.text, self.startchar, self.endchar, self.matched = text, startchar, endchar, matched

    def copy(self) -> "Mark":
        return Mark(self.text, self.startchar, self.endchar, self.matched)


class Marks:
    """What to highlight for one query, per indexed field (`text_de`): single words (stemmed as
    that field's language stems them) and phrases (word sequences)."""

    def __init__(self, words: dict | None = None, phrases: dict | None = None):
        self.words: dict[str, set[str]] = words or {}
        self.phrases: dict[str, list[tuple[str, ...]]] = phrases or {}

    @classmethod
    def from_query(cls, q) -> "Marks":
        marks = cls()
        marks._collect(q)
        return marks

    def _collect(self, q) -> None:
        if isinstance(q, wq.Not):
            return  # excluded words are not in the hits
        if isinstance(q, wq.AndNot):
            self._collect(q.a)
            return
        if isinstance(q, wq.Phrase):
            self.phrases.setdefault(q.fieldname, []).append(tuple(q.words))
        elif isinstance(q, wq.Term):
            text = q.text.decode("utf-8") if isinstance(q.text, bytes) else q.text
            self.words.setdefault(q.fieldname, set()).add(text)
        for child in q.children():
            self._collect(child)

    def tokens(self, text: str, fieldname: str, lang: str = DEFAULT_LANGUAGE) -> list:
        """Every token of `text` (of field `fieldname`, "text", in a story in `lang`), matches
        flagged, each phrase occurrence merged into one token."""
        fieldname = fields_of(lang)[fieldname]
        words = self.words.get(fieldname, set())
        tokens = [Mark(term, start, end, term in words) for term, start, end in stemmed_words(text, lang)]
        texts = [t.text for t in tokens]
        spans = []  # (start, end) token indexes of phrase occurrences
        for phrase in self.phrases.get(fieldname, []):
            n = len(phrase)
            i = 0
            while n and i + n <= len(texts):
                if tuple(texts[i:i + n]) == phrase:
                    spans.append((i, i + n))
                    i += n
                else:
                    i += 1
        if not spans:
            return tokens
        starts = dict(sorted(spans))
        merged, i = [], 0
        while i < len(tokens):
            end = starts.get(i)
            if end is None:
                merged.append(tokens[i])
                i += 1
                continue
            merged.append(Mark(tokens[i].text, tokens[i].startchar, tokens[end - 1].endchar, True))
            i = end
        return merged

    def whole(self, text: str, fieldname: str, lang: str = DEFAULT_LANGUAGE) -> Markup:
        """All of `text`, escaped, with matches marked."""
        tokens = [t for t in self.tokens(text, fieldname, lang) if t.matched] if text else []
        return _format([Fragment(text, tokens, 0, len(text))])

    def fragments(self, text: str, fieldname: str, top: int = 1, lang: str = DEFAULT_LANGUAGE) -> list:
        """The best fragment(s) of `text` around its matches (empty if nothing matches).

        Analysing text costs time in proportion to its length, so a long text is
        looked at in its first SNIPPET_SCAN_CHARS first, and whole only if no match lies there.
        """
        cut = text.rfind(" ", 0, SNIPPET_SCAN_CHARS) if len(text) > SNIPPET_SCAN_CHARS else -1
        for end in ((cut, len(text)) if cut > 0 else (len(text),)):
            tokens = self.tokens(text[:end], fieldname, lang)
            if any(t.matched for t in tokens):
                fragmenter = ContextFragmenter(maxchars=SNIPPET_CHARS, surround=SNIPPET_SURROUND)
                return top_fragments(fragmenter.fragment_tokens(text, iter(tokens)), top,
                                     BasicFragmentScorer(), lambda f: f.startchar)
        return []


def _format(fragments: list) -> Markup:
    # The one place highlighted text becomes Markup: MarkFormatter escapes everything it emits.
    return Markup(MarkFormatter().format(fragments))


def snippet(story: dict, marks: Marks) -> Markup:
    """The text around the best match (text, then caption), else the start of the lede."""
    text = body_text(story)
    for fieldname, value in (("text", text), ("caption", story["caption"])):
        frags = marks.fragments(value, fieldname, lang=story.get("language", DEFAULT_LANGUAGE)) if value else []
        if frags:
            frag = widen(frags[0], value)
            before = "… " if frag.startchar > 0 else ""
            after = " …" if frag.endchar < len(value) else ""
            return Markup(escape(before)) + _format([frag]) + Markup(escape(after))
    return lede(text)


def widen(frag: Fragment, text: str, size: int = SNIPPET_CHARS) -> Fragment:
    """The fragment grown to about `size` characters of context, cut at spaces."""
    spare = max(0, size - (frag.endchar - frag.startchar))
    start = max(0, frag.startchar - spare // 3)
    end = min(len(text), frag.endchar + spare - (frag.startchar - start))
    if start > 0:
        space = text.find(" ", start, frag.startchar)
        start = space + 1 if space >= 0 else frag.startchar
    if end < len(text):
        space = text.rfind(" ", frag.endchar, end)
        end = space if space >= 0 else frag.endchar
    return Fragment(text, frag.matches, start, end)


def lede(text: str, limit: int = SNIPPET_CHARS) -> Markup:
    """The start of the text, cut at a word boundary (escaped)."""
    if len(text) <= limit:
        return _format([Fragment(text, [], 0, len(text))])
    cut = text.rfind(" ", 0, limit)
    cut = cut if cut > limit // 2 else limit
    return _format([Fragment(text, [], 0, cut)]) + Markup(" …")


def body_text(story: dict) -> str:
    """The story text without a leading copy of one of its headlines (the hit shows it already)."""
    text = story["text"]
    for headline in sorted(story["headlines"], key=len, reverse=True):
        if headline and text.startswith(headline):
            return text[len(headline):].lstrip(" \n\t.:-–—")
    return text


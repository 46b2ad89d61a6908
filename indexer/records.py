"""The plain records that flow between the indexer's stages: Page → Teaser → Story."""
from __future__ import annotations

from dataclasses import dataclass, field
from operator import attrgetter


@dataclass(slots=True)
class Page:
    """One crawled page, as read from disk: its text as a list of blocks (lines)."""

    id: str  # the record's url, else its path relative to the crawl root (":N" for a JSONL line)
    site: str  # the url's host, else the first folder of the relative path
    lines: list[str]
    url: str | None = None
    title: str | None = None
    date: str | None = None  # ISO date "YYYY-MM-DD" when the record or page gives one
    source: str = ""  # the file it came from, for reports
    lang: str | None = None  # ISO 639-1 code the page declares (<html lang>, Content-Language, JSONL "lang")
    blocks: list[Block] | None = None  # an HTML page's structure (`markup`); None for a text page


@dataclass(slots=True)
class Block:
    """A piece of an HTML page's markup that may be a story: a link to an article with the markup
    around it (a teaser), or the page's own article."""

    role: str  # "teaser" (a link and its block) or "article" (the page is this article)
    url: str  # the article's address, absolute
    headline: str
    kicker: str = ""
    lede: str = ""  # a teaser's text; an article's main-content body
    caption: str = ""
    date: str | None = None  # ISO date from <time datetime> or the article's metadata
    author: str = ""
    from_heading: bool = False  # the headline is a heading's text, not only a link's


@dataclass(slots=True)
class Teaser:
    """One story as one page shows it: a teaser on a listing page or a whole article."""

    headline: str
    text: str  # the lede, and the body when the page carries the whole article
    page: str
    site: str
    caption: str = ""
    headlines: list[str] = field(default_factory=list)  # every variant seen, `headline` first
    date: str | None = None
    url: str | None = None  # the article's address: the link of a teaser, the address of an article page
    truncated: bool = False  # the text ends in "..." or "…"
    article: bool = False  # the page is this story's own article page
    headline_from: str = ""  # how the headline was found: "line", "repeat", "split", "markup" or "" (none)
    lang: str | None = None  # the language its page declares
    page_url: str | None = None  # the address of the page showing it, when known
    kicker: str = ""  # a short topical label printed over or before the headline ("Ukraine-Krieg")
    author: str = ""  # an article page's author, from its own metadata

    def __reduce__(self):  # pickled as its fields in order: the build's workers send a great many
        return Teaser, _teaser_fields(self)


@dataclass(slots=True)
class Story:
    """One story, merged from every page that shows it."""

    id: str
    headline: str
    headlines: list[str]
    text: str
    caption: str = ""
    pages: list[str] = field(default_factory=list)
    sites: list[str] = field(default_factory=list)
    date: str | None = None
    page_dates: list[str | None] = field(default_factory=list)  # each page's date, in the order of pages
    declared_language: str | None = None  # what its first page declaring one declares
    language: str | None = None  # ISO 639-1, set once deduplicated (`language.tag_languages`)
    url: str | None = None  # the article's address, when a page linked to it or was it
    page_urls: list[str] = field(default_factory=list)  # each page's address ("" when unknown), as `pages`
    kicker: str = ""  # the kicker its pages print most (the first seen among equals)
    author: str = ""  # its article page's author, when the crawl holds that page and it names one

    @property
    def page_count(self) -> int:
        return len(self.pages)


_teaser_fields = attrgetter(*Teaser.__slots__)  # a teaser's fields in order, as a tuple (read in C)

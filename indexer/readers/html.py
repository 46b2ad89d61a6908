"""The .html/.htm reader: a file is one page; its markup gives its address, its teasers and its article
(`markup.page_markup`). `html_page` is shared with the WARC reader.

A page's markup is parsed the first time its text or structure is looked at (`HtmlPage`), not when
it is read: each of a build's workers reads the whole crawl but segments only its own share of the
pages, and parsing is most of what reading an HTML page costs."""
from __future__ import annotations

from typing import Iterator

from .. import markup
from ..address import host
from ..records import Page
from .files import MAX_HTML_BYTES, PageFile, ReadReport, decode_html, is_binary, read_chunks, SNIFF_BYTES

PARSED_FIELDS = frozenset({"site", "lines", "url", "title", "blocks"})  # what `HtmlPage` parses for


class HtmlPage(Page):
    """A Page read from HTML whose site, lines, url, title and blocks are filled in from its markup
    when one of them is first asked for. A page that shows no text then has no lines (and no teasers)."""

    __slots__ = ("_data", "_charset", "_given_url", "_folder_site")

    def __getattr__(self, name: str):  # called only for a field not yet filled in
        if name not in PARSED_FIELDS:
            raise AttributeError(name)
        self._parse()
        return object.__getattribute__(self, name)

    def _parse(self) -> None:
        text = decode_html(self._data, self._charset)
        self._data = b""  # the bytes are not needed again
        tree = markup.parse(text)
        title_node = tree.css_first("title")
        title = " ".join(title_node.text().split()) if title_node is not None else None
        address, blocks, lines, _ = markup.page_markup(tree, self._given_url, self._folder_site)
        self.site, self.lines, self.url = host(address) or self._folder_site, lines, address
        self.title, self.blocks = title or None, blocks if lines else None


def read(file: PageFile, report: ReadReport) -> Iterator[Page]:
    """An HTML file as one page; a page larger than MAX_HTML_BYTES is read up to there (and noted)."""
    data = read_capped(read_chunks(file.path, file.gzipped, file.problems), file.problems)
    if is_binary(data[:SNIFF_BYTES]):
        file.problems.append("binary data")
        return
    yield html_page(data, file.name, file.site, file.source)


def read_capped(chunks: Iterator[bytes], problems: list[str]) -> bytes:
    """The bytes of a page up to MAX_HTML_BYTES; the rest is not read."""
    parts, size = [], 0
    for chunk in chunks:
        parts.append(chunk)
        size += len(chunk)
        if size > MAX_HTML_BYTES:
            problems.append(f"page cut at {MAX_HTML_BYTES >> 20} MB")
            break
    return b"".join(parts)[:MAX_HTML_BYTES]


def html_page(data: bytes, name: str, site: str, source: str, url: str | None = None,
              charset: str | None = None, captured: str | None = None) -> HtmlPage:
    """One HTML page as a Page with its structure, parsed when first looked at. `url` is the address
    it was fetched from (a WARC record's); else the page's canonical address is its address."""
    page = HtmlPage.__new__(HtmlPage)
    page.id, page.date, page.source, page.lang = name, captured, source, None
    page._data, page._charset, page._given_url, page._folder_site = data, charset, url, site
    return page

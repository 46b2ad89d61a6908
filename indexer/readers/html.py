"""The .html/.htm reader: a file is one page; its markup gives its address, its teasers and its article
(`markup.page_markup`). `html_page` is shared with the WARC reader."""
from __future__ import annotations

from typing import Iterator

from .. import markup
from ..address import host
from ..records import Page
from .files import MAX_HTML_BYTES, PageFile, ReadReport, decode_html, is_binary, read_chunks, SNIFF_BYTES


def read(file: PageFile, report: ReadReport) -> Iterator[Page]:
    """An HTML file as one page; a page larger than MAX_HTML_BYTES is read up to there (and noted)."""
    data = read_capped(read_chunks(file.path, file.gzipped, file.problems), file.problems)
    if is_binary(data[:SNIFF_BYTES]):
        file.problems.append("binary data")
        return
    page = html_page(data, file.name, file.site, file.source)
    if page is None:
        file.problems.append("no text")
        return
    yield page


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
              charset: str | None = None, captured: str | None = None) -> Page | None:
    """One HTML page as a Page with its structure; None when it shows no text. `url` is the address
    it was fetched from (a WARC record's); else the page's canonical address is its address."""
    tree = markup.parse(decode_html(data, charset))
    title_node = tree.css_first("title")
    title = " ".join(title_node.text().split()) if title_node is not None else None
    address, blocks, lines, meta = markup.page_markup(tree, url, site)
    if not lines:
        return None
    return Page(id=name, site=host(address) or site, lines=lines, url=address, title=title or None,
                date=captured, source=source, blocks=blocks)

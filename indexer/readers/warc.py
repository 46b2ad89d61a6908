"""The .warc/.warc.gz reader: each response record with HTML content is a page (FastWARC streams the
file a record at a time). A page's address is its WARC-Target-URI and its id that address with the
capture time, since a crawl holds the same address captured many times. Other records, revisits,
responses with HTTP status 400 or above and content that is not HTML are skipped and counted."""
from __future__ import annotations

from collections import Counter
from typing import Iterator

from fastwarc.warc import ArchiveIterator, WarcRecordType

from ..address import host
from ..records import Page
from .files import MAX_HTML_BYTES, PageFile, ReadReport, header_charset, one_line
from .html import html_page

HTML_TYPES = ("text/html", "application/xhtml")
MIN_ERROR_STATUS = 400


def read(file: PageFile, report: ReadReport) -> Iterator[Page]:
    """The HTML pages of a WARC file; skipped records are counted and listed once per reason."""
    skipped: Counter = Counter()
    for record, block, problem in records(file, skipped):
        if problem:
            where = one_line(record.headers.get("WARC-Target-URI")) or f"offset {record.stream_pos}"
            report.skipped.append((f"{file.source}@{where}", problem))
            continue
        page = record_page(record, block, file, skipped)
        if page is not None:
            yield page
    for reason, count in sorted(skipped.items()):
        report.skipped.append((file.source, f"{count} record{'s' if count > 1 else ''} skipped: {reason}"))


def records(file: PageFile, skipped: Counter, kind=WarcRecordType.response) -> Iterator[tuple]:
    """(record, its block's bytes, problem) for each record of the kind; other kinds are counted."""
    try:
        with open(file.path, "rb") as stream:  # (FastWARC sees gzip by itself, and reads a record at a time)
            for record in ArchiveIterator(stream, parse_http=False):
                if record.record_type != kind:
                    skipped[f"{_kind(record.record_type)} record"] += 1
                else:
                    yield record, *_block(record)
    except Exception as err:  # noqa: BLE001 - FastWARC's errors on a corrupt stream have no common type
        file.problems.append(f"corrupt WARC ({type(err).__name__}: {err})")


def _block(record) -> tuple[bytes, str | None]:
    """A record's block, up to MAX_HTML_BYTES, or a problem when it is shorter than it says."""
    block = record.reader.read(MAX_HTML_BYTES + 1)
    declared = record.headers.get("Content-Length", "")
    if len(block) > MAX_HTML_BYTES:
        return block[:MAX_HTML_BYTES], None
    if declared.isdigit() and len(block) != int(declared):
        return b"", f"truncated record ({len(block)} of {declared} bytes)"
    return block, None


def _kind(record_type) -> str:
    return getattr(record_type, "name", str(record_type)).lower()


def record_page(record, block: bytes, file: PageFile, skipped: Counter) -> Page | None:
    """A response record as a page, or None (counted in skipped) when it is not an HTML page."""
    head, sep, body = block.partition(b"\r\n\r\n")
    if not sep:
        head, sep, body = block.partition(b"\n\n")
    lines = head.decode("latin-1").splitlines()
    status = lines[0].split() if lines else []
    if len(status) < 2 or not status[0].upper().startswith("HTTP/") or not status[1].isdigit():
        skipped["no HTTP response"] += 1
        return None
    if int(status[1]) >= MIN_ERROR_STATUS:
        skipped[f"HTTP status >= {MIN_ERROR_STATUS}"] += 1
        return None
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    content_type = headers.get("content-type", "")
    if not content_type.lower().startswith(HTML_TYPES):
        skipped["not HTML"] += 1
        return None
    if "chunked" in headers.get("transfer-encoding", "").lower() or headers.get("content-encoding", "identity") not in ("identity", ""):
        skipped["encoded HTTP body"] += 1
        return None
    url = one_line(record.headers.get("WARC-Target-URI"))
    captured = record.headers.get("WARC-Date") or ""
    return html_page(body, f"{url}@{captured}", host(url) or file.site, file.source, url=url,
                     charset=header_charset(content_type), captured=captured[:10] or None)

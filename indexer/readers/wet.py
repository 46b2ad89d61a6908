"""The WET reader (Common Crawl's extracted text, "*.warc.wet.gz"): each conversion record is a text
page, a block per line, with its WARC-Target-URI as its address."""
from __future__ import annotations

from collections import Counter
from typing import Iterator

from fastwarc.warc import WarcRecordType

from ..address import host
from ..records import Page
from .files import PageFile, ReadReport, clean_lines, one_line
from .warc import records


def read(file: PageFile, report: ReadReport) -> Iterator[Page]:
    """The text pages of a WET file; other records are counted and listed once per reason."""
    skipped: Counter = Counter()
    for record, block, problem in records(file, skipped, WarcRecordType.conversion):
        url = one_line(record.headers.get("WARC-Target-URI"))
        if problem:
            report.skipped.append((f"{file.source}@{url or record.stream_pos}", problem))
            continue
        lines = clean_lines(block.decode("utf-8", "replace"))
        if not lines:
            skipped["no text"] += 1
            continue
        captured = record.headers.get("WARC-Date") or ""
        yield Page(id=f"{url}@{captured}", site=host(url) or file.site, lines=lines, url=url,
                   date=captured[:10] or None, source=file.source)
    for reason, count in sorted(skipped.items()):
        report.skipped.append((file.source, f"{count} record{'s' if count > 1 else ''} skipped: {reason}"))

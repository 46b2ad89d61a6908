"""The .jsonl reader: a page per line, ``{"text": ..., "url": ..., "title": ..., "date": ..., "lang": ...}``
(only ``text`` required)."""
from __future__ import annotations

import json
from typing import Iterator

from ..records import Page
from .files import (BadRecord, PageFile, ReadReport, clean_lines, decode, one_line, parse_date,
                    read_lines, url_site)
from ..language import normalize_code


def read(file: PageFile, report: ReadReport) -> Iterator[Page]:
    """A JSON Lines file as a page per line; bad lines are skipped as "file:line" with the reason."""
    legacy: str | None = None
    seen = False
    for number, raw in enumerate(read_lines(file.path, file.gzipped, file.problems), 1):
        if not raw.strip():
            continue
        seen = True
        text, legacy = decode(raw, legacy)
        try:
            yield record_page(text, f"{file.name}:{number}", file.site, file.source)
        except BadRecord as bad:
            cut = not raw.endswith(b"\n") and str(bad).startswith("invalid JSON")
            report.skipped.append((f"{file.source}:{number}", "truncated last line" if cut else str(bad)))
    if not seen:
        file.problems.append("empty file")


def record_page(line: str, name: str, site: str, source: str) -> Page:
    """One JSONL line as a Page; raises BadRecord saying why it is not one."""
    try:
        record = json.loads(line, strict=False)
    except (ValueError, RecursionError) as err:
        raise BadRecord(f"invalid JSON ({err})") from None
    if not isinstance(record, dict):
        raise BadRecord("not a JSON object")
    text = record.get("text")
    if not isinstance(text, str):
        raise BadRecord("no text" if text is None else "text is not a string")
    blocks = clean_lines(text)
    if not blocks:
        raise BadRecord("empty text")
    url = one_line(record.get("url"))
    return Page(id=url or name, site=url_site(url) or site, lines=blocks, url=url,
                title=one_line(record.get("title")), date=parse_date(record.get("date")), source=source,
                lang=normalize_code(record.get("lang")))

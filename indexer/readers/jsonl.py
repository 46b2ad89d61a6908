"""The .jsonl reader: a page per line, ``{"text": ..., "url": ..., "title": ..., "date": ..., "lang": ...}``
(only ``text`` required)."""
from __future__ import annotations

import json
from dataclasses import fields
from typing import Iterator

from ..records import Page
from .files import (CONTROL_CHARS, BadRecord, PageFile, ReadReport, clean_lines, decode, one_line,
                    parse_date, read_lines, url_site)
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
    if _blank(text):
        raise BadRecord("empty text")
    url = one_line(record.get("url"))
    page = JsonlPage(id=url or name, site=url_site(url) or site, lines=None, url=url,
                     title=one_line(record.get("title")), date=parse_date(record.get("date")), source=source,
                     lang=normalize_code(record.get("lang")))
    del page.lines  # (cut from the text when first asked for)
    page._text = text
    return page


class JsonlPage(Page):
    """A Page read from a JSONL line whose lines are cut from its text when first asked for: a
    build's worker reads every page of the crawl but keeps only its share, and cutting the lines is
    most of the reading (0.34 of 0.59 s over the 16,000 pages of the 100k-teaser crawl)."""

    __slots__ = ("_text",)

    def __getattr__(self, name: str):  # called only for `lines` while it is not filled in
        if name != "lines":
            raise AttributeError(name)
        self.lines = clean_lines(self._text)
        self._text = ""
        return self.lines

    def __eq__(self, other) -> bool:  # equal to the Page it stands for
        if not isinstance(other, Page):
            return NotImplemented
        return all(getattr(self, f.name) == getattr(other, f.name) for f in fields(Page))


def _blank(text: str) -> bool:
    """Whether the text has no line left once cleaned (`clean_lines` gives none), without cleaning it."""
    stripped = text.strip()
    if not stripped:
        return True
    return bool(CONTROL_CHARS.match(stripped)) and not clean_lines(text)  # (its first character stays)

"""The .txt reader: a file is one page, one block of text per line."""
from __future__ import annotations

from typing import Iterator

from ..records import Page
from .files import PageFile, ReadReport, clean_lines, decode, read_lines


def read(file: PageFile, report: ReadReport) -> Iterator[Page]:
    """A plain-text file as one page, a block per line (blank lines kept once: they separate teasers)."""
    text, _ = decode(b"".join(read_lines(file.path, file.gzipped, file.problems)))
    blocks = clean_lines(text)
    if not blocks:
        file.problems.append("empty file")
        return
    yield Page(id=file.name, site=file.site, lines=blocks, source=file.source)

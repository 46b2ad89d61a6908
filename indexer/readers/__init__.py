"""Pages are read: the crawl's files walked in sorted order, each read by the reader of its format.

``READERS`` maps a file name's ending (optionally followed by ``.gz``) to its reader: a function
``read(file: PageFile, report: ReadReport) -> Iterator[Page]``. Adding a format is one module in this
package and one line in ``READERS``. Bad input never raises: each unreadable file or record is listed
in ``ReadReport.skipped`` with the reason.
"""
from __future__ import annotations

import os
from typing import Iterable, Iterator
from pathlib import Path

from ..records import Page
from . import html, jsonl, text, warc, wet
from .files import PageFile, ReadReport, parse_date, printable

READERS = {  # file name ending -> reader
    "txt": text.read,
    "jsonl": jsonl.read,
    "html": html.read,
    "htm": html.read,
    "warc": warc.read,
    "wet": wet.read,  # Common Crawl's extracted text: "*.warc.wet.gz"
}

__all__ = ["READERS", "PageFile", "ReadReport", "crawl_files", "crawl_listing", "file_pages", "iter_pages",
           "parse_date", "printable"]


def iter_pages(paths: Iterable[Path | str], report: ReadReport) -> Iterator[Page]:
    """Every page under the given folders and files, one at a time, files in sorted order."""
    for path, name, site in crawl_listing(paths, report):
        yield from file_pages(path, name, site, report)


def crawl_listing(paths: Iterable[Path | str], report: ReadReport) -> Iterator[tuple[str, str, str]]:
    """The page files under the given folders and files, in reading order: (path, name, site),
    the name being what page ids start with. Paths that hold no pages are reported."""
    for path in paths:
        root = os.fsdecode(path)
        if os.path.isdir(root):
            for rel in crawl_files(root, report):
                first, sep, _ = rel.partition(os.sep)
                site = printable(first) if sep else folder_name(root)
                yield os.path.join(root, rel), printable(rel.replace(os.sep, "/")), site
        elif not os.path.lexists(root):
            report.skipped.append((printable(root), "no such file or directory"))
        elif file_format(root) is None:
            endings = ", ".join(f".{ending}" for ending in READERS)
            report.skipped.append((printable(root), f"not a page file ({endings}, optionally .gz)"))
        else:
            yield root, printable(os.path.basename(root)), folder_name(os.path.dirname(os.path.abspath(root)))


def crawl_files(root: str, report: ReadReport) -> list[str]:
    """The page files under root, relative to it and sorted; walks without recursion or following symlinks."""
    found: list[str] = []
    folders = [root]
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        folders.append(entry.path)
                    elif file_format(entry.name):
                        found.append(os.path.relpath(entry.path, root))
        except OSError as err:
            report.skipped.append((printable(folder), f"unreadable folder ({err.strerror or err})"))
    return sorted(found)


def file_format(name: str) -> tuple[str, bool] | None:
    """(the ending of READERS that reads it, gzipped?) from a file name, or None for a file that holds no pages."""
    lower = name.lower()
    gzipped = lower.endswith(".gz")
    stem = lower[:-3] if gzipped else lower
    return next(((fmt, gzipped) for fmt in READERS if stem.endswith("." + fmt)), None)


def folder_name(folder: str) -> str:
    """The last component of a folder's absolute path, printable."""
    return printable(os.path.basename(os.path.abspath(folder)))


def file_pages(path: str, name: str, site: str, report: ReadReport) -> Iterator[Page]:
    """The pages of one file, counted in report; the file is listed as skipped with its first problem."""
    fmt, gzipped = file_format(path) or ("txt", False)
    file = PageFile(path, name, site, printable(path), gzipped)
    pages = 0
    try:
        for page in READERS[fmt](file, report):
            pages += 1
            report.pages_read += 1
            yield page
    except OSError as err:
        file.problems.insert(0, f"unreadable ({err.strerror or err})")
    if pages:
        report.files_read += 1
    if file.problems:
        report.skipped.append((file.source, file.problems[0]))

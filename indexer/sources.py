"""Pages on disk → Page records: walk the crawl, read .txt / .jsonl files (gzipped or not), report what was skipped.

A ``.txt`` file is one page, a block per line; a ``.jsonl`` file has a page per line (``text``, optional ``url``,
``title``, ``date``). Bad input never raises: each unreadable file or record is listed in ``ReadReport.skipped``.
"""
from __future__ import annotations

import json
import os
import re
import stat
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain
from pathlib import Path
from typing import Any, Iterable, Iterator
from urllib.parse import urlsplit

from charset_normalizer import from_bytes

from .records import Page

FORMATS = ("txt", "jsonl")  # file name endings read, each optionally followed by ".gz"
CHUNK_BYTES = 1 << 20  # read (and decompress) a megabyte at a time
SNIFF_BYTES = 8192  # the start of a file the binary check looks at
MAX_CONTROL_RATIO = 0.05  # more control bytes than this in the sniff: binary junk, not text
GUESS_BYTES = 1 << 16  # how much of a non-UTF-8 file charset-normalizer looks at
MAX_WESTERN_HIGH_RATIO = 0.3  # fewer non-ASCII bytes than this: Latin-script text
CENTRAL_EUROPEAN = frozenset({"Polish", "Czech", "Slovak", "Hungarian", "Slovene", "Croatian", "Romanian"})
GZIP_MAGIC = b"\x1f\x8b"
GZIP_WBITS = 16 + zlib.MAX_WBITS
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # C0 controls but tab and newline, and DEL
CONTROL_BYTES = bytes([*range(0, 9), 11, *range(14, 32), 127])  # not tab, \n, \f, \r
TEXT_BYTES = bytes(b for b in range(256) if b not in CONTROL_BYTES)
ASCII_BYTES = bytes(range(128))


@dataclass
class ReadReport:
    """What a read covered: counts, and every file or record skipped with the reason."""

    files_read: int = 0  # files that gave at least one page
    pages_read: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file or "file:line", reason)


class BadRecord(ValueError):
    """A JSONL line that is not a page; the message says why."""


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
            report.skipped.append((printable(root), "not a .txt or .jsonl file (optionally .gz)"))
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
    """("txt" or "jsonl", gzipped?) from a file name, or None for a file that holds no pages."""
    lower = name.lower()
    gzipped = lower.endswith(".gz")
    stem = lower[:-3] if gzipped else lower
    return next(((fmt, gzipped) for fmt in FORMATS if stem.endswith("." + fmt)), None)


def printable(name: str) -> str:
    """A file name as valid text: bytes that aren't UTF-8 become backslash escapes."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def folder_name(folder: str) -> str:
    """The last component of a folder's absolute path, printable."""
    return printable(os.path.basename(os.path.abspath(folder)))


def file_pages(path: str, name: str, site: str, report: ReadReport) -> Iterator[Page]:
    """The pages of one file, counted in report; the file is listed as skipped with its first problem."""
    shown = printable(path)
    fmt, gzipped = file_format(path) or ("txt", False)
    problems: list[str] = []
    pages = 0
    try:
        lines = read_lines(path, gzipped, problems)
        found = (txt_pages(lines, name, site, shown, problems) if fmt == "txt"
                 else jsonl_pages(lines, name, site, shown, report, problems))
        for page in found:
            pages += 1
            report.pages_read += 1
            yield page
    except OSError as err:
        problems.insert(0, f"unreadable ({err.strerror or err})")
    if pages:
        report.files_read += 1
    if problems:
        report.skipped.append((shown, problems[0]))


def read_lines(path: str, gzipped: bool, problems: list[str]) -> Iterator[bytes]:
    """A file's lines as bytes, each ending in "\\n" but perhaps the last; binary data gives none."""
    chunks = read_chunks(path, gzipped, problems)
    head = next(chunks, b"")
    if is_binary(head[:SNIFF_BYTES]):
        problems.append("binary data")
        return
    parts: list[bytes] = []
    for chunk in chain([head], chunks):
        *complete, rest = chunk.split(b"\n")
        if complete:
            complete[0] = b"".join([*parts, complete[0]])
            yield from (line + b"\n" for line in complete)
            parts = []
        parts.append(rest)
    if any(parts):
        yield b"".join(parts)


def read_chunks(path: str, gzipped: bool, problems: list[str]) -> Iterator[bytes]:
    """A regular file's bytes, decompressed when gzipped, a chunk at a time."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        problems.append("not a regular file")
        return
    with open(path, "rb") as file:
        raw = iter(lambda: file.read(CHUNK_BYTES), b"")
        yield from (chunk for chunk in (inflate(raw, problems) if gzipped else raw) if chunk)


def inflate(raw: Iterator[bytes], problems: list[str]) -> Iterator[bytes]:
    """Decompress gzip data (one member or several) as it comes; a break ends it and is noted in problems."""
    unzip = zlib.decompressobj(GZIP_WBITS)
    started = False
    try:
        for data in raw:
            started = True
            while data:
                if unzip.eof:
                    if not data.startswith(GZIP_MAGIC):
                        return  # trailing junk after the last member is ignored, as gzip does
                    unzip = zlib.decompressobj(GZIP_WBITS)
                yield unzip.decompress(data)
                data = unzip.unused_data
    except zlib.error as err:
        problems.append(f"corrupt gzip ({err})")
        return
    if started and not unzip.eof:
        problems.append("truncated gzip")


def is_binary(sample: bytes) -> bool:
    """Whether the start of a file has too many control bytes to be text."""
    controls = len(sample.translate(None, TEXT_BYTES))
    return controls > MAX_CONTROL_RATIO * len(sample)


def txt_pages(lines: Iterator[bytes], name: str, site: str, source: str, problems: list[str]) -> Iterator[Page]:
    """A plain-text file as one page, a block per line (blank lines kept once: they separate teasers)."""
    text, _ = decode(b"".join(lines))
    blocks = clean_lines(text)
    if not blocks:
        problems.append("empty file")
        return
    yield Page(id=name, site=site, lines=blocks, source=source)


def jsonl_pages(
    lines: Iterator[bytes], name: str, site: str, source: str, report: ReadReport, problems: list[str]
) -> Iterator[Page]:
    """A JSON Lines file as a page per line; bad lines are skipped as "file:line" with the reason."""
    legacy: str | None = None
    seen = False
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        seen = True
        text, legacy = decode(raw, legacy)
        try:
            yield record_page(text, f"{name}:{number}", site, source)
        except BadRecord as bad:
            cut = not raw.endswith(b"\n") and str(bad).startswith("invalid JSON")
            report.skipped.append((f"{source}:{number}", "truncated last line" if cut else str(bad)))
    if not seen:
        problems.append("empty file")


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
                title=one_line(record.get("title")), date=parse_date(record.get("date")), source=source)


def decode(data: bytes, legacy: str | None = None) -> tuple[str, str | None]:
    """Bytes as text: UTF-8 (BOM or not) when it is, else the file's legacy encoding, guessed once per file."""
    try:
        return data.decode("utf-8-sig"), legacy
    except UnicodeDecodeError:
        legacy = legacy or legacy_encoding(data)
    for encoding in (legacy, "cp1252"):
        try:
            return data.decode(encoding), legacy
        except (UnicodeDecodeError, LookupError):
            pass
    return data.decode("latin-1"), legacy


def legacy_encoding(data: bytes) -> str:
    """Guess the encoding of non-UTF-8 bytes: cp1252 for mostly-ASCII Latin text unless Central European."""
    sample = data[:GUESS_BYTES]
    best = from_bytes(sample).best()
    if best is None:
        return "cp1252"
    high = len(sample.translate(None, ASCII_BYTES)) / len(sample)
    if high < MAX_WESTERN_HIGH_RATIO and best.language not in CENTRAL_EUROPEAN:
        return "cp1252"  # charset-normalizer guesses wildly (cp1250, big5) on short Western text
    return best.encoding


def clean_lines(text: str) -> list[str]:
    """Text as its lines, stripped, without control characters; a run of blank lines becomes one ""."""
    text = CONTROL_CHARS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    blocks: list[str] = []
    for line in text.split("\n"):
        block = line.strip()
        if block or (blocks and blocks[-1]):
            blocks.append(block)
    if blocks and not blocks[-1]:
        blocks.pop()
    return blocks


def one_line(value: Any) -> str | None:
    """An optional string field on one line, or None when it is absent, empty or not a string."""
    if not isinstance(value, str):
        return None
    return " ".join(CONTROL_CHARS.sub("", value).split()) or None


def url_site(url: str | None) -> str | None:
    """A URL's host, lowercased and without "www.", or None when it has none."""
    try:
        host = urlsplit(url).hostname if url else None
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


def parse_date(value: Any) -> str | None:
    """An ISO date or date-time string as "YYYY-MM-DD", or None when it isn't one."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        return None

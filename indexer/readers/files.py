"""Bytes on disk → text: what every reader shares (gzip, binary sniffing, decoding, clean lines), and the report.

Bad input never raises: a reader notes each problem, and the file or record is listed in
``ReadReport.skipped`` with the reason.
"""
from __future__ import annotations

import os
import re
import stat
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain
from typing import Any, Iterator
from urllib.parse import urlsplit

from charset_normalizer import from_bytes

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


@dataclass
class PageFile:
    """One file of the crawl, as a reader gets it: where it is, what its pages are named, and where
    the reader notes what is wrong with it (the first problem is the reason it is listed as skipped)."""

    path: str
    name: str  # what the ids of its pages start with: its path relative to the crawl root
    site: str  # the first folder under the crawl root, for pages that name no host
    source: str  # the path, printable, for reports
    gzipped: bool
    problems: list[str] = field(default_factory=list)


class BadRecord(ValueError):
    """A record of a file that is not a page; the message says why."""


def printable(name: str) -> str:
    """A file name as valid text: bytes that aren't UTF-8 become backslash escapes."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


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


MAX_HTML_BYTES = 16 << 20  # an HTML page is read up to this size; the rest is cut off (and noted)
CHARSET_SNIFF_BYTES = 4096  # a <meta charset> is looked for this far into a page
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]{1,40})", re.I)
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def header_charset(content_type: str | None) -> str | None:
    """The charset an HTTP Content-Type header names, or None."""
    m = _HEADER_CHARSET.search(content_type or "")
    return m.group(1) if m else None


def decode_html(data: bytes, declared: str | None = None) -> str:
    """An HTML page's bytes as text; the encoding is decided here and only here. A byte order mark
    wins; bytes that are valid UTF-8 are UTF-8 whatever the page declares (a `<meta>` that says
    latin-1 over UTF-8 bytes is the usual disagreement); else the HTTP header's charset, then the
    `<meta>` charset, else a guess. Bytes the encoding cannot read become U+FFFD."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    meta = _META_CHARSET.search(data[:CHARSET_SNIFF_BYTES])
    for name in (declared, meta.group(1).decode("ascii") if meta else None, legacy_encoding(data)):
        if not name:
            continue
        try:
            return data.decode(_whatwg(name), "replace")
        except LookupError:
            continue
    return data.decode("cp1252", "replace")


def _whatwg(name: str) -> str:
    """A declared charset as Python names it; latin-1 and ascii are read as cp1252, as browsers do."""
    name = name.strip().lower()
    return "cp1252" if name in ("iso-8859-1", "latin1", "latin-1", "us-ascii", "ascii") else name

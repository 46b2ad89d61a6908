"""Reading a crawl from disk: formats, ids and sites, encodings, and every kind of bad input skipped with a reason."""
from __future__ import annotations

import gzip
import json
import os
import random
import re
from pathlib import Path

import pytest

from indexer.records import Page
from indexer.readers import ReadReport, iter_pages, parse_date

OHIO_TXT = "Polls close in Ohio\n\n   Turnout was high, officials said.  \n\t\n"
OHIO_LINES = ["Polls close in Ohio", "", "Turnout was high, officials said."]  # a blank run kept once
FEED = [
    {"url": "https://WWW.Example.com/news/ohio", "title": " Polls\nclose ", "date": "2004-11-02T20:00:00Z",
     "text": "Polls close in Ohio\r\nTurnout was high."},
    {"text": "A page without a url\n\nSecond block", "date": "sometime in November"},
]
CP1252_TEXT = "\u201cCaf\u00e9 au lait,\u201d she said \u2014 na\u00efve r\u00e9sum\u00e9s \u2018cost\u2019 \u20ac5."
LATIN1_TEXT = "El ni\u00f1o comi\u00f3 en la ma\u00f1ana. \u00bfPor qu\u00e9? Se\u00f1or \u00c1lvarez."
CP1251_TEXT = "\u0421\u0435\u0433\u043e\u0434\u043d\u044f \u0432 \u041c\u043e\u0441\u043a\u0432\u0435 \u0448\u0451\u043b \u0434\u043e\u0436\u0434\u044c, \u0430 \u0437\u0430\u0432\u0442\u0440\u0430 \u0431\u0443\u0434\u0435\u0442 \u0441\u043e\u043b\u043d\u0435\u0447\u043d\u043e."
PNG_JUNK = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + random.Random(1).randbytes(4000)
MALFORMED_FEED = b"\n".join([
    b'{"text": "Good line one"}',
    b'{"text": "Missing quote}',
    b'["a", "list"]',
    b'{"title": "No text"}',
    b'{"text": 42}',
    b'{"text": "  \\n  "}',
    b"",
    b'{"text": "Good line eight"}',
    b'{"text": "Cut off in the midd',
])
MALFORMED_REASONS = {
    2: "invalid JSON", 3: "not a JSON object", 4: "no text", 5: "text is not a string", 6: "empty text",
    9: "truncated last line",
}


def write(root: Path, files: dict[str, bytes | str]) -> Path:
    """Write each relative path's content under root (str as UTF-8) and return root."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    return root


def jsonl(records: list[dict]) -> str:
    """Records as JSON Lines text."""
    return "".join(json.dumps(record) + "\n" for record in records)


def read(*paths: Path | str | bytes) -> tuple[list[Page], ReadReport]:
    """All pages under paths, and the report."""
    report = ReadReport()
    return list(iter_pages(list(paths), report)), report


def reasons(report: ReadReport) -> dict[str, str]:
    """Skipped file (or file:line) names relative to nothing, mapped to their reason."""
    return {os.path.basename(name): reason for name, reason in report.skipped}


def test_txt_page_id_and_site_come_from_the_path(tmp_path):
    crawl = write(tmp_path / "crawl", {"news.example.com/2004/ohio.txt": OHIO_TXT, "front.txt": OHIO_TXT})
    pages, report = read(crawl)
    assert [(p.id, p.site) for p in pages] == [("front.txt", "crawl"), ("news.example.com/2004/ohio.txt", "news.example.com")]
    assert pages[1].lines == OHIO_LINES
    assert pages[1].source == str(crawl / "news.example.com/2004/ohio.txt")
    assert (pages[1].url, pages[1].title, pages[1].date) == (None, None, None)
    assert (report.files_read, report.pages_read, report.skipped) == (2, 2, [])


def test_path_given_as_a_file_uses_its_name_and_parent_folder(tmp_path):
    crawl = write(tmp_path, {"bbc/ohio.txt": OHIO_TXT, "bbc/feed.jsonl": jsonl(FEED)})
    pages, _ = read(crawl / "bbc/ohio.txt", crawl / "bbc/feed.jsonl")
    assert [(p.id, p.site) for p in pages] == [
        ("ohio.txt", "bbc"), ("https://WWW.Example.com/news/ohio", "example.com"), ("feed.jsonl:2", "bbc")]


def test_jsonl_pages_with_and_without_url(tmp_path):
    pages, report = read(write(tmp_path / "crawl", {"feeds/day1.jsonl": jsonl(FEED)}))
    with_url, without = pages
    assert with_url == Page(id="https://WWW.Example.com/news/ohio", site="example.com",
                            lines=["Polls close in Ohio", "Turnout was high."],
                            url="https://WWW.Example.com/news/ohio", title="Polls close", date="2004-11-02",
                            source=str(tmp_path / "crawl/feeds/day1.jsonl"))
    assert (without.id, without.site, without.url, without.date) == ("feeds/day1.jsonl:2", "feeds", None, None)
    assert without.lines == ["A page without a url", "", "Second block"]
    assert (report.files_read, report.pages_read) == (1, 2)


@pytest.mark.parametrize("name, content", [("ohio.txt", OHIO_TXT), ("day1.jsonl", jsonl(FEED))])
def test_gzipped_files_read_like_plain_ones(tmp_path, name, content):
    plain, _ = read(write(tmp_path / "plain", {name: content}))
    zipped, report = read(write(tmp_path / "zipped", {name + ".gz": gzip.compress(content.encode())}))
    assert [(p.lines, p.url) for p in zipped] == [(p.lines, p.url) for p in plain]
    assert zipped[-1].id.startswith(name + ".gz")
    assert report.skipped == []


def test_concatenated_gzip_members_are_all_read(tmp_path):
    members = gzip.compress(jsonl(FEED[:1]).encode()) + gzip.compress(jsonl(FEED[1:]).encode())
    pages, report = read(write(tmp_path, {"both.jsonl.gz": members}))
    assert len(pages) == 2 and report.skipped == []


@pytest.mark.parametrize("value, expected", [
    ("2004-08-25", "2004-08-25"), ("2004-08-25T10:00:00Z", "2004-08-25"), ("2004-08-25T23:30:00+05:00", "2004-08-25"),
    (" 2004-08-25 10:00 ", "2004-08-25"), ("25/08/2004", None), ("yesterday", None), ("", None), (20040825, None)])
def test_dates_are_iso_or_none(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("encoding, text", [
    ("utf-8-sig", CP1252_TEXT), ("cp1252", CP1252_TEXT), ("latin-1", LATIN1_TEXT), ("cp1251", CP1251_TEXT)])
def test_encodings_are_detected_not_replaced(tmp_path, encoding, text):
    raw = (text + "\n").encode(encoding)
    record = (json.dumps({"text": text}, ensure_ascii=False) + "\n").encode(encoding)
    pages, _ = read(write(tmp_path, {"page.txt": raw, "feed.jsonl": record}))
    assert [p.lines for p in pages] == [[text], [text]]


def test_crlf_lone_cr_and_control_characters(tmp_path):
    content = b"First\r\nSecond\rThird\x00 with NUL\x07\r\n\tTabbed\tinside\t\r\n"
    pages, _ = read(write(tmp_path, {"dos.txt": content}))
    assert pages[0].lines == ["First", "Second", "Third with NUL", "Tabbed\tinside"]


def test_binary_and_empty_files_are_skipped_with_a_reason(tmp_path):
    pages, report = read(write(tmp_path, {
        "logo.txt": PNG_JUNK, "noise.jsonl": random.Random(2).randbytes(9000), "empty.txt": b"",
        "blank.jsonl": b"\n  \r\n\t\n", "spaces.txt.gz": gzip.compress(b"   \n\n"), "ok.txt": OHIO_TXT,
    }))
    assert [p.id for p in pages] == ["ok.txt"]
    assert reasons(report) == {"logo.txt": "binary data", "noise.jsonl": "binary data", "empty.txt": "empty file",
                               "blank.jsonl": "empty file", "spaces.txt.gz": "empty file"}


def test_other_extensions_are_ignored_silently(tmp_path):
    pages, report = read(write(tmp_path, {"README": "x", "notes.md": "x", "page.pdf": "x", "ok.TXT": OHIO_TXT}))
    assert [p.id for p in pages] == ["ok.TXT"] and report.skipped == []


def test_malformed_jsonl_lines_are_skipped_and_good_ones_kept(tmp_path):
    pages, report = read(write(tmp_path, {"feed.jsonl": MALFORMED_FEED}))
    assert [(p.id, p.lines) for p in pages] == [("feed.jsonl:1", ["Good line one"]), ("feed.jsonl:8", ["Good line eight"])]
    got = {int(name.rsplit(":", 1)[1]): reason for name, reason in report.skipped}
    assert got.keys() == MALFORMED_REASONS.keys()
    assert all(got[n].startswith(reason) for n, reason in MALFORMED_REASONS.items())
    assert all(name.startswith(str(tmp_path / "feed.jsonl:")) for name, _ in report.skipped)


def test_wrong_typed_optional_fields_count_as_absent(tmp_path):
    record = {"text": "Kept anyway", "url": 5, "title": ["a", "list"], "date": 2004}
    pages, report = read(write(tmp_path / "site", {"odd.jsonl": jsonl([record])}))
    assert pages == [Page(id="odd.jsonl:1", site="site", lines=["Kept anyway"], source=str(tmp_path / "site/odd.jsonl"))]
    assert report.skipped == []


def test_truncated_gzip_keeps_pages_before_the_break(tmp_path):
    records = [{"text": f"Story number {n} " + "x" * (n % 97)} for n in range(1, 20001)]
    whole = gzip.compress(jsonl(records).encode())
    pages, report = read(write(tmp_path, {"feed.jsonl.gz": whole[: len(whole) // 2]}))
    assert 0 < len(pages) < len(records)
    assert [p.lines for p in pages] == [[r["text"].strip()] for r in records[: len(pages)]]
    assert reasons(report)["feed.jsonl.gz"] == "truncated gzip"
    assert reasons(report)[f"feed.jsonl.gz:{len(pages) + 1}"] == "truncated last line"
    assert report.files_read == 1


def test_a_file_that_is_not_gzip_is_reported(tmp_path):
    _, report = read(write(tmp_path, {"fake.txt.gz": OHIO_TXT}))
    assert reasons(report)["fake.txt.gz"].startswith("corrupt gzip")


def test_unreadable_files_are_skipped(tmp_path):
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    os.mkfifo(tmp_path / "pipe.txt")
    write(tmp_path, {"secret.txt": OHIO_TXT})
    (tmp_path / "secret.txt").chmod(0)
    pages, report = read(tmp_path)
    got = reasons(report)
    assert got["gone.txt"] == "unreadable (No such file or directory)"
    assert got["pipe.txt"] == "not a regular file"
    if os.geteuid() != 0:  # root reads a chmod 000 file anyway
        assert got["secret.txt"] == "unreadable (Permission denied)" and pages == []


def test_symlink_loops_end(tmp_path):
    write(tmp_path, {"a/page.txt": OHIO_TXT})
    (tmp_path / "a/up").symlink_to(tmp_path)
    (tmp_path / "a/self.txt").symlink_to(tmp_path / "a/self.txt")
    pages, report = read(tmp_path)
    assert [p.id for p in pages] == ["a/page.txt"]
    assert reasons(report) == {"self.txt": "unreadable (Too many levels of symbolic links)"}


def test_non_utf8_file_names_give_printable_ids(tmp_path):
    folder = os.path.join(os.fsencode(tmp_path), b"caf\xe9")
    os.makedirs(folder)
    with open(os.path.join(folder, b"p\xffge.txt"), "wb") as file:
        file.write(OHIO_TXT.encode())
    pages, _ = read(tmp_path)
    assert (pages[0].id, pages[0].site) == ("caf\\xe9/p\\xffge.txt", "caf\\xe9")
    pages[0].id.encode("utf-8")  # a valid str, no lone surrogates


def test_deep_nesting_and_missing_paths(tmp_path):
    deep = "/".join(["d"] * 200)
    pages, report = read(write(tmp_path / "crawl", {f"{deep}/deep.txt": OHIO_TXT}), tmp_path / "missing")
    assert [(p.id, p.site) for p in pages] == [(f"{deep}/deep.txt", "d")]
    assert report.skipped == [(str(tmp_path / "missing"), "no such file or directory")]


def test_order_is_sorted_and_repeatable(tmp_path):
    names = ["b/2.txt", "a/9.txt", "a/10.jsonl", "c.txt", "a/b/1.txt"]
    crawl = write(tmp_path, {name: jsonl([{"text": name}]) if name.endswith("l") else name for name in names})
    first, _ = read(crawl)
    assert [p.id for p in first] == ["a/10.jsonl:1", "a/9.txt", "a/b/1.txt", "b/2.txt", "c.txt"]
    assert read(crawl)[0] == first


def test_torture_folder_reads_every_good_page_and_reports_every_bad_file(tmp_path):
    crawl = tmp_path / "crawl"
    tiny = {f"tiny/{n:04d}.txt": f"Tiny page {n}\n" for n in range(2000)}
    huge = "word " * (4 * 1024 * 1024)  # 20 MB on one line
    truncated = gzip.compress(jsonl([{"text": f"Item {n} " + "y" * (n % 89)} for n in range(20000)]).encode())
    write(crawl, {
        **tiny, "big/huge.txt": huge, "good/feed.jsonl": jsonl(FEED), "good/feed.jsonl.gz": gzip.compress(jsonl(FEED).encode()),
        "good/bom.txt": "\ufeff" + OHIO_TXT, "good/cp1252.txt": CP1252_TEXT.encode("cp1252"),
        "good/dos.txt": b"One\r\nTwo\rThree", "bad/logo.txt": PNG_JUNK, "bad/empty.txt": b"",
        "bad/malformed.jsonl": MALFORMED_FEED, "bad/cut.jsonl.gz": truncated[: len(truncated) // 2],
        f"{'/'.join(['deep'] * 200)}/deep.txt": OHIO_TXT, "ignored.html": "<p>no</p>",
    })
    (crawl / "bad/gone.txt").symlink_to(crawl / "nowhere")
    (crawl / "bad/loop").symlink_to(crawl)
    with open(os.path.join(os.fsencode(crawl), b"good/\xff.txt"), "wb") as file:
        file.write(b"Odd name\n")
    pages, report = read(crawl)

    ids = {p.id for p in pages}
    assert ids >= {f"tiny/{n:04d}.txt" for n in range(2000)}
    assert {"big/huge.txt", "good/bom.txt", "good/cp1252.txt", "good/dos.txt", "good/\\xff.txt",
            "https://WWW.Example.com/news/ohio", "good/feed.jsonl:2", "good/feed.jsonl.gz:2"} <= ids
    by_id = {p.id: p for p in pages}
    assert by_id["big/huge.txt"].lines == [huge.strip()]
    assert by_id["good/cp1252.txt"].lines == [CP1252_TEXT]
    assert by_id["good/bom.txt"].lines == OHIO_LINES
    cut = [p for p in pages if p.id.startswith("bad/cut.jsonl.gz:")]
    assert cut and report.pages_read == len(pages)
    files = {os.path.relpath(name, crawl): reason for name, reason in report.skipped if not re.search(r":\d+$", name)}
    assert files == {"bad/cut.jsonl.gz": "truncated gzip", "bad/empty.txt": "empty file",
                     "bad/gone.txt": "unreadable (No such file or directory)", "bad/logo.txt": "binary data"}
    lines = [name for name, _ in report.skipped if name not in map(str, map(crawl.joinpath, files))]
    assert len(lines) == len(MALFORMED_REASONS) + 1  # and the cut-off line where the gzip broke
    assert len(report.skipped) == len(set(report.skipped))
    assert [p.id for p in pages] == [p.id for p in read(crawl)[0]]

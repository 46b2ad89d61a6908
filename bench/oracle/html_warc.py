"""The HTML path on the real pages: a WARC of the same pages gives the same stories as the HTML files,
and how fast FastWARC and warcio read that WARC.

    python -m bench.oracle.html_warc [--snapshots 2026-03-01] [--work DIR]

The pages are bench/oracle/realpages.py's (the German listing pages' raw HTML, `<site>/<snapshot>__<page>.html`).
They are written once as files and once as a gzipped WARC (warcio), each response's WARC-Target-URI the
address it was fetched from (status.json), else `https://www.<site>/`, as a crawler writes it. (A file
page's address is the one it names as its own, `<link rel=canonical>` or `og:url`: gmx.net's pages
name web.de's. Either way a page's own hosts are the one it was fetched from, which a saved page's
folder names, and the one its canonical address names.) Both are indexed with the
real CLI and exported. Stories compare as (headline, text, url): page ids differ by design (a file's path,
a record's address and capture time), and so do dates of stories with no date of their own (a WARC
record's capture time dates them).
"""
from __future__ import annotations

import argparse
import io
import json
import time
from pathlib import Path
import tempfile

from bench.oracle.realpages import CORPUS, index_and_export, load_pages, pick_snapshots, write_html_pages

HTTP_DATE = "2026-03-01T00:00:00Z"  # the capture time of a page whose status.json gives none


def fetched(corpus: Path, snapshot: str, site: str, name: str) -> tuple[str, str]:
    """(address, capture time) of one page from its site's status.json, or fallbacks."""
    try:
        status = json.loads((corpus / snapshot / site / "status.json").read_text()).get(f"{name}.html") or {}
    except (OSError, ValueError):
        status = {}
    when = status.get("date") or HTTP_DATE
    return status.get("url") or f"https://www.{site}/", when[:19] + "Z" if "T" in when else HTTP_DATE


def write_warc(pages, path: Path, corpus: Path) -> int:
    """Every page as a response record of one gzipped WARC; the number written."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for page in pages:
            url, when = fetched(corpus, page.snapshot, page.site, page.name)
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(page.html.encode()),
                                                          http_headers=http, warc_headers_dict={"WARC-Date": when}))
    return len(pages)


def read_times(path: Path, rounds: int = 3) -> dict[str, float]:
    """Seconds to read every response's payload with FastWARC and with warcio, best of `rounds`, in turn."""
    from fastwarc.warc import ArchiveIterator as FastIterator, WarcRecordType
    from warcio.archiveiterator import ArchiveIterator as WarcioIterator

    def fast():
        with open(path, "rb") as stream:
            return sum(len(r.reader.read()) for r in FastIterator(stream, record_types=WarcRecordType.response))

    def slow():
        with open(path, "rb") as stream:
            return sum(len(r.content_stream().read()) for r in WarcioIterator(stream) if r.rec_type == "response")

    best = {"fastwarc": float("inf"), "warcio": float("inf")}
    for _ in range(rounds):
        for name, read in (("fastwarc", fast), ("warcio", slow)):
            started = time.perf_counter()
            read()
            best[name] = min(best[name], time.perf_counter() - started)
    return best


def essence(records: list[dict]) -> list[tuple]:
    return sorted((r["headline"], r["text"], r["url"] or "") for r in records)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snapshots", default="2026-03-01", help="comma-separated snapshot names or prefixes")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--work", type=Path, help="keep the pages, WARC and indexes here (default: a temp dir)")
    args = parser.parse_args(argv)
    picked = pick_snapshots(args.snapshots.split(","), args.corpus)
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        pages, _ = load_pages(picked, args.corpus)
        write_html_pages(pages, work / "html")
        (work / "warc").mkdir(parents=True, exist_ok=True)
        write_warc(pages, work / "warc" / "pages.warc.gz", args.corpus)
        from_files = index_and_export(work / "html", work / "index-html")
        from_warc = index_and_export(work / "warc", work / "index-warc")
        same = essence(from_files) == essence(from_warc)
        a, b = set(essence(from_files)), set(essence(from_warc))
        print(f"pages {len(pages)}: stories from the HTML files {len(from_files)}, from the WARC {len(from_warc)}; "
              f"the same (headline, text, url): {same} (only in files {len(a - b)}, only in the WARC {len(b - a)})")
        times = read_times(work / "warc" / "pages.warc.gz")
        print(f"reading the WARC ({(work / 'warc' / 'pages.warc.gz').stat().st_size >> 20} MB), best of 3: "
              + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in times.items())
              + f" (warcio / fastwarc = {times['warcio'] / times['fastwarc']:.1f})")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())

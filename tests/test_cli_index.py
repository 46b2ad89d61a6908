"""`lede index` and `lede export` run as a user runs them, over a small crawl written here."""
import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HOME = """Home | World | Business
Ferry strike called off at Westhaven
Ferry strike called off at Westhaven The ferry operators' union has called off Friday's strike after talks with the harbour board.
Mayor Ruth Okafor at the quay
Mayor opens new quay in Westhaven The new quay opened on Saturday after two years of work and a long dispute over its cost.
"""
BUSINESS = """Home | World | Business
Bank of Westhaven raises rates The Bank of Westhaven raised its main rate to 4 percent on Thursday, its third rise this year.
Ferry strike called off at Westhaven The ferry operators' union has called off Friday's strike after talks...
"""
FEED = [
    {"url": "https://valley.example/news/1", "title": "Valley", "date": "2025-03-12",
     "text": "Bank of Westhaven raises rates\nThe Bank of Westhaven raised its main rate to 4 percent on Thursday, "
             "its third rise this year."},
    {"text": 42},
]


def write_crawl(root: Path) -> Path:
    crawl = root / "crawl"
    (crawl / "courier").mkdir(parents=True)
    (crawl / "courier" / "home.txt").write_text(HOME, encoding="utf-8")
    (crawl / "courier" / "business.txt.gz").write_bytes(gzip.compress(BUSINESS.encode("cp1252")))
    (crawl / "valley").mkdir()
    (crawl / "valley" / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in FEED) + "\n")
    (crawl / "courier" / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    return crawl


def lede(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "webapp.cli", *args], capture_output=True, text=True,
                          timeout=120, env={**os.environ, **(env or {})})


def test_index_then_export_gives_each_story_once_with_all_its_pages(tmp_path):
    crawl = write_crawl(tmp_path)
    index = tmp_path / "index"
    built = lede("index", str(crawl), "--index", str(index))
    assert built.returncode == 0, built.stderr
    assert "pages read: 3" in built.stderr and "skipped: 2" in built.stderr
    assert "courier/broken.txt: binary data" in built.stderr
    assert "valley/feed.jsonl:2" in built.stderr

    exported = lede("export", "--index", str(index))
    assert exported.returncode == 0, exported.stderr
    stories = {s["headline"]: s for s in map(json.loads, exported.stdout.splitlines())}
    assert set(stories) == {"Ferry strike called off at Westhaven", "Mayor opens new quay in Westhaven",
                            "Bank of Westhaven raises rates"}
    ferry = stories["Ferry strike called off at Westhaven"]
    assert sorted(ferry["pages"]) == ["courier/business.txt.gz", "courier/home.txt"] and ferry["page_count"] == 2
    assert ferry["text"].startswith("The ferry operators' union") and ferry["text"].endswith("harbour board.")
    bank = stories["Bank of Westhaven raises rates"]
    assert sorted(bank["pages"]) == ["courier/business.txt.gz", "https://valley.example/news/1"]
    assert bank["date"] == "2025-03-12" and set(bank["sites"]) == {"courier", "valley.example"}
    assert stories["Mayor opens new quay in Westhaven"]["caption"] == "Mayor Ruth Okafor at the quay"
    for story in stories.values():
        assert {"id", "headline", "headlines", "text", "pages", "page_count"} <= set(story)


@pytest.mark.slow  # two full builds of the CLI
def test_rebuilding_the_same_crawl_gives_the_same_ids(tmp_path):
    crawl = write_crawl(tmp_path)
    ids = []
    for name in ("a", "b"):
        assert lede("index", str(crawl), "--index", str(tmp_path / name), "-q").returncode == 0
        ids.append(sorted(json.loads(line)["id"] for line in
                          lede("export", "--index", str(tmp_path / name)).stdout.splitlines()))
    assert ids[0] == ids[1] and len(ids[0]) == 3


def test_lede_index_env_var_and_python_m_indexer(tmp_path):
    crawl = write_crawl(tmp_path)
    index = tmp_path / "from-env"
    run = subprocess.run([sys.executable, "-m", "indexer", "index", str(crawl), "-q"], capture_output=True,
                         text=True, env={**os.environ, "LEDE_INDEX": str(index)}, timeout=120)
    assert run.returncode == 0, run.stderr
    assert (index / "CURRENT").exists()


def test_a_crawl_with_no_readable_page_fails_clearly_and_keeps_the_old_index(tmp_path):
    crawl = write_crawl(tmp_path)
    index = tmp_path / "index"
    assert lede("index", str(crawl), "--index", str(index), "-q").returncode == 0
    before = (index / "CURRENT").read_text()
    failed = lede("index", str(tmp_path / "nowhere"), "--index", str(index))
    assert failed.returncode != 0
    assert "no pages could be read" in failed.stderr and "no such file or directory" in failed.stderr
    assert (index / "CURRENT").read_text() == before


def test_export_without_an_index_says_how_to_build_one(tmp_path):
    run = lede("export", "--index", str(tmp_path / "none"))
    assert run.returncode == 1 and "lede index" in run.stderr


def test_the_command_imports_whoosh_nltk_and_flask_only_when_a_command_needs_them():
    # `lede index` starts loading the language model before the build's imports (indexer/cli.py),
    # which it could not if the `lede` command imported them as it starts
    probe = ("import sys, webapp.cli, indexer.language; "
             "print(sorted(m for m in ('whoosh', 'nltk', 'flask', 'indexer.build') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"

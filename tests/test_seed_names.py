"""The seed page gives its 22 stories whatever its file is called (issue 13 item 4).

The bundled sample holds the seed page as belarus-news/foreign-policy.txt. Today's segmenter takes a
file name whose words match the section title ("Belarus' foreign policy") as naming the page's
article, and showed that title as a story: 21 stories, not 22. A name is now extra evidence only: the
title line is an article's headline only when a body follows it, not teasers holding their own headlines.
"""
import json
import shutil
from pathlib import Path

import pytest

from indexer.readers import ReadReport, iter_pages
from indexer.segment import segment_page
from indexer.sitelines import CrawlStats

SAMPLE_SEED = Path(__file__).resolve().parents[1] / "indexer" / "sample" / "pages" / "belarus-news" / "foreign-policy.txt"
EXPECTED = json.loads((Path(__file__).parent / "seed_expected.json").read_text())


def segment_saved_as(tmp_path: Path, name: str) -> list:
    """The sample's seed page copied to tmp_path/belarus-news/NAME, read and segmented as a crawl of one page."""
    folder = tmp_path / "belarus-news"
    folder.mkdir()
    shutil.copy(SAMPLE_SEED, folder / name)
    [page] = iter_pages([tmp_path], ReadReport())
    stats = CrawlStats()
    stats.observe(page)
    return segment_page(page, stats)


@pytest.mark.parametrize("name", [
    "000_88e106a9136c3539.txt",
    "foreign-policy.txt",
    "index.txt",
    "belarus-foreign-policy.txt",
])
def test_seed_page_gives_22_stories_under_any_name(tmp_path, name):
    teasers = segment_saved_as(tmp_path, name)
    assert [t.headline for t in teasers] == [story["headline"] for story in EXPECTED]

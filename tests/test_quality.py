"""Quality gate: Lede over composed crawls with known truth must hold the floors in quality_floors.json.

The crawls are composed from the research corpora in ../shared/corpora (AG News, BBC News) by
bench/oracle/compose.py: "dev" with the layouts the segmenter was developed on, "heldout" with layouts
it never saw. Floors are kept in a file so that they only move up.
"""
import json
from pathlib import Path

import pytest

from bench.oracle import quality
from bench.oracle.quality_run import run
from bench.oracle.stories import DEFAULT_DATA_DIR

pytestmark = pytest.mark.slow  # composes and indexes 600-story crawls

FLOORS = json.loads((Path(__file__).parent / "quality_floors.json").read_text())
STORIES = 600


@pytest.mark.skipif(not (DEFAULT_DATA_DIR / "ag_news").exists(),
                    reason="the research corpora (../shared/corpora) are not beside this checkout")
@pytest.mark.parametrize("layouts, seed", [("dev", 3), ("heldout", 4)])
def test_quality_floors(tmp_path, layouts, seed):
    result = run(tmp_path, STORIES, layouts, seed)
    print(quality.format_table(result))
    assert quality.check_floors(result, FLOORS[layouts]) == []

"""templates/ and the sample crawl are data, not Python packages, and a plain (non-editable) install
still carries them."""
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from webapp import templates_dir

REPO = Path(__file__).resolve().parents[1]
TEMPLATES = sorted(path.name for path in (REPO / "templates").glob("*.html"))
SAMPLE = REPO / "indexer" / "sample" / "pages"
# not copied for the wheel build: setuptools builds in the source tree, so a stale build/ or egg-info
# left there by an earlier build would otherwise slip files deleted since into the wheel
NOT_SOURCE = shutil.ignore_patterns(".git", ".venv", "build", "*.egg-info", "__pycache__", "index", "out")


def test_templates_are_data_found_in_the_checkout():
    assert not (REPO / "templates" / "__init__.py").exists()
    assert Path(templates_dir()) == REPO / "templates" and "search.html" in TEMPLATES


@pytest.mark.slow
def test_a_wheel_carries_the_templates_inside_webapp(tmp_path):
    source = tmp_path / "source"
    shutil.copytree(REPO, source, ignore=NOT_SOURCE)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(source)],
                   check=True, capture_output=True)
    (wheel,) = tmp_path.glob("lede-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert sorted(n.rsplit("/", 1)[1] for n in names if n.startswith("webapp/templates/")) == TEMPLATES
    assert not any(n.startswith("templates/") for n in names)
    pages = sorted(f"indexer/sample/pages/{p.relative_to(SAMPLE).as_posix()}" for p in SAMPLE.rglob("*") if p.is_file())
    assert sorted(n for n in names if n.startswith("indexer/sample/pages/")) == pages  # every format of the sample

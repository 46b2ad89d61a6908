"""A small bundled crawl of news pages (four made-up sites, one of them saved HTML pages, and one real page), for demos and `lede serve`."""
from pathlib import Path

SAMPLE_DIR = Path(__file__).parent / "pages"

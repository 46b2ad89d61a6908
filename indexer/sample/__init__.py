"""A small bundled crawl of news pages (three made-up sites and one real page), for demos and `lede serve`."""
from pathlib import Path

SAMPLE_DIR = Path(__file__).parent / "pages"

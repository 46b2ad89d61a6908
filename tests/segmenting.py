"""Made-up pages and both segmenting passes over them, for the segmenting tests (test_segment.py,
test_article_pages.py, test_menus.py)."""
from indexer.records import Page
from indexer.segment import segment_page
from indexer.sitelines import CrawlStats

MENU = "Home | World | Business | Sport"
FOOTER = "© 2025 The Harbour Courier. All rights reserved."


def segment(*pages: Page) -> list[list]:
    """Both passes over a handful of pages: learn the crawl, then segment each page."""
    stats = CrawlStats()
    for page in pages:
        stats.observe(page)
    return [segment_page(page, stats) for page in pages]


def page(id: str, *lines: str, site: str = "courier", **kw) -> Page:
    return Page(id=id, site=site, lines=list(lines), **kw)

# the body of an article page, long paragraphs no other page prints
ARTICLE_BODY = [f"Paragraph {n} of the report runs on for a good while, telling the reader what the council "
                f"decided about the harbour and why the members argued over it for so long." for n in range(4)]

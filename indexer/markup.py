"""An HTML page becomes stories through its markup: teasers are links to articles with their block.

Reading (`page_markup`, run by the HTML and WARC readers): the parsed page gives its address
(`<link rel=canonical>`, `og:url`), its metadata (og:type, JSON-LD, published time, author) and its
blocks. A teaser's block is the largest element around a link to an article of the site that links
to no other article; its headline is the heading in or around the link (else the link's text), its
kicker the heading's lesser line, its caption a figcaption or an image's alt text, its date a
`<time datetime>`, its lede the rest of its text. An article page (og:type=article or JSON-LD
NewsArticle at an article's address, or one `<h1>` over a long body) is one block: the article.

Segmenting (`markup_teasers`, in the pipeline's per-page step): a block whose headline recurs as
navigation on the site's pages (the crawl's own statistics, `segment.is_boilerplate`) is the
site's chrome and no teaser; the others are the page's teasers, one per article.
"""
from __future__ import annotations

import json
import re
from typing import Iterator

from selectolax.lexbor import LexborHTMLParser, LexborNode

from .address import article_key, clean, host, looks_like_article, resolve
from .crawlview import Consulted, CrawlView
from .readers.files import clean_lines, one_line, parse_date
from .records import Block, Page, Teaser
from .sitelines import BOILERPLATE_MIN_PAGES, CrawlStats, boilerplate_by_count, is_boilerplate

HEADLINE_MIN_WORDS = 2  # a link's text shorter than this ("mehr", "Video") is no headline
HEADLINE_ONLY_MIN_WORDS = 4  # a teaser with no lede needs a headline this long (else: a topic, an author) ...
HEADING_ONLY_MIN_WORDS = 3  # ... or this long when a heading holds it ("KI-Projekte für Maker"; chrome: markup_teasers)
CHROME_MAX_WORDS = 3  # a link this short that recurs on the site's pages is navigation ("Hamburg", "Live-TV")
HEADLINE_MAX_WORDS = 30  # a link's text longer than this holds more than its headline
LEDE_MIN_WORDS = 4  # shorter text left in a teaser's block is a label, not a lede
MAX_BLOCK_CHARS = 1500  # a teaser's block is no larger than this much text
ARTICLE_MIN_WORDS = 150  # an article page's body has this many words in its paragraphs ...
ARTICLE_MIN_PARAGRAPHS = 3  # ... in at least this many paragraphs
PARAGRAPH_MIN_WORDS = 8  # a <p> shorter than this is no body paragraph
UNSEEN_TAGS = ["script", "style", "noscript", "svg", "template", "iframe", "object", "embed", "select", "dialog"]
UNSEEN_UNLESS_LINKED = "button"  # unseen too, unless it holds a link (a teaser wrapped in a button)
HEADINGS = "h1, h2, h3, h4, h5, h6"
METADATA_NODES = 'link[rel][href], meta[content], script[type="application/ld+json"]'  # read by `_metadata`
TEASER_PARTS = "figcaption, img[alt], time, p"  # what a teaser's block is searched for besides headings
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
INLINE_TAGS = frozenset({"b", "strong", "i", "em", "u", "mark", "small", "sub", "sup", "abbr", "q", "br"})
BLOCK_TOP_TAGS = frozenset({"body", "html", "main"})  # a teaser's block never grows to these
ARTICLE_TYPES = frozenset({"newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle",
                           "opinionnewsarticle", "blogposting", "backgroundnewsarticle", "reviewnewsarticle"})

_WORD = re.compile(r"\w+")
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([:;,.!?])")
SEPARATORS = (":", "|", "–", "—")  # a piece ending in one of these is a kicker before the headline
_MIXED = ""  # an element that holds links to two articles


def parse(text: str) -> LexborHTMLParser:
    """An HTML page's text as a tree (lexbor: fast, and as forgiving as a browser)."""
    return LexborHTMLParser(text)


def page_markup(tree: LexborHTMLParser, url: str | None, site: str) -> tuple[str | None, list[Block] | None, list[str], dict]:
    """The page's address (given, else its canonical or og:url), blocks (None when it has neither
    teasers nor an article: it is then read as text), lines of text and metadata."""
    meta = _metadata(tree, url)
    url = url or meta.get("canonical") or meta.get("og:url")
    tree.strip_tags(UNSEEN_TAGS)
    for node in tree.css(UNSEEN_UNLESS_LINKED):
        if node.css_first("a[href]") is None:
            node.decompose()
    body = tree.body
    if body is None:
        return url, None, [], meta
    base = url or (f"https://{site}/" if "." in site else None)
    named = meta.get("canonical") or meta.get("og:url")  # the address the page names as its own
    blocks = None
    if _is_article(body, url, meta):
        block = _article_block(body, url, meta)
        if block is not None and not _declared_article(url, meta):
            blocks = list(_teaser_blocks(body, base, site, named))
            if not _shaped_like_article(_body_paragraphs(block.lede.split("\n"), blocks)):
                block = None  # its long paragraphs are its teasers' ledes: a listing page
        if block is not None:
            return url, [block], _lines(body), meta
    if blocks is None:
        blocks = list(_teaser_blocks(body, base, site, named))
    if not blocks:  # no teasers and no article: the page is read as text (`segment`)
        return url, None, _lines(body), meta
    return url, blocks, _block_lines(blocks) + _chrome_lines(body, base), meta


def _text(node: LexborNode | None) -> str:
    return " ".join(node.text(separator=" ").split()) if node is not None else ""


def _words(text: str) -> int:
    return len(text.split())


# --- the page's metadata -------------------------------------------------------------------------

def _metadata(tree: LexborHTMLParser, url: str | None = None) -> dict:
    """canonical, og:url, og:type, og:title, published, author, ld_types and ld_* from JSON-LD. The
    JSON-LD is read only when the page's address (`url`, else its canonical or og:url) may be an
    article's: a home or section page is no article whatever it declares (`_is_article`)."""
    meta: dict = {}
    scripts = []
    for node in tree.css(METADATA_NODES):  # one walk of the tree for all three
        tag, attributes = node.tag, node.attributes
        if tag == "link":
            if "canonical" in (attributes.get("rel") or "").lower().split():
                meta.setdefault("canonical", resolve(None, attributes.get("href") or ""))
        elif tag == "meta":
            name = (attributes.get("property") or attributes.get("name") or "").lower()
            value = one_line(attributes.get("content"))
            if value and name in ("og:url", "og:type", "og:title", "article:published_time", "author",
                                  "date", "article:author"):
                meta.setdefault(name, value)
        else:
            scripts.append(node)
    if meta.get("og:url"):
        meta["og:url"] = resolve(None, meta["og:url"])
    meta["ld_types"] = set()
    address = url or meta.get("canonical") or meta.get("og:url")
    if address and not looks_like_article(address):
        return meta
    for node in scripts:
        try:
            data = json.loads(node.text())
        except (ValueError, RecursionError):
            continue
        for item in _ld_items(data, 0):
            types = item.get("@type")
            types = {t.lower() for t in (types if isinstance(types, list) else [types]) if isinstance(t, str)}
            meta["ld_types"] |= types
            if types & ARTICLE_TYPES:
                meta.setdefault("ld_headline", one_line(item.get("headline")))
                meta.setdefault("ld_date", item.get("datePublished"))
                meta.setdefault("ld_author", _author(item.get("author")))
    return meta


def _ld_items(data, depth: int) -> Iterator[dict]:
    """The objects of a JSON-LD document, in @graph and lists too (two levels down)."""
    if depth > 2:
        return
    if isinstance(data, list):
        for item in data:
            yield from _ld_items(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _ld_items(data["@graph"], depth + 1)


def _author(value) -> str:
    if isinstance(value, list):
        return ", ".join(filter(None, (_author(v) for v in value[:5])))
    if isinstance(value, dict):
        value = value.get("name")
    return one_line(value) or ""


# --- article pages -------------------------------------------------------------------------------

def _is_article(body: LexborNode, url: str | None, meta: dict) -> bool:
    """The page is one article: its metadata says so and its address is an article's, or one
    <h1> stands over a long body."""
    if url and not looks_like_article(url):
        return False  # a home or section page, whatever its metadata says
    if _declared_article(url, meta):
        return True
    return len(body.css("h1")) == 1 and _shaped_like_article(_paragraphs(body))


def _declared_article(url: str | None, meta: dict) -> bool:
    """The page's metadata says it is an article (og:type or JSON-LD), at an address of its own."""
    return bool(url) and (meta.get("og:type", "").lower() == "article" or bool(meta["ld_types"] & ARTICLE_TYPES))


def _shaped_like_article(paragraphs: list[str]) -> bool:
    """Body paragraphs long and many enough for an article."""
    return len(paragraphs) >= ARTICLE_MIN_PARAGRAPHS and sum(map(_words, paragraphs)) >= ARTICLE_MIN_WORDS


def _body_paragraphs(paragraphs: list[str], blocks: list[Block]) -> list[str]:
    """The paragraphs that are no teaser's lede: a hub page (one <h1> over many teasers with ledes)
    has none left, an article with a box of related teasers keeps its body."""
    ledes = "\n".join(block.lede for block in blocks)
    return [p for p in paragraphs if p not in ledes]


def _paragraphs(root: LexborNode) -> list[str]:
    """The body paragraphs (<p> of some length, outside links) under an element."""
    out = []
    for node in root.css("p"):
        text = _text(node)
        if _words(text) >= PARAGRAPH_MIN_WORDS and not _inside(node, "a"):
            out.append(text)
    return out


def _inside(node: LexborNode, tag: str) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag == tag:
            return True
        parent = parent.parent
    return False


def _article_block(body: LexborNode, url: str | None, meta: dict) -> Block | None:
    """The page's article: headline, main-content body, date and author from its metadata."""
    h1 = _text(body.css_first("h1"))
    headline = h1 or meta.get("ld_headline") or meta.get("og:title") or ""
    main = body.css_first("article") or body.css_first("main") or body
    paragraphs = _paragraphs(main) or _paragraphs(body)
    if not headline or not paragraphs:
        return None
    date = parse_date(meta.get("ld_date")) or parse_date(meta.get("article:published_time")) or parse_date(meta.get("date"))
    author = next((name for name in (meta.get(key) for key in ("ld_author", "author", "article:author"))
                   if name and "://" not in name), "")  # (article:author is often a profile's address)
    return Block("article", url or "", headline, lede="\n".join(paragraphs), date=date, author=author,
                 from_heading=bool(h1))


def _lines(body: LexborNode) -> list[str]:
    return clean_lines(body.text(separator="\n"))


# --- teasers on listing pages --------------------------------------------------------------------

def _article_links(body: LexborNode, base: str | None, site: str,
                   named: str | None = None) -> list[tuple[LexborNode, str, str]]:
    """(link, address, key) of every link to an article of the page's own site (its host, "www." or
    not: a shop., jobs. or sister site's host is another site), in page order. Its own hosts are the
    one it was fetched from (a WARC record's address; for a saved page, the folder named for a host
    it is under) and the one of the address it `named` as its own (its canonical): a portal whose
    pages name a sister portal's address links to its own articles all the same."""
    own = {host(base) or site, host(named) or host(base) or site}
    if "." in site:
        own.add(site.lower().removeprefix("www."))
    out = []
    seen: dict[str, tuple[str, str] | None] = {}  # href -> (address, key), None when no article's
    for node in body.css("a[href]"):
        href = node.attributes.get("href") or ""
        if href not in seen:
            seen[href] = _article_link(href, base, own, site)
        if seen[href] is not None:
            out.append((node, *seen[href]))
    return out


def _article_link(href: str, base: str | None, own: set[str], site: str) -> tuple[str, str] | None:
    """(address, key) of a link to an article of the page's own hosts, or None."""
    url = resolve(base or "http://site.invalid/", href)
    if url is None:
        return None
    name = host(url) or ""
    if base is None:
        if name != "site.invalid":
            return None
        url = url.split("site.invalid", 1)[1]
    elif name not in own:
        return None
    if not looks_like_article(url):
        return None
    return clean(url), (site + url) if base is None else article_key(url)


def _teaser_blocks(body: LexborNode, base: str | None, site: str, named: str | None = None) -> Iterator[Block]:
    """One block per article the page links to, in page order (the fullest of its blocks)."""
    links = _article_links(body, base, site, named)
    owner: dict[int, str] = {}  # element -> the one article linked under it, or _MIXED
    for node, _, key in links:
        parent = node.parent
        while parent is not None:
            held = owner.get(parent.mem_id)
            if held == key or held == _MIXED:
                break
            owner[parent.mem_id] = key if held is None else _MIXED
            parent = parent.parent
    by_key: dict[str, list[LexborNode]] = {}
    for node, _, key in links:
        by_key.setdefault(key, []).append(node)
    best: dict[str, Block] = {}
    done: set[int] = set()
    for node, url, key in links:
        block = _block_of(node, key, owner)
        if block.mem_id in done:
            continue
        done.add(block.mem_id)
        found = _teaser(block, url, [a for a in by_key[key] if _within(a, block)])
        if found is None:
            continue
        held = best.get(key)
        if held is None:
            best[key] = found
        elif _fullness(found) > _fullness(held):
            found.caption = found.caption or held.caption
            found.date = found.date or held.date
            best[key] = found
        else:
            held.caption = held.caption or found.caption
            held.date = held.date or found.date
            held.lede = held.lede or found.lede
    yield from best.values()


def _fullness(block: Block) -> tuple:
    return (block.from_heading, bool(block.lede), len(block.headline))


def _block_of(link: LexborNode, key: str, owner: dict[int, str]) -> LexborNode:
    """The largest element around the link that links to no other article (and is not too large)."""
    block, node = link, link.parent
    while node is not None and node.tag not in BLOCK_TOP_TAGS and owner.get(node.mem_id) == key:
        if len(node.text()) > MAX_BLOCK_CHARS:
            break
        block, node = node, node.parent
    return block


def _within(node: LexborNode, block: LexborNode) -> bool:
    while node is not None:
        if node.mem_id == block.mem_id:
            return True
        node = node.parent
    return False


def _teaser(block: LexborNode, url: str, own: list[LexborNode]) -> Block | None:
    """The teaser a block holds (`own` are its links to the article): headline, kicker, lede,
    caption, date; None when it has no headline."""
    headings = _headings(block, own)
    kicker, headline = _kicker_and_headline(headings)
    if not headline:
        texts = [_text(a) or one_line(a.attributes.get("title")) or "" for a in own]
        texts = [t for t in texts if HEADLINE_MIN_WORDS <= _words(t) <= HEADLINE_MAX_WORDS]
        headline = max(texts, key=len, default="")
    if _words(headline) < HEADLINE_MIN_WORDS:
        return None
    figcaptions, images, times, paragraphs = [], [], [], []
    for node in block.css(TEASER_PARTS):  # one query for all of them, in page order
        {"figcaption": figcaptions, "img": images, "time": times, "p": paragraphs}[node.tag].append(node)
    captions = [_text(n) for n in figcaptions]
    said = {word for text in [headline, *captions] for word in _WORD.findall(text.lower())}
    captions += [alt for n in images if (alt := one_line(n.attributes.get("alt")))
                 and _words(alt) >= HEADLINE_MIN_WORDS  # an alt text saying nothing new is left out
                 and not set(_WORD.findall(alt.lower())) <= said]
    time = next((n for n in times if "datetime" in n.attributes), None)
    date = parse_date(time.attributes.get("datetime")) if time is not None else None
    lede = _lede(block, [headline, kicker, *captions], paragraphs, times[0] if times else None, own)
    if not lede and _words(headline) < (HEADING_ONLY_MIN_WORDS if headings else HEADLINE_ONLY_MIN_WORDS):
        return None
    return Block("teaser", url, headline, kicker=kicker, lede=lede, caption=" ".join(dict.fromkeys(captions)),
                 date=date, from_heading=bool(headings))


def _headings(block: LexborNode, own: list[LexborNode]) -> list[LexborNode]:
    """The heading around one of the article's links, else the headings inside them, else the
    block's headings when no link has a headline's text of its own (an image, "more"); but in a
    <nav> (a breadcrumb's "Politik" beside the page's <h1>), an <h1> is the page's title, not the link's."""
    for link in own:
        parent = link.parent
        while parent is not None and parent.mem_id != block.mem_id:
            if parent.tag in HEADING_TAGS:
                return [parent]
            parent = parent.parent
    if block.tag in HEADING_TAGS:
        return [block]
    for link in own:
        inner = link.css(HEADINGS)
        if inner:
            return inner
    if any(_words(_text(link)) >= HEADLINE_ONLY_MIN_WORDS for link in own):
        return []  # the link's own text is the headline; a heading beside it is another's
    return [heading for heading in block.css(HEADINGS) if not (heading.tag == "h1" and _inside(heading, "nav"))]


def _kicker_and_headline(headings: list[LexborNode]) -> tuple[str, str]:
    """The kicker and headline of a teaser's headings. Pieces joined by a separator of their own
    ("Kicker: Headline", the colon in a span) are one headline; else, of the separate pieces
    (headings, spans), the one with the most words is the headline (the later one on a tie) and
    those before it the kicker."""
    pieces = [p for heading in headings for p in _pieces(heading) if p]
    if not pieces:
        return "", ""
    if len(pieces) > 1 and any(not _WORD.search(p) or p.endswith(SEPARATORS) for p in pieces[:-1]):
        return "", _tidy(" ".join(pieces))
    pieces = [p for p in pieces if _WORD.search(p)]
    longest = max(range(len(pieces)), key=lambda n: (len(_WORD.findall(pieces[n])), n))
    return " ".join(pieces[:longest]), pieces[longest]


def _tidy(text: str) -> str:
    """Text joined from pieces without a space before punctuation ("Kicker : Headline")."""
    return _SPACE_BEFORE_PUNCTUATION.sub(r"\1", " ".join(text.split()))


def _pieces(heading: LexborNode) -> list[str]:
    """A heading's text in its separate pieces: the spans or lines it is made of (inline markup
    such as <b> does not separate)."""
    node = heading
    while True:
        children = [c for c in node.iter(include_text=True) if c.tag not in INLINE_TAGS and _text(c)]
        if len(children) == 1 and children[0].tag != "-text":
            node = children[0]
            continue
        break
    if len(children) < 2 or any(c.tag == "-text" and any(ch.isalnum() for ch in _text(c)) for c in children):
        return [_text(heading)]
    return [_text(c) for c in children]


def _lede(block: LexborNode, known: list[str], paragraphs: list[LexborNode], time: LexborNode | None,
          own: list[LexborNode]) -> str:
    """The block's text besides its headline, kicker, captions and date (its first <time>), when it
    is long enough: its paragraphs, else its text outside links to other pages (a menu's, a tag's)."""
    if paragraphs:
        text = " ".join(_text(node) for node in paragraphs)
    else:
        text = _tidy(_text(block))
        ours = {link.mem_id for link in own}
        others = [t for link in block.css("a") if link.mem_id not in ours and (t := _text(link))]
        for part in sorted(filter(None, known + others), key=len, reverse=True):
            text = text.replace(part, " ", 1)
        if time is not None and _text(time):
            text = text.replace(_text(time), " ", 1)
        text = " ".join(text.split())
    text = text.strip()
    return text if _words(text) >= LEDE_MIN_WORDS and text not in known else ""


def _block_lines(blocks: list[Block]) -> list[str]:
    """A listing page's text as lines: each teaser's kicker, headline and lede."""
    lines: list[str] = []
    for block in blocks:
        lines.extend(part for part in (block.kicker, block.headline, block.lede) if part)
    return lines


def _chrome_lines(body: LexborNode, base: str | None) -> list[str]:
    """The texts of the page's short links (sections, menus, services): what the crawl's statistics
    count to learn the site's chrome."""
    lines = []
    for node in body.css("a[href]"):
        text = _text(node)
        if text and _words(text) <= CHROME_MAX_WORDS:
            lines.append(text)
    return lines


# --- segmenting: blocks become teasers -----------------------------------------------------------

def markup_teasers(page: Page, stats: CrawlStats, record: Consulted | None = None) -> list[Teaser]:
    """The page's teasers from its blocks; a block whose short headline recurs on the site's pages
    is its chrome (navigation that happens to link to an article-like address) and none. A longer
    headline that recurs is a story in a box on every page ("most read"), and stays. What it reads
    of the statistics goes to `record` (for `--update`, as segmenting a text page does)."""
    crawl = CrawlView(stats, page.site, record)
    teasers = []
    for block in page.blocks or []:
        article = block.role == "article"
        if not article and _words(block.headline) <= CHROME_MAX_WORDS and _is_chrome(block, crawl):
            continue
        text = block.lede
        teasers.append(Teaser(
            headline=block.headline, text=text, page=page.id, site=page.site, caption=block.caption,
            headlines=[block.headline], date=block.date or page.date, url=block.url or None,
            article=article, headline_from="line",
            page_url=page.url, kicker=block.kicker, author=block.author))
    return teasers


def _is_chrome(block: Block, crawl: CrawlView) -> bool:
    """Whether a teaser with a short headline is the site's chrome: navigation when it has no lede
    and its headline recurs on the site's pages (`segment.is_boilerplate`); a fixed box (a service,
    an advert, a login) when, lede and all, its headline is on most of them (a story recurs on a few)."""
    if not block.lede:
        return is_boilerplate(block.headline, crawl)
    if crawl.site_pages < BOILERPLATE_MIN_PAGES:
        return False
    return boilerplate_by_count(crawl.pages_with_line(block.headline), crawl.site_pages)[1]

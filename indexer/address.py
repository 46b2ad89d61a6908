"""Web addresses: resolving a page's links, the key that makes two addresses of one article equal,
and whether an address looks like an article's (rather than a section's, a tag's or the home page)."""
from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit, urlunsplit

from courlan import normalize_url

ARTICLE_SLUG_WORDS = 4  # an article's last path segment has this many words ("merz-trifft-macron-in-paris") ...
DATED_SLUG_WORDS = 3  # ... or this many under a year in its path ("/2026-02/merz-trifft-macron") ...
ARTICLE_ID_DIGITS = 5  # ... or an id of this many digits ("id_91678544", "-17757000.html")
ARTICLE_HEX_ID = 8  # ... or a hex id this long ("a-f722bed7-b4cb-...")
SHORT_SUFFIX_LABEL = 3  # "co.uk", "com.au": a registrable domain then has three labels
WEB_SCHEMES = ("http", "https")

_WORD_SPLIT = re.compile(r"[-_+.,]+")
_DIGITS = re.compile(r"\d{%d,}" % ARTICLE_ID_DIGITS)
_HEX = re.compile(r"(?<![0-9a-z])[0-9a-f]{%d,}(?![0-9a-z])" % ARTICLE_HEX_ID)
_HOST_START = re.compile(r"https?://[^/?#\s:@]")  # an address that names a host
_YEAR = re.compile(r"/(?:19|20)\d\d(?:[-/]|$)")
_EXTENSION = re.compile(r"\.(?:s?html?|php|aspx?|jsp)$", re.I)
_PLAIN = re.compile(r"https?://([^/?#@:\[\]]*)(/[^?#]*)?$", re.I)  # an address with no port, user, query or fragment
_PATH = re.compile(r"(?:[a-z][a-z0-9+.-]*://[^/?#]*)?([^?#]*)", re.I)  # an address's path, absolute or not


def resolve(base: str | None, href: str) -> str | None:
    """A link's absolute http(s) address on a page at `base`, or None (mailto:, javascript:, a fragment,
    or a relative link on a page whose address is unknown)."""
    href = href.strip()
    if not href or href.startswith("#"):
        return None
    if href.startswith(("https://", "http://")) or (href.startswith("/") and not href.startswith("//") and base):
        url = href if href[0] != "/" else origin(base) + href  # (most links: no joining, no parsing)
        return url if _HOST_START.match(url) else None
    else:
        try:
            url = urljoin(base, href) if base else href
        except ValueError:
            return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in WEB_SCHEMES or not parts.hostname:
        return None
    return url


def origin(url: str) -> str:
    """"https://host:port" of an absolute address."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0].split('?', 1)[0].split('#', 1)[0]}"


def host(url: str | None) -> str | None:
    """An address's host, lowercased and without "www.", or None."""
    if url and url.startswith(("https://", "http://")) and "@" not in url and "[" not in url:
        name = url.split("://", 1)[1].split("/", 1)[0].split("?", 1)[0].split("#", 1)[0].split(":", 1)[0].lower()
        return name.removeprefix("www.") or None
    try:
        name = urlsplit(url).hostname if url else None
    except ValueError:
        return None
    return name.removeprefix("www.") if name else None


def domain(name: str) -> str:
    """The registrable part of a host: "sport.example.co.uk" -> "example.co.uk"."""
    labels = name.split(".")
    keep = 3 if len(labels) >= 3 and len(labels[-2]) <= SHORT_SUFFIX_LABEL and len(labels[-1]) == 2 else 2
    return ".".join(labels[-keep:])


def clean(url: str) -> str:
    """An address without its fragment and tracking parameters (utm_* and the like), as stored."""
    if "?" in url:
        try:
            url = normalize_url(url, strict=True)
        except (ValueError, AttributeError):
            pass
    return url.split("#", 1)[0]


def article_key(url: str) -> str:
    """The address as a key: two addresses of one article give the same key (scheme, "www.",
    tracking parameters such as utm_*, the fragment and a trailing slash do not count)."""
    plain = _PLAIN.match(url)
    if plain:  # (most article addresses: no parsing)
        return plain.group(1).lower().removeprefix("www.") + ((plain.group(2) or "").rstrip("/") or "/")
    if "?" in url:
        try:
            url = normalize_url(url, strict=True)  # courlan drops tracking parameters and sorts the rest
        except (ValueError, AttributeError):
            pass
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    name = (parts.hostname or "").removeprefix("www.")
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("", name, path, parts.query, ""))[2:]


def looks_like_article(url: str) -> bool:
    """Whether an address names one article: one of its last two path segments is a slug of a few
    words, or it carries a long numeric or hex id; a section ("/politik/"), a tag or the home page does not."""
    path = _PATH.match(url).group(1)
    segments = [s for s in path.split("/") if s]
    if not segments:
        return False
    last = _EXTENSION.sub("", segments[-1]).lower()
    if _DIGITS.search(path) or _HEX.search(last):
        return True
    words = max(len([w for w in _WORD_SPLIT.split(_EXTENSION.sub("", s)) if w]) for s in segments[-2:])
    return words >= ARTICLE_SLUG_WORDS or (words >= DATED_SLUG_WORDS and bool(_YEAR.search(path)))


def is_web_address(url: str | None) -> bool:
    """Whether a stored address may be linked to: http or https only."""
    try:
        return bool(url) and urlsplit(url).scheme.lower() in WEB_SCHEMES
    except ValueError:
        return False

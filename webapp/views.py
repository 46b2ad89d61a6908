"""The routes: each HTML page and its JSON twin call the same search function and render the same data."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from . import facets as fc
from indexer.address import host, is_web_address

from . import live, search
from .chart import make_chart

bp = Blueprint("lede", __name__)

MAX_PAGE_LINKS = 3  # page links shown under a hit; the story page lists them all
# request parameter -> search() argument, for the filters a link carries on
FILTER_PARAMS = {"site": "site", "language": "language", "from": "first", "to": "last"}

SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; script-src 'self'; style-src 'self'; "
                                "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def index() -> live.IndexHolder:
    """The app's live index (opened once per process, see live.IndexHolder)."""
    return current_app.extensions["lede_index"]


def search_args() -> dict:
    """The search parameters of the request, typed; search.search validates them."""
    args = {
        "q": request.args.get("q", ""),
        "page": whole_number(request.args.get("page"), "page", 1),
        "per_page": whole_number(request.args.get("per_page"), "per_page", search.DEFAULT_PER_PAGE),
        "sort": request.args.get("sort", "relevance"),
        "facets": facet_names(request.args.get("facets")),
        "timeline": flag(request.args.get("timeline"), "timeline"),
    }
    args.update({name: request.args.get(param, "") for param, name in FILTER_PARAMS.items()})
    return args


def facet_names(value: str | None) -> list[str] | None:
    """`facets=site,language` as a list; `none` for no facets; None (all of them) when absent."""
    if value is None:
        return None
    return [] if value.strip() == "none" else [v.strip() for v in value.split(",") if v.strip()]


def whole_number(value: str | None, name: str, default: int) -> int:
    """A whole-number parameter (absent or empty: the default), or a 400 saying what it takes (Flask's
    `type=int` would quietly give the default for `page=abc`)."""
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise search.QueryError(f"{name} must be a whole number, not {value!r}") from None


def flag(value: str | None, name: str) -> bool:
    """A 1/0 parameter (absent is 1), or a 400 saying what it takes."""
    if value in (None, "", "1"):
        return True
    if value == "0":
        return False
    raise search.QueryError(f"{name} must be 1 or 0, not {value!r}")


@bp.route("/api/search")
def api_search():
    return jsonify(search.search(index(), **search_args()))


@bp.route("/")
def search_page():
    args = search_args()
    if not args["q"].strip():
        return render_template("search.html", q="", data=None)
    data = search.search(index(), **args)
    return render_template("search.html", q=args["q"], data=data, **page_values(data, args))


def page_values(data: dict, args: dict) -> dict:
    """Finished values for the search template: counts and the URLs of every link on the page."""
    params = {"q": data["query"]}
    if args["per_page"] != search.DEFAULT_PER_PAGE:
        params["per_page"] = args["per_page"]
    if args["sort"] != "relevance":
        params["sort"] = args["sort"]
    params.update({param: args[name] for param, name in FILTER_PARAMS.items() if args[name]})
    pages = search.page_count(data["total"], data["per_page"])
    page = data["page"]
    for hit in data["results"]:
        hit["story_url"] = url_for(".story_page", story_id=hit["id"], q=data["query"])
        hit["article"] = article_link(hit["url"])
        hit["links"] = page_links(hit["pages"][:MAX_PAGE_LINKS], hit["page_urls"])
        hit["more_pages"] = max(0, len(hit["pages"]) - MAX_PAGE_LINKS)
    sort_params = {k: v for k, v in params.items() if k != "sort"}
    return {
        "pages": pages,
        "first": (page - 1) * data["per_page"] + 1,
        "last": (page - 1) * data["per_page"] + len(data["results"]),
        "prev_url": url_for(".search_page", **params, page=page - 1) if page > 1 else None,
        "next_url": url_for(".search_page", **params, page=page + 1) if page < pages else None,
        "json_url": url_for(".api_search", **params, page=page),
        "suggestion_url": (url_for(".search_page", **{**params, "q": data["suggestion"]})
                           if data["suggestion"] else None),
        "sort": args["sort"],
        "sort_urls": {"relevance": url_for(".search_page", **sort_params),
                      "date": url_for(".search_page", **sort_params, sort="date")},
        **filter_values(data, params),
    }


def filter_values(data: dict, params: dict) -> dict:
    """The facet lists, the active filters and the timeline chart, each link a finished URL."""
    def link(**change) -> str:
        return url_for(".search_page", **{k: v for k, v in {**params, **change}.items() if v})

    facet_lists = []
    for name, counts in (data["facets"] or {}).items():
        if counts:
            facet_lists.append({"name": name, "values": [
                {**c, "url": link(**{name: c["value"]}), "active": c["value"] == data.get(name)}
                for c in counts]})
    active = [{"label": f"{param}: {params[param]}", "remove_url": link(**{param: None})}
              for param in FILTER_PARAMS if params.get(param)]
    chart = make_chart(data["timeline"] or [])
    if chart is not None:
        for bar in chart.bars:
            # a week or month may start before the date filter, or end after it: the bar's link stays inside
            first, last = max(bar.start, data["from"] or ""), fc.last_day({"end": bar.end})
            bar.url = link(**{"from": first, "to": min(last, data["to"] or last)})
    return {"facet_lists": facet_lists, "facet_top": fc.FACET_TOP, "active_filters": active,
            "chart": chart}


def page_links(pages: list[str], page_urls: list[str] | None = None) -> list[dict]:
    """Each page as a label and, for http(s) addresses only, an href: the page's own address when
    known, else its id when that is one (relative paths stay text)."""
    urls = page_urls or []
    links = []
    for n, page in enumerate(pages):
        address = urls[n] if n < len(urls) and urls[n] else page
        links.append({"label": page, "href": address if is_web_address(address) else None})
    return links


def article_link(url: str | None) -> dict | None:
    """The story's article as a link (its host as the label), for http(s) addresses only."""
    if not is_web_address(url):
        return None
    return {"href": url, "host": host(url) or url}


def dated_page_links(story: dict) -> list[dict]:
    """The story's pages as page_links, each with its date, oldest first (undated ones last)."""
    dates = story.get("page_dates") or []
    links = [dict(link, date=dates[n] if n < len(dates) else None)
             for n, link in enumerate(page_links(story["pages"], story["page_urls"]))]
    return sorted(links, key=lambda link: (link["date"] is None, link["date"] or ""))


@bp.route("/api/story/<story_id>")
def api_story(story_id: str):
    story = search.get_story(index(), story_id)
    if story is None:
        abort(404, description=f"no story with id {story_id!r}")
    return jsonify({k: v for k, v in story.items() if not k.endswith("_html")})


@bp.route("/story/<story_id>")
def story_page(story_id: str):
    q = request.args.get("q", "")
    story = search.get_story(index(), story_id, q=q)
    if story is None:
        abort(404, description=f"no story with id {story_id!r}")
    return render_template("story.html", q=q, story=story, links=dated_page_links(story),
                           article=article_link(story["url"]),
                           site_urls=[{"site": s, "url": url_for(".search_page", q=q or story["headline"], site=s)}
                                      for s in story["sites"]],
                           back_url=url_for(".search_page", q=q) if q.strip() else None,
                           json_url=url_for(".api_story", story_id=story_id))


@bp.route("/favicon.ico")
def favicon():
    return "", 204  # browsers ask for one; there is none


def error_body(status: int, message: str) -> dict:
    """The one shape of every JSON error."""
    return {"error": {"status": status, "message": message}}


def error_response(status: int, message: str):
    if request.path.startswith("/api/"):
        return jsonify(error_body(status, message)), status
    return render_template("error.html", status=status, message=message,
                           q=request.args.get("q", "")), status


@bp.app_errorhandler(search.QueryError)
def bad_query(exc: search.QueryError):
    return error_response(exc.status, str(exc))


@bp.app_errorhandler(search.IndexMissing)
def no_index(exc: search.IndexMissing):
    return error_response(503, str(exc))


@bp.app_errorhandler(HTTPException)
def http_error(exc: HTTPException):
    return error_response(exc.code or 500, exc.description or exc.name)


@bp.after_app_request
def security_headers(response):
    response.headers.update(SECURITY_HEADERS)
    return response

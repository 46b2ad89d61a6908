"""The `lede` command: serve the web app, search from the terminal, and the indexer's commands."""
from __future__ import annotations

import html
import json
import os
import re
import socket
from pathlib import Path

import click

from indexer.workers import cores

from .limits import DEFAULT_PER_PAGE, MAX_PER_PAGE, SORTS

# Whoosh, NLTK, Flask and the search code are imported by the commands that need them, not here:
# `lede index` starts loading the language model before its imports (`indexer.cli`).
try:
    from indexer.cli import cli as indexer_cli
except ModuleNotFoundError as exc:  # the indexer's commands are optional until indexer.cli exists
    if exc.name != "indexer.cli":
        raise
    indexer_cli = None

DEFAULT_INDEX = os.environ.get("LEDE_INDEX", "index")
MAX_SERVER_WORKERS = 4
QUERY_HINT = ('Hint: words are ANDed; use OR, NOT, -word, (groups), "exact phrases", word*, '
              'headline: and site:. Put odd characters inside "quotes".')

index_option = click.option(
    "--index", "index_dir", default=DEFAULT_INDEX, show_default=True,
    type=click.Path(file_okay=False, path_type=Path), help="Index directory (env LEDE_INDEX).")


@click.group()
@click.version_option(package_name="lede")
def cli():
    """Lede: full-text search over crawled news pages, each story once."""


if indexer_cli is not None:
    for name, cmd in indexer_cli.commands.items():
        cli.add_command(cmd, name)


def default_workers() -> int:
    """One server process a core, at most MAX_SERVER_WORKERS (each holds its own open index)."""
    return min(cores(), MAX_SERVER_WORKERS)


@cli.command()
@index_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=None, type=click.IntRange(1, 64),
              help=f"Server processes [default: one a core, at most {MAX_SERVER_WORKERS}].")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 256),
              help="Request threads in each process.")
def serve(index_dir: Path, host: str, port: int, workers: int | None, threads: int):
    """Serve the search page and JSON API with gunicorn (builds the sample index if there is none)."""
    from indexer.build import current_generation

    from .server import Server

    if current_generation(index_dir) is None:
        from indexer.pipeline import build_index
        from indexer.sample import SAMPLE_DIR
        click.echo(f"No index in {index_dir}: building one from the sample crawl in {SAMPLE_DIR}",
                   err=True)
        build_index([Path(SAMPLE_DIR)], index_dir)
    check_port_free(host, port)
    workers = workers or default_workers()
    click.echo(f"Serving {index_dir} on http://{host}:{port}/ with {workers} process(es) "
               f"(Ctrl-C to stop)", err=True)
    Server(index_dir, host, port, workers, threads).run()


def check_port_free(host: str, port: int) -> None:
    """Say plainly when the port is taken (gunicorn would retry for five seconds, then give up)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise click.ClickException(f"cannot listen on {host}: {exc.strerror}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn binds
        try:
            probe.bind(address)
        except OSError as exc:
            raise click.ClickException(
                f"cannot listen on {host}:{port} ({exc.strerror}): is another server running there? "
                f"Stop it or choose another --port") from None


@cli.command("search")
@click.argument("query")
@index_option
@click.option("--limit", default=DEFAULT_PER_PAGE, show_default=True, type=int,
              help=f"Results per page (at most {MAX_PER_PAGE}).")
@click.option("--page", default=1, show_default=True, type=int)
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True)
@click.option("--site", default=None, help="Only stories from this site.")
@click.option("--language", default=None, help="Only stories in this language.")
@click.option("--from", "first", default=None, metavar="YYYY-MM-DD", help="Only stories of this day or later.")
@click.option("--to", "last", default=None, metavar="YYYY-MM-DD", help="Only stories of this day or earlier.")
@click.option("--json", "as_json", is_flag=True, help="Print the JSON API's response.")
def search_command(query: str, index_dir: Path, limit: int, page: int, sort: str,
                   site: str | None, language: str | None, first: str | None, last: str | None,
                   as_json: bool):
    """Search the index: highlighted results, or --json for the API's JSON (with facets and timeline)."""
    from . import search as searching

    holder = searching.IndexHolder(index_dir)
    try:
        data = searching.search(holder, query, page=page, per_page=limit, sort=sort, site=site,
                                language=language, first=first, last=last)
    except searching.QueryError as exc:
        raise click.ClickException(f"{exc}\n{QUERY_HINT}") from None
    except searching.IndexMissing as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        holder.close()
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    pages = searching.page_count(data["total"], data["per_page"])
    noun = "story" if data["total"] == 1 else "stories"
    click.echo(f"{data['total']} {noun} for {query!r} · page {data['page']} of {pages} "
               f"· {data['took_ms']} ms")
    if data["suggestion"]:
        click.echo(f"Did you mean: {data['suggestion']}")
    for name, counts in (data["facets"] or {}).items():
        if counts:
            click.echo(f"{name}: " + " · ".join(f"{c['value']} {c['count']}" for c in counts[:10]))
    first = (data["page"] - 1) * data["per_page"]
    for n, hit in enumerate(data["results"], start=first + 1):
        click.echo()
        click.echo(f"{n}. {terminal(hit['headline'])}")
        click.echo(f"   {terminal(hit['snippet'])}")
        meta = [hit["date"], hit["site"], f"{hit['page_count']} page(s)", f"id {hit['id']}"]
        click.echo(click.style("   " + " · ".join(m for m in meta if m), dim=True))


def terminal(marked: str) -> str:
    """Highlighted HTML as terminal text: <mark>ed words bold (click strips styles off a TTY)."""
    parts = re.split(r"<mark>(.*?)</mark>", str(marked))
    return "".join(click.style(html.unescape(p), bold=True) if i % 2 else html.unescape(p)
                   for i, p in enumerate(parts))


if __name__ == "__main__":
    cli()

"""The indexer's commands: `lede index` builds the index, `lede export` writes its stories as JSON lines.

Whoosh, NLTK and the build's modules are imported by the command that runs, not with this module:
`lede index` first starts loading the language detector's model in a thread (LZMA decompression,
off the GIL), so that it loads on another core while the build's imports run here. When the build is
done, the objects left are frozen out of the garbage collector's reach (`gc.freeze`, at exit): Python's
teardown then frees them without first walking them all for cycles, which took 0.2-0.5 s after a
1,000-page build, most of it over NLTK's and Whoosh's modules (0.34 -> 0.10 s, median of three, from
the last exit handler to the end of the process).
"""
from __future__ import annotations

import atexit
import gc
import json
import os
import sys
from pathlib import Path

import click

DEFAULT_INDEX = "index"


def index_dir_option(func):
    """The --index option shared by every command (default $LEDE_INDEX or ./index)."""
    return click.option("--index", "index_dir", type=click.Path(file_okay=False, path_type=Path),
                        default=lambda: os.environ.get("LEDE_INDEX", DEFAULT_INDEX), show_default="./index",
                        help="Index directory (or set LEDE_INDEX).")(func)


@click.group()
def cli() -> None:
    """Lede: full-text search for crawled news pages."""


@cli.command("index")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@index_dir_option
@click.option("--update", is_flag=True,
              help="Write only the stories that are new, changed or gone since the live index.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
def index_command(paths: tuple[Path, ...], index_dir: Path, update: bool, quiet: bool) -> None:
    """Build the index from crawled pages: folders, .txt, .jsonl (optionally .gz)."""
    from .language import preload

    preload()  # before the imports below: the model loads beside them
    from .generations import BuildLocked
    from .pipeline import CrawlChanged, EmptyCrawl, WorkerFailed, build_index

    try:
        summary = build_index(paths, index_dir, progress=not quiet, update=update)
    except BuildLocked as exc:
        raise click.ClickException(f"{exc}; wait for it to finish, then run this again") from None
    except EmptyCrawl as exc:
        for line in exc.summary.lines():
            click.echo(line, err=True)
        raise click.ClickException("no pages could be read from " + ", ".join(map(str, paths))
                                   + "; the index was left as it was") from None
    except (WorkerFailed, CrawlChanged) as exc:
        raise click.ClickException(f"{exc}; the index was left as it was") from None
    if not quiet:
        for line in summary.lines():
            click.echo(line, err=True)
    atexit.register(gc.freeze)


@cli.command("export")
@index_dir_option
def export_command(index_dir: Path) -> None:
    """Write every story of the index as one JSON line."""
    from .build import IndexMissing, iter_stories

    try:
        for story in iter_stories(index_dir):
            sys.stdout.write(json.dumps(story, ensure_ascii=False) + "\n")
    except IndexMissing as exc:
        raise click.ClickException(str(exc)) from None

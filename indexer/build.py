"""Stories in, Whoosh index out: each build writes a new generation (`generations`) and swaps it in.

`write_index` writes the stories into a new generation with Whoosh's writer processes
(`whoosh_internals`), keeps beside it what the server reads in bulk (facet columns, the bulk arrays,
the spelling vocabulary, each story's signature for updates) and makes it the live one.
"""
from __future__ import annotations

import re
import hashlib
import json
import os
import shutil
import time
from contextlib import nullcontext
from pathlib import Path
from collections import Counter
from typing import Iterable, Iterator

from whoosh import index as whoosh_index

from .whoosh_internals import bulk
from .analysis import DEFAULT_LANGUAGE, SCHEMA_VERSION, fields_of, fold_token, make_schema
from .columns import write_columns
from .generations import (GEN_PREFIX, META, build_lock, current_generation, fsync_dir, read_meta,
                          remove_stale_generations, swap_current)
from .records import Story
from .whoosh_internals import install as install_whoosh_changes, writer_processes
from .whoosh_internals.writer import BulkSegmentWriter
from .workers import release_memory, shares

SIGNATURES = "stories.sig"  # id and digest of every story document, for updates
VOCABULARY = "vocabulary-{lang}.txt"  # every unstemmed word folded as its language folds, and how
# many of the stories in that language hold it
VOCABULARY_PREFIX = "vocabulary"
# Measured writing 32,555 stories on 2 cores: procs=1 45.7 s; procs=2 (multisegment) 29.4 s with
# limitmb=128, 18.9 s with 256, 21.4 s with 512. Under a few thousand stories the extra process
# costs more than it saves.
WRITER_PROCS = min(2, os.cpu_count() or 1)
WRITER_LIMITMB = 256  # per writing process ...
LARGE_CRAWL_TEASERS = 500_000  # ... but on a crawl this large, where the dedup state is large too,
LARGE_CRAWL_LIMITMB = 128  # this: at 1M teasers the build's processes peak at 1.4 GB, not 1.7, in the same time
# Whoosh's writer processes pay for themselves once writing would take a process about twice as long as
# starting them: a spawned one imports Python, Whoosh and NLTK again (about a second), a forked one starts
# in milliseconds. Writing takes about 1.4 ms of CPU a story.
PARALLEL_MIN_STORIES = 2000  # stories to write before spawned writer processes are started
FORKED_PARALLEL_MIN_STORIES = 500  # ... or forked ones (by this process or by the fork server)
FORK_MAX_TEASERS = 50_000  # writers of a smaller crawl are forked (the dedup state to copy is small)
# Longer headline, text or caption is cut: NLTK's tokenizer raises TimeoutError once a value takes
# 5 s (wall clock) to index or highlight, which a multi-megabyte "story" does. No news story is this long.
MAX_FIELD_CHARS = 100_000
_WORD = re.compile(r"\w+")  # the analysis chain's TOKEN_PATTERN, run at C speed for the vocabulary




class IndexMissing(Exception):
    """There is no built index in the directory (or it is from an incompatible version)."""








def open_index(index_dir: Path):
    """Open the live generation for reading, or raise IndexMissing with the fix."""
    gen = current_generation(Path(index_dir))
    if gen is None:
        raise IndexMissing(f"no index in {index_dir}: run `lede index PATH --index {index_dir}`")
    meta = read_meta(gen)
    if meta.get("schema_version") != SCHEMA_VERSION:
        raise IndexMissing(
            f"the index in {index_dir} was built by an incompatible version of Lede "
            f"(schema {meta.get('schema_version')}, need {SCHEMA_VERSION}): "
            f"rebuild it with `lede index PATH --index {index_dir}`")
    install_whoosh_changes()
    try:
        return whoosh_index.open_dir(str(gen))
    except (OSError, whoosh_index.IndexError) as exc:
        raise IndexMissing(f"the index in {index_dir} is damaged or incomplete ({exc}): "
                           f"rebuild it with `lede index PATH --index {index_dir}`") from None




def writer_procs(teasers: int, update: bool) -> int:
    """Whoosh writer processes: WRITER_PROCS, but one for an update of a large crawl, whose main
    process holds more while they write (the old index's signatures among it): with two, an update
    at 1M teasers peaked at 1.51 GB over all its processes, with one at 1.21 GB (in 173 s, not 147)."""
    return 1 if update and teasers >= LARGE_CRAWL_TEASERS else WRITER_PROCS


def writers_start(teasers: int, server: bool) -> str:
    """How Whoosh's writer processes start (`whoosh_internals.writer_processes`): through the fork
    server when the build started one, else forked for a crawl under FORK_MAX_TEASERS, else spawned."""
    return "forkserver" if server else "fork" if teasers < FORK_MAX_TEASERS else "spawn"


def writer_limitmb(teasers: int) -> int:
    """The memory each Whoosh writer process pools postings in, for a crawl of this many teasers."""
    return WRITER_LIMITMB if teasers < LARGE_CRAWL_TEASERS else LARGE_CRAWL_LIMITMB


def write_index(stories: Iterable[Story], index_dir: Path, meta: dict | None = None,
                procs: int = WRITER_PROCS, limitmb: int = WRITER_LIMITMB, locked: bool = False,
                update: bool = False, state=None, start: str = "spawn") -> Path:
    """Write the stories as a new generation and make it the live one; return its path.

    With `update`, the new generation starts as a hard-linked copy of the live one (Whoosh never
    changes a segment file once written) and only stories that are new, changed or gone are
    written. A `crawlstate.StateWriter` given as `state` is kept in the generation. Takes the
    directory's build lock, unless the caller already holds it (`locked`). Whoosh's writer processes
    start as `start` says (`writers_start`).
    """
    index_dir = Path(index_dir)
    install_whoosh_changes()
    with nullcontext() if locked else build_lock(index_dir):
        remove_stale_generations(index_dir)
        gen = index_dir / f"{GEN_PREFIX}{time.strftime('%Y%m%d-%H%M%S')}-{time.time_ns() % 10**9:09d}-{os.getpid()}"
        gen.mkdir()
        previous = current_generation(index_dir)
        base = previous if update and previous and read_meta(previous).get("schema_version") == SCHEMA_VERSION \
            and (previous / SIGNATURES).exists() else None
        try:
            count = _write_generation(stories, gen, procs, limitmb, base, start)
            info = {"schema_version": SCHEMA_VERSION, "stories": count, "built_at": time.time()}
            info.update(meta or {})
            info["previous"] = previous.name if previous else None  # the one generation kept besides it
            (gen / META).write_text(json.dumps(info, indent=1))
            if state is not None:
                state.move_into(gen)
            fsync_dir(gen)
            swap_current(index_dir, gen.name)
        except BaseException:
            shutil.rmtree(gen, ignore_errors=True)
            raise
        remove_stale_generations(index_dir)
    return gen


def _write_generation(stories: Iterable[Story], gen: Path, procs: int, limitmb: int,
                      base: Path | None, start: str = "spawn") -> int:
    """Write every story into gen, or, given a base generation, only what differs from it."""
    if base is None:
        ix, old = whoosh_index.create_in(str(gen), make_schema()), {}
    else:
        for path in base.iterdir():
            if path.name not in (META, SIGNATURES) and path.is_file() and not path.name.endswith("LOCK") \
                    and not path.name.startswith(VOCABULARY_PREFIX):  # (written anew, not through a shared link)
                os.link(path, gen / path.name)
        ix, old = whoosh_index.open_dir(str(gen)), _read_signatures(base)
    # separate segment files: a compound one is copied into memory by every searcher that opens it
    kwargs = {"limitmb": limitmb, "compound": False}
    with writer_processes(start, BulkSegmentWriter):
        return _write_stories(ix, kwargs, stories, old, gen, procs,
                              PARALLEL_MIN_STORIES if start == "spawn" else FORKED_PARALLEL_MIN_STORIES)


def _write_stories(ix, kwargs: dict, stories: Iterable[Story], old: dict[str, str], gen: Path, procs: int,
                   min_stories: int = PARALLEL_MIN_STORIES) -> int:
    """Write the stories that are not in `old` (id -> signature) or differ from it, delete those
    gone; `procs` writer processes once there are `min_stories` to write (starting them costs
    more than they save on fewer)."""
    signatures: dict[str, str] = {}
    words: dict[str, Counter] = {}  # language -> word -> stories
    first: list[dict] = []  # the stories to write, until the writer is chosen
    writer = None
    try:
        for story in stories:
            fields = story_fields(story)
            lang = fields["lang"]
            words.setdefault(lang, Counter()).update(
                set(_WORD.findall(f"{fields['headline']}\n{fields['text']}".lower())))
            signature = hashlib.blake2b(repr(sorted(fields.items())).encode(), digest_size=10).hexdigest()
            signatures[story.id] = signature
            if old.get(story.id) == signature:
                continue
            if writer is None:
                first.append(fields)
                if len(first) < min_stories:
                    continue
                writer = _writer(ix, kwargs, procs)
                for held in first:
                    _put(writer, held, old)
                first = []
            else:
                _put(writer, fields, old)
        if writer is None:
            writer = _writer(ix, kwargs, 1)
            for held in first:
                _put(writer, held, old)
        for gone in old.keys() - signatures.keys():
            writer.delete_by_term("id", gone)
    except BaseException:
        if writer is not None:
            writer.cancel()
        raise
    release_memory()  # what the stories held (the dedup's drafts), before the processes below are forked
    (gen / SIGNATURES).write_text("".join(f"{i}\t{s}\n" for i, s in signatures.items()))
    for lang, counts in words.items():  # (while the writer processes finish their segments)
        _write_vocabulary(counts, gen / VOCABULARY.format(lang=lang), lang)
    writer.commit()
    _write_beside(ix, gen)
    return len(signatures)


def _write_beside(ix, gen: Path) -> None:
    """What is kept beside the committed index, read from it: the facet columns and the bulk
    arrays, written by two forked processes at once (on the 100k crawl, 0.4 and 1.0 s of CPU)."""
    tasks = (lambda: write_columns(gen, ix), lambda: bulk.write_arrays(ix, gen))
    for _ in shares(lambda task, _: tasks[task](), len(tasks)):
        pass


def _writer(ix, kwargs: dict, procs: int):
    """One process writing a segment, or Whoosh's writer of `procs` processes, a segment each."""
    if procs > 1:
        return ix.writer(**kwargs, procs=procs, multisegment=True)
    return BulkSegmentWriter(ix, **kwargs)


def _put(writer, fields: dict, old: dict[str, str]) -> None:
    """Add a story's document, or replace the one it had."""
    if fields["id"] in old:
        writer.update_document(**fields)
    else:
        writer.add_document(**fields)


def _write_vocabulary(words: Counter, path: Path, lang: str) -> None:
    """Words folded as the query side folds them in `lang`, with their story counts, sorted."""
    folded: Counter = Counter()
    for word, count in words.items():
        folded[fold_token(word, lang)] += count
    path.write_text("".join(f"{w}\t{n}\n" for w, n in sorted(folded.items())), encoding="utf-8")


def read_vocabulary(gen: Path, lang: str) -> dict[str, int]:
    """A generation's spelling vocabulary in one language: word -> number of its stories, sorted."""
    try:
        lines = (gen / VOCABULARY.format(lang=lang)).read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}
    return {w: int(n) for w, _, n in (line.partition("\t") for line in lines) if n.isdigit()}


def _read_signatures(gen: Path) -> dict[str, str]:
    """Story id -> digest of its document, as written into a generation."""
    lines = (gen / SIGNATURES).read_text().splitlines()
    return dict(line.split("\t", 1) for line in lines if "\t" in line)


def story_fields(story: Story) -> dict:
    """The Whoosh document of one story: its text stored, and indexed in its language's fields."""
    headline = "\n".join(story.headlines or [story.headline])[:MAX_FIELD_CHARS]
    text = story.text[:MAX_FIELD_CHARS]
    caption = story.caption[:MAX_FIELD_CHARS]
    kicker = story.kicker[:MAX_FIELD_CHARS]
    lang = story.language or DEFAULT_LANGUAGE
    indexed = fields_of(lang)
    fields = {
        "id": story.id,
        "headline": headline,
        "text": text,
        "caption": caption,
        indexed["headline"]: headline,
        indexed["text"]: text,
        indexed["caption"]: f"{kicker}\n{caption}" if kicker else caption,
        "lang": lang,
        "site": ",".join(story.sites),
        "pages": story.pages,
        "page_dates": [d or "" for d in story.page_dates],
        "page_count": len(story.pages),
        "date": story.date or "",
        "url": story.url or "",
        "page_urls": story.page_urls,
    }
    fields.update((name, value) for name, value in (("kicker", kicker), ("author", story.author)) if value)
    return fields


def stored_story(fields: dict) -> dict:
    """A stored Whoosh document turned back into the story's export record."""
    headlines = [h for h in fields.get("headline", "").split("\n") if h]
    return {
        "id": fields["id"],
        "headline": headlines[0] if headlines else "",
        "headlines": headlines,
        "text": fields.get("text", ""),
        "caption": fields.get("caption", ""),
        "kicker": fields.get("kicker", ""),
        "author": fields.get("author", ""),
        "pages": list(fields.get("pages") or []),
        "page_dates": [d or None for d in fields.get("page_dates") or []],
        "page_count": fields.get("page_count", 0),
        "sites": [s for s in fields.get("site", "").split(",") if s],
        "date": fields.get("date") or None,
        "language": fields.get("lang") or DEFAULT_LANGUAGE,
        "url": fields.get("url") or None,
        "page_urls": list(fields.get("page_urls") or []),
    }


def iter_stories(index_dir: Path) -> Iterator[dict]:
    """Every story of the live index as an export record, in id order."""
    ix = open_index(index_dir)
    with ix.searcher() as searcher:
        docs = sorted(searcher.all_stored_fields(), key=lambda f: f["id"])
    for fields in docs:
        yield stored_story(fields)

"""`lede index --update`: the stories equal a full rebuild's, while only pages whose evidence changed are
segmented again and only changed stories written."""
import json
import random
import shutil

import numpy as np
import pytest

from bench.perf.crawl_gen import DEFAULT_DATA_DIR, generate
from indexer import build, passes, update
from indexer.build import current_generation, iter_stories
from indexer.pipeline import build_index

LISTING = "Home | World | Business\n{}\nRead more\n© 2025 The Harbour Courier\n"
TEASERS = [
    "Ferry strike called off at Westhaven The ferry operators' union has called off Friday's strike after talks.",
    "Mayor opens new quay in Westhaven The new quay opened on Saturday after two years of work.",
    "Bank of Westhaven raises rates The Bank of Westhaven raised its main rate to 4 percent on Thursday.",
    "Harbour pilots dispute ends Pilots returned to work on Monday after a pay deal with the board.",
    "Skerry Island bridge plan approved The council approved plans for a bridge to Skerry Island on Tuesday.",
]


def write(crawl, name, *teasers):
    path = crawl / "courier" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(LISTING.format("\n".join(teasers)))


def export(index):
    """Every story of the index, whole (as `lede export` writes it), in id order."""
    return [json.dumps(story, sort_keys=True) for story in iter_stories(index)]


def test_update_adds_changes_and_drops_and_equals_a_full_rebuild(tmp_path):
    crawl = tmp_path / "crawl"
    write(crawl, "home.txt", *TEASERS[:3])
    write(crawl, "business.txt", TEASERS[2], TEASERS[3])
    write(crawl, "old.txt", TEASERS[3], "Lighthouse to close for repairs The old lighthouse will close in May.")
    build_index([crawl], tmp_path / "live")
    first = current_generation(tmp_path / "live")
    before = {s["id"] for s in iter_stories(tmp_path / "live")}

    write(crawl, "new.txt", TEASERS[4], TEASERS[0])  # a new page: a new story, and a new page for one
    (crawl / "courier" / "old.txt").unlink()  # a removed page: its only story goes
    build_index([crawl], tmp_path / "live", update=True)
    build_index([crawl], tmp_path / "full")

    assert current_generation(tmp_path / "live") != first
    assert export(tmp_path / "live") == export(tmp_path / "full")
    after = {s["id"] for s in iter_stories(tmp_path / "live")}
    assert before - after and after - before and before & after  # ids of unchanged stories are kept
    shutil.rmtree(tmp_path / "full")


def test_update_without_an_index_builds_one(tmp_path):
    crawl = tmp_path / "crawl"
    write(crawl, "home.txt", *TEASERS)
    build_index([crawl], tmp_path / "index", update=True)
    assert len(export(tmp_path / "index")) == len(TEASERS)


def summary_of(crawl, index, **kwargs):
    return build_index([crawl], index, update=True, **kwargs)


def test_update_keeps_unchanged_pages_and_segments_again_those_new_evidence_changes(tmp_path):
    crawl = tmp_path / "crawl"
    write(crawl, "home.txt", *TEASERS[:3])
    write(crawl, "business.txt", TEASERS[2])
    # a "headline lede" line run together: where it splits, the crawl's other pages decide
    write(crawl, "fares.txt", "Ferry Fares Rise Again As Fuel Costs Bite Operators Say Passengers will pay "
                              "ten percent more from May, the operators said.")
    gazette = crawl / "gazette"
    gazette.mkdir()
    warning = "Storm warning for the whole coast tonight"  # on two of three pages: not yet boilerplate
    for n in range(3):
        (gazette / f"p{n}.txt").write_text("\n".join([*([warning] if n < 2 else []), TEASERS[3 + n % 2]]))
    build_index([crawl], tmp_path / "live")

    write(crawl, "fuel.txt", "Ferry Fares Rise Again As Fuel Costs Bite Operators Say",  # printed as a line
          "Passengers will pay ten percent more from May, the operators said.")
    (gazette / "p3.txt").write_text("\n".join([warning, TEASERS[0]]))  # on 3 of 4 pages: boilerplate now
    summary = summary_of(crawl, tmp_path / "live")
    build_index([crawl], tmp_path / "full")

    assert export(tmp_path / "live") == export(tmp_path / "full")
    assert 2 < summary.segmented < summary.pages_read  # the new pages, and some old ones, not all


def test_update_with_nothing_changed_segments_nothing(tmp_path):
    crawl = tmp_path / "crawl"
    write(crawl, "home.txt", *TEASERS)
    build_index([crawl], tmp_path / "live")
    summary = summary_of(crawl, tmp_path / "live")
    assert summary.segmented == 0 and summary.pages_read == 1
    assert len(export(tmp_path / "live")) == len(TEASERS)


def test_update_of_a_crawl_read_from_another_folder_keeps_its_pages(tmp_path):
    write(tmp_path / "crawl", "home.txt", *TEASERS)
    build_index([tmp_path / "crawl"], tmp_path / "live")
    shutil.copytree(tmp_path / "crawl", tmp_path / "copy")
    summary = summary_of(tmp_path / "copy", tmp_path / "live")
    assert summary.segmented == 0
    assert len(export(tmp_path / "live")) == len(TEASERS)


def test_update_of_an_index_without_crawl_state_reads_everything(tmp_path):
    crawl = tmp_path / "crawl"
    write(crawl, "home.txt", *TEASERS[:3])
    build_index([crawl], tmp_path / "live")
    shutil.rmtree(current_generation(tmp_path / "live") / "crawl")  # as built by an earlier Lede
    write(crawl, "more.txt", *TEASERS[3:])
    summary = summary_of(crawl, tmp_path / "live")
    assert summary.segmented is None  # a full read
    build_index([crawl], tmp_path / "full")
    assert export(tmp_path / "live") == export(tmp_path / "full")
    assert (current_generation(tmp_path / "live") / "crawl").is_dir()  # the next update can use it


def test_bloom_lookups_at_once_answer_as_one_at_a_time():
    from indexer.crawlstate import bloom_holds
    from indexer.headline import BloomSet

    rng = np.random.default_rng(3)
    bloom = BloomSet(bits_log2=16)
    for key in rng.integers(0, 2**32, 5000).tolist():
        bloom.add(key)
    keys = rng.integers(0, 2**32, 20000, dtype=np.uint64)
    assert bloom_holds(bloom, keys).tolist() == [key in bloom for key in keys.tolist()]
    assert 0 < bloom_holds(bloom, keys).sum() < len(keys)


@pytest.mark.slow  # generated crawls, with worker and writer processes
@pytest.mark.skipif(not (DEFAULT_DATA_DIR / "ag_news").is_dir(), reason="needs ../shared/corpora")
@pytest.mark.parametrize("seed", [1, 2])
def test_update_of_a_recrawl_equals_a_full_rebuild(tmp_path, monkeypatch, seed):
    """A generated crawl, re-crawled in place: pages added (new files and appended lines), one
    removed, one changed. With seed 2 the crawl is read and segmented by worker processes, and the
    index written by Whoosh's writer processes."""
    if seed == 2:
        monkeypatch.setattr(passes, "PARALLEL_MIN_BYTES", 0)
        monkeypatch.setattr(update, "SEGMENT_IN_WORKERS", 1)
        monkeypatch.setattr(build, "PARALLEL_MIN_STORIES", 20)  # Whoosh's writer processes, updating too
        monkeypatch.setattr(build, "FORKED_PARALLEL_MIN_STORIES", 20)
    generate(tmp_path / "gen", 1500, seed=seed)
    crawl, rng = tmp_path / "gen" / "crawl", random.Random(seed)
    held: dict = {}
    for path in sorted(crawl.rglob("*.jsonl")):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        later = set(rng.sample(range(len(lines)), len(lines) // 10))
        path.write_text("".join(l for n, l in enumerate(lines) if n not in later), encoding="utf-8")
        held[path] = [l for n, l in enumerate(lines) if n in later]
    build_index([crawl], tmp_path / "live")

    for n, (path, lines) in enumerate(held.items()):
        if n % 2:
            (path.parent / f"new-{path.name}").write_text("".join(lines), encoding="utf-8")
        else:
            path.write_text(path.read_text(encoding="utf-8") + "".join(lines), encoding="utf-8")
    first = sorted(held)[0]
    kept = first.read_text(encoding="utf-8").splitlines(keepends=True)
    changed = json.loads(kept[1])
    changed["text"] = changed["text"].replace("\n\n", "\n\nFerry strike called off at Westhaven The ferry "
                                              "operators' union has called off Friday's strike after talks.\n\n", 1)
    first.write_text("".join([kept[0], json.dumps(changed) + "\n", *kept[3:]]), encoding="utf-8")  # one gone

    summary = summary_of(crawl, tmp_path / "live")
    build_index([crawl], tmp_path / "full")
    assert export(tmp_path / "live") == export(tmp_path / "full")
    assert summary.segmented < summary.pages_read


@pytest.mark.parametrize("damage", ["pages.bin", "stats.pickle.gz", "entries.pickle", "asks.bin", "ends.npz"])
def test_update_with_a_damaged_crawl_state_reads_everything(tmp_path, damage):
    crawl = tmp_path / "crawl"
    write(crawl, "home.txt", "Harbour news from Westhaven today", *TEASERS[:3])  # (a line the crawl is asked about)
    build_index([crawl], tmp_path / "live")
    state = current_generation(tmp_path / "live") / "crawl" / damage
    assert state.stat().st_size > 0  # (half of nothing is no damage)
    state.write_bytes(state.read_bytes()[: state.stat().st_size // 2])
    write(crawl, "more.txt", *TEASERS[3:])
    summary = summary_of(crawl, tmp_path / "live")
    assert summary.segmented is None  # read as in a full build
    build_index([crawl], tmp_path / "full")
    assert export(tmp_path / "live") == export(tmp_path / "full")


def test_update_of_overlapping_paths_equals_a_full_rebuild(tmp_path):
    crawl = tmp_path / "crawl"
    write(crawl, "home.txt", *TEASERS[:3])
    build_index([crawl], tmp_path / "live")
    write(crawl, "more.txt", *TEASERS[3:])
    overlapping = [crawl, crawl / "courier" / "home.txt"]  # home.txt twice
    build_index(overlapping, tmp_path / "live", update=True)
    build_index(overlapping, tmp_path / "full")
    assert export(tmp_path / "live") == export(tmp_path / "full")
    assert build_index(overlapping, tmp_path / "live", update=True).segmented is None  # its state is not used
    assert export(tmp_path / "live") == export(tmp_path / "full")


def test_update_segments_again_pages_of_a_site_that_reached_three_pages_and_of_a_tail_now_common(tmp_path):
    crawl = tmp_path / "crawl"
    small = crawl / "smallsite"  # two pages: nothing on it is boilerplate yet
    small.mkdir(parents=True)
    for n in range(2):
        (small / f"p{n}.txt").write_text(f"Weekly Gazette\n{TEASERS[n]}\n")
    tails = crawl / "tails"  # three pages, two headlines ending in the site's name
    tails.mkdir()
    for n in range(3):
        (tails / f"p{n}.txt").write_text(f"{['Quay repairs begin', 'Pilots vote on pay', 'Ferry timetable'][n]}"
                                         f"{' | The Tails Gazette' if n < 2 else ''}\n"
                                         "The work starts on Monday and lasts until the end of the summer season.\n")
    build_index([crawl], tmp_path / "live")

    (small / "p2.txt").write_text(f"Weekly Gazette\n{TEASERS[2]}\n")  # three pages: "Weekly Gazette" is navigation
    (tails / "p3.txt").write_text("Lighthouse reopens | The Tails Gazette\n"
                                  "The lighthouse reopens to visitors on Saturday after two years of repairs.\n")
    build_index([crawl], tmp_path / "live", update=True)
    build_index([crawl], tmp_path / "full")
    assert export(tmp_path / "live") == export(tmp_path / "full")


def test_a_page_changed_while_the_update_reads_stops_it_and_the_live_index_stays(tmp_path, monkeypatch):
    crawl = tmp_path / "crawl"
    write(crawl, "home.txt", *TEASERS[:3])
    write(crawl, "business.txt", TEASERS[2])
    write(crawl, "fares.txt", "Ferry Fares Rise Again As Fuel Costs Bite Operators Say Passengers will pay "
                              "ten percent more from May, the operators said.")
    build_index([crawl], tmp_path / "live")
    live, before = current_generation(tmp_path / "live"), export(tmp_path / "live")
    write(crawl, "fuel.txt", "Ferry Fares Rise Again As Fuel Costs Bite Operators Say",
          "Passengers will pay ten percent more from May, the operators said.")  # fares.txt must be segmented again
    invalid = update._invalid

    def then_changed(*args):
        found = invalid(*args)
        write(crawl, "fares.txt", "Fares Rise The operators said so on Monday.")  # after it was matched
        return found

    monkeypatch.setattr(update, "_invalid", then_changed)
    with pytest.raises(passes.CrawlChanged):
        build_index([crawl], tmp_path / "live", update=True)
    assert current_generation(tmp_path / "live") == live and export(tmp_path / "live") == before

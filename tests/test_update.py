"""`lede index --update`: only what changed is written, and the result equals a full rebuild."""
import shutil

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
    return sorted((s["id"], s["headline"], s["text"], tuple(sorted(s["pages"]))) for s in iter_stories(index))


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

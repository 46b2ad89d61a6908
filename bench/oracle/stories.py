"""The stories of a composed crawl: AG News and BBC rows read and cleaned, near duplicates dropped, traps added.

`select_items` picks a seed's stories for `compose.py`: the source rows of one parity (by default
even for dev, odd for heldout), shuffled, each kept only when `NearDupFilter` finds it distinct
from the stories already kept; plus synthetic traps (daily reports under one recurring headline,
events about the same two people) and a few source stories rewritten to open with another's
sentence. The source data is read at run time and never copied into the repository.
"""
from __future__ import annotations

import csv
import os
import random
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Callable

from bench.oracle.quality import clean_text, headline_key, lede_shingles, shingles, strip_dateline, words

# the research corpora sit beside the checkout (../shared/corpora); LEDE_CORPORA overrides
DEFAULT_DATA_DIR = Path(os.environ.get("LEDE_CORPORA", Path(__file__).resolve().parents[3] / "shared" / "corpora"))
ROWS = {"even": (0,), "odd": (1,), "all": (0, 1)}  # which source rows feed the stories
DEFAULT_ROWS = {"dev": "even", "heldout": "odd"}
MIN_LEDE_WORDS = 8
MIN_HEADLINE_WORDS = 2
NEAR_DUP_SHARE = 0.4  # source stories sharing this much of a lede's first shingles are dropped
TRAP_SHARE = 0.04
TRAP_DUP_SHARE = 0.25  # traps share their headline, so their ledes must differ more
MIN_TRAPS = 8
AG_CLASSES = {"1": "world", "2": "sport", "3": "business", "4": "technology"}


# --- records ---

@dataclass
class Item:
    """One story: a source row (AG or BBC) or a synthetic trap, cleaned; raw text kept for noise."""

    key: str
    source: str  # "ag" | "bbc" | "trap"
    section: str
    headline: str
    lede: str
    body: list[str]
    raw_headline: str
    raw_lede: str
    day: date


# --- source data ---

def _usable(headline: str, lede: str) -> bool:
    """A source row the benchmark can use: long enough, no escaped HTML, lede not opening with the headline."""
    if any(mark in f"{headline} {lede}" for mark in ("<", ">", "&lt;", "&gt;", " lt;", " gt;")):
        return False
    if len(headline.split()) < MIN_HEADLINE_WORDS or len(lede.split()) < MIN_LEDE_WORDS:
        return False
    return not headline_key(lede).startswith(headline_key(headline))


def _random_day(rng: random.Random, start: date, days: int) -> date:
    """A day in [start, start + days)."""
    return start + timedelta(days=rng.randrange(days))


def load_ag(data_dir: Path, parity: int, rng: random.Random) -> list[Item]:
    """AG News test rows of the given parity (0 even, 1 odd) as items."""
    items = []
    with open(data_dir / "ag_news" / "test.csv", newline="", encoding="utf-8") as fh:
        for n, (cls, title, desc) in enumerate(csv.reader(fh)):
            if n % 2 != parity:
                continue
            title, desc = title.strip(), desc.strip()
            headline, lede = clean_text(title), clean_text(desc)
            if _usable(headline, lede):
                items.append(Item(f"ag-{n}", "ag", AG_CLASSES.get(cls, "latest"), headline, lede, [], title, desc,
                                  _random_day(rng, date(2004, 7, 1), 180)))
    return items


def _read_bbc_file(path: Path) -> str:
    """A BBC article's text (UTF-8, one file is Latin-1)."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def load_bbc(data_dir: Path, parity: int, rng: random.Random) -> list[Item]:
    """BBC articles of the given parity as items, exact duplicates dropped."""
    items, seen = [], set()
    files = sorted((data_dir / "bbc_news" / "bbc").glob("*/*.txt"))
    for n, path in enumerate(files):
        if n % 2 != parity:
            continue
        text = _read_bbc_file(path)
        if text in seen:
            continue
        seen.add(text)
        lines = [ln.strip() for ln in text.splitlines()]
        paras = [p for p in lines[1:] if p]
        if not lines or not paras:
            continue
        headline, lede = clean_text(lines[0]), clean_text(paras[0])
        if _usable(headline, lede):
            key = f"bbc-{path.parent.name}-{path.stem}"
            items.append(Item(key, "bbc", path.parent.name.replace("tech", "technology"), headline, lede,
                              [clean_text(p) for p in paras[1:]], lines[0], paras[0],
                              _random_day(rng, date(2004, 9, 1), 300)))
    return items


class NearDupFilter:
    """Accepts stories whose lede shares little with every accepted story's text, and the reverse."""

    def __init__(self) -> None:
        self.lede_postings: dict[tuple, list[int]] = {}  # shingle of an accepted lede's start -> stories
        self.text_postings: dict[tuple, list[int]] = {}  # shingle anywhere in an accepted story -> stories
        self.sizes: list[int] = []
        self.headlines: set[str] = set()

    @staticmethod
    def _hits(grams, postings: dict[tuple, list[int]]) -> dict[int, int]:
        """How many of the shingles each accepted story holds."""
        hits: dict[int, int] = {}
        for gram in grams:
            for i in postings.get(gram, ()):
                hits[i] = hits.get(i, 0) + 1
        return hits

    def accept(self, headline: str, lede: str, body: list[str] = (), share: float = NEAR_DUP_SHARE) -> bool:
        """Add the story unless its headline repeats, or its lede and another story's text overlap."""
        grams = lede_shingles(lede)
        text = set(shingles(words(" ".join([headline, lede, *body]))))
        hkey = headline_key(headline)
        if not grams or hkey in self.headlines:
            return False
        if any(c / len(grams) >= share for c in self._hits(grams, self.text_postings).values()):
            return False
        if any(c / self.sizes[i] >= share for i, c in self._hits(text, self.lede_postings).items()):
            return False
        n = len(self.sizes)
        self.sizes.append(len(grams))
        self.headlines.add(hkey)
        for gram in grams:
            self.lede_postings.setdefault(gram, []).append(n)
        for gram in text:
            self.text_postings.setdefault(gram, []).append(n)
        return True


# --- synthetic traps: recurring headlines with different ledes, shared sentences, same people ---

def _trap(key: str, section: str, headline: str, lede: str, day: date) -> Item:
    """A synthetic item (its raw text is its clean text)."""
    return Item(key, "trap", section, headline, lede, [], headline, lede, day)


def trap_schedule(rng: random.Random, n: int, day: date) -> Item:
    """A "Today's schedule" listing: same headline every day, different events and times."""
    events = ["The city marathon", "A jazz festival", "The farmers' market", "A council hearing", "The book fair",
              "A charity concert", "The flower show", "A chess tournament", "The river regatta", "A film premiere"]
    venues = ["Central Park", "the Town Hall", "Riverside Arena", "the Old Library", "Market Square",
              "the Royal Theatre", "Victoria Gardens", "the Civic Centre", "Harbour Pier", "the Corn Exchange"]
    e1, e2 = rng.sample(events, 2)
    v1, v2 = rng.sample(venues, 2)
    lede = (f"{e1} starts at {rng.randint(7, 11)}.{rng.choice(['00', '15', '30', '45'])} at {v1}, "
            f"where {rng.randint(20, 900)} people are expected. {e2.replace('The', 'the').replace('A ', 'a ', 1)} "
            f"follows at {rng.randint(1, 8)}pm at {v2}, with tickets at {rng.randint(3, 40)} pounds "
            f"and {rng.randint(2, 60)} stalls. Roads near {rng.choice(venues)} close at {rng.randint(5, 11)}pm.")
    return _trap(f"trap-schedule-{n}", "latest", "Today's schedule", lede, day)


def trap_around(rng: random.Random, n: int, day: date) -> Item:
    """An "Around the world" digest: same headline, different places and events."""
    places = ["In Lima", "In Oslo", "In Nairobi", "In Hanoi", "In Quito", "In Riga", "In Perth", "In Accra",
              "In Tbilisi", "In Manila", "In Dakar", "In Tallinn"]
    events = ["firefighters contained a forest blaze near the airport",
              "voters queued for hours at polling stations",
              "a new metro line opened to passengers",
              "fishermen protested against fuel prices",
              "a museum returned looted statues to a temple",
              "students marched against tuition fees",
              "a ferry ran aground without injuries",
              "the central bank left rates unchanged",
              "a heatwave broke records for the month",
              "farmers blocked a motorway with tractors",
              "a zoo welcomed twin panda cubs",
              "miners ended a week-long strike"]
    parts = [f"{p}, {e} on {rng.choice(['Monday', 'Tuesday', 'Friday', 'Sunday'])}."
             for p, e in zip(rng.sample(places, 3), rng.sample(events, 3))]
    return _trap(f"trap-around-{n}", "world", "Around the world", " ".join(parts), day)


def trap_weather(rng: random.Random, n: int, day: date) -> Item:
    """A daily weather report: one headline, numbers and places that change."""
    city = rng.choice(["London", "Leeds", "Cardiff", "Glasgow", "Belfast", "Bristol", "Norwich", "Exeter"])
    sky = rng.choice(["sunny spells", "heavy showers", "thick fog", "light drizzle", "clear skies", "gusty winds"])
    lede = (f"{city} can expect {sky} with highs of {rng.randint(4, 29)}C and lows of {rng.randint(-3, 15)}C, "
            f"winds of {rng.randint(5, 45)} mph from the {rng.choice(['north', 'south', 'east', 'west'])} "
            f"and a {rng.randint(5, 95)} per cent chance of rain after {rng.randint(1, 11)}pm. "
            f"Sunrise is at {rng.randint(5, 8)}.{rng.randint(10, 59)}am.")
    return _trap(f"trap-weather-{n}", "latest", "Weather: the outlook for today", lede, day)


def trap_market(rng: random.Random, n: int, day: date) -> Item:
    """A market close report: the same words every day, only the numbers change."""
    lede = (f"The FTSE 100 closed {rng.randint(2, 90)} points higher at {rng.randint(4300, 4999)} on "
            f"{day.day} {day:%B}, the Dow Jones added {rng.randint(3, 150)} to {rng.randint(9800, 10900)} and the "
            f"Nasdaq gained {rng.randint(2, 60)} to {rng.randint(1800, 2200)}. Brent crude ended at "
            f"{rng.randint(30, 55)}.{rng.randint(10, 99)} dollars and the pound at {rng.randint(170, 195)} cents.")
    return _trap(f"trap-market-{n}", "business", "Market report", lede, day)


PEOPLE_EVENTS = [
    ("Varga and Brandt open new bridge over the Sella",
     "Mayor Elena Varga and Governor Tomas Brandt cut the ribbon on the Sella river crossing, a four-lane bridge "
     "that took six years to build and replaces a ferry used by commuters since the 1950s."),
    ("Varga and Brandt clash over school budget",
     "Mayor Elena Varga accused Governor Tomas Brandt of starving city schools of money after the regional "
     "assembly voted to cut classroom funding by a tenth for the coming year."),
    ("Brandt backs Varga for second term",
     "Governor Tomas Brandt said he would campaign for Mayor Elena Varga in next spring's election, ending "
     "months of speculation about a rift between the two party colleagues."),
    ("Varga and Brandt visit flood-hit villages",
     "Mayor Elena Varga and Governor Tomas Brandt toured villages along the lower valley where floodwater "
     "forced hundreds of families from their homes over the weekend."),
    ("Varga hosts Brandt at harbour festival",
     "Thousands of visitors watched fireworks over the harbour as Mayor Elena Varga welcomed Governor Tomas "
     "Brandt to the opening night of the annual sea festival."),
    ("Brandt and Varga sign transport pact",
     "A regional transport agreement signed by Governor Tomas Brandt and Mayor Elena Varga promises a tram "
     "link to the airport and cheaper bus fares for pensioners by 2007."),
]


def trap_people(rng: random.Random, n: int, day: date) -> Item | None:
    """Different events about the same two (fictional) people."""
    if n >= len(PEOPLE_EVENTS):
        return None
    headline, lede = PEOPLE_EVENTS[n]
    return _trap(f"trap-people-{n}", "politics", headline, lede, day)


def _first_sentence(text: str) -> str:
    """The first sentence of a lede (dateline removed), when it plainly ends in a lowercase word and a full stop."""
    match = re.match(r"(.+? [a-z]{3,}[.!?])\s+[A-Z]", strip_dateline(text))
    return match.group(1) if match else ""


def _plain(item: Item) -> bool:
    """A source item whose lede has no dateline (a shared sentence can open it)."""
    return item.source != "trap" and strip_dateline(item.lede) == item.lede


def shared_sentence_pairs(items: list[Item], rng: random.Random, count: int) -> list[Item]:
    """Rewrite `count` items so each opens with a short first sentence of another item (they stay 2 stories)."""
    donors = [it for it in items if it.source != "trap" and 6 <= len(_first_sentence(it.lede).split()) <= 11
              and len(strip_dateline(it.lede).split()) >= 32][:count]
    rewritten, used = [], {it.key for it in donors}
    for donor in donors:
        pool = [it for it in items if it.section == donor.section and _plain(it) and it.key not in used]
        if not pool:
            continue
        target = rng.choice(pool)
        used.add(target.key)
        target.lede = target.raw_lede = f"{_first_sentence(donor.lede)} {target.lede}"
        target.key += "-shared"
        rewritten.append(target)
    return rewritten


TRAP_MAKERS: list[Callable] = [trap_schedule, trap_around, trap_weather, trap_market, trap_people]


def make_traps(rng: random.Random, count: int, dupes: NearDupFilter) -> list[Item]:
    """About `count` synthetic traps, each distinct enough from the others to be its own story."""
    traps, n_by_maker = [], {m.__name__: 0 for m in TRAP_MAKERS}
    attempts = 0
    while len(traps) < count and attempts < count * 20:
        attempts += 1
        maker = TRAP_MAKERS[attempts % len(TRAP_MAKERS)]
        n = n_by_maker[maker.__name__]
        item = maker(rng, n, _random_day(rng, date(2004, 8, 1), 150))
        if item is None:
            continue
        if dupes.accept(f"{item.headline} {item.key}", item.lede, share=TRAP_DUP_SHARE):  # headlines recur
            traps.append(item)
            n_by_maker[maker.__name__] += 1
    return traps


def select_items(data_dir: Path, stories: int, seed: int, layouts: str, source: str, rows: str) -> list[Item]:
    """N stories for this seed: source rows (even, odd or all), near duplicates dropped, plus traps."""
    rng = random.Random(seed)
    parities = ROWS[rows or DEFAULT_ROWS[layouts]]
    pool: list[Item] = []
    for parity in parities:
        if source in ("ag", "both"):
            pool += load_ag(data_dir, parity, rng)
        if source in ("bbc", "both"):
            pool += load_bbc(data_dir, parity, rng)
    rng.shuffle(pool)
    dupes = NearDupFilter()
    n_traps = min(stories // 2, max(MIN_TRAPS, round(stories * TRAP_SHARE)))
    traps = make_traps(rng, n_traps, dupes)
    chosen = []
    for item in pool:
        if len(chosen) >= stories - len(traps):
            break
        if dupes.accept(item.headline, item.lede, item.body):
            chosen.append(item)
    shared_sentence_pairs(chosen, rng, max(2, len(traps) // 5))
    items = chosen + traps
    rng.shuffle(items)
    return items

"""Fit the weights of the headline splitter (indexer/headline.py: W, IDEAL_HEADLINE_WORDS).

Each headline+lede pair of AG News and BBC News is run together into one line, as listing
pages print them, and the splitter must find the boundary. Coordinate search over a small grid,
on half of the pairs; the other half is held out, and the seed page's run-together teasers
(but for the three judgement calls B, F and I) must stay right.

    python -m bench.oracle.tune_headline     # prints the weights to paste into indexer/headline.py
"""
from __future__ import annotations

import csv
import json
import random
from pathlib import Path

from bench.oracle.stories import DEFAULT_DATA_DIR
from indexer import headline
from indexer.text import clean

GRID = {"short": [0.4, 0.8, 1.2], "long": [0.05, 0.15, 0.3], "dateline": [2, 3, 5], "starter": [1.5, 2, 3, 4],
        "digit": [0.25, 0.5, 1], "bigram": [2, 3], "restate3": [2, 3, 5], "title": [0, 0.25, 0.5, 1, 2],
        "source": [1, 2.5, 4], "fullstop": [1, 2, 3, 4], "quote": [0, 0.5, 1], "sentence": [1, 2, 3, 5]}
IDEALS = [(low, high) for high in (7, 8, 9, 10, 12) for low in (3, 4, 5)]
SAMPLE = 700


def pairs(data: Path) -> tuple[list, list]:
    """(headline, lede) pairs of AG News and of BBC News."""
    with open(data / "ag_news" / "test.csv", newline="", encoding="utf-8") as fh:
        ag = [(clean(row[1]), clean(row[2])) for row in csv.reader(fh)]
    bbc = []
    for path in sorted((data / "bbc_news" / "bbc").glob("*/*.txt")):
        blocks = [line.strip() for line in path.read_text(encoding="latin-1").splitlines() if line.strip()]
        bbc.append((blocks[0], blocks[1]))
    return ag, bbc


def seed_pairs(data: Path) -> list:
    expected = json.loads((data / "seed" / "expected.json").read_text())
    lines = (data / "seed" / "000_88e106a9136c3539.txt").read_text().split("\n")
    return [(s["headline"], lines[s["para_line"] - 1].strip()[len(s["headline"]):].strip())
            for s in expected["stories"] if not s["headline_line"] and s["id"] not in "BFI"]


def accuracy(sample: list) -> float:
    return sum(headline.split_headline(f"{h} {lede}")[0] == len(h.split()) for h, lede in sample) / len(sample)


def main() -> None:
    ag, bbc = pairs(DEFAULT_DATA_DIR)
    seed = seed_pairs(DEFAULT_DATA_DIR)
    rng = random.Random(2)
    dev = rng.sample(ag[0::2], SAMPLE) + rng.sample(bbc[0::2], SAMPLE)
    held_out = rng.sample(ag[1::2], SAMPLE) + rng.sample(bbc[1::2], SAMPLE)
    objective = lambda: accuracy(dev) + 0.5 * accuracy(seed)  # noqa: E731
    best = objective()
    print(f"start: dev {accuracy(dev):.3f} held-out {accuracy(held_out):.3f} seed {accuracy(seed):.3f}")
    for _ in range(3):
        for name, values in GRID.items():
            for value in values:
                old, headline.W[name] = headline.W[name], value
                score = objective()
                if score > best + 1e-9:
                    best = score
                else:
                    headline.W[name] = old
        for ideal in IDEALS:
            old, headline.IDEAL_HEADLINE_WORDS = headline.IDEAL_HEADLINE_WORDS, ideal
            score = objective()
            if score > best + 1e-9:
                best = score
            else:
                headline.IDEAL_HEADLINE_WORDS = old
    print("W =", headline.W)
    print("IDEAL_HEADLINE_WORDS =", headline.IDEAL_HEADLINE_WORDS)
    print(f"end: dev {accuracy(dev):.3f} held-out {accuracy(held_out):.3f} seed {accuracy(seed):.3f}")


if __name__ == "__main__":
    main()

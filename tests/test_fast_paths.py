"""The shortcuts that make segmenting cheaper give what the long way gives.

Each shortcut skips work whose answer is known (plain ASCII folded without regular expressions, a
fingerprint remembered, a SequenceMatcher ratio bounded from above): these tests hold it to the
long way on tricky input.
"""
from __future__ import annotations

import random

from indexer.dedupe import Fingerprints, fingerprint_of
from indexer.headline import repeated_prefix
from indexer.records import Teaser
from indexer.text import clean, find_date, fold

# ASCII that takes each way through `fold` and `clean`: punctuation, control characters and runs of
# whitespace, the underscore (a word character), entity and escaping noise
ASCII_PIECES = ["Oil", "RISES", "u.s.", "a_b", "--", "  ", "\t", "\x1c", "\x00", "'", "&amp;", "#39;", "\\", ";", "3:0"]
# ... and what sends a text the long way: accents, non-breaking and thin spaces, a combining accent
OTHER_PIECES = ["é", "\xa0", "\u2009", "e\u0301", "ß", "½"]


def _texts(pieces: list[str], n: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 10))) for _ in range(n)]


def test_plain_ascii_folds_as_the_long_way_folds_it():
    # the long way runs on any text that is not ASCII: a trailing "é" (folded "e") sends it there
    for text in _texts(ASCII_PIECES, 5000, seed=1):
        folded = fold(text)
        assert fold(f"{text} é") == f"{folded} e".strip()


def test_clean_collapses_every_kind_of_whitespace():
    for text in _texts(ASCII_PIECES + OTHER_PIECES, 5000, seed=2):
        assert clean(text) == " ".join(clean(text).split())
        assert clean(text) == clean(f"{text}\xa0").rstrip()


def test_a_line_without_digits_has_no_date_and_one_with_them_may():
    assert find_date("Published March 3") is None
    assert find_date("Published 3 March 2005") == "2005-03-03"
    assert find_date("Stand: 04.02.2026, 10:15 Uhr") == "2026-02-04"


def test_a_repeat_is_found_whatever_the_bounds_skip():
    headline = "Police arrest man after Berlin car attack"
    assert repeated_prefix(headline, f"{headline} Officers said on Sunday that the suspect was known.") == 7
    assert repeated_prefix(headline, "Police arrest a man after the car attack in Berlin, officers said on Sunday.") == 0
    assert repeated_prefix(headline, "Police arrest man after car attack Officers said the suspect was known.") == 6


def test_remembered_fingerprints_are_the_ones_computed_and_few():
    teasers = [Teaser(headline=f"Headline {n % 7}", text=f"Lede number {n % 7} says {n % 7} things happened today in town.",
                      page=f"p{n}", site="s") for n in range(40)]
    fingerprints = Fingerprints(kept=3)
    for teaser in teasers:
        assert fingerprints(teaser) == fingerprint_of(teaser)
        assert len(fingerprints.known) <= 3

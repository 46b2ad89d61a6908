"""The shortcuts that make segmenting cheaper give what the long way gives.

Each shortcut skips work whose answer is known (plain ASCII folded without regular expressions, a
fingerprint remembered, a SequenceMatcher ratio bounded from above): these tests hold it to the
long way on tricky input.
"""
from __future__ import annotations

import itertools
import pickle
import random
import unicodedata
import zlib
from collections import Counter
from difflib import SequenceMatcher

from indexer.crawlview import LINES, Consulted, CrawlView, key
from indexer.dedupe import SHINGLE, Fingerprint, Fingerprints, fingerprint_of, shingles
from indexer.headline import (_DATELINE, _OPENERS, _PAIRED, _SENTENCE_LAST, MIN_HEADLINE_WORDS, OPENING_MAX_WORDS,
                               REPEAT_MIN_RATIO, W,
                               BloomSet, Known, _capitalised_share, _dateline_score, _is_capitalised,
                               _recurring_pair_score, _title_case_prefixes, _word_case, _words_key, is_sentence_end,
                               repeated_prefix, starts_like_lede)
from indexer.records import Page, Teaser
from indexer.sitelines import (_MARKER, _SEPARATOR, _SUFFIX, BOILERPLATE_MIN_PAGES, DIGITS, HEADLINE_LINE_MIN_WORDS,
                               SHAPE_MARK, TAIL_MARK, TAIL_MAX_WORDS, CrawlStats, _is_paragraph,
                               _shape, _tail_of, boilerplate_by_count, is_paragraph, tidy)
from indexer.text import (_NON_WORD, _SPACES, FUNCTION_WORDS, MEMO_MAX_CHARS, Memo, _fold, _is_date_line, clean, find_date, first_words,
                          fold, fold_word, fold_words, is_date_line)

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


def _fold_the_long_way(text: str) -> str:
    text = clean(text).lower()
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return _SPACES.sub(" ", _NON_WORD.sub(" ", text)).strip()


def test_accents_are_dropped_as_the_long_way_drops_them():
    # combining accents of every kind, precomposed letters, ligatures, scripts with marks of their own
    pieces = ASCII_PIECES + OTHER_PIECES + ["Ä", "ñ", "ﬁ", "ǅ", "\u0301", "\u0308\u0323", "ế", "क्षि", "ש\u05b8", "✓", "—", "©"]
    for text in _texts(pieces, 5000, seed=3):
        assert fold(text) == _fold_the_long_way(text)


def test_remembered_repeats_are_the_ones_worked_out():
    rnd = random.Random(4)
    words = ["Police", "arrest", "man", "after", "Berlin", "car", "attack", "Officers", "said", "the", "a"]
    for _ in range(3000):
        headline = " ".join(rnd.choice(words) for _ in range(rnd.randint(0, 8)))
        paragraph = " ".join(rnd.choice(words) for _ in range(rnd.randint(0, 16)))
        assert repeated_prefix(headline, paragraph) == repeated_prefix.__wrapped__(headline, paragraph)


def test_a_bloom_set_filled_at_once_holds_the_bits_filled_one_by_one():
    rnd = random.Random(5)
    for n in (0, 1, 15, 16, 17, 500, 20000):
        keys = [rnd.getrandbits(32) for _ in range(n)] + [0, 0xFFFFFFFF, 0xFFFFFFFF]
        one_by_one, at_once = BloomSet(bits_log2=16), BloomSet(bits_log2=16)
        for k in keys:
            one_by_one.add(k)
        at_once.add_all(keys)
        assert one_by_one.bits == at_once.bits


def test_a_page_added_in_one_go_is_known_as_its_lines_and_paragraphs_added_one_by_one():
    lines = ["Oil rises on supply fears", "Café Über Straße", "a b", "Headline | Site"]
    paragraphs = [" ".join(f"word{n}" for n in range(k)) for k in (0, 2, 3, 14, 20)] + \
        ["Berlin (dpa) - Die Regierung hat am Montag beschlossen, dass alles anders wird und so weiter."]
    known = Known()
    known.add_page(lines, paragraphs)
    lines_set, openings_set = BloomSet(), BloomSet()
    for line in lines:
        lines_set.add(key(line))
    for paragraph in paragraphs:
        words = fold_words(" ".join(first_words(paragraph, OPENING_MAX_WORDS + 4)))
        for n in range(MIN_HEADLINE_WORDS, min(len(words), OPENING_MAX_WORDS) + 1):
            openings_set.add(key(" ".join(words[:n])))
    assert known.lines.bits == lines_set.bits and known.openings.bits == openings_set.bits


def test_shingles_are_the_runs_of_words_hashed():
    rnd = random.Random(6)
    for n in range(0, 40):
        words = [rnd.choice(["oil", "rises", "é", "3", "a b", ""]) for _ in range(n)]
        runs = [" ".join(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)] or ([" ".join(words)] if words else [])
        assert shingles(words) == {zlib.crc32(run.encode()) for run in runs}


def test_teasers_and_fingerprints_pickle_as_their_fields_in_order():
    teaser = Teaser(headline="Oil rises", text="Oil rose 3% on Monday as supply fears grew in the region again.",
                    page="p1", site="s", caption="c", kicker="k", lang="en")
    assert teaser.__reduce__() == (Teaser, tuple(getattr(teaser, name) for name in Teaser.__slots__))
    fingerprint = fingerprint_of(teaser)
    assert fingerprint.__reduce__() == (Fingerprint, tuple(getattr(fingerprint, name) for name in Fingerprint.__slots__))
    assert pickle.loads(pickle.dumps(teaser)) == teaser and pickle.loads(pickle.dumps(fingerprint)) == fingerprint


def test_the_headline_split_skips_only_words_that_cannot_answer_yes():
    # `_split_headline` asks `is_sentence_end` only of words ending on one of _SENTENCE_LAST, `_can_end_before`
    # only of words not opening with a small letter, and reads `_is_capitalised` inline
    pieces = ["U.S.", "St.", "Mr.", "a", "Oil", "oil", "ÖL", "öl", "3", "?", "!", ".", "\"", "”", "“", "„", "«", "'", ")",
              "é", "É", "ß", "-", ",", "(AP)", "ǅ", "ǆ", "ⅰ", "Ⅰ", "_", "…"]
    for word in _texts(pieces, 20000, seed=7):
        if not word:
            continue
        if is_sentence_end(word):
            assert word[-1] in _SENTENCE_LAST
        if starts_like_lede(word):
            assert not word[0].islower()
        assert word.lstrip(_OPENERS)[:1].isupper() == _is_capitalised(word)


def _shape_the_long_way(line: str) -> str | None:
    numbers = DIGITS.search(line) is not None
    words = [DIGITS.sub("0", w) if numbers and DIGITS.search(w) else "X" if w[:1].isupper() else w for w in line.split()]
    kept = sum(w != "X" and not (numbers and DIGITS.search(w)) for w in words)
    if kept == len(words) or not (kept or numbers):
        return None
    return f"{SHAPE_MARK} {' '.join(words)}"


def test_a_line_without_numbers_has_the_shape_the_long_way_gives():
    pieces = ["X", "x", "Oil", "oil", "Öl", "öl", "dpa", "AP", "3", "10:52", "'", "-", " ", "  ", "\t", "ǅ", "Ⅳ", "½", "٣"]
    for line in _texts(pieces, 20000, seed=8):
        assert _shape(line) == _shape_the_long_way(line)


def test_a_memo_answers_as_its_function_whatever_it_holds():
    # a memo of two texts, asked over and over: it starts again empty when full, and never holds a long text
    calls: list[str] = []
    memo = Memo(lambda text: calls.append(text) or text.upper(), kept=2)
    long = "x" * (MEMO_MAX_CHARS + 1)
    for text in ["a", "b", "a", "c", "a", long, long, "b"] * 3:
        assert memo[text] == text.upper()
        assert len(memo) <= 2 and long not in memo
    assert calls.count(long) == 6  # (worked out each time)
    for text in _texts(ASCII_PIECES + OTHER_PIECES, 3000, seed=9):
        assert fold(text) == _fold(text) and fold_word(text) == _fold(text)
        assert is_date_line(text) == _is_date_line(text) and is_paragraph(text) == _is_paragraph(text)


def test_a_line_is_tidied_as_the_long_way_tidies_it():
    def tidy_the_long_way(line: str, crawl: CrawlView) -> str:
        printed, line = line, _MARKER.sub("", clean(line))
        m = _SUFFIX.search(line)
        suffixed = m and boilerplate_by_count(crawl.pages_with_tail(fold(m.group(1))), crawl.site_pages)
        if m and suffixed[0] and (suffixed[1] or crawl.pages_with_line(printed) < BOILERPLATE_MIN_PAGES):
            line = line[:m.start()]
        for cut in range(2):  # (a second time only for a tail set apart by a separator: a duration's first unit)
            tail = _tail_of(line)
            if tail is None or not boilerplate_by_count(crawl.pages_with_line(tail), crawl.site_pages)[0] \
                    or (cut and not any(w in "•·|–—-" for w in tail.split()[2:])):
                break
            line = " ".join(line.split()[:-int(tail.split()[1])]).rstrip(" •·|–—-")
        return line

    pieces = ["Oil", "rises", "&amp;", "  ", "| Capitolnews", " - Site", "•", "## ", "Gestern,", "10:52", "4 Min", "Politik"]
    lines = _texts(pieces, 3000, seed=10)
    stats = CrawlStats()
    for n in range(BOILERPLATE_MIN_PAGES):  # (the tails and suffixes of half the lines recur on the site, a
        stats.observe(Page(id=f"p{n}", site="s", lines=lines[::2]))  # third of these lines whole on every page)
        stats.observe(Page(id=f"q{n}", site="s", lines=[f"Other line {n} {m.group(0)}" if k % 3 else line
                                                        for k, line in enumerate(lines[::2])
                                                        if (m := _SUFFIX.search(_MARKER.sub("", clean(line))))]))
    for crawl in (CrawlView(stats, "s", Consulted()), CrawlView(stats, "other", Consulted())):
        for line in lines:
            assert tidy(line, crawl) == tidy_the_long_way(line, crawl)


def test_a_lede_opening_is_keyed_from_its_words_folded_one_by_one():
    pieces = ASCII_PIECES + OTHER_PIECES + ["-", "—", "U.S.", "#39;s", "&amp;", "quot;Oil"]
    rnd = random.Random(11)
    for _ in range(3000):
        words = [w for w in (rnd.choice(pieces) + rnd.choice(pieces) for _ in range(rnd.randint(0, 8))) if w.split() == [w]]
        assert _words_key([fold_word(w) for w in words]) == key(" ".join(words))


def test_a_dateline_is_only_looked_for_where_a_dash_stands_alone():
    pieces = ["NEW", "YORK", "(Reuters)", "-", "--", "–", "—", "Oil", "rose", "AP", "QUETTA,", "Pakistan", "a-b", "X-"]
    rnd = random.Random(12)
    for _ in range(20000):
        words = [rnd.choice(pieces) for _ in range(rnd.randint(2, 12))]
        i = rnd.randint(1, len(words) - 1)
        opening = " ".join(words[i:i + 8])
        m = _DATELINE.match(opening)
        long_way = W["dateline"] if not words[i - 1].isupper() and m \
            and not opening[m.end():m.end() + 1].islower() else 0.0  # (the lede's sentence opens after the dash)
        assert _dateline_score(words, i) == long_way


def test_a_recurring_pair_is_found_as_counting_the_pairs_finds_it():
    rnd = random.Random(13)
    for _ in range(5000):
        folded = [rnd.choice(["oil", "rises", "", "u s", "a", "oil rises"]) for _ in range(rnd.randint(2, 12))]
        pairs = _PAIRED + _PAIRED.join(folded) + _PAIRED
        counts = Counter(zip(folded, folded[1:]))
        for i in range(1, len(folded)):
            long_way = -W["bigram"] if counts[(folded[i - 1], folded[i])] > 1 else 0.0
            assert _recurring_pair_score(folded, pairs, i) == long_way


def test_title_case_is_read_from_each_word_case_as_from_the_words():
    def prefixes_the_long_way(words: list[str]) -> list[bool]:
        flags, content, capitalised = [False], 0, 0
        for w, f in zip(words, map(fold_word, words)):
            if f and f not in FUNCTION_WORDS and not f[0].isdigit():
                content += 1
                capitalised += _is_capitalised(w)
            flags.append(content >= 3 and capitalised >= 0.8 * content)
        return flags

    def share_the_long_way(words: list[str]) -> float:
        content = [w for w, f in zip(words, map(fold_word, words)) if f and f not in FUNCTION_WORDS and not f[0].isdigit()]
        return sum(_is_capitalised(w) for w in content) / len(content) if content else 0.5

    pieces = ["Oil", "oil", "the", "The", "3", "3D", "-", "“Oil", "„öl", "Öl", "U.S.", "of", "Of"]
    rnd = random.Random(14)
    for _ in range(5000):
        words = [rnd.choice(pieces) for _ in range(rnd.randint(0, 12))]
        cases = [_word_case(w) for w in words]
        assert _title_case_prefixes(cases) == prefixes_the_long_way(words)
        assert _capitalised_share(cases) == share_the_long_way(words)


def _tail_the_long_way(line: str) -> str | None:
    if not DIGITS.search(line):
        return None
    words = line.split()
    last = next((i for i in range(len(words) - 1, max(-1, len(words) - 1 - TAIL_MAX_WORDS), -1)
                 if DIGITS.search(words[i])), 0)
    start = last
    while start > HEADLINE_LINE_MIN_WORDS:
        before = words[start - 1]
        if DIGITS.search(before) or before.endswith(","):
            start -= 1
        elif _SEPARATOR.match(before) and start - 1 > HEADLINE_LINE_MIN_WORDS:
            start -= 2
            break
        else:
            break
    if start < HEADLINE_LINE_MIN_WORDS or len(words) - start > TAIL_MAX_WORDS or all(DIGITS.search(w) for w in words[start:]):
        return None
    shape = [DIGITS.sub("0", w) if DIGITS.search(w) else "X" if w[:1].isupper() else w for w in words[start:]]
    if not any(_SEPARATOR.match(w) or w.endswith(",") for w in words[start:]) and not DIGITS.search(words[-1]):
        shape[-1] = fold_word(words[-1])
    return f"{TAIL_MARK} {len(words) - start} {' '.join(shape)}"


def test_a_line_tail_is_found_as_the_long_way_finds_it():
    pieces = ["Oil ", "rises ", "Gestern, ", "10:52 ", "4 ", "Min ", "• ", "| ", "Politik ", "2026 ", "a,", "  ", "\t"]
    for line in _texts(pieces, 20000, seed=15):
        assert _tail_of(line) == _tail_the_long_way(line)


def _repeated_prefix_the_long_way(headline: str, paragraph: str) -> int:
    head = fold_words(headline)
    words = first_words(paragraph, len(head) + 8)
    if len(head) < 2 or len(words) <= len(head) // 2:
        return 0
    folded = [fold(w) for w in words[:len(head) + 6]]
    if head[0] not in " ".join(folded[:2]).split():
        return 0  # (the rule: a repeat starts where the headline starts, in the first two words)
    best, best_ratio = 0, 0.0
    for k in range(max(1, len(head) - 3), min(len(words), len(head) + 4) + 1):
        if k < len(words) and not starts_like_lede(words[k]):
            continue
        ratio = SequenceMatcher(None, head, [t for w in folded[:k] for t in w.split()], autojunk=False).ratio()
        if ratio > best_ratio + 1e-9:
            best, best_ratio = k, ratio
    return best if best_ratio >= REPEAT_MIN_RATIO else 0


def test_a_repeat_is_found_as_the_long_way_finds_it():
    # the shortcuts (bounds of the ratio, an exact repeat) against every ratio worked out
    rnd = random.Random(16)
    words = ["Police", "police", "arrest", "man", "after", "Berlin", "car", "U.S.", "-", "Officers", "said", "the"]
    for _ in range(5000):
        headline = " ".join(rnd.choice(words) for _ in range(rnd.randint(0, 8)))
        paragraph = " ".join(rnd.choice(words) for _ in range(rnd.randint(0, 6))) if rnd.random() < 0.5 \
            else f"{headline} {' '.join(rnd.choice(words) for _ in range(rnd.randint(0, 6)))}"
        assert repeated_prefix.__wrapped__(headline, paragraph) == _repeated_prefix_the_long_way(headline, paragraph)


def test_a_long_text_has_the_folded_words_of_its_folded_form():
    for text in _texts(ASCII_PIECES + OTHER_PIECES, 2000, seed=17):
        long = " ".join([text] * (MEMO_MAX_CHARS // max(1, len(text)) + 2))
        assert fold_words(long) == _fold(long).split()


def test_the_answers_a_decision_records_are_those_the_long_way_records():
    def settling_the_long_way(rule, answers: list[bool]) -> list[int]:
        result = rule(*answers)
        for size in range(len(answers) + 1):
            for kept in itertools.combinations(range(len(answers)), size):
                free = [n for n in range(len(answers)) if n not in kept]
                if all(rule(*[dict(zip(free, values)).get(n, a) for n, a in enumerate(answers)]) == result
                       for values in itertools.product((False, True), repeat=len(free))):
                    return list(kept)
        return list(range(len(answers)))

    class Answers:  # a crawl whose Bloom sets answer as told
        site_pages = Counter()
        known = None

    rnd = random.Random(18)
    for _ in range(3000):
        n = rnd.randint(1, 3)
        table = {values: rnd.random() < 0.5 for values in itertools.product((False, True), repeat=n)}
        rule = lambda *values: table[values]
        answers = [rnd.random() < 0.5 for _ in range(n)]
        view = CrawlView(Answers(), "s", Consulted())
        view.answer = lambda which, k: answers[k]
        asks = [(LINES, k) for k in range(n)]
        assert view.decide(rule, asks) == rule(*answers)
        assert view.record.asks == [k << 2 | LINES << 1 | answers[k] for k in settling_the_long_way(rule, answers)]

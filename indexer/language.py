"""Every story's language: detected from its own text, else as its pages declare, else the crawl's.

A story is tagged once, after dedup, when its text is final (`tag_languages`). Its headline and
the start of its text go to py3langid (its model ships inside its wheel). Where the detector is
sure (probability at least DETECT_MIN_PROBABILITY over DETECT_MIN_CHARS or more), it wins, even
over its page's declaration: an English teaser on a German page is English. Where it is not, the
language its pages declare (`<html lang>`, Content-Language, a JSONL `lang`) is taken, else the
crawl's main language: the commonest among the first MAIN_SAMPLE stories the detector is sure of.

py3langid over resiliparse's detector: on 3,000 German lines of the German news pages and 3,000
English AG News stories, py3langid tagged 97.7% and 100% right (resiliparse 88.7% and 90.7%), and
on their first four words 92.9% and 72.3% (resiliparse 31.4% and 10.2%), at 330-630 us a line
(resiliparse 27-42 us). Its probabilities also say when it is unsure, which the fallback needs.

Stories are detected DETECT_BATCH at a time (`detect_many`): py3langid walks a text's bytes through
its n-gram automaton in a Python loop, two thirds of its time; here numpy takes one step of every text
of a batch at once, and the scoring that follows is py3langid's own, story by story, on the same
numbers in the same order, so the language and probability are exactly `classify`'s (the tests compare
them). The 32,555 stories of the 100k-teaser crawl: 7.4 s of CPU one at a time, 1.7 s in batches.
"""
from __future__ import annotations

import os
import re
import shutil
import threading
from collections import Counter
from importlib.metadata import PackageNotFoundError, version
from itertools import islice
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np

from .records import Story

DETECT_MIN_CHARS = 40  # shorter, and the detector is too often wrong to overrule anything
DETECT_MIN_PROBABILITY = 0.9  # py3langid's normalised probability for "sure"
DETECT_MAX_CHARS = 240  # what it reads of a story: the headline and the text's start (its cost is per byte)
DETECT_BATCH = 512  # stories detected at once: enough for numpy's steps to pay, few to hold back
MAIN_SAMPLE = 200  # stories the detector is sure of that decide a crawl's main language
NOT_LANGUAGES = frozenset({"zxx", "und"})  # py3langid's "no linguistic content" and "undetermined"
_LANG_CODE = re.compile(r"^[a-z]{2,3}$")

# The py3langid whose private model arrays and scoring steps `_Batch` reads (pyproject.toml allows
# others: with one, detection goes text by text through its public `classify`, as fast as before)
PY3LANGID_WRITTEN_FOR = "0.4.0"

_IDENTIFIER = None
_BATCH = None  # the identifier's arrays as `_Batch` reads them, made once
_LOADING = threading.Lock()
_PRELOADING: threading.Thread | None = None


def _identifier():
    """py3langid's identifier with normalised probabilities, loaded on first use. Its model ships
    LZMA-compressed: decompressing it costs about 0.4 s of CPU, so the first load keeps the arrays
    decompressed in the user's cache (`_cached_identifier`, 68 MB), where the next builds map them in
    a few milliseconds; `preload` lets a build spend the first load beside its imports."""
    global _IDENTIFIER
    with _LOADING:
        if _IDENTIFIER is None:
            _IDENTIFIER = _cached_identifier()
    return _IDENTIFIER


def _model_cache() -> Path | None:
    """Where the decompressed model of the installed py3langid is kept, named by its version and its
    file's size and time (a new release or model is a new name), or None where `_Batch` does not
    read this py3langid (the cache holds numpy arrays, which only `_Batch` reads at full speed)."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    try:
        installed = version("py3langid")
        stat = (Path(MODEL_DIR) / MODEL_FILE).stat()
    except (PackageNotFoundError, OSError):
        return None
    if installed != PY3LANGID_WRITTEN_FOR:
        return None
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "lede"
    return root / f"py3langid-{installed}-{stat.st_size}-{stat.st_mtime_ns}"


def _cached_identifier():
    """py3langid's `LanguageIdentifier.from_model_file`, its arrays mapped from the cache when they are
    there (the same numbers: a cache that cannot be read is made again), else decompressed and then
    kept there for the next build (written to a temporary folder and renamed: a build killed midway,
    or two at once, leave no half-written cache; where the cache cannot be written, nothing is kept)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    cache = _model_cache()
    if cache is not None and cache.is_dir():
        try:
            arrays = {name: np.load(cache / f"{name}.npy", mmap_mode="r") for name in MODEL_ARRAYS}
            return LanguageIdentifier(arrays["ptc"], arrays["pc"], arrays["classes"].tolist(), arrays["nextmove"],
                                      arrays["output"].tolist(), norm_probs=True, tk_row=arrays["row"].tolist())
        except (OSError, ValueError, KeyError):
            shutil.rmtree(cache, ignore_errors=True)
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    if cache is not None:
        _keep(cache, identifier)
    return identifier


MODEL_ARRAYS = ("ptc", "pc", "classes", "nextmove", "output", "row")


def _keep(cache: Path, identifier) -> None:
    arrays = {"ptc": identifier.nb_ptc, "pc": identifier.nb_pc, "classes": np.array(identifier.nb_classes),
              "nextmove": np.frombuffer(identifier.tk_nextmove, dtype=np.uint32),
              "output": np.array(identifier.tk_output, dtype=np.int64),
              "row": np.array(identifier.tk_row, dtype=np.int64)}
    tmp = cache.with_name(f".{cache.name}.{os.getpid()}")
    try:
        tmp.mkdir(parents=True, exist_ok=True)
        for name, array in arrays.items():
            np.save(tmp / f"{name}.npy", array, allow_pickle=False)
        tmp.rename(cache)
    except OSError:  # unwritable, full, or another build kept it first
        shutil.rmtree(tmp, ignore_errors=True)


def preload() -> None:
    """Start loading the detector's model in a thread (LZMA decompression lets the reading go on);
    once (`lede index` calls it before its imports, the build again)."""
    global _PRELOADING
    if _IDENTIFIER is None and _PRELOADING is None:
        _PRELOADING = threading.Thread(target=_identifier, name="lede-language-model", daemon=True)
        _PRELOADING.start()


def normalize_code(value: str | None) -> str | None:
    """An ISO 639-1 code from a declaration ("de-CH", "en_US", "DE", "de, en"), or None."""
    if not value or not isinstance(value, str):
        return None
    code = re.split(r"[-_,;\s]", value.strip().lower(), maxsplit=1)[0]
    return code if _LANG_CODE.match(code) and code not in NOT_LANGUAGES else None


def detect(text: str) -> tuple[str | None, bool]:
    """The language of a text and whether the detector is sure of it (None when it cannot tell)."""
    return detect_many([text])[0]


def detect_many(texts: list[str]) -> list[tuple[str | None, bool]]:
    """`detect` of each text, the texts classified together (`classify_many`)."""
    samples = [text[:DETECT_MAX_CHARS] for text in texts]
    wanted = [n for n, sample in enumerate(samples) if len(sample.strip()) >= DETECT_MIN_CHARS]
    found: list[tuple[str | None, bool]] = [(None, False)] * len(texts)
    for n, (lang, probability) in zip(wanted, classify_many([samples[n] for n in wanted])):
        if lang not in NOT_LANGUAGES:
            found[n] = lang, probability >= DETECT_MIN_PROBABILITY
    return found


def classify_many(texts: list[str]) -> list[tuple[str, float]]:
    """py3langid's `classify` of each text: the same language and probability, computed in a batch
    where the installed py3langid is the one `_Batch` was written for."""
    global _BATCH
    identifier = _identifier()
    if not texts:
        return []
    if not _batchable(identifier):
        return [identifier.classify(text) for text in texts]
    if _BATCH is None or _BATCH.identifier is not identifier:
        _BATCH = _Batch(identifier)
    return _BATCH.classify(texts)


def _batchable(identifier) -> bool:
    try:
        installed = version("py3langid")
    except PackageNotFoundError:
        return False
    return installed == PY3LANGID_WRITTEN_FOR and identifier.min_confidence is None


class _Batch:
    """py3langid 0.4.0's `LanguageIdentifier.classify` (normalised probabilities) over many texts.

    Its `visit_counts` walks each text's bytes through the automaton of its byte n-gram features,
    `state = nextmove[rowbase[state] + byte]`, counting the feature each state emits (`output`); here
    the states of all texts advance together, one byte position at a time. What follows is its
    `_sparse_score` and `_decide` per text, with the same features in the same (first seen) order,
    and its float16 weights made float32 for the features of the batch, as its matrix product does."""

    def __init__(self, identifier) -> None:
        self.identifier = identifier
        self.nextmove = np.frombuffer(identifier.tk_nextmove, dtype=np.uint32)  # (its typecode "I")
        self.rowbase = np.asarray(identifier._rowbase, dtype=np.int64)
        self.output = np.asarray(identifier.tk_output, dtype=np.int64)

    def classify(self, texts: list[str]) -> list[tuple[str, float]]:
        encoded = [self.identifier._encode(text) for text in texts]
        rows, features, counts = self._visits(encoded)
        used, local = np.unique(features, return_inverse=True)
        weights = self.identifier.nb_ptc[used].astype(np.float32)
        ends = np.searchsorted(rows, np.arange(len(texts) + 1))
        lengths = np.array([len(data) or 1 for data in encoded], dtype=np.float64)
        return self._decide(np.log1p(counts.astype(np.float32)), local, ends, weights, lengths)

    def _visits(self, encoded: list[bytes]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The features each text visits and how often, each text's in the order first visited:
        (text number, feature, count) rows, by text."""
        lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
        width = int(lengths.max())
        order = np.argsort(-lengths, kind="stable")  # longest first: the texts still walking are a prefix
        sorted_lengths = lengths[order]
        data = np.frombuffer(b"".join(encoded[n] for n in order), dtype=np.uint8).astype(np.int64)
        starts = np.concatenate(([0], np.cumsum(sorted_lengths)[:-1]))
        walking = np.searchsorted(-sorted_lengths, -np.arange(width), side="left")  # texts longer than i
        state = np.zeros(len(encoded), dtype=np.int64)
        emitted = np.full((width, len(encoded)), -1, dtype=np.int64)
        for i in range(width):
            k = int(walking[i])
            state[:k] = self.nextmove[self.rowbase[state[:k]] + data[starts[:k] + i]]
            emitted[i, :k] = self.output[state[:k]]
        emitted = emitted.T  # text by text (in `order`), position by position
        text_of, position = np.nonzero(emitted >= 0)
        text = order[text_of]
        feature = emitted[text_of, position]
        key = text * len(self.output) + feature  # (emitted features are below the number of states)
        _, first, counts = np.unique(key, return_index=True, return_counts=True)
        by_text = np.lexsort((first, text[first]))  # each text's features in the order first visited
        first = first[by_text]
        return text[first], feature[first], counts[by_text]

    def _decide(self, logs: np.ndarray, local: np.ndarray, ends: np.ndarray, weights: np.ndarray,
                lengths: np.ndarray) -> list[tuple[str, float]]:
        """py3langid's `_decide` and `classify` of every text at once: each text's scores are the same
        vector-matrix product (its own, in float32, as py3langid's), and every step after it is
        elementwise or a row's own max and sum, so each text's numbers are those of its own call."""
        identifier = self.identifier
        scores = np.zeros((len(lengths), len(identifier.nb_classes)), dtype=np.float32)
        seen = ends[1:] > ends[:-1]  # texts with a feature (the others score 0.0 everywhere)
        for n in np.flatnonzero(seen).tolist():
            start, end = ends[n], ends[n + 1]
            scores[n] = logs[start:end] @ weights[local[start:end]]
        scores[seen] += identifier.nb_pc
        scores *= (1.0 / np.sqrt(lengths)).astype(np.float32)[:, None]
        np.exp(scores - scores.max(axis=1, keepdims=True), out=scores)
        scores /= scores.sum(axis=1, keepdims=True)
        for i, j in identifier._alias_pairs:
            scores[:, i] += scores[:, j]
            scores[:, j] = 0.0
        best = scores.argmax(axis=1)
        classes = identifier.nb_classes
        return [(classes[b], float(scores[n, b])) for n, b in enumerate(best.tolist())]


def story_sample(story: Story) -> str:
    """What the detector reads of a story: its headline, then its text."""
    return f"{story.headline}. {story.text[:DETECT_MAX_CHARS]}" if story.headline else story.text


def decide(detected: str | None, sure: bool, declared: str | None, main: str) -> str:
    """A story's language: the detector's when sure, else the page's declaration, else the crawl's."""
    if sure and detected:
        return detected
    return declared or main


def tag_languages(stories: Iterable[Story]) -> Iterator[Story]:
    """The stories, in order, each with its `language` set. The first ones are held until the crawl's
    main language is known (MAIN_SAMPLE sure detections, or the end of the crawl)."""
    held: list[tuple[Story, str | None, bool]] = []
    counts: Counter = Counter()
    main = None
    for story, (detected, sure) in _detected(stories):
        if main is not None:
            story.language = decide(detected, sure, story.declared_language, main)
            yield story
            continue
        if sure and detected:
            counts[detected] += 1
        held.append((story, detected, sure))
        if sum(counts.values()) >= MAIN_SAMPLE:
            main = main_language(counts, held)
            yield from _release(held, main)
            held = []
    if held:
        yield from _release(held, main_language(counts, held))


def _detected(stories: Iterable[Story]) -> Iterator[tuple[Story, tuple[str | None, bool]]]:
    """Each story with `detect` of its sample, DETECT_BATCH stories detected at a time."""
    stories = iter(stories)
    while batch := list(islice(stories, DETECT_BATCH)):
        yield from zip(batch, detect_many([story_sample(story) for story in batch]))


def main_language(sure: Counter, held: list[tuple[Story, str | None, bool]]) -> str:
    """The commonest sure detection, else the commonest declaration, else DEFAULT_LANGUAGE
    (ties go to the language seen first)."""
    from .analysis import DEFAULT_LANGUAGE  # (here: this module is imported without Whoosh and NLTK, `preload`)

    if sure:
        return sure.most_common(1)[0][0]
    declared = Counter(story.declared_language for story, _, _ in held if story.declared_language)
    return declared.most_common(1)[0][0] if declared else DEFAULT_LANGUAGE


def _release(held: list[tuple[Story, str | None, bool]], main: str) -> Iterator[Story]:
    for story, detected, sure in held:
        story.language = decide(detected, sure, story.declared_language, main)
        yield story

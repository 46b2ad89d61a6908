"""Languages: each story tagged with its language, analysed, searched, suggested and highlighted in it."""
from __future__ import annotations

import json
import random
from collections import Counter

import numpy as np
import pytest

from indexer import language
from indexer.analysis import (analysis_key, fold_token, search_fields, stemmed_words,
                              stemming_analyzer)
from indexer.analysis import NltkTokenizer, _TermCache, stem, word_analyzer
from indexer.build import iter_stories
from indexer.language import _identifier, classify_many, decide, detect, normalize_code, tag_languages
from indexer.pipeline import build_index
from indexer.records import Story
from webapp.search import IndexHolder, get_story, search


def terms(text: str, lang: str) -> list[str]:
    return [t.text for t in stemming_analyzer(lang=lang)(text, mode="index")]


# ---------------------------------------------------------------- analysis per language

@pytest.mark.parametrize("lang, a, b", [
    ("de", "Verhandlungen", "Verhandlung"),
    ("de", "Polizisten", "Polizist"),
    ("de", "Häuser", "Hauser"),
    ("de", "Straße", "Strasse"),
    ("en", "negotiations", "negotiation"),
    ("fr", "élections", "election"),
    ("es", "negociaciones", "negociación"),
    ("ru", "переговоры", "переговоров"),
])
def test_inflections_share_a_stem(lang, a, b):
    assert terms(a, lang) == terms(b, lang)


def test_german_folding_muenchen():
    """In German, ue is how ü is typed without umlauts: Muenchen, München and Munchen are one word;
    after a vowel or q it is no umlaut (teuer is not Tür, Quelle stays)."""
    assert terms("Muenchen", "de") == terms("München", "de") == terms("Munchen", "de")
    assert terms("teuer", "de") != terms("Tür", "de")
    assert fold_token("Quelle", "de") == "quelle"
    assert fold_token("Bauer", "de") == "bauer"


def test_english_folding_keeps_ue():
    """Elsewhere, accents fold (München is Munchen) but ue is two letters."""
    assert terms("München", "en") == terms("Munchen", "en") != terms("Muenchen", "en")


def test_russian_letters_are_not_folded():
    assert fold_token("Новый", "ru") == "новый"  # й is a letter of its own, which the stemmer reads
    assert terms("новый", "ru") == ["нов"]


def test_language_without_stemmer_is_folded_not_stemmed():
    assert analysis_key("pl") == "other"
    assert terms("Negocjacje w Łodzi", "pl") == ["negocjacje", "w", "lodzi"]


def test_stop_words_keep_their_positions():
    tokens = stemming_analyzer(lang="de")("Ende der Verhandlungen", positions=True, mode="index")
    assert [(t.text, t.pos) for t in tokens] == [("end", 0), ("der", 1), ("verhandl", 2)]


def test_stemmed_words_are_what_is_indexed():
    text = "Die Verhandlungen in Muenchen: Polizisten und Bürger"
    indexed = [(t.text, t.startchar, t.endchar)
               for t in stemming_analyzer(lang="de")(text, chars=True, mode="index")]
    assert list(stemmed_words(text, "de")) == indexed


# made-up text in pieces: words (capitalised, accented, German digraphs, digits), what separates them,
# and line breaks (alone, doubled, after a carriage return, before and after a line without words)
TEXT_PIECES = ["Ferry", "strike", "ENDS", "Muenchen", "München", "Straße", "café", "x_y", "3:0", "½", "the",
               " ", "  ", " -- ", ", ", "\n", "\n\n", "\r\n", "\n--\n", "\t"]


def test_term_runs_are_the_terms_and_positions_of_the_tokens():
    """NltkTokenizer.term_runs (the index writer's way) gives each term at the positions its
    tokens have, line gaps and all."""
    rng = random.Random(4)
    values = ["", "one", "\nSecond line", "line\n", "One -- two\n--\nthree four"]
    values += ["".join(rng.choices(TEXT_PIECES, k=rng.randint(0, 30))) for _ in range(300)]
    analyzers = [stemming_analyzer(lang="de"), stemming_analyzer(10, "en"), word_analyzer(10, "de"),
                 NltkTokenizer(line_gap=3), NltkTokenizer()]
    gaps = 0
    for analyzer in analyzers:
        for value in values:
            expected: dict[str, list[int]] = {}
            for token in analyzer(value, positions=True, mode="index"):
                expected.setdefault(token.text, []).append(token.pos)
            found: dict[str, list[int]] = {}
            for start, terms_ in analyzer.term_runs(value):
                for pos, term in enumerate(terms_, start):
                    found.setdefault(term, []).append(pos)
            assert found == expected, (value, analyzer.__dict__)
            gaps += analyzer.line_gap and len(analyzer.term_runs(value)) > 1
    assert gaps > 100  # (runs of several lines were compared)


def test_the_term_cache_starts_again_when_full(monkeypatch):
    monkeypatch.setattr("indexer.analysis.TERM_CACHE_SIZE", 3)
    cache = _TermCache("de")
    words = ["Verhandlungen", "Muenchen", "München", "Häuser", "Verhandlungen", "Straße"]
    assert [cache[word] for word in words] == [stem(fold_token(word, "de"), "de") for word in words]
    assert len(cache) <= 3


def test_search_fields_cover_each_analysis_once():
    assert search_fields(["de", "en", "pl", "cs"]) == [
        "headline_de", "text_de", "caption_de", "headline_en", "text_en", "caption_en",
        "headline_other", "text_other", "caption_other"]


# ---------------------------------------------------------------- detection

GERMAN = "Die Verhandlungen über den Haushalt sind in der Nacht gescheitert, teilte die Regierung mit."
ENGLISH = "Talks on the budget broke down overnight, the government said in a statement on Friday."


def test_detect_sure_on_a_sentence_unsure_on_a_few_words():
    assert detect(GERMAN) == ("de", True)
    assert detect(ENGLISH) == ("en", True)
    assert detect("Haushalt") == (None, False)


MANY_LANGUAGES = [
    GERMAN, ENGLISH, GERMAN[:41], "Haushalt", "", " ", "12:30 Uhr", "BREAKING NEWS: MARKETS FALL SHARPLY AT THE OPEN",
    "Les négociations sur le budget ont échoué dans la nuit, a annoncé le gouvernement.",
    "Las negociaciones sobre el presupuesto fracasaron durante la noche, dijo el gobierno.",
    "Переговоры о бюджете сорвались ночью, сообщило правительство в пятницу.",
    "Οι διαπραγματεύσεις για τον προϋπολογισμό κατέρρευσαν τη νύχτα.",
    "预算谈判在夜间破裂，政府周五在一份声明中表示。", "予算協議は夜間に決裂したと政府が発表した。",
    "مفاوضات الميزانية انهارت خلال الليل، بحسب الحكومة.", "Mbappé, Neymar, Messi: 3:1 (2:0), Parc des Princes.",
    "Müller–Lüdenscheidt 😀 ﬁnal Ａｂｃ e\u0301", "x" * 300, "ab " * 100,
]


def test_batched_detection_is_classify_exactly():
    """Detecting a batch at once gives py3langid's own language and probability for each text, to the bit."""
    identifier = _identifier()
    texts = MANY_LANGUAGES + [a + " " + b for a, b in zip(MANY_LANGUAGES, reversed(MANY_LANGUAGES))]
    assert classify_many(texts) == [identifier.classify(text) for text in texts]
    assert classify_many(texts[3:4]) == [identifier.classify(texts[3])]
    assert classify_many([]) == []


def test_the_cached_model_is_the_shipped_model(tmp_path, monkeypatch):
    """The model's arrays kept decompressed in the cache give py3langid's own answers to the bit: on the
    first load (kept), on the next (mapped from the cache), and after a damaged cache (made again)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    shipped = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    expected = [shipped.classify(text) for text in MANY_LANGUAGES]
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    cache = language._model_cache()
    assert cache is not None and cache.parent == tmp_path / "lede"
    first = language._cached_identifier()
    assert cache.is_dir() and sorted(p.stem for p in cache.iterdir()) == sorted(language.MODEL_ARRAYS)
    mapped = language._cached_identifier()
    assert isinstance(mapped.nb_ptc, np.memmap)
    for identifier in (first, mapped):
        assert language._Batch(identifier).classify(MANY_LANGUAGES) == expected
    assert [mapped.classify(text) for text in MANY_LANGUAGES[:3]] == expected[:3]  # py3langid's own loop, too
    (cache / "nextmove.npy").write_bytes(b"damaged")
    again = language._cached_identifier()
    assert language._Batch(again).classify(MANY_LANGUAGES) == expected
    assert cache.is_dir() and (cache / "nextmove.npy").stat().st_size > 1000


def test_an_unwritable_cache_costs_only_the_time(tmp_path, monkeypatch):
    (tmp_path / "lede").write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    identifier = language._cached_identifier()
    assert language._Batch(identifier).classify(MANY_LANGUAGES[:2]) == \
        [identifier.classify(text) for text in MANY_LANGUAGES[:2]]


@pytest.mark.parametrize("value, code", [("de-CH", "de"), ("en_US", "en"), ("DE", "de"),
                                          ("de, en", "de"), ("", None), ("12", None), (None, None)])
def test_normalize_code(value, code):
    assert normalize_code(value) == code


def test_sure_text_wins_over_the_page_then_the_page_over_the_crawl():
    assert decide("en", True, "de", "de") == "en"  # an English teaser on a German page
    assert decide("lb", False, "de", "en") == "de"
    assert decide(None, False, None, "de") == "de"


def story(n: int, text: str, declared: str | None = None) -> Story:
    return Story(id=str(n), headline="", headlines=[], text=text, declared_language=declared)


def test_short_stories_take_the_crawls_main_language():
    stories = [story(0, "Kurz"), story(1, GERMAN), story(2, ENGLISH), story(3, GERMAN + " Ja."),
               story(4, "OK", declared="fr")]
    tagged = list(tag_languages(stories))
    assert [s.id for s in tagged] == ["0", "1", "2", "3", "4"]  # in order
    assert [s.language for s in tagged] == ["de", "de", "en", "de", "fr"]


# ---------------------------------------------------------------- a German mini-crawl, end to end

GERMAN_PAGE = [
    "Verhandlung über den Haushalt in Berlin gescheitert",
    "Die Verhandlung zwischen Bund und Ländern über den Haushalt ist in der Nacht ohne Ergebnis zu Ende gegangen.",
    "Polizist in Muenchen bei Einsatz verletzt",
    "Ein Polizist ist bei einem Einsatz in der Innenstadt von einem Auto erfasst und schwer verletzt worden.",
    "Bürgermeisterin eröffnet neue Bibliothek im Stadtzentrum",
    "Nach drei Jahren Bauzeit hat die neue Stadtbibliothek ihre Türen geöffnet; der Andrang war groß.",
]
ENGLISH_PAGE = [
    "Budget negotiations collapse in Berlin",
    "Talks between the federal government and the states on the budget ended overnight without a result.",
    "Ferry strike ends after three weeks",
    "The ferry workers' union accepted the new pay offer on Thursday, ending a strike that began in May.",
]


@pytest.fixture(scope="module")
def mixed_index(tmp_path_factory):
    crawl = tmp_path_factory.mktemp("crawl")
    (crawl / "zeitung").mkdir()
    (crawl / "zeitung" / "index.txt").write_text("\n".join(GERMAN_PAGE) + "\n", encoding="utf-8")
    (crawl / "courier").mkdir()
    (crawl / "courier" / "index.txt").write_text("\n".join(ENGLISH_PAGE) + "\n", encoding="utf-8")
    records = [{"text": "PSG - OM\nMbappé, Neymar, Messi: 3:1 (2:0), Parc des Princes.",
                "url": "https://journal.example.fr/foot", "lang": "fr-FR"}]
    (crawl / "blatt.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    index = tmp_path_factory.mktemp("index")
    build_index([crawl], index)
    return index


def headlines(result: dict) -> list[str]:
    return [hit["headline"].replace("<mark>", "").replace("</mark>", "") for hit in result["results"]]


def test_every_story_gets_its_language(mixed_index):
    languages = {s["headline"]: s["language"] for s in iter_stories(mixed_index)}
    assert languages["Verhandlung über den Haushalt in Berlin gescheitert"] == "de"
    assert languages["Ferry strike ends after three weeks"] == "en"
    assert Counter(languages.values())["de"] >= 3


def test_inflected_german_word_finds_its_story_and_is_marked(mixed_index):
    result = search(IndexHolder(mixed_index), "Verhandlungen")
    assert headlines(result) == ["Verhandlung über den Haushalt in Berlin gescheitert"]
    assert "<mark>Verhandlung</mark>" in result["results"][0]["headline"]
    assert result["results"][0]["language"] == "de"


def test_german_phrase_with_stop_words(mixed_index):
    assert headlines(search(IndexHolder(mixed_index), '"über den Haushalten"')) == [
        "Verhandlung über den Haushalt in Berlin gescheitert"]
    assert search(IndexHolder(mixed_index), '"über Haushalt"')["total"] == 0


def test_umlaut_spellings_find_each_other(mixed_index):
    for q in ("Muenchen", "München", "Munchen"):
        assert headlines(search(IndexHolder(mixed_index), q)) == ["Polizist in Muenchen bei Einsatz verletzt"], q


def test_lang_filter_narrows(mixed_index):
    holder = IndexHolder(mixed_index)
    assert search(holder, "Berlin")["total"] == 2
    assert headlines(search(holder, "Berlin lang:de")) == ["Verhandlung über den Haushalt in Berlin gescheitert"]
    assert headlines(search(holder, "Berlin lang:EN")) == ["Budget negotiations collapse in Berlin"]


def test_did_you_mean_in_german(mixed_index):
    result = search(IndexHolder(mixed_index), "Bibliotheek")
    assert result["total"] == 0
    assert result["suggestion"] == "bibliothek"


def test_declared_language_for_text_too_short(mixed_index):
    """Too short for the detector to be sure: the page's declaration, not the crawl's German."""
    [short] = [s for s in iter_stories(mixed_index) if s["headline"] == "PSG - OM"]
    assert short["language"] == "fr"


def test_story_api_has_language_and_marks(mixed_index):
    holder = IndexHolder(mixed_index)
    hit = search(holder, "Polizisten")["results"][0]
    story = get_story(holder, hit["id"], q="Polizisten")
    assert story["language"] == "de"
    assert "<mark>Polizist</mark>" in story["text_html"]

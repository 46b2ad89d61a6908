"""What a paragraph and the short lines over it are: its headline line, kicker, caption and byline
(`paragraph_teaser`), or a headline run into its lede; and the short lines no paragraph takes, headline-only
teasers or navigation (`headline_only_teasers`)."""

from __future__ import annotations

from .crawlview import LINES, OPENINGS, CrawlView, key
from .headline import (MIN_HEADLINE_WORDS, MIN_LEDE_WORDS, is_sentence_end, repeated_prefix,
                       split_headline)
from .menus import is_menu
from .pagelines import (CONTINUES, HEADLINE_ONLY_MIN_WORDS, KICKER_PREFIX, caption_names, ends_on_function_word,
                        headline_sized, is_headline_line, name_shaped)
from .records import Page, Teaser
from .sitelines import (BOILERPLATE_MAX_WORDS, BOILERPLATE_MIN_PAGES, ELLIPSES, HEADLINE_LINE_MIN_WORDS, KICKER_MAX_WORDS,
                        PARA_MIN_WORDS, SHORT_HEADLINE_MIN_WORDS, boilerplate_by_count, leads_on)
from .text import FUNCTION_WORDS, fold, fold_word, fold_words, is_date_line, word_count

CAPTION_MAX_LINES = 2
_OPENERS = "\"“‘'«„»"  # what a sentence may open on before its first letter
# a paragraph's first sentence up to this long stands as its headline when the paragraph has none (`_first_sentence`):
# three times the longest ideal headline (IDEAL_HEADLINE_WORDS), still read at a glance in a result list; a longer
# one may be a headline run into its lede's first sentence with no full stop between, where the split stands (of the
# first sentences taken on the real German pages, 9 in 10 are this short)
SENTENCE_HEADLINE_MAX_WORDS = 20
SIBLING_MIN_WORDS = 2  # "Kicker: headline" lines alike are siblings when this many words follow the prefix (one
# word after a colon is a label's: "Ressort: Politik")
RHYTHM_MIN_PAIRS = 2  # a box of kicker / headline pairs shows its rhythm in this many pairs at least
PAIRED_TEMPLATE_MIN = 3  # a page prints its headline-only teasers as a kicker over a headline, each closed by its
PAIRED_TEMPLATE_SHARE = 0.5  # metadata, when this many of its two-line runs closed by metadata are such pairs, and
# this share of them: there a run's first line is its kicker even when as long as the headline (gmx.net's and web.de's
# "Video Kurioser Unfall in Stuttgart" / "Taxi kracht in Pizzeria" / "vor 1 Tag": a label run into the kicker)
PAIRED_KICKER_MAX_WORDS = KICKER_MAX_WORDS + 2  # ... up to this long (a label and a kicker: "Interview Maja Göpel
# über die USA"); a longer line is a headline of its own
RUN_TOGETHER_MIN_WORDS = PARA_MIN_WORDS  # a paragraph holding a headline and its lede is this long; under a
# headline line longer than the headline it would split off, a shorter one is that line's lede


def label_over(line: str, below: str | None, crawl: CrawlView) -> bool:
    """A kicker or breadcrumb over an article's headline, not the headline over its photo caption (a
    caption is often the longer line: "Rock star sued by ex-girlfriend" / "Mick Mars in a file
    picture"): a short line over a longer one (`is_kicker`) that the crawl never runs into a lede,
    where the crawl shows the line below as a headline (run into its lede at the start of a paragraph,
    or printed on BOILERPLATE_MIN_PAGES of the site's pages, a story's teasers on its listings) or
    prints this one on as many pages (a label: "Home › Entertainment", "Ukraine-Krieg"). On a site of
    fewer pages the crawl cannot tell: a short line over a longer one is read as a label."""
    if not is_kicker(line, below) or opens_paragraph(line, crawl):
        return False
    return crawl.site_pages < BOILERPLATE_MIN_PAGES or crawl.pages_with_line(line) >= BOILERPLATE_MIN_PAGES \
        or opens_paragraph(below, crawl) or crawl.pages_with_line(below) >= BOILERPLATE_MIN_PAGES


def opens_paragraph(line: str, crawl: CrawlView) -> bool:
    """Whether the crawl prints the line at the start of a paragraph (a headline run into its lede)."""
    return crawl.decide(lambda opens: opens, [(OPENINGS, key(line))])


def paragraph_teaser(shorts: list[str], detached: int, para: str, crawl: CrawlView,
            page_repeats: bool, credited: bool = False, page_ledes: bool = False,
            page_lined: bool = False) -> tuple[Teaser, int]:
    """One teaser from a paragraph and the short lines above it; also how many of those it used.
    A byline between the headline line and the paragraph ("Thomas Gutschker") is its caption; so is
    a photo caption over its credit (`_caption_over_credit`; `credited`: a boilerplate line stands
    between the last short line and the paragraph).

    Only lines with no blank line between them and the paragraph can be its caption.
    """
    if _caption_under_headline(shorts, detached, para, crawl) or _caption_over_credit(shorts, detached, para, credited, crawl):
        teaser, used = _teaser_under_line(shorts[:-1], detached, para, crawl, page_repeats, page_ledes)
        if teaser.headline_from in ("line", "repeat"):
            teaser.caption = " ".join([teaser.caption, shorts[-1]]).strip()
            return teaser, used + 1
    byline = _byline_under_headline(shorts, detached)
    if byline:
        teaser, used = _teaser_under_line(shorts[:-byline], detached, para, crawl, page_repeats, page_ledes)
        if teaser.headline_from in ("line", "repeat"):
            teaser.caption = " ".join([teaser.caption, *shorts[-byline:]]).strip()
            return teaser, used + byline
    return _teaser_under_line(shorts, detached, para, crawl, page_repeats, page_ledes, page_lined)


def _caption_under_headline(shorts: list[str], detached: int, para: str, crawl: CrawlView) -> bool:
    """Whether the last short line above a paragraph is a photo caption under the teaser's headline,
    not its headline: it names the paragraph (`caption_names`), and the crawl runs the line above it into a
    lede at the start of a paragraph elsewhere (a headline), and never this one ("Hummer going smaller
    for share of big market" / "General Motors in a file picture" / lede). The line above is
    headline-sized (`headline_sized`: a shorter one opening some paragraph is as likely a common
    phrase, "In mehreren Bundesländern:", a kicker) and can stand over a byline (`_over_byline`: not a
    lede's opening cut off on a function word), and no blank line parts them from the paragraph."""
    return len(shorts) - 2 >= detached and headline_sized(shorts[-2], False) and _over_byline(shorts[-2]) \
        and caption_names(shorts[-1], para) and opens_paragraph(shorts[-2], crawl) \
        and not opens_paragraph(shorts[-1], crawl)


def _caption_over_credit(shorts: list[str], detached: int, para: str, credited: bool, crawl: CrawlView) -> bool:
    """Whether the last short line above a paragraph is a photo caption over its credit, under the
    teaser's headline: a line the site prints on many pages (a boilerplate line: "Picture: AP") parts
    it from the paragraph (`credited`), it names the teaser (`caption_names`: the headline above and the
    paragraph), and the line above it, with no blank line between them, can stand over a byline
    (`_over_byline`: a headline line) and is no label over it: it does not end on a colon, and is no
    kicker where the crawl can tell (`label_over`; "Zwischen Eigennutz und Gemeinwohl:" / "Welche
    Interessen Politikberater verfolgen" / "Gastbeitrag" / lede is a kicker, a headline and a label)."""
    if not credited or len(shorts) - 2 < detached:
        return False
    above, line = shorts[-2], shorts[-1]
    return _over_byline(above) and not above.rstrip().endswith(":") and caption_names(line, f"{above} {para}") \
        and not label_over(above, line, crawl)


def _byline_under_headline(shorts: list[str], detached: int) -> int:
    """How many of the last short lines above a paragraph are its byline, with a headline line right
    above it and no blank line between them and the paragraph: a line too short for a headline line
    (a name, "Von X"), after one line ending on a function word ("Ein Kommentar von" / "Thomas
    Klemm") or none; 0 when there is none. The headline line may be as short as a kicker leading on into
    it lets it be (`_under_leading_kicker`: "Starmer bei Trump:" / "Britische Charmeoffensive" / "Ein
    Kommentar von" / "Tatjana Heid"). Under such a pair, a line shaped as a person's names too short for a
    headline-only teaser (`name_shaped`, under HEADLINE_ONLY_MIN_WORDS) is the byline even when it is as long
    as a headline line ("Christoph Becker, Mailand", after "Ein Kommentar von" or not): the pair is the
    teaser's head."""
    if shorts and name_shaped(shorts[-1]) \
            and word_count(shorts[-1], HEADLINE_ONLY_MIN_WORDS) < HEADLINE_ONLY_MIN_WORDS:
        if len(shorts) - 3 >= detached and _under_leading_kicker(shorts[:-1], detached):
            return 1
        if len(shorts) - 4 >= detached and ends_on_function_word(shorts[-2]) \
                and _under_leading_kicker(shorts[:-2], detached):
            return 2
    if len(shorts) - 2 < detached or is_headline_line(shorts[-1]) or leads_on(shorts[-2]):
        return 0
    if _over_byline(shorts[-2]) or _under_leading_kicker(shorts[:-1], detached):
        return 1
    if len(shorts) - 3 >= detached and ends_on_function_word(shorts[-2]) and (
            _over_byline(shorts[-3]) or _under_leading_kicker(shorts[:-2], detached)):
        return 2
    return 0


def _over_byline(line: str) -> bool:
    """A line that can be the headline line over a byline: not ending on a function word, not a menu."""
    return is_headline_line(line) and not ends_on_function_word(line) and not is_menu(line)


def _teaser_under_line(shorts: list[str], detached: int, para: str, crawl: CrawlView,
                       page_repeats: bool, page_ledes: bool = False, page_lined: bool = False) -> tuple[Teaser, int]:
    """One teaser from a paragraph and the short lines above it, the last of them its headline line
    when it can be one; also how many of them it used. `page_ledes`: the page prints its teasers as a
    headline line over a lede (`ledes_under_lines`)."""
    words = para.split()
    headline_line = shorts[-1] if shorts and (is_headline_line(shorts[-1]) or _under_leading_kicker(shorts, detached)) \
        else None
    captions = shorts[max(detached, len(shorts) - CAPTION_MAX_LINES):]
    above = captions[:-1] if captions and captions[-1] is headline_line else []
    if headline_line:
        k = repeated_prefix(headline_line, para)
        if k:
            headline = " ".join(words[:k])
            kicker, caption = _over_headline(above if captions and captions[-1] is headline_line else captions,
                                             headline_line, para)
            teaser = make_teaser(headline, " ".join(words[k:]), caption, [headline, headline_line, *_led_on(kicker, headline)],
                           "repeat", kicker)
            return teaser, len(caption) + bool(kicker) + 1
    k, confident = split_headline(para, crawl)
    if k and headline_line and _under_leading_kicker(shorts, detached):
        # a kicker leads on into the line ("Blizzard in den USA:" / "New York geht im Schnee unter"): the
        # pair is a teaser's head, the paragraph its lede; a photo caption has no kicker of its own
        run_together = False
    elif k and headline_line and word_count(para, RUN_TOGETHER_MIN_WORDS) < RUN_TOGETHER_MIN_WORDS \
            and word_count(headline_line, k + 1) > k - (crawl.site_pages >= BOILERPLATE_MIN_PAGES):
        # a one-sentence lede under its headline line, longer than a headline cut from it (or as long, on a
        # site the crawl has pages of: the split's headline is not printed as a line, the line is)
        run_together = False
    elif k and headline_line:
        # A caption above a "headline lede" paragraph, or a headline above its lede? The crawl
        # decides when it can: the paragraph's opening printed as a line elsewhere, or the line
        # opening a paragraph elsewhere. Otherwise the page's habit and the split's strength do (a
        # confident split at a sentence's end not where the page's paragraphs under lines read as ledes,
        # `page_ledes`: there, it is the lede's first sentence), unless the line is headline-sized and
        # longer than the headline the split would cut, on a site the crawl has pages of (where a
        # headline is printed as a line, the split's is not): a headline over its lede (a caption over a
        # "headline lede" paragraph is the shorter).
        if fold(para).startswith(fold(headline_line)):
            run_together = True  # the paragraph runs on from the line mid-phrase: a caption made of its words
        else:
            longer = crawl.site_pages >= BOILERPLATE_MIN_PAGES and (word_count(
                headline_line, max(k, HEADLINE_ONLY_MIN_WORDS) + 1) > max(k, HEADLINE_ONLY_MIN_WORDS - 1)
                or _unnamed_headline(headline_line, para))
            lede_opening = page_ledes and is_sentence_end(words[k - 1])  # a question or a short sentence opening a lede
            run_together = _crawl_decides(words[:k], headline_line,
                                          (page_repeats or confident and not lede_opening) and not longer, crawl)
    elif k and not confident and page_ledes and page_lined:
        # no headline line over the paragraph, on a page whose teasers print their headline on a line of their
        # own over a lede (`headlines_as_lines`, `ledes_under_lines`), and no confident split: the paragraph is a
        # lede whose headline the page printed only in its link, and an unconfident cut falls mid-phrase ("Vom
        # Druck eines Ersatzteils fürs" / "Fahrrad bis zur ..."). Its first sentence reads as its headline; the
        # cut stays only where no short first sentence is there to take
        k, run_together = _first_sentence(words) or k, True
    else:
        run_together = k > 0
    if run_together:
        return make_teaser(" ".join(words[:k]), " ".join(words[k:]), captions, [], "split"), len(captions)
    if headline_line:
        kicker, caption = _over_headline(above, headline_line, para)
        whole = CONTINUES.sub("", headline_line)
        prefix, headline = _kicker_prefix(whole, crawl)
        return make_teaser(headline, para, caption, [whole] if prefix else _led_on(kicker, headline), "line", kicker or prefix), \
            len(caption) + bool(kicker) + 1
    return make_teaser("", para, captions, [], ""), len(captions)


def _first_sentence(words: list[str]) -> int:
    """How many words a paragraph's first sentence has when it can stand as a headline over the rest: from
    MIN_HEADLINE_WORDS to SENTENCE_HEADLINE_MAX_WORDS, leaving MIN_LEDE_WORDS of lede, not ending on a number
    ("Anfang des 20. Jahrhunderts" runs on), and the next word capitalised, as a sentence opens ("on Dec. 21" and
    "expected. the fair" run on); else 0."""
    for j in range(MIN_HEADLINE_WORDS - 1, min(len(words) - MIN_LEDE_WORDS, SENTENCE_HEADLINE_MAX_WORDS)):
        if is_sentence_end(words[j]) and not words[j][:-1].isdigit() and words[j + 1].lstrip(_OPENERS)[:1].isupper():
            return j + 1
    return 0


def _under_leading_kicker(shorts: list[str], detached: int) -> bool:
    """The last short line stands under a kicker leading on into it ("Seltsamer Fossilienfund:" / "Dorniger
    Drache"), with no blank line between: the teaser's headline line, however short."""
    return len(shorts) - 2 >= detached and is_kicker(shorts[-2], shorts[-1]) and leads_on(shorts[-2])


def _led_on(kicker: str, headline: str) -> list[str]:
    """A kicker leading on into its headline ("Kicker:" / "Headline") is read with it, as one headline:
    a headline variant "Kicker: Headline" (searchable as the page prints it); none for other kickers."""
    return [f"{kicker} {headline}"] if kicker and leads_on(kicker) else []


def _unnamed_headline(line: str, para: str) -> bool:
    """A line over a paragraph that reads as a headline and does not name the paragraph: the paragraph's
    headline, not its caption (a photo caption names its story, `caption_names`; a headline need not: faz.net's
    "Schmuckstück im Ozean" over "Christoph Kolumbus nannte sie „Die Ersehnte“. ..."). It reads as a
    headline: HEADLINE_LINE_MIN_WORDS words, not a sentence, not ending on a function word (a caption
    cut short: "Players sought for")."""
    return len(fold_words(line)) >= HEADLINE_LINE_MIN_WORDS and not ends_on_function_word(line) \
        and not line.rstrip("\"”'’ ").endswith((".", *ELLIPSES)) and not caption_names(line, para)


def _over_headline(above: list[str], headline: str, para: str) -> tuple[str, list[str]]:
    """What the line right above a headline line is to its teaser (headline and paragraph): its
    kicker, its caption, or nothing (a headline-sized line that does not name the teaser: a
    headline-only teaser of its own). Returns (kicker, captions)."""
    if not above:
        return "", []
    if is_kicker(above[-1], headline):
        return above[-1], []
    if word_count(above[-1], HEADLINE_ONLY_MIN_WORDS) >= HEADLINE_ONLY_MIN_WORDS \
            and not caption_names(above[-1], f"{headline} {para}"):
        return "", []
    return "", above


def _kicker_prefix(line: str, crawl: CrawlView) -> tuple[str, str]:
    """A "Kicker: headline" line as (kicker, headline) when the crawl printed the headline alone as a
    line elsewhere (the kicker varies across the pages of one story), or a kicker run into the headline with
    no separator (`_run_in_kicker`); else ("", line). The whole line stays a headline variant of its
    teaser: a story keeps one kicker, and the others stay searchable."""
    m = KICKER_PREFIX.match(line)
    if m is None or word_count(m.group(1), KICKER_MAX_WORDS + 1) > KICKER_MAX_WORDS:
        return _run_in_kicker(line, crawl)
    rest = line[m.end():]
    if word_count(rest, HEADLINE_LINE_MIN_WORDS) < HEADLINE_LINE_MIN_WORDS or not crawl.printed_as_line(rest.split()):
        return "", line
    return m.group(1).strip(), rest


def _run_in_kicker(line: str, crawl: CrawlView) -> tuple[str, str]:
    """A kicker run into its headline with no separator, as (kicker, headline): up to KICKER_MAX_WORDS
    words, fewer than the headline's and not ending on a function word, before a capitalised headline of
    SHORT_HEADLINE_MIN_WORDS that the site printed alone as a line on another page (spiegel.de's
    "Empfehlungen zu Weihnachten Kochbücher zum Verschenken – ..."; a name or label printed alone,
    "Schlechte Sicht auf" / "Planeten-Parade am Nachthimmel", is no headline). A headline printed alone
    anywhere in the crawl (`printed_as_line`: its headline lines, cleaned) counts too when it is
    HEADLINE_ONLY_MIN_WORDS long under a kicker of two words or more: another site's shorter headline for
    the same news ("Russische Schachlegende" / "Boris Spasski ist tot") and a one-word label ("Video") are
    no evidence. Else ("", line)."""
    words = line.split()
    for k in range(1, min(KICKER_MAX_WORDS, len(words) - SHORT_HEADLINE_MIN_WORDS) + 1):
        if k < len(words) - k and words[k][:1].isupper() and fold_word(words[k - 1]) not in FUNCTION_WORDS and (
                crawl.pages_with_line(" ".join(words[k:])) or k > 1 and len(words) - k >= HEADLINE_ONLY_MIN_WORDS
                and crawl.printed_as_line(words[k:])):
            return " ".join(words[:k]), " ".join(words[k:])
    return "", line


def is_kicker(line: str, after: str | None) -> bool:
    """A short topical label over the headline line `after`: at most KICKER_MAX_WORDS words and fewer
    than the headline's, not a sentence; or any short line that a line opening with a colon goes on
    from ("Kicker" / ":Headline"); or a label of as many words leading on into the line below it
    ("Kicker:" / "Headline", `leads_on`), however short that line."""
    if after is None or CONTINUES.match(line):
        return False
    if CONTINUES.match(after):
        return True
    words = word_count(line, KICKER_MAX_WORDS + 1)
    if leads_on(line):  # "Kicker:" over its headline, however short
        return words <= KICKER_MAX_WORDS and not leads_on(after) and not is_date_line(after)
    return words <= KICKER_MAX_WORDS and word_count(after, words + 1) > words \
        and word_count(after, HEADLINE_LINE_MIN_WORDS) >= HEADLINE_LINE_MIN_WORDS \
        and not line.rstrip("\"”'’ ").endswith((".", ",", ":", *ELLIPSES))


def _crawl_decides(opening: list[str], line: str, otherwise: bool, crawl: CrawlView) -> bool:
    """Whether a paragraph runs its headline into its lede (and the line above it is a caption):
    yes when its opening was printed as a line elsewhere, no when the line opens a paragraph
    elsewhere; when both or neither, `otherwise`."""
    def runs_together(is_line: bool, opens: bool) -> bool:
        return is_line if is_line != opens else otherwise

    return crawl.decide(runs_together, [(LINES, key(" ".join(opening))), (OPENINGS, key(line))])


def make_teaser(headline: str, text: str, captions: list[str], variants: list[str], how: str,
          kicker: str = "") -> Teaser:
    headlines = list(dict.fromkeys([headline, *variants])) if headline else []
    return Teaser(headline=headline, text=text, page="", site="", caption=" ".join(captions),
                  headlines=headlines, truncated=text.rstrip().endswith(ELLIPSES), headline_from=how, kicker=kicker)


def headline_only_teasers(shorts: list[str], page: Page, date: str | None, crawl: CrawlView,
                   parted: set[int] = frozenset(), meta: dict[int, list[str]] | None = None) -> list[Teaser]:
    """Lone short lines long enough to be headlines become text-less teasers, each with the kicker
    right above it; the rest is navigation. A line right under a kicker is its headline, never the kicker
    of the line below it (a kicker has no kicker of its own: the first was dropped, its headline lost),
    unless the line above is a box's label (`_label`) and the line under it its first story's kicker. A
    line as long as its headline is its kicker where its box's rhythm says so (`_kickers_in_rhythm`). A
    shorter line (SHORT_HEADLINE_MIN_WORDS) is a headline too where the crawl can tell navigation, which
    recurs, from a teaser (on a site of BOILERPLATE_MIN_PAGES pages or more): under a kicker (a menu item
    has none), or printed on fewer than BOILERPLATE_MIN_PAGES of the site's pages. `parted`: which lines a
    blank or boilerplate line came before; `meta`: the metadata lines of each line, its caption."""
    knows_site = crawl.site_pages >= BOILERPLATE_MIN_PAGES
    paired = _paired_template(shorts, parted, meta or {})
    teasers, kicker = [], ""
    rhythm = _kickers_in_rhythm(shorts, parted, crawl) if knows_site else set()
    for n, line in enumerate(shorts):
        after = shorts[n + 1] if n + 1 < len(shorts) and n + 1 not in parted else None
        if (is_kicker(line, after) or n in paired) and not _siblings(line, after) \
                and (not kicker or _label(kicker, crawl)) or n in rhythm:
            kicker = line
            continue
        whole = CONTINUES.sub("", line)
        prefix, headline = _kicker_prefix(whole, crawl)
        kicker = kicker or prefix
        words = word_count(headline, HEADLINE_ONLY_MIN_WORDS)
        if is_menu(headline):
            pass  # a menu run into one line
        elif words >= HEADLINE_ONLY_MIN_WORDS or (knows_site and words >= SHORT_HEADLINE_MIN_WORDS and (
                kicker or crawl.pages_with_line(headline) < BOILERPLATE_MIN_PAGES)):
            teasers.append(Teaser(headline=headline, text="", page=page.id, site=page.site,
                                  headlines=list(dict.fromkeys([headline, whole, *_led_on(kicker, headline)])),
                                  date=date, url=page.url, headline_from="line", kicker=kicker,
                                  caption=" ".join((meta or {}).get(n, []))))
        kicker = ""
    return teasers


def _label(line: str, crawl: CrawlView) -> bool:
    """A line printed on BOILERPLATE_MIN_PAGES of the site's pages: a box's label ("Meinung", "Videos"), which
    recurs over the boxes it heads, not a story's own kicker, printed with its story alone."""
    return boilerplate_by_count(crawl.pages_with_line(line), crawl.site_pages)[0]


def _kickers_in_rhythm(shorts: list[str], parted: set[int], crawl: CrawlView) -> set[int]:
    """Lines that are the kicker of the line under them by the rhythm of their box, though as long as
    it: a box (lines between two blank, boilerplate or metadata lines) of kicker / headline pairs,
    every other line a kicker (`is_kicker`) and every line between a headline that is none, where the
    kickers so read outnumber the lines in their place that read as none. A kicker counts only where it is
    its story's own, printed on fewer than BOILERPLATE_MIN_PAGES of the site's pages (a box's label
    recurs: "Meinung" over a list of headlines)."""
    found: set[int] = set()
    starts = sorted({0, *(p for p in parted if 0 < p < len(shorts))})
    for start, end in zip(starts, [*starts[1:], len(shorts)]):
        if (end - start) % 2 or end - start < 2 * RHYTHM_MIN_PAIRS:
            continue
        kickers, open_ = 0, []
        for k in range(start, end, 2):
            line, head = shorts[k], shorts[k + 1]
            below = shorts[k + 2] if k + 2 < end else None
            if word_count(head, SHORT_HEADLINE_MIN_WORDS) < SHORT_HEADLINE_MIN_WORDS or is_menu(head) \
                    or (is_kicker(head, below) and not _siblings(head, below)):
                break
            if is_kicker(line, head) and not _siblings(line, head):
                kickers += not _label(line, crawl)
            elif _kicker_shaped(line):
                open_.append(k)
            else:
                break
        else:
            if open_ and kickers > len(open_):
                found.update(open_)
    return found


def _kicker_shaped(line: str) -> bool:
    """A line that could be a kicker as long as its headline: no sentence, no "Kicker:" leading on, no
    ":Headline" going on, not past BOILERPLATE_MAX_WORDS."""
    return word_count(line, BOILERPLATE_MAX_WORDS + 1) <= BOILERPLATE_MAX_WORDS and not CONTINUES.match(line) \
        and not line.rstrip("\"”'’ ").endswith((".", ",", ":", *ELLIPSES))
def _paired_template(shorts: list[str], parted: set[int], meta: dict[int, list[str]]) -> set[int]:
    """The first lines of the two-line runs (a part before each, no part between) whose second line a metadata
    line closes, where PAIRED_TEMPLATE_MIN of such runs and PAIRED_TEMPLATE_SHARE of them are a kicker over its
    headline (`is_kicker`): the page prints each headline-only teaser as a kicker, a headline and its metadata, so
    a run's first line of PAIRED_KICKER_MAX_WORDS at most, ending on no full stop or comma, is the kicker however long. Else none."""
    runs = [n for n in range(len(shorts) - 1) if (n == 0 or n in parted) and n + 1 not in parted
            and (n + 2 == len(shorts) or n + 2 in parted) and meta.get(n + 1)]
    kickers = sum(is_kicker(shorts[n], shorts[n + 1]) for n in runs)
    if kickers < PAIRED_TEMPLATE_MIN or kickers < PAIRED_TEMPLATE_SHARE * len(runs):
        return set()
    return {n for n in runs if word_count(shorts[n], PAIRED_KICKER_MAX_WORDS + 1) <= PAIRED_KICKER_MAX_WORDS
            and not shorts[n].rstrip("\"”'’ ").endswith((".", ",", *ELLIPSES))}


def _siblings(line: str, below: str) -> bool:
    """Two lines printed alike, each a "Kicker: headline" line (a label and the words after it), are two
    headlines of a list ("Viererpack!: Die gigantische Guirassy-Show" over "Nach Grusel-Start: Sesko und
    Openda retten RB-Punkt"), not a kicker over its headline: a kicker has no kicker of its own."""
    return _prefixed(line) and _prefixed(below)


def _prefixed(line: str) -> bool:
    """A "Kicker: headline" line: a prefix KICKER_PREFIX reads, with SIBLING_MIN_WORDS words after it."""
    m = KICKER_PREFIX.match(line)
    return m is not None and word_count(line[m.end():], SIBLING_MIN_WORDS) >= SIBLING_MIN_WORDS

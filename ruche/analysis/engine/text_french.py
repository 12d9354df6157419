"""French free text → content words with lemmas, the input of theme detection.

Short proposals say the same thing with different inflections ("piste cyclable", "des pistes
cyclables"), so texts are compared on lemmas (simplemma's French dictionary), after dropping
grammar words and the words every proposal uses (see text_stop_words). Each feature keeps the
text it came from, so labels can show words as people wrote them rather than lemmas or stems.
"""

import itertools
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import simplemma

from ruche.analysis.engine.text_stop_words import STOP_WORDS

# Letters or digits, possibly joined by hyphens ("centre-ville", "co2"). Apostrophes are not
# word characters, so "l'école" splits into "l" and "école" and the elided article, one
# letter, is dropped.
_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
# Punctuation that ends a phrase: no bigram is made across it.
_PHRASE_BREAK = re.compile(r"[.,;:!?()\[\]«»\"/…]")
# Lemma sequences that are proposal phrasing, not content ("mettre en place").
_STOP_PHRASES = (("mettre", "en", "place"),)
# Where a sentence's first word starts: after the text's start or . ! ? … or a line break,
# then spaces, quotes, brackets or dashes.
_SENTENCE_START = re.compile(r"(?:^|[.!?…\n])[\s\"'«“‘(\-–—*]*")
# Content words may be one stop word apart in a bigram ("transports en commun").
_MAX_BIGRAM_GAP = 1


@dataclass(frozen=True, slots=True)
class Word:
    """One content word of a text: its lemma (what is compared) and where it was written."""

    lemma: str
    surface: str
    start: int
    end: int
    position: int  # index among all words of the text, stop words included


@lru_cache(maxsize=300_000)
def _reading(surface: str) -> tuple[str, bool, bool]:
    """(lower-case lemma, is a content word, is a proper noun) of a word as written.

    The case matters: simplemma keeps "Paris" (the city) but reads "paris" as "pari" (a bet).
    Cached: a corpus repeats the same few thousand words.
    """
    dictionary_lemma = simplemma.lemmatize(surface, lang="fr")
    lemma, lower = dictionary_lemma.lower(), surface.lower()
    content = (
        len(lower) >= 2
        and any(c.isalpha() for c in lower)
        and lower not in STOP_WORDS
        and lemma not in STOP_WORDS
    )
    return lemma, content, dictionary_lemma[:1].isupper()


def lemmatize(word: str) -> str:
    """Lower-case French lemma of a word as written; an unknown word is its own lemma."""
    return _reading(word)[0]


def is_stop_word(word: str) -> bool:
    """Whether a word carries no theme: a stop word (by form or lemma), a number, a letter."""
    return not _reading(word)[1]


def normalize(text: str) -> str:
    """Compose accents (NFC) so "é" typed as "e" + accent matches the dictionary's "é"."""
    return unicodedata.normalize("NFC", text)


def words(text: str) -> list[Word]:
    """Content words of a text, in order: no stop word, no number, no single letter."""
    text = normalize(text)
    tokens = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]
    readings = [_reading(surface) for surface, _, _ in tokens]
    skip = _stop_phrase_positions([lemma for lemma, _, _ in readings])
    starts = {m.end() for m in _SENTENCE_START.finditer(text)}
    result = []
    for position, ((surface, start, end), (lemma, content, proper)) in enumerate(
        zip(tokens, readings, strict=True)
    ):
        if not content or position in skip:
            continue
        if start in starts and not proper:
            surface = surface.lower()  # "Planter des arbres": the capital is the sentence's
        result.append(Word(lemma, surface, start, end, position))
    return result


def _stop_phrase_positions(lemmas: list[str]) -> set[int]:
    skip: set[int] = set()
    for phrase in _STOP_PHRASES:
        size = len(phrase)
        for i in range(len(lemmas) - size + 1):
            if tuple(lemmas[i : i + size]) == phrase:
                skip.update(range(i, i + size))
    return skip


def features(text: str) -> list[tuple[str, str]]:
    """Features of a text as (key, surface) pairs: each content lemma, then each bigram.

    A bigram joins two content words at most one stop word apart within a phrase
    ("pistes cyclables", "transports en commun"); its key is the two lemmas and its surface
    the text between them as written, so a label can quote it.
    """
    text = normalize(text)
    content = words(text)
    result = [(w.lemma, w.surface) for w in content]
    for first, second in itertools.pairwise(content):
        if second.position - first.position - 1 > _MAX_BIGRAM_GAP:
            continue
        between = text[first.end : second.start]
        if _PHRASE_BREAK.search(between):
            continue
        written = " ".join(
            [first.surface, *text[first.start + len(first.surface) : second.end].split()]
        )
        result.append((f"{first.lemma} {second.lemma}", written))
    return result

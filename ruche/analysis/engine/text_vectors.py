"""French word vectors from a spaCy model package, when one is installed.

Short proposals often share no word even when they share a theme ("vélo" / "piste
cyclable"). Static word vectors, trained on a large French corpus, know such words are near;
averaged per text they complement LSA, which only learns from the input itself. On the
Civocracy proposals this raised NMI against the human themes from 0.14 to 0.19
(benchmarks/bench_topics.py).

Only the vector table is read (about 1 s), not the spaCy pipeline: its tagger and
lemmatiser would take ~40 s on 18,690 texts, beyond the time budget.
"""

import importlib
from functools import lru_cache
from pathlib import Path

import numpy as np

DEFAULT_MODEL = "fr_core_news_md"


class WordVectors:
    """Unit-length vectors for lower-case words, looked up many at a time."""

    def __init__(self, name: str, table, hash_string) -> None:
        self.name = name
        self._table = table
        self._hash = hash_string
        data = np.asarray(table.data, dtype=np.float64)
        norms = np.linalg.norm(data, axis=1, keepdims=True)
        self._unit = np.divide(data, norms, out=np.zeros_like(data), where=norms > 0)
        self.dimensions = data.shape[1]

    def rows(self, words: list[str]) -> np.ndarray:
        """Row of each word in the table, -1 for a word it lacks."""
        if not words:
            return np.zeros(0, dtype=int)
        return np.asarray(self._table.find(keys=[self._hash(w) for w in words]), dtype=int)

    def get(self, word: str) -> np.ndarray | None:
        row = self.rows([word])[0]
        return None if row < 0 or not self._unit[row].any() else self._unit[row]

    def matrix(self, rows: np.ndarray) -> np.ndarray:
        """Unit vectors of the given rows; a zero row where the row is -1."""
        result = self._unit[np.maximum(rows, 0)]
        result[rows < 0] = 0.0
        return result


def load(name: str = DEFAULT_MODEL) -> WordVectors | None:
    """The word vectors of an installed spaCy model package, or None if it is not installed.

    Cached: the table is read once per process.
    """
    return _load(name)


@lru_cache(maxsize=4)
def _load(name: str) -> WordVectors | None:
    try:
        package = importlib.import_module(name)
        from spacy.strings import hash_string
        from spacy.vectors import Vectors
    except ImportError:
        return None
    vocab = Path(package.__file__).parent / f"{name}-{package.__version__}" / "vocab"
    if not (vocab / "vectors").exists():
        return None
    table = Vectors().from_disk(vocab)
    if table.shape[0] == 0:  # small models ship no static vectors
        return None
    return WordVectors(name, table, hash_string)


def lexicon_matrix(vectors: WordVectors, lemmas: list[str], forms: dict[str, str]) -> np.ndarray:
    """One unit vector per lemma (the lemma's own, else its commonest written form's); zero
    rows for words the table lacks, so they add nothing to a text's mean."""
    rows = vectors.rows(lemmas)
    missing = np.flatnonzero(rows < 0)
    if missing.size:
        rows[missing] = vectors.rows([forms.get(lemmas[i], lemmas[i]).lower() for i in missing])
    return vectors.matrix(rows)

"""French word vectors from a spaCy model package, when one is installed.

Short proposals often share no word even when they share a theme ("vélo" / "piste
cyclable"). Static word vectors, trained on a large French corpus, know such words are near;
averaged per text they complement LSA, which only learns from the input itself. On the
Civocracy proposals this raised NMI against the human themes from 0.15 to 0.19
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
    """Unit-length vectors for lower-case words; None for a word the table lacks."""

    def __init__(self, name: str, table, hash_string) -> None:
        self.name = name
        self._table = table
        self._hash = hash_string
        self.dimensions = table.shape[1]

    def get(self, word: str) -> np.ndarray | None:
        key = self._hash(word)
        if key not in self._table:
            return None
        vector = np.asarray(self._table[key], dtype=np.float64)
        norm = np.linalg.norm(vector)
        return vector / norm if norm > 0 else None


@lru_cache(maxsize=4)
def load(name: str = DEFAULT_MODEL) -> WordVectors | None:
    """The word vectors of an installed spaCy model package, or None if it is not installed.

    Cached: the table is read once per process.
    """
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
    matrix = np.zeros((len(lemmas), vectors.dimensions))
    for row, lemma in enumerate(lemmas):
        vector = vectors.get(lemma)
        if vector is None and lemma in forms:
            vector = vectors.get(forms[lemma].lower())
        if vector is not None:
            matrix[row] = vector
    return matrix

"""Which existing texts look like a new one: shown before a participant submits a statement,
so they can vote on an existing statement instead of writing a near-duplicate.

TF-IDF over content lemmas and bigrams (text_french.features), fitted on the existing texts
plus the new one, cosine similarity. Lemmas make "pistes cyclables" meet "piste cyclable";
IDF keeps words every statement shares ("agents", "service") from making everything alike.
"""

from collections.abc import Hashable, Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from ruche.analysis.engine import text_french

# On hand-written rephrasings (tests/analysis/test_similar.py) one idea said twice scores
# 0.2–1.0 and unrelated statements 0; low on purpose: a suggestion costs one glance.
DEFAULT_THRESHOLD = 0.2


def _keys(text: str) -> list[str]:
    return [key for key, _surface in text_french.features(text or "")]


def _identity(doc: list[str]) -> list[str]:
    return doc


def similar_texts(
    query: str,
    records: Sequence[tuple[Hashable, str]],
    threshold: float = DEFAULT_THRESHOLD,
    limit: int = 3,
) -> list[tuple[Hashable, float]]:
    """Up to `limit` (id, similarity) of `records` at or above `threshold`, most similar first."""
    query_keys = _keys(query)
    if not query_keys or not records:
        return []
    docs = [_keys(text) for _, text in records]
    vectorizer = TfidfVectorizer(analyzer=_identity, sublinear_tf=True)
    matrix = vectorizer.fit_transform([*docs, query_keys])
    scores = (matrix[:-1] @ matrix[-1].T).toarray().ravel()
    order = np.argsort(-scores, kind="stable")[:limit]
    return [(records[i][0], round(float(scores[i]), 3)) for i in order if scores[i] >= threshold]

"""Word vectors from a spaCy model are used when installed, and the engine works without."""

import pytest

from ruche.analysis.engine import text_vectors
from ruche.analysis.engine.topics import TopicOptions, find_topics
from tests.analysis.test_topic_grouping import RECORDS


def test_missing_model_falls_back_to_lsa():
    """A model that is not installed is no error: texts are compared on LSA alone."""
    assert text_vectors.load("no_such_model_package") is None
    analysis = find_topics(
        RECORDS, k=3, seed=0, options=TopicOptions(word_vectors="no_such_model_package")
    )
    assert analysis.representation.startswith("lsa") and "+" not in analysis.representation
    assert len(analysis.topics) == 3


@pytest.mark.skipif(
    text_vectors.load() is None, reason=f"{text_vectors.DEFAULT_MODEL} not installed"
)
def test_installed_model_is_used_and_knows_related_words():
    """With the model, the result says so; "vélo" is nearer "cycliste" than "hôpital"."""
    vectors = text_vectors.load()
    assert find_topics(RECORDS, k=3, seed=0).representation.endswith("+" + vectors.name)
    bike, cyclist, hospital = (vectors.get(w) for w in ("vélo", "cycliste", "hôpital"))
    assert bike @ cyclist > bike @ hospital

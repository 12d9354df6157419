"""The same input and seed give the same themes, labels and representatives."""

from ruche.analysis.engine.topics import find_topics
from tests.analysis.test_topic_grouping import RECORDS


def _comparable(analysis):
    return (
        analysis.topics,
        analysis.unassigned,
        analysis.near_duplicates,
        analysis.silhouettes,
        analysis.representation,
    )


def test_same_seed_same_result():
    """Two runs with one seed agree on everything but the time taken."""
    first = find_topics(RECORDS, seed=7)
    second = find_topics(list(RECORDS), seed=7)
    assert _comparable(first) == _comparable(second)


def test_result_does_not_depend_on_record_container():
    """Records may come from any iterable (a generator here): the result is the same."""
    assert _comparable(find_topics(iter(RECORDS), k=3, seed=1)) == _comparable(
        find_topics(RECORDS, k=3, seed=1)
    )

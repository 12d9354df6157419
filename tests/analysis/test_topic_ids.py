"""Every input id appears exactly once: in one topic or in `unassigned`."""

from collections import Counter

from ruche.analysis.engine.topics import TopicOptions, find_topics
from tests.analysis.test_topic_grouping import RECORDS

FAST = TopicOptions(word_vectors=None)
EMPTY = [
    ("blank", "   "),
    ("empty", ""),
    ("none", None),
    ("stop-words-only", "Il faut qu'on le fasse, et plus encore !"),
    ("numbers", "2020 – 2030 : 15 %"),
]


def _all_ids(analysis):
    return [m for t in analysis.topics for m in t.members] + list(analysis.unassigned)


def test_each_id_once_and_texts_without_content_unassigned():
    """Blank texts and texts with no content word go to `unassigned`; others to one topic."""
    records = EMPTY[:2] + RECORDS[:9] + EMPTY[2:] + RECORDS[9:]
    for k in (3, None):
        analysis = find_topics(records, k=k, seed=0, options=FAST)
        counts = Counter(_all_ids(analysis))
        assert set(counts) == {record_id for record_id, _ in records}
        assert set(counts.values()) == {1}
        assert analysis.unassigned == tuple(record_id for record_id, _ in EMPTY)


def test_a_rare_word_is_enough_to_be_placed():
    """A text whose only content word appears nowhere else still gets a theme."""
    records = [*RECORDS, ("rare", "Il faut interdire les biocarburants")]
    analysis = find_topics(records, k=3, seed=0, options=FAST)
    assert "rare" not in analysis.unassigned
    assert sorted(_all_ids(analysis)) == sorted(r for r, _ in records)


def test_only_blank_texts_give_no_topic():
    """With nothing to read, there is no theme and every id is unassigned."""
    analysis = find_topics(EMPTY, seed=0, options=FAST)
    assert analysis.topics == () and analysis.unassigned == tuple(r for r, _ in EMPTY)


def test_tiny_inputs_still_place_every_id():
    """One or two texts, or k larger than the input, still give each id exactly once."""
    for records, k in (([("a", "des vélos")], None), (RECORDS[:2], None), (RECORDS[:4], 10)):
        analysis = find_topics(records, k=k, seed=0, options=FAST)
        assert sorted(_all_ids(analysis)) == sorted(r for r, _ in records)
        assert all(topic.members for topic in analysis.topics)


def test_empty_input_gives_empty_result():
    """No records: no topic, nothing unassigned, no error."""
    analysis = find_topics([], seed=0)
    assert analysis.topics == () and analysis.unassigned == ()

"""Rule: every theme has a label, even when none of its words is shared by two of its texts
(then its own words name it)."""

from ruche.analysis.engine.topics import find_topics


def test_a_theme_without_shared_words_still_gets_a_label():
    """k forced high on few, unrelated texts: singleton-word themes are labelled anyway."""
    records = [
        (1, "Le télétravail a fait gagner du temps"),
        (2, "Le télétravail a réduit les trajets"),
        (3, "Les ordinateurs portables manquaient"),
        (4, "La cantine était fermée"),
        (5, "Les visioconférences fatiguent beaucoup"),
        (6, "Le télétravail convient aux parents"),
    ]
    analysis = find_topics(records, k=4, seed=0)
    assert analysis.topics
    assert all(topic.label for topic in analysis.topics)

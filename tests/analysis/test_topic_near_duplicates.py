"""Near-duplicates: texts that say the same thing are grouped, different ones are not."""

from ruche.analysis.engine.topics import TopicOptions, find_topics

FAST = TopicOptions(word_vectors=None)


def test_reworded_identical_texts_are_grouped():
    """Changes of inflection, case, punctuation or proposal phrasing leave the same statement."""
    records = [
        ("a", "Il faut un revenu universel."),
        ("b", "Il faut mettre en place le revenu universel !"),
        ("c", "Il faudrait créer des revenus universels"),
        ("d", "Il faut plus de pistes cyclables en ville"),
        ("e", "il faut PLUS de pistes cyclables dans les villes."),
        ("f", "Il faut rénover les écoles"),
    ]
    analysis = find_topics(records, k=2, seed=0, options=FAST)
    assert analysis.near_duplicates == (("a", "b", "c"), ("d", "e"))


def test_texts_sharing_words_but_not_meaning_are_not_grouped():
    """A shared topic word is not enough: "annuler la dette des pays pauvres" ≠ "… européenne"."""
    records = [
        ("a", "Il faut annuler la dette des pays pauvres"),
        ("b", "Il faut annuler la dette européenne"),
        ("c", "Il faut des pistes cyclables sécurisées"),
        ("d", "Il faut des pistes cyclables gratuites"),
        ("e", "Il faut rénover les écoles rurales"),
    ]
    analysis = find_topics(records, k=2, seed=0, options=FAST)
    assert analysis.near_duplicates == ()


def test_groups_are_connected_components():
    """If a says what b says and b what c says, a, b and c form one group (a and c differ more)."""
    base = (
        "revenu universel versé chaque mois aux citoyens majeurs résidents en France "
        "sans condition de ressources"
    )
    records = [
        ("a", base),
        ("b", base + " ni contrepartie"),
        ("c", base + " ni contrepartie ni démarche"),
        ("d", "rénover les écoles"),
        ("e", "des pistes cyclables"),
    ]
    groups = find_topics(records, k=2, seed=0, options=FAST).near_duplicates
    assert groups == (("a", "b", "c"),)


def test_blank_texts_are_never_near_duplicates():
    """Two empty texts say nothing, so they are not 'the same thing'."""
    records = [("a", ""), ("b", "  "), ("c", "Il faut"), ("d", "des écoles"), ("e", "des vélos")]
    assert find_topics(records, seed=0, options=FAST).near_duplicates == ()

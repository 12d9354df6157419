"""Themes land where a person would put them, with labels made of real words."""

import re

import pytest

from ruche.analysis.engine import text_vectors
from ruche.analysis.engine.topics import TopicOptions, find_topics

THEMES = {
    "vélo": [
        "Il faut plus de pistes cyclables pour aller au travail à vélo.",
        "Il faut sécuriser les pistes cyclables : les cyclistes ont peur des voitures.",
        "Il faut des parkings à vélos devant les gares.",
        "Le vélo doit remplacer la voiture en ville, avec des pistes cyclables continues.",
        "Il faut aider les familles à acheter un vélo électrique.",
        "Il faut des pistes cyclables entre les villages pour les cyclistes.",
    ],
    "école": [
        "Il faut plus d'enseignants dans les écoles pour moins d'élèves par classe.",
        "Il faut mieux payer les enseignants et les former à l'école numérique.",
        "Les élèves ont besoin de classes moins chargées et d'enseignants remplacés.",
        "Il faut rénover les écoles et donner du temps aux enseignants pour les élèves.",
        "Il faut ouvrir les écoles aux parents d'élèves et aux enseignants retraités.",
        "Il faut des cours de cuisine à l'école pour tous les élèves.",
    ],
    "santé": [
        "Il faut plus de soignants à l'hôpital et des lits en réanimation.",
        "Il faut mieux payer les soignants et les infirmières de l'hôpital public.",
        "La santé publique a besoin d'hôpitaux de proximité et de médecins.",
        "Il faut recruter des médecins et des soignants dans les déserts médicaux.",
        "Il faut protéger l'hôpital public et la santé des soignants.",
        "Il faut plus de médecins à l'hôpital et moins d'attente aux urgences.",
    ],
}
RECORDS = [
    (f"{theme}-{i}", text) for theme, texts in THEMES.items() for i, text in enumerate(texts)
]
TEXTS = dict(RECORDS)

# Both representations: LSA alone, and LSA joined with spaCy word vectors when installed.
REPRESENTATIONS = [
    pytest.param(None, id="lsa"),
    pytest.param(
        text_vectors.DEFAULT_MODEL,
        id="lsa+word-vectors",
        marks=pytest.mark.skipif(
            text_vectors.load() is None, reason=f"{text_vectors.DEFAULT_MODEL} not installed"
        ),
    ),
]


def _grouping(analysis):
    return sorted(sorted(topic.members) for topic in analysis.topics)


def _expected():
    return sorted(
        sorted(f"{theme}-{i}" for i in range(len(texts))) for theme, texts in THEMES.items()
    )


@pytest.mark.parametrize("word_vectors", REPRESENTATIONS)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_three_clear_themes_are_found_when_k_is_given(word_vectors, seed):
    """With k=3, cycling, school and health proposals form exactly the three human groups."""
    analysis = find_topics(RECORDS, k=3, seed=seed, options=TopicOptions(word_vectors=word_vectors))
    assert _grouping(analysis) == _expected()


@pytest.mark.parametrize("word_vectors", REPRESENTATIONS)
def test_three_clear_themes_are_found_when_k_is_chosen(word_vectors):
    """Without k, the number of themes chosen from the data is 3, with the human groups."""
    analysis = find_topics(RECORDS, seed=0, options=TopicOptions(word_vectors=word_vectors))
    assert analysis.k_chosen
    assert _grouping(analysis) == _expected()


def test_labels_name_the_theme_in_real_words():
    """Each label names its theme with words as written in the texts, never stems or 'il faut'."""
    analysis = find_topics(RECORDS, k=3, seed=0)
    expected = {
        "vélo": "cycl|vélo",
        "école": "école|enseignant|élève",
        "santé": "soignant|hôpital|santé|médecin",
    }
    written = " ".join(TEXTS.values()).lower()
    for topic in analysis.topics:
        theme = topic.members[0].split("-")[0]
        assert re.search(expected[theme], topic.label), (theme, topic.label)
        assert topic.label == ", ".join(topic.keywords[:3])
        for keyword in topic.keywords:
            assert keyword.lower() in written, f"{keyword!r} is not a word of the texts"
            assert not {"il", "faut", "falloir", "plus"} & set(keyword.lower().split())
    vélo = next(t for t in analysis.topics if t.members[0].startswith("vélo"))
    assert "pistes cyclables" in vélo.keywords  # the written bigram, not "cyclabl" or "cyclable"


def test_representatives_are_members_closest_to_the_centre():
    """Representatives are members of their theme, the most typical first, up to three."""
    analysis = find_topics(RECORDS, k=3, seed=0)
    for topic in analysis.topics:
        assert 1 <= len(topic.representatives) <= 3
        assert set(topic.representatives) <= set(topic.members)
        assert len(set(topic.representatives)) == len(topic.representatives)
    vélo = next(t for t in analysis.topics if t.members[0].startswith("vélo"))
    # The lone "vélo électrique" text shares one word with its theme: the least typical.
    assert "vélo-4" not in vélo.representatives


def test_topics_are_listed_largest_first_with_their_size():
    """Topics come largest first, and a topic's size is its number of members."""
    records = [
        *RECORDS,
        *((f"extra-{i}", TEXTS[f"école-{i}"] + " Et la cantine.") for i in range(4)),
    ]
    analysis = find_topics(records, k=3, seed=0)
    sizes = [topic.size for topic in analysis.topics]
    assert sizes == sorted(sizes, reverse=True)
    assert sizes[0] == 10 and all(t.size == len(t.members) for t in analysis.topics)

"""Rule: before a statement is submitted, existing statements saying the same thing are found
(through lemmas, so inflections do not hide them), and unrelated ones are not."""

import pytest

from ruche.analysis.engine.similar import similar_texts

EXISTING = [
    (1, "Il faut développer les pistes cyclables en ville"),
    (2, "Le télétravail doit être possible deux jours par semaine"),
    (3, "Les agents ont besoin d'ordinateurs portables"),
    (4, "Il faut plus de transports en commun"),
    (5, "Réduire les réunions inutiles"),
    (6, "Former les managers au travail à distance"),
]


@pytest.mark.parametrize(
    ("new", "expected"),
    [
        ("Développer la piste cyclable", 1),
        ("Autoriser deux jours de télétravail par semaine", 2),
        ("Des ordinateurs portables pour tous les agents", 3),
        ("Moins de réunions", 5),
        ("Former les encadrants au management à distance", 6),
    ],
)
def test_a_rephrasing_finds_its_original_first(new, expected):
    """The statement that says the same thing comes first."""
    found = similar_texts(new, EXISTING)
    assert found and found[0][0] == expected


def test_an_unrelated_statement_finds_nothing():
    """A new idea gets no suggestion: nothing to vote on instead."""
    assert similar_texts("Augmenter les salaires des contractuels", EXISTING) == []


def test_empty_inputs():
    """No existing statements, or a text without content words, give no suggestion."""
    assert similar_texts("Développer les pistes cyclables", []) == []
    assert similar_texts("il faut que", EXISTING) == []


def test_limit_caps_the_suggestions():
    """At most `limit` suggestions, most similar first."""
    found = similar_texts("pistes cyclables et transports en commun en ville", EXISTING, limit=1)
    assert len(found) == 1

"""Planted opinion groups are recovered, deterministically for a seed."""

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from ruche.analysis.engine.opinions import analyze_opinions


def planted(n_participants=600, n_statements=80, per_participant=25, seed=0):
    """Four groups placed at the corners of a square: two independent opinion axes, each
    splitting half the statements; sparse random subsets; 20% noise or pass."""
    rng = np.random.default_rng(seed)
    group = rng.choice(4, size=n_participants, p=[0.4, 0.3, 0.2, 0.1])
    axis = rng.integers(0, 2, n_statements)
    sign = rng.choice([-1, 1], size=n_statements)
    corner = np.array([[1, 1], [1, -1], [-1, 1], [-1, -1]])
    stance = corner[:, axis] * sign  # groups × statements, ±1
    participant = np.repeat(np.arange(n_participants), per_participant)
    statement = np.concatenate(
        [rng.choice(n_statements, per_participant, replace=False) for _ in range(n_participants)]
    )
    lean = stance[group[participant], statement]
    noise = rng.random(len(participant))
    vote = np.where(noise < 0.8, lean, np.where(noise < 0.9, 0, -lean))
    return (participant, statement, vote), group


def test_planted_groups_are_recovered():
    """Four well-separated groups come back as four groups (ARI ≥ 0.95)."""
    data, truth = planted()
    result = analyze_opinions(*data, seed=0)
    assert len(result.groups) == 4
    assert result.included.all()
    assert adjusted_rand_score(truth, result.group_labels) >= 0.95


@pytest.mark.parametrize("n_groups", [2, 3])
def test_number_of_groups_is_chosen_by_silhouette(n_groups):
    """With two or three planted groups, k = 2 or 3 has the best silhouette."""
    data, truth = planted(seed=n_groups)
    keep = truth[data[0]] < n_groups  # drop the votes of the other groups' members
    result = analyze_opinions(*(column[keep] for column in data), n_participants=600, seed=0)
    assert len(result.groups) == n_groups
    assert max(result.silhouettes, key=result.silhouettes.get) == n_groups
    voted = result.included
    assert adjusted_rand_score(truth[voted], result.group_labels[voted]) >= 0.95


def test_same_seed_same_groups():
    """Deterministic: the same votes and seed give the same groups, ids and lists."""
    data, _ = planted(seed=5)
    first, second = (analyze_opinions(*data, seed=3) for _ in range(2))
    assert np.array_equal(first.group_labels, second.group_labels)
    assert np.array_equal(first.base_labels, second.base_labels)
    assert first.groups[0].representative == second.groups[0].representative


def test_group_ids_follow_size():
    """Group 0 is the largest, so ids mean the same thing from one run to the next."""
    data, _ = planted(seed=6)
    sizes = [len(g.participants) for g in analyze_opinions(*data, seed=1).groups]
    assert sizes == sorted(sizes, reverse=True)


def test_around_a_hundred_base_clusters():
    """Participants are first summarised into 100 base clusters (fewer if fewer people)."""
    data, _ = planted(n_participants=600)
    assert len(np.unique(analyze_opinions(*data).base_labels)) == 100
    small, _ = planted(n_participants=30, per_participant=20)
    assert len(np.unique(analyze_opinions(*small).base_labels)) == 30


def test_too_few_people_make_no_groups():
    """One participant (or several voting identically) cannot be split into groups."""
    result = analyze_opinions(np.zeros(8, int), np.arange(8), np.ones(8, int))
    assert result.groups == []
    assert result.group_labels.tolist() == [-1]

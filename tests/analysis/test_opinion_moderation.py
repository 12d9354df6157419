"""Statements moderated out (Pol.is `moderated` = −1) are ignored."""

import numpy as np
import pytest

from ruche.analysis.engine.opinions import analyze_opinions


def camps(seed=0, n_participants=120, n_statements=30, per_participant=12):
    """Two camps; statement 0 is the troll statement everyone agrees with."""
    rng = np.random.default_rng(seed)
    camp = rng.integers(0, 2, n_participants)
    stance = rng.choice([-1, 1], size=n_statements)
    participant, statement, vote = [], [], []
    for p in range(n_participants):
        seen = np.concatenate([[0], rng.choice(np.arange(1, n_statements), per_participant - 1)])
        seen = np.unique(seen)
        participant += [p] * len(seen)
        statement += list(seen)
        vote += [1 if s == 0 else stance[s] * (1 if camp[p] else -1) for s in seen]
    return np.array(participant), np.array(statement), np.array(vote)


def without_statement(data, statement):
    keep = data[1] != statement
    return tuple(column[keep] for column in data)


@pytest.fixture(scope="module")
def moderated():
    data = camps()
    return data, analyze_opinions(*data, n_statements=30, moderated_out=[0])


def test_moderated_statement_is_in_no_list(moderated):
    """Neither consensus (it would top it), representative, nor divisive."""
    _, result = moderated
    listed = [c.statement for c in result.consensus.agree + result.consensus.disagree]
    listed += [r.statement for g in result.groups for r in g.representative]
    listed += [d.statement for d in result.divisive]
    listed += result.group_consensus.top_agree + result.group_consensus.top_disagree
    assert 0 not in listed
    assert np.isnan(result.group_consensus.agree[0])
    assert np.isnan(result.participation.agree_share[0])


def test_moderated_statement_does_not_move_the_map(moderated):
    """Same map and groups as if the statement had never existed."""
    data, result = moderated
    absent = analyze_opinions(*without_statement(data, 0), n_statements=30, moderated_out=[0])
    assert result.map.components[:, 0].tolist() == [0.0, 0.0]
    assert result.map.positions == pytest.approx(absent.map.positions)
    assert np.array_equal(result.group_labels, absent.group_labels)
    assert result.participation.votes == absent.participation.votes
    assert result.participation.statements == 29


def test_votes_on_moderated_statement_do_not_count_toward_threshold():
    """A participant with 6 votes plus one on a moderated statement stays excluded."""
    data = camps()
    extra = (np.array([500] * 7), np.arange(7), np.array([1] * 7))
    joined = tuple(np.concatenate([a, b]) for a, b in zip(data, extra, strict=True))
    result = analyze_opinions(*joined, n_statements=30, moderated_out=[0])
    assert not result.included[500]
    assert result.group_labels[500] == -1


def test_moderation_can_be_a_mask():
    """`moderated_out` may also be one boolean per statement."""
    data = camps()
    mask = np.zeros(30, dtype=bool)
    mask[0] = True
    by_mask = analyze_opinions(*data, n_statements=30, moderated_out=mask)
    by_list = analyze_opinions(*data, n_statements=30, moderated_out=[0])
    assert np.array_equal(by_mask.group_labels, by_list.group_labels)


def test_polis_scaling_counts_moderated_statements_in_scaling_only():
    """With polis_scaling, Pol.is's zeroed column still counts in √(statements / votes):
    positions change, but the moderated statement's own votes still change nothing."""
    data = camps()
    plain = analyze_opinions(*data, n_statements=30, moderated_out=[0])
    polis = analyze_opinions(*data, n_statements=30, moderated_out=[0], polis_scaling=True)
    assert polis.map.components == pytest.approx(plain.map.components)
    # Participant 0 voted on k active statements: scale √((29 + 1)/(k + 1)) vs √(29/k).
    k = plain.participation.votes_per_participant[0]
    ratio = np.sqrt((29 + 1) / (k + 1)) / np.sqrt(29 / k)
    assert polis.map.positions[0] == pytest.approx(plain.map.positions[0] * ratio)
    flipped = (data[0], data[1], np.where(data[1] == 0, -data[2], data[2]))
    again = analyze_opinions(*flipped, n_statements=30, moderated_out=[0], polis_scaling=True)
    assert again.map.positions == pytest.approx(polis.map.positions)

"""Degenerate consultations give an empty-but-valid analysis, never an exception."""

import numpy as np

from ruche.analysis.engine.opinions import analyze_opinions

NONE = np.array([], dtype=np.int64)


def test_no_votes_at_all():
    """Participants and statements without a single vote: counted, nothing else."""
    result = analyze_opinions(NONE, NONE, NONE, n_participants=3, n_statements=2)
    assert (result.participation.participants, result.participation.votes) == (3, 0)
    assert result.groups == [] and result.divisive == []
    assert result.consensus.agree == [] and result.consensus.disagree == []


def test_everything_moderated_out():
    """No statement left: no groups, no lists, zero statements."""
    result = analyze_opinions(
        np.array([0, 1, 2]), np.array([0, 0, 1]), np.array([1, -1, 1]), moderated_out=[0, 1]
    )
    assert result.participation.statements == 0
    assert result.groups == []
    assert result.included.tolist() == [False, False, False]


def test_unanimous_votes_make_no_groups():
    """Everyone in the same place: nothing to split, but a consensus."""
    participants = np.repeat(np.arange(6), 2)
    statements = np.tile([0, 1], 6)
    result = analyze_opinions(participants, statements, np.ones(12, dtype=int))
    assert result.groups == []
    assert [c.statement for c in result.consensus.agree] == [0, 1]


def test_a_single_statement_splits_on_it():
    """One statement (threshold min(7, 1) = 1): agree and disagree are the two groups."""
    votes = np.array([1, -1] * 5)
    result = analyze_opinions(np.arange(10), np.zeros(10, dtype=int), votes)
    groups = [set(g.participants.tolist()) for g in result.groups]
    assert sorted(groups, key=min) == [set(range(0, 10, 2)), set(range(1, 10, 2))]

"""Participation statistics: who voted, how much, and each statement's vote shares."""

import numpy as np
import pytest

from ruche.analysis.engine.opinions import analyze_opinions


def test_counts_and_shares():
    """Shares are raw (n / votes on the statement); no vote → NaN."""
    # p0: s0 agree, s1 pass; p1: s0 disagree; p2: s0 agree, s1 agree; nobody votes on s2.
    result = analyze_opinions(
        np.array([0, 0, 1, 2, 2]),
        np.array([0, 1, 0, 0, 1]),
        np.array([1, 0, -1, 1, 1]),
        n_participants=4,
        n_statements=3,
    )
    stats = result.participation
    assert (stats.participants, stats.statements, stats.votes) == (4, 3, 5)
    assert stats.votes_per_participant.tolist() == [2, 1, 2, 0]
    assert stats.n_agree.tolist() == [2, 1, 0]
    assert stats.n_disagree.tolist() == [1, 0, 0]
    assert stats.n_pass.tolist() == [0, 1, 0]
    assert stats.agree_share[:2] == pytest.approx([2 / 3, 1 / 2])
    assert stats.disagree_share[:2] == pytest.approx([1 / 3, 0])
    assert stats.pass_share[:2] == pytest.approx([0, 1 / 2])
    assert np.isnan(stats.agree_share[2])


def test_latest_vote_wins_within_the_arrays():
    """A repeated (participant, statement) pair keeps the last vote in array order."""
    result = analyze_opinions(np.array([0, 0, 0]), np.array([0, 0, 0]), np.array([1, -1, 0]))
    assert result.participation.votes == 1
    assert result.participation.n_pass.tolist() == [1]


@pytest.mark.parametrize(
    ("participants", "statements", "votes", "message"),
    [
        ([0], [0], [2], "votes must be -1"),
        ([0, 1], [0], [1], "same length"),
        ([-1], [0], [1], "out of range"),
        ([0.5], [0], [1], "integer indices"),
    ],
)
def test_bad_arrays_are_refused(participants, statements, votes, message):
    """The engine refuses arrays it cannot interpret, rather than guessing."""
    with pytest.raises(ValueError, match=message):
        analyze_opinions(np.array(participants), np.array(statements), np.array(votes))

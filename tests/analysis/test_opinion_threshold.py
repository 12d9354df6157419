"""Only participants with at least min(7, statements) votes are clustered (Pol.is)."""

import numpy as np

from ruche.analysis.engine.opinions import analyze_opinions, vote_threshold


def voters(counts, n_statements, seed=0):
    """Participant i votes on counts[i] random statements, in one of two camps."""
    rng = np.random.default_rng(seed)
    stance = rng.choice([-1, 1], size=n_statements)
    participant, statement, vote = [], [], []
    for p, count in enumerate(counts):
        seen = rng.choice(n_statements, size=count, replace=False)
        participant += [p] * count
        statement += list(seen)
        vote += list(stance[seen] * (1 if p % 2 else -1))
    return np.array(participant), np.array(statement), np.array(vote)


def test_threshold_is_seven_or_every_statement():
    """min(7, statements): a 5-statement consultation needs all 5 votes."""
    assert vote_threshold(2000) == 7
    assert vote_threshold(5) == 5


def test_participants_under_seven_votes_are_excluded():
    """6 votes: on the map but in no group, and not counted as included."""
    counts = [10] * 40 + [6] * 5 + [7] * 5
    result = analyze_opinions(*voters(counts, 30))
    assert result.included.tolist() == [True] * 40 + [False] * 5 + [True] * 5
    assert (result.group_labels[40:45] == -1).all()
    assert (result.group_labels[45:] >= 0).all()
    grouped = np.concatenate([g.participants for g in result.groups])
    assert not set(range(40, 45)) & set(grouped.tolist())
    assert result.participation.participants == 50
    assert result.participation.participants_included == 45


def test_with_few_statements_every_statement_is_needed():
    """With 5 statements, 4 votes are not enough."""
    counts = [5] * 20 + [4] * 3
    result = analyze_opinions(*voters(counts, 5))
    assert result.included.tolist() == [True] * 20 + [False] * 3


def test_excluded_voters_still_count_in_consensus():
    """Consensus is over everyone's votes, as in Pol.is; groups only over the included."""
    # 40 included participants split 20/20 on s0; 30 excluded ones (3 votes) all agree.
    participant, statement, vote = [], [], []
    for p in range(40):
        participant += [p] * 10
        statement += list(range(10))
        vote += [1 if p % 2 else -1] * 10
    for p in range(40, 70):
        participant += [p] * 3
        statement += [0, 1, 2]
        vote += [1, 1, 1]
    result = analyze_opinions(np.array(participant), np.array(statement), np.array(vote))
    assert result.participation.participants_included == 40
    # s0 overall: 50 agrees of 70 → share 51/72 = 0.708, z = 2·√71·(51/71 − ½) = 3.68
    assert 0 in [c.statement for c in result.consensus.agree]
    # ... while among the included alone it splits 20/20: no group agrees beyond chance
    group_shares = [g.participants for g in result.groups]
    assert sorted(len(members) for members in group_shares) == [20, 20]

"""Statement statistics from Pol.is's published formulas: representativeness ("repness"),
consensus, group-informed consensus, and (our addition) divisive statements.

Shares are smoothed with one pseudo-vote each way, (n + 1) / (n_seen + 2), so a
statement seen by two people cannot look unanimous. Significance is one-sided at 90%
(z > 1.2816) everywhere, as in Pol.is.
"""

import numpy as np

from ruche.analysis.engine.opinions_matrix import AGREE_VALUE, DISAGREE_VALUE, VoteMatrix
from ruche.analysis.engine.opinions_results import (
    AGREE,
    DISAGREE,
    ConsensusStatement,
    DivisiveStatement,
    GroupInformedConsensus,
    RepresentativeStatement,
)

Z_90 = 1.2816
PICK = 5


def smoothed_share(success, seen):
    """(n + 1) / (n_seen + 2): Laplace smoothing, ½ when nothing was seen."""
    return (np.asarray(success) + 1.0) / (np.asarray(seen) + 2.0)


def prop_test(success, seen):
    """Pol.is's z-score for "share > ½": 2·√(n+1)·((k+1)/(n+1) − ½)."""
    success, seen = np.asarray(success) + 1.0, np.asarray(seen) + 1.0
    return 2.0 * np.sqrt(seen) * (success / seen - 0.5)


def two_prop_test(success_in, success_out, seen_in, seen_out):
    """Pol.is's two-proportion z-score for "share in > share out", counts plus one.

    0 when the pooled share is 1 (nothing to distinguish).
    """
    s1, s2 = np.asarray(success_in) + 1.0, np.asarray(success_out) + 1.0
    n1, n2 = np.asarray(seen_in) + 1.0, np.asarray(seen_out) + 1.0
    pooled = (s1 + s2) / (n1 + n2)
    spread = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (s1 / n1 - s2 / n2) / spread
    return np.where(spread > 0, z, 0.0)


def column_counts(matrix: VoteMatrix, labels: np.ndarray, n_groups: int):
    """(n_agree, n_disagree, n_seen), each n_groups × columns, from participants with a
    label ≥ 0."""
    label = labels[matrix.participant]
    keep = label >= 0
    cell = label[keep].astype(np.int64) * matrix.n_columns + matrix.column[keep]
    vote = matrix.vote[keep]
    size = n_groups * matrix.n_columns

    def count(selected):
        counts = np.bincount(cell[selected] if selected is not None else cell, minlength=size)
        return counts.reshape(n_groups, matrix.n_columns)

    return count(vote == AGREE_VALUE), count(vote == DISAGREE_VALUE), count(None)


def representative(n_agree, n_disagree, n_seen, group: int, statement_of_column, pick=PICK):
    """Statements that set `group` apart, best first (at most `pick`).

    A direction qualifies when both z-scores pass 90%: share > ½ in the group, and share
    in the group > share among the other grouped participants. If both directions
    qualify, the one with the stronger in-vs-out test wins. Ranked by Pol.is's metric,
    ratio × z_vs_outside × share × z_in_group.
    """
    out_agree = n_agree.sum(axis=0) - n_agree[group]
    out_disagree = n_disagree.sum(axis=0) - n_disagree[group]
    out_seen = n_seen.sum(axis=0) - n_seen[group]
    candidates = {}
    for direction, success, out_success in (
        (AGREE, n_agree[group], out_agree),
        (DISAGREE, n_disagree[group], out_disagree),
    ):
        share_in = smoothed_share(success, n_seen[group])
        share_out = smoothed_share(out_success, out_seen)
        z_in = prop_test(success, n_seen[group])
        z_out = two_prop_test(success, out_success, n_seen[group], out_seen)
        candidates[direction] = (share_in, share_out, z_in, z_out, success)
    agree_ok = (candidates[AGREE][2] > Z_90) & (candidates[AGREE][3] > Z_90)
    disagree_ok = (candidates[DISAGREE][2] > Z_90) & (candidates[DISAGREE][3] > Z_90)
    use_agree = agree_ok & (~disagree_ok | (candidates[AGREE][3] >= candidates[DISAGREE][3]))

    found = []
    for column in np.flatnonzero(agree_ok | disagree_ok):
        direction = AGREE if use_agree[column] else DISAGREE
        share_in, share_out, z_in, z_out, success = (a[column] for a in candidates[direction])
        found.append(
            RepresentativeStatement(
                statement=int(statement_of_column[column]),
                direction=direction,
                share_in_group=float(share_in),
                share_outside=float(share_out),
                ratio=float(share_in / share_out),
                z_in_group=float(z_in),
                z_vs_outside=float(z_out),
                n_success=int(success),
                n_seen=int(n_seen[group][column]),
            )
        )
    found.sort(key=lambda item: (-item.metric, item.statement))
    return found[:pick]


def consensus(n_agree, n_disagree, n_seen, statement_of_column, pick=PICK):
    """Statements a majority agrees (disagrees) with, significantly: share > ½ and z > 1.2816,
    ranked by share × z as Pol.is does. Counts are over every participant."""
    chosen = {}
    for direction, success in ((AGREE, n_agree), (DISAGREE, n_disagree)):
        share = smoothed_share(success, n_seen)
        z = prop_test(success, n_seen)
        columns = np.flatnonzero((share > 0.5) & (z > Z_90))
        columns = columns[np.lexsort((columns, -(share * z)[columns]))][:pick]
        chosen[direction] = [
            ConsensusStatement(
                statement=int(statement_of_column[c]),
                direction=direction,
                share=float(share[c]),
                z=float(z[c]),
                n_success=int(success[c]),
                n_seen=int(n_seen[c]),
            )
            for c in columns
        ]
    return chosen[AGREE], chosen[DISAGREE]


def group_informed_consensus(
    n_agree, n_disagree, n_seen, statement_of_column, n_statements: int, pick=PICK
) -> GroupInformedConsensus:
    """Product over groups of the smoothed shares: every group must lean the same way."""
    values = {}
    tops = {}
    for direction, success in ((AGREE, n_agree), (DISAGREE, n_disagree)):
        full = np.full(n_statements, np.nan)
        if len(n_seen):
            per_column = smoothed_share(success, n_seen).prod(axis=0)
            full[statement_of_column] = per_column
            best = np.lexsort((statement_of_column, -per_column))[:pick]
            tops[direction] = [int(statement_of_column[c]) for c in best]
        else:
            tops[direction] = []
        values[direction] = full
    return GroupInformedConsensus(
        agree=values[AGREE],
        disagree=values[DISAGREE],
        top_agree=tops[AGREE],
        top_disagree=tops[DISAGREE],
    )


def divisive(n_agree, n_seen, statement_of_column, pick=PICK) -> list[DivisiveStatement]:
    """Statements whose smoothed agree share differs most between groups (max − min),
    kept only if the most- and least-agreeing groups differ significantly (z > 1.2816)."""
    if len(n_seen) < 2:
        return []
    shares = smoothed_share(n_agree, n_seen)
    columns = np.arange(shares.shape[1])
    high, low = shares.argmax(axis=0), shares.argmin(axis=0)
    spread = shares[high, columns] - shares[low, columns]
    z = two_prop_test(
        n_agree[high, columns], n_agree[low, columns], n_seen[high, columns], n_seen[low, columns]
    )
    chosen = np.flatnonzero(z > Z_90)
    chosen = chosen[np.lexsort((chosen, -spread[chosen]))][:pick]
    return [
        DivisiveStatement(
            statement=int(statement_of_column[c]),
            spread=float(spread[c]),
            shares=tuple(float(s) for s in shares[:, c]),
            z=float(z[c]),
        )
        for c in chosen
    ]

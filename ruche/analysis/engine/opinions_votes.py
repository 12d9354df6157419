"""One vote per (participant, statement): the last one. Plain numpy, so that reading an
export (ruche.analysis.polis_export) does not pay for importing scipy."""

import numpy as np


def last_vote_indices(participant: np.ndarray, statement: np.ndarray, n_statements: int):
    """Indices of the last vote (in array order) of each (participant, statement) pair,
    sorted by participant then statement: the CSR order."""
    n_votes = len(participant)
    if n_votes == 0:
        return np.zeros(0, dtype=np.int64)
    keys = participant.astype(np.int64) * n_statements + statement
    if (int(keys.max()) + 1) * n_votes < 2**62:
        # Folding the position into the key lets a plain (fast, unstable) value sort
        # order duplicates by position.
        folded = keys * n_votes + np.arange(n_votes)
        folded.sort()
        order = folded % n_votes
        keys = folded // n_votes
    else:
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
    last_of_run = np.ones(n_votes, dtype=bool)
    last_of_run[:-1] = keys[1:] != keys[:-1]
    return order[last_of_run]

"""Vote arrays → the sparse participant × statement matrix the opinion engine works on.

A 75,000 × 2,000 consultation is ~98% empty, so the matrix is kept as CSR with one stored
entry per vote cast (pass votes are stored as explicit zeros: they count as "seen").
"""

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from ruche.analysis.engine.opinions_votes import last_vote_indices

AGREE_VALUE, DISAGREE_VALUE, PASS_VALUE = 1, -1, 0


@dataclass(frozen=True)
class VoteMatrix:
    """One vote per (participant, statement), statements moderated out removed.

    `participant`, `column`, `vote` are the surviving votes sorted by participant then
    column (CSR order); `column` indexes `statement_of_column`, the statements kept.
    `n_moderated_voted` counts the statements moderated out that had votes (Pol.is keeps
    them as all-zero columns; see opinions_pca.project).
    """

    n_participants: int
    n_statements: int
    statement_of_column: np.ndarray
    participant: np.ndarray
    column: np.ndarray
    vote: np.ndarray
    indptr: np.ndarray
    n_moderated_voted: int

    @property
    def n_columns(self) -> int:
        return len(self.statement_of_column)

    @property
    def votes_per_participant(self) -> np.ndarray:
        return np.diff(self.indptr)

    def csr(self, data: np.ndarray) -> sp.csr_matrix:
        """A CSR matrix with this matrix's structure and the given per-vote values."""
        return sp.csr_matrix(
            (data, self.column, self.indptr), shape=(self.n_participants, self.n_columns)
        )


def build_vote_matrix(
    participants,
    statements,
    votes,
    *,
    n_participants: int | None = None,
    n_statements: int | None = None,
    moderated_out=(),
) -> VoteMatrix:
    """Validate the vote arrays, keep the last vote per (participant, statement), drop
    statements moderated out.

    "Last" is the last in array order, so a caller that sorts votes by time gets
    "latest vote wins", as in Pol.is.
    """
    participant = np.asarray(participants)
    statement = np.asarray(statements)
    vote = np.asarray(votes)
    if not (participant.ndim == statement.ndim == vote.ndim == 1):
        raise ValueError("participants, statements and votes must be 1-D arrays")
    if not (len(participant) == len(statement) == len(vote)):
        raise ValueError("participants, statements and votes must have the same length")
    for name, array in (("participants", participant), ("statements", statement)):
        if len(array) and not np.issubdtype(array.dtype, np.integer):
            raise ValueError(f"{name} must hold integer indices")
    if len(vote) and not np.isin(vote, (DISAGREE_VALUE, PASS_VALUE, AGREE_VALUE)).all():
        raise ValueError("votes must be -1 (disagree), 0 (pass) or 1 (agree)")
    if n_participants is None:
        n_participants = int(participant.max()) + 1 if len(participant) else 0
    if n_statements is None:
        n_statements = int(statement.max()) + 1 if len(statement) else 0
    if len(participant) and (participant.min() < 0 or participant.max() >= n_participants):
        raise ValueError("a participant index is out of range")
    if len(statement) and (statement.min() < 0 or statement.max() >= n_statements):
        raise ValueError("a statement index is out of range")

    active = np.ones(n_statements, dtype=bool)
    moderated = np.asarray(moderated_out)
    if moderated.dtype == bool:
        if len(moderated) != n_statements:
            raise ValueError("a moderated_out mask must have one entry per statement")
        active &= ~moderated
    elif len(moderated):
        active[moderated.astype(np.int64)] = False

    order = last_vote_indices(participant, statement, n_statements)
    voted = np.zeros(n_statements, dtype=bool)
    voted[statement] = True
    order = order[active[statement[order]]]

    column_of_statement = np.cumsum(active) - 1
    kept_participant = participant[order].astype(np.int32)
    kept_column = column_of_statement[statement[order]].astype(np.int32)
    indptr = np.zeros(n_participants + 1, dtype=np.int64)
    np.cumsum(np.bincount(kept_participant, minlength=n_participants), out=indptr[1:])
    return VoteMatrix(
        n_participants=n_participants,
        n_statements=n_statements,
        statement_of_column=np.flatnonzero(active),
        participant=kept_participant,
        column=kept_column,
        vote=vote[order].astype(np.int8),
        indptr=indptr,
        n_moderated_voted=int((voted & ~active).sum()),
    )

"""Opinion groups, representative, consensus and divisive statements, the Pol.is way.

A re-implementation from Pol.is's published method (Small et al., "Polis: Scaling
Deliberation by Mapping High Dimensional Opinion Spaces", 2021, and the polismath
documentation), written for sparse data so that a 75,000-participant consultation fits
in seconds and well under a gigabyte:

1. votes agree = +1, disagree = −1, pass = 0; statements moderated out are ignored;
2. participants who voted on at least min(7, statements) statements are "included"
   (clustered and used for group statistics);
3. 2-D PCA of the vote matrix with missing votes imputed by the statement's mean vote,
   computed on the sparse centred matrix (see opinions_pca); each participant's position
   is scaled by √(statements / votes cast);
4. ~100 base clusters by k-means on the included participants' positions, then 2–5
   groups by weighted k-means on the base centres, k chosen by silhouette;
5. per group, representative statements (repness); overall consensus, group-informed
   consensus and divisive statements; participation counts.

Everything is deterministic for a given seed. No Django here: inputs are arrays, outputs
the dataclasses of opinions_results.
"""

from functools import cache

import numpy as np
from threadpoolctl import ThreadpoolController

from ruche.analysis.engine.opinions_clusters import cluster
from ruche.analysis.engine.opinions_matrix import VoteMatrix, build_vote_matrix
from ruche.analysis.engine.opinions_pca import principal_axes, project, statement_means
from ruche.analysis.engine.opinions_results import (
    AGREE,
    DISAGREE,
    Consensus,
    ConsensusStatement,
    DivisiveStatement,
    GroupInformedConsensus,
    OpinionAnalysis,
    OpinionGroup,
    OpinionMap,
    Participation,
    RepresentativeStatement,
)
from ruche.analysis.engine.opinions_stats import (
    PICK,
    column_counts,
    consensus,
    divisive,
    group_informed_consensus,
    representative,
)

__all__ = [
    "AGREE",
    "DISAGREE",
    "Consensus",
    "ConsensusStatement",
    "DivisiveStatement",
    "GroupInformedConsensus",
    "OpinionAnalysis",
    "OpinionGroup",
    "OpinionMap",
    "Participation",
    "RepresentativeStatement",
    "analyze_opinions",
    "vote_threshold",
]

MIN_VOTES = 7


def vote_threshold(n_statements: int) -> int:
    """Pol.is's "in conversation" rule: at least min(7, statements) votes to be clustered."""
    return min(MIN_VOTES, n_statements)


def analyze_opinions(
    participants,
    statements,
    votes,
    *,
    n_participants: int | None = None,
    n_statements: int | None = None,
    moderated_out=(),
    seed: int = 0,
    pick: int = PICK,
    polis_scaling: bool = False,
) -> OpinionAnalysis:
    """Analyse a consultation's votes.

    `participants[i]` voted `votes[i]` (−1, 0, 1) on statement `statements[i]`; both are
    indices (0..n−1). If a (participant, statement) pair repeats, the last vote in array
    order wins. `moderated_out` lists statement indices (or is a boolean mask) to ignore.
    `n_participants` / `n_statements` default to the largest index + 1 (pass them to
    count people and statements without votes). `pick` caps each list of statements.

    `polis_scaling` reproduces a Pol.is quirk: statements moderated out still count in
    the sparsity scaling (opinions_pca.project). Off, moderated-out statements leave no
    trace at all; on, groups match those Pol.is computed (use it on Pol.is exports).
    """
    with _thread_pools().limit(limits=1):
        return _analyze(
            participants,
            statements,
            votes,
            n_participants=n_participants,
            n_statements=n_statements,
            moderated_out=moderated_out,
            seed=seed,
            pick=pick,
            polis_scaling=polis_scaling,
        )


@cache
def _thread_pools() -> ThreadpoolController:
    """BLAS/OpenMP pools, limited to one thread while the engine runs.

    Multi-threaded BLAS and OpenMP spin-wait for each other's cores: on a busy 2-core
    machine a 154 × 154 eigendecomposition took 0.27 s instead of 2 ms, and k-means
    four times longer. One thread is predictable; a server runs several workers anyway.
    """
    return ThreadpoolController()


def _analyze(
    participants,
    statements,
    votes,
    *,
    n_participants,
    n_statements,
    moderated_out,
    seed,
    pick,
    polis_scaling,
) -> OpinionAnalysis:
    matrix = build_vote_matrix(
        participants,
        statements,
        votes,
        n_participants=n_participants,
        n_statements=n_statements,
        moderated_out=moderated_out,
    )
    counts = matrix.votes_per_participant
    included = counts >= max(vote_threshold(matrix.n_columns), 1)

    opinion_map = _opinion_map(matrix, polis_scaling)
    clustering = cluster(opinion_map.positions[included], seed)
    base_labels = np.full(matrix.n_participants, -1, dtype=np.int32)
    group_labels = np.full(matrix.n_participants, -1, dtype=np.int32)
    base_labels[included] = clustering.base_labels
    group_labels[included] = clustering.group_labels
    n_groups = len(clustering.group_centres)

    by_group = column_counts(matrix, group_labels, n_groups)
    groups = [
        OpinionGroup(
            id=g,
            participants=np.flatnonzero(group_labels == g),
            centre=(float(clustering.group_centres[g, 0]), float(clustering.group_centres[g, 1])),
            representative=representative(*by_group, g, matrix.statement_of_column, pick),
        )
        for g in range(n_groups)
    ]
    everyone = column_counts(matrix, np.zeros(matrix.n_participants, dtype=np.int32), 1)
    overall = tuple(c[0] for c in everyone)
    agree, disagree = consensus(*overall, matrix.statement_of_column, pick)
    return OpinionAnalysis(
        participation=_participation(matrix, overall, int(included.sum())),
        included=included,
        map=opinion_map,
        base_labels=base_labels,
        group_labels=group_labels,
        silhouettes=clustering.silhouettes,
        groups=groups,
        consensus=Consensus(agree=agree, disagree=disagree),
        group_consensus=group_informed_consensus(
            *by_group, matrix.statement_of_column, matrix.n_statements, pick
        ),
        divisive=divisive(by_group[0], by_group[2], matrix.statement_of_column, pick),
    )


def _opinion_map(matrix: VoteMatrix, polis_scaling: bool) -> OpinionMap:
    """PCA over every participant's votes (as Pol.is does: the threshold only decides who
    is clustered), then everyone's scaled position."""
    means = statement_means(matrix)
    centred_votes = matrix.vote - means[matrix.column]
    axes, eigenvalues = principal_axes(matrix.csr(centred_votes))
    positions = project(matrix, centred_votes, axes, polis_scaling)
    components = np.zeros((len(axes), matrix.n_statements))
    components[:, matrix.statement_of_column] = axes
    full_means = np.zeros(matrix.n_statements)
    full_means[matrix.statement_of_column] = means
    return OpinionMap(
        components=components,
        explained_variance=eigenvalues / max(matrix.n_participants - 1, 1),
        statement_means=full_means,
        positions=positions,
    )


def _participation(matrix: VoteMatrix, overall, n_included: int) -> Participation:
    n_agree_c, n_disagree_c, n_seen_c = overall

    def full(values, fill):
        out = np.full(matrix.n_statements, fill, dtype=np.result_type(values, type(fill)))
        out[matrix.statement_of_column] = values
        return out

    n_pass_c = n_seen_c - n_agree_c - n_disagree_c
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = [np.where(n_seen_c > 0, n / n_seen_c, np.nan) for n in overall[:2]]
        shares.append(np.where(n_seen_c > 0, n_pass_c / n_seen_c, np.nan))
    return Participation(
        participants=matrix.n_participants,
        participants_included=n_included,
        statements=matrix.n_columns,
        votes=len(matrix.vote),
        votes_per_participant=matrix.votes_per_participant,
        n_agree=full(n_agree_c, 0),
        n_disagree=full(n_disagree_c, 0),
        n_pass=full(n_pass_c, 0),
        agree_share=full(shares[0], np.nan),
        disagree_share=full(shares[1], np.nan),
        pass_share=full(shares[2], np.nan),
    )

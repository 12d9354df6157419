"""The opinion map: Pol.is's 2-D PCA of the mean-imputed vote matrix, without densifying it.

Pol.is imputes a missing vote with the statement's mean vote, then centres each column
on that same mean. A missing entry therefore becomes exactly 0 once centred, so the
centred matrix has the sparsity of the votes: we store (vote − mean) on the votes cast and
never build the 75,000 × 2,000 dense matrix.
"""

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import LinearOperator, eigsh

from ruche.analysis.engine.opinions_matrix import VoteMatrix

N_AXES = 2
# Below this many statements the dense Gram matrix is small: an exact eigh is simpler and
# as fast as the iterative solver.
DENSE_GRAM_MAX_COLUMNS = 400


def statement_means(matrix: VoteMatrix, rows: np.ndarray | None = None) -> np.ndarray:
    """Mean vote per column over `rows` (all participants if None); 0 for unvoted columns."""
    if rows is None:
        column, vote = matrix.column, matrix.vote
    else:
        mask = rows[matrix.participant]
        column, vote = matrix.column[mask], matrix.vote[mask]
    sums = np.bincount(column, weights=vote, minlength=matrix.n_columns)
    counts = np.bincount(column, minlength=matrix.n_columns)
    return np.divide(sums, counts, out=np.zeros(matrix.n_columns), where=counts > 0)


def principal_axes(centred: sp.csr_matrix, n_axes: int = N_AXES) -> tuple[np.ndarray, np.ndarray]:
    """Top right-singular vectors of the centred matrix (rows of the result), and X^T X's
    eigenvalues, with a fixed sign and order so that the map does not flip between runs.
    """
    n_columns = centred.shape[1]
    n_found = min(n_axes, n_columns)
    axes = np.zeros((n_axes, n_columns))
    eigenvalues = np.zeros(n_axes)
    if n_found == 0 or centred.nnz == 0:
        return axes, eigenvalues
    if n_columns <= DENSE_GRAM_MAX_COLUMNS:
        gram = (centred.T @ centred).toarray()
        values, vectors = np.linalg.eigh(gram)
    else:
        # X^T (X v) costs two sparse products per iteration and never forms X^T X.
        transposed = centred.T.tocsr()
        gram = LinearOperator(
            (n_columns, n_columns),
            matvec=lambda v: transposed @ (centred @ v),
            dtype=np.float64,
        )
        # A fixed start: the map must not depend on the clustering seed, to the last bit.
        start = np.random.default_rng(0).standard_normal(n_columns)
        values, vectors = eigsh(gram, k=n_found, which="LA", v0=start, tol=1e-10)
    order = np.argsort(values)[::-1][:n_found]
    for rank, index in enumerate(order):
        axes[rank] = _fix_sign(vectors[:, index])
        eigenvalues[rank] = max(values[index], 0.0)
    return axes, eigenvalues


def _fix_sign(vector: np.ndarray) -> np.ndarray:
    """Make the largest-absolute loading positive (the first one, among near-ties).

    An eigenvector's sign is arbitrary; without a convention the map mirrors itself
    from one run (or seed, or solver) to the next.
    """
    magnitude = np.abs(vector)
    leader = int(np.argmax(magnitude >= magnitude.max() * (1 - 1e-9)))
    return vector if vector[leader] >= 0 else -vector


def project(
    matrix: VoteMatrix, centred_votes: np.ndarray, axes: np.ndarray, polis_scaling: bool
) -> np.ndarray:
    """Participants' coordinates, scaled by √(statements / votes cast) as Pol.is does.

    A participant who voted on few statements has most entries imputed to the mean (0 once
    centred), which pulls them to the centre; the scaling compensates for that.

    With `polis_scaling`, statements moderated out that had votes count as statements
    and as votes cast by everyone, as in Pol.is, which zeroes their column rather than
    dropping it: √((S + M) / (n + M)). This flattens the scaling when much is moderated
    out, and matters to reproduce Pol.is's groups on its exports (see the benchmark).
    """
    centred = matrix.csr(centred_votes)
    positions = np.asarray(centred @ axes.T)
    extra = matrix.n_moderated_voted if polis_scaling else 0
    counts = matrix.votes_per_participant + extra
    scale = np.sqrt((matrix.n_columns + extra) / np.maximum(counts, 1))
    return positions * scale[:, None]

"""Opinion groups the Pol.is way: ~100 base clusters, then 2–5 groups of base clusters.

Base clusters summarise tens of thousands of participants into a hundred weighted points,
so choosing the number of groups (k-means for each k, silhouette to compare) costs the
same for 500 or 75,000 participants.
"""

from dataclasses import dataclass

import numpy as np
from sklearn.cluster import KMeans

BASE_CLUSTERS = 100
# Base clusters only summarise the map: Lloyd iterations past 50 barely move them, and
# sklearn's default of 300 would take seconds at 75,000 participants.
BASE_KMEANS_ITERATIONS = 50
MIN_GROUPS, MAX_GROUPS = 2, 5
GROUP_KMEANS_RESTARTS = 10


@dataclass(frozen=True)
class Clustering:
    """Labels per clustered point (−1 if unclustered), group centres, silhouette per k."""

    base_labels: np.ndarray
    group_labels: np.ndarray
    group_centres: np.ndarray
    silhouettes: dict[int, float]


def cluster(positions: np.ndarray, seed: int) -> Clustering:
    """Base clusters by k-means, then groups by weighted k-means on the base centres.

    The number of groups is the k in 2..5 with the best silhouette; like Pol.is, k is
    also capped at 2 + (base clusters // 12) so that a handful of participants does not
    get split into five groups.
    """
    n_points = len(positions)
    empty = np.full(n_points, -1, dtype=np.int32)
    distinct = np.unique(positions, axis=0) if n_points else positions
    n_base = min(BASE_CLUSTERS, len(distinct))
    if n_base < MIN_GROUPS:
        return Clustering(empty, empty.copy(), np.zeros((0, 2)), {})
    if n_base == len(distinct):
        # Every distinct position is its own base cluster: k-means would only reorder.
        _, base_labels = np.unique(positions, axis=0, return_inverse=True)
        base_centres = distinct
    else:
        base = KMeans(
            n_clusters=n_base, n_init=1, max_iter=BASE_KMEANS_ITERATIONS, random_state=seed
        ).fit(positions)
        base_labels, base_centres = base.labels_, base.cluster_centers_
    base_labels = base_labels.astype(np.int32).ravel()
    weights = np.bincount(base_labels, minlength=n_base).astype(np.float64)
    used = weights > 0
    if not used.all():  # k-means may leave a cluster empty: renumber the others
        renumber = np.cumsum(used) - 1
        base_labels = renumber[base_labels].astype(np.int32)
        base_centres, weights = base_centres[used], weights[used]
        n_base = len(weights)

    max_groups = min(MAX_GROUPS, n_base, MIN_GROUPS + n_base // 12)
    distances = np.linalg.norm(base_centres[:, None, :] - base_centres[None, :, :], axis=2)
    best = None
    silhouettes = {}
    rng = np.random.default_rng(seed)
    for k in range(MIN_GROUPS, max_groups + 1):
        labels, centres = weighted_kmeans(base_centres, weights, k, rng)
        score = weighted_silhouette(distances, labels, weights)
        silhouettes[k] = score
        if best is None or score > best[0] + 1e-12:
            best = (score, labels, centres)
    _, group_of_base, centres = best
    group_of_base, centres = _order_groups(group_of_base, centres, weights)
    return Clustering(base_labels, group_of_base[base_labels], centres, silhouettes)


def weighted_kmeans(
    points: np.ndarray,
    weights: np.ndarray,
    k: int,
    rng: np.random.Generator,
    restarts: int = GROUP_KMEANS_RESTARTS,
    max_iter: int = 300,
) -> tuple[np.ndarray, np.ndarray]:
    """Lloyd's k-means where each point counts `weight` times; best of `restarts`
    weighted k-means++ starts.

    On ~100 base centres plain numpy is faster than sklearn's per-call overhead.
    """
    best = None
    for _ in range(restarts):
        centres = _kmeans_plus_plus(points, weights, k, rng)
        for _ in range(max_iter):
            squared = ((points[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
            labels = squared.argmin(axis=1)
            mass = np.bincount(labels, weights=weights, minlength=k)
            moved = centres.copy()
            for axis in range(points.shape[1]):
                total = np.bincount(labels, weights=weights * points[:, axis], minlength=k)
                moved[mass > 0, axis] = total[mass > 0] / mass[mass > 0]
            if np.allclose(moved, centres, rtol=0, atol=1e-12):
                break
            centres = moved
        squared = ((points[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
        labels = squared.argmin(axis=1)
        inertia = float((weights * squared[np.arange(len(points)), labels]).sum())
        if len(np.unique(labels)) == k and (best is None or inertia < best[0] - 1e-12):
            best = (inertia, labels, centres)
    if best is None:  # every start lost a cluster: only possible with < k distinct points
        raise ValueError(f"cannot form {k} groups from {len(points)} points")
    return best[1], best[2]


def _kmeans_plus_plus(points, weights, k, rng):
    """k-means++ seeding, each point drawn with probability ∝ weight × squared distance."""
    chosen = [rng.choice(len(points), p=weights / weights.sum())]
    closest = ((points - points[chosen[0]]) ** 2).sum(axis=1)
    for _ in range(1, k):
        mass = weights * closest
        if mass.sum() <= 0:
            candidates = np.setdiff1d(np.arange(len(points)), chosen)
            chosen.append(int(candidates[0]))
        else:
            chosen.append(rng.choice(len(points), p=mass / mass.sum()))
        closest = np.minimum(closest, ((points - points[chosen[-1]]) ** 2).sum(axis=1))
    return points[chosen].astype(np.float64)


def weighted_silhouette(distances: np.ndarray, labels: np.ndarray, weights: np.ndarray) -> float:
    """Mean silhouette of the participants, each placed at its base cluster's centre.

    Equivalent to sklearn's silhouette_score on the participants themselves with their
    positions rounded to their base centres, at the cost of a 100 × 100 computation.
    """
    k = int(labels.max()) + 1
    one_hot = np.zeros((len(labels), k))
    one_hot[np.arange(len(labels)), labels] = 1.0
    group_weight = weights @ one_hot
    # Sum of weighted distances from each base centre to each group's members.
    sums = distances @ (one_hot * weights[:, None])
    own = group_weight[labels]
    own_sum = sums[np.arange(len(labels)), labels]
    # A participant's own group excludes themself (distance 0 to their base-mates).
    a = np.divide(own_sum, own - 1, out=np.zeros(len(labels)), where=own > 1)
    other = np.where(one_hot > 0, np.inf, sums / np.maximum(group_weight, 1e-300))
    b = other.min(axis=1)
    denominator = np.maximum(a, b)
    s = np.divide(b - a, denominator, out=np.zeros(len(labels)), where=denominator > 0)
    s[own <= 1] = 0.0  # a lone participant's silhouette is 0 by convention
    return float((s * weights).sum() / weights.sum())


def _order_groups(labels: np.ndarray, centres: np.ndarray, weights: np.ndarray):
    """Number groups by decreasing size (then by centre), so ids do not depend on k-means'
    internal order."""
    sizes = np.bincount(labels, weights=weights, minlength=len(centres))
    order = np.lexsort((centres[:, 1], centres[:, 0], -sizes))
    new_id = np.empty(len(order), dtype=np.int32)
    new_id[order] = np.arange(len(order), dtype=np.int32)
    return new_id[labels], centres[order]

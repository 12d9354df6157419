"""The opinion map: PCA of the mean-imputed matrix, computed sparse, with a fixed sign."""

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from ruche.analysis.engine.opinions import analyze_opinions


def random_votes(n_participants, n_statements, per_participant, seed):
    """Two camps with opposite views on half the statements, sparse random subsets."""
    rng = np.random.default_rng(seed)
    camp = rng.integers(0, 2, n_participants)
    stance = rng.choice([-1, 1], size=n_statements)
    participants, statements, votes = [], [], []
    for p in range(n_participants):
        seen = rng.choice(n_statements, size=per_participant, replace=False)
        lean = stance[seen] * (1 if camp[p] else -1)
        noise = rng.random(per_participant)
        vote = np.where(noise < 0.7, lean, np.where(noise < 0.85, 0, -lean))
        participants += [p] * per_participant
        statements += list(seen)
        votes += list(vote)
    return np.array(participants), np.array(statements), np.array(votes)


def dense_reference(participants, statements, votes, n_participants, n_statements):
    """The textbook computation the sparse one must equal: impute, centre, SVD."""
    matrix = np.full((n_participants, n_statements), np.nan)
    matrix[participants, statements] = votes
    means = np.nanmean(matrix, axis=0)
    centred = np.where(np.isnan(matrix), means, matrix) - means
    with threadpool_limits(1):  # multi-threaded BLAS crawls on a busy 2-core machine
        _, _, vt = np.linalg.svd(centred, full_matrices=False)
    return vt[:2], centred @ vt[:2].T


@pytest.mark.parametrize(
    ("n_statements", "per_participant"),
    [(40, 12), (450, 30)],  # dense Gram matrix below 400 statements, iterative above
)
def test_sparse_pca_equals_dense_mean_imputed_pca(n_statements, per_participant):
    """Centring implicitly (missing → 0 once centred) gives the dense PCA's axes."""
    n_participants = 200
    data = random_votes(n_participants, n_statements, per_participant, seed=1)
    axes, raw_positions = dense_reference(*data, n_participants, n_statements)
    result = analyze_opinions(*data, n_participants=n_participants, n_statements=n_statements)
    for got, want in zip(result.map.components, axes, strict=True):
        assert abs(got @ want) == pytest.approx(1.0, abs=1e-8)  # same axis, up to sign
    signs = np.sign(np.sum(result.map.components * axes, axis=1))
    counts = np.bincount(data[0], minlength=n_participants)
    scale = np.sqrt(n_statements / counts)[:, None]
    assert result.map.positions == pytest.approx(raw_positions * signs * scale, abs=1e-8)


def test_largest_loading_is_positive():
    """Sign convention: each axis's largest-absolute loading is positive."""
    result = analyze_opinions(*random_votes(150, 60, 15, seed=2))
    for axis in result.map.components:
        assert axis[np.argmax(np.abs(axis))] > 0


def test_axes_are_ordered_by_variance():
    """Axis 1 explains at least as much variance as axis 2."""
    result = analyze_opinions(*random_votes(150, 60, 15, seed=3))
    first, second = result.map.explained_variance
    assert first >= second > 0


def test_map_is_identical_across_runs_and_seeds():
    """Same votes → same map, whatever the seed (the seed only drives k-means)."""
    data = random_votes(300, 500, 25, seed=4)  # above 400 statements: iterative solver
    maps = [analyze_opinions(*data, seed=seed).map for seed in (0, 0, 1, 7)]
    for other in maps[1:]:
        assert other.components == pytest.approx(maps[0].components, abs=1e-9)
        assert other.positions == pytest.approx(maps[0].positions, abs=1e-9)


def test_map_does_not_flip_when_votes_are_shuffled():
    """The order of the vote arrays changes neither the axes' order nor their sign."""
    participants, statements, votes = random_votes(200, 80, 20, seed=5)
    order = np.random.default_rng(0).permutation(len(votes))
    first = analyze_opinions(participants, statements, votes).map
    second = analyze_opinions(participants[order], statements[order], votes[order]).map
    assert second.components == pytest.approx(first.components, abs=1e-9)


def test_sparse_voters_are_scaled_out_from_the_centre():
    """Two people with the same views, one voting on a quarter as many statements: the
    √(statements / votes) scaling puts them at the same place."""
    n_statements = 40
    participants, statements, votes = random_votes(100, n_statements, 40, seed=6)
    stance = votes[participants == 0]  # participant 0 voted on everything
    full = np.arange(n_statements)
    order = np.argsort(statements[participants == 0])
    # Participant 100 agrees with participant 0 everywhere; 101 the same on 10 statements.
    extra_p = [100] * n_statements + [101] * 10
    extra_s = list(full) + list(statements[participants == 0][order][:10])
    extra_v = list(stance[order]) + list(stance[order][:10])
    data = (
        np.concatenate([participants, extra_p]),
        np.concatenate([statements, extra_s]),
        np.concatenate([votes, extra_v]),
    )
    positions = analyze_opinions(*data).map.positions
    unscaled_ratio = np.linalg.norm(positions[101]) / np.linalg.norm(positions[100])
    assert 0.5 < unscaled_ratio < 2.0

"""Consensus, group-informed consensus and divisive statements, checked by hand."""

import pytest

from ruche.analysis.engine.opinions import analyze_opinions
from tests.analysis.tiny_consultation import tiny_votes


@pytest.fixture(scope="module")
def analysis():
    result = analyze_opinions(*tiny_votes(), seed=0)
    assert [list(g.participants) for g in result.groups] == [[0, 1, 2, 3], [4, 5, 6]]
    return result


def test_consensus_agree(analysis):
    """Share > ½ and z > 1.2816 over everyone: only s1 (7 agrees of 7)."""
    (s1,) = analysis.consensus.agree
    assert s1.statement == 1
    assert s1.share == pytest.approx(0.888889, abs=1e-6)  # (7+1)/(7+2)
    assert s1.z == pytest.approx(2.828427, abs=1e-6)  # 2·√8·(8/8 − ½)
    # s0 has 4 agrees of 7: share 5/9 > ½ but z = 2·√8·(5/8 − ½) = 0.707107 < 1.2816


def test_consensus_disagree(analysis):
    """s4: 6 disagrees of 7 → share 7/9, z = 2·√8·(7/8 − ½) = 2.121320."""
    (s4,) = analysis.consensus.disagree
    assert s4.statement == 4
    assert s4.share == pytest.approx(0.777778, abs=1e-6)
    assert s4.z == pytest.approx(2.121320, abs=1e-6)


def test_group_informed_consensus(analysis):
    """Product over groups of (n_agree + 1) / (n_seen + 2), A has 4 people, B 3."""
    expected_agree = [
        5 / 6 * 1 / 5,  # s0: A 4/4 → 5/6, B 0/3 → 1/5 = 0.166667
        5 / 6 * 4 / 5,  # s1: 0.666667
        1 / 6 * 3 / 5,  # s2: A 0/4, B 2/3 → 0.1
        4 / 6 * 2 / 5,  # s3: A 3/4, B 1/3 → 0.266667
        1 / 6 * 1 / 5,  # s4: 0.033333
    ]
    expected_disagree = [
        1 / 6 * 4 / 5,  # s0: A 0/4, B 3/3 → 0.133333
        1 / 6 * 1 / 5,  # s1: 0.033333
        4 / 6 * 1 / 5,  # s2: A 3/4, B 0/3 → 0.133333
        1 / 6 * 3 / 5,  # s3: A 0/4, B 2/3 → 0.1
        5 / 6 * 3 / 5,  # s4: A 4/4, B 2/3 → 0.5
    ]
    gac = analysis.group_consensus
    assert gac.agree == pytest.approx(expected_agree)
    assert gac.disagree == pytest.approx(expected_disagree)
    assert gac.top_agree == [1, 3, 0, 2, 4]
    assert gac.top_disagree == [4, 0, 2, 3, 1]  # s0 and s2 tie at 0.133333: lower id first


def test_divisive(analysis):
    """Spread of the groups' smoothed agree shares, kept if the two ends differ at 90%."""
    got = [(d.statement, round(d.spread, 6), round(d.z, 6)) for d in analysis.divisive]
    assert got == [
        (0, 0.633333, 2.371708),  # 5/6 − 1/5; 4/4 vs 0/3 → 0.75/√0.1
        (2, 0.433333, 1.65),  # 3/5 − 1/6; B 2/3 vs A 0/4 → 0.55/(1/3)
    ]
    # s3 spreads 4/6 − 2/5 = 0.266667 but z = 0.3/√0.1 = 0.948683 < 1.2816: left out

"""Representative statements ("repness") follow Pol.is's formulas, checked by hand."""

import numpy as np
import pytest

from ruche.analysis.engine.opinions import analyze_opinions
from ruche.analysis.engine.opinions_stats import prop_test, representative, two_prop_test
from tests.analysis.tiny_consultation import tiny_votes


@pytest.fixture(scope="module")
def analysis():
    return analyze_opinions(*tiny_votes(), seed=0)


def test_groups_are_the_two_camps(analysis):
    """The bigger camp is group 0: ids follow decreasing size."""
    assert [list(g.participants) for g in analysis.groups] == [[0, 1, 2, 3], [4, 5, 6]]


def test_one_proportion_test_is_polis_formula():
    """z = 2·√(n+1)·((k+1)/(n+1) − ½): 4 agrees of 4 seen → 2·√5·(5/5 − ½) = √5."""
    assert prop_test(4, 4) == pytest.approx(2.236068, abs=1e-6)
    assert prop_test(2, 3) == pytest.approx(1.0)  # 2·√4·(3/4 − ½) = 4·0.25


def test_two_proportion_test_is_polis_formula():
    """Counts plus one, pooled share: 4/4 in vs 0/3 out → (5/5 − 1/4) / √(6/9·3/9·(1/5+1/4))."""
    # p1 = 1, p2 = 0.25, pooled = 6/9, se = √(0.2222·0.45) = √0.1 = 0.316228 → 0.75/0.316228
    assert two_prop_test(4, 0, 4, 3) == pytest.approx(2.371708, abs=1e-6)
    assert two_prop_test(3, 4, 3, 4) == 0.0  # pooled share 1: nothing to tell apart


def test_group_a_representative_statements(analysis):
    """Group A: s0 agree then s2 disagree; s3 (in-group only) and s4 (weak contrast) fail."""
    got = analysis.groups[0].representative
    assert [(r.statement, r.direction) for r in got] == [(0, "agree"), (2, "disagree")]
    s0, s2 = got
    # s0 agree: in A 4/4 → (4+1)/(4+2) = 0.833333; outside (B) 0/3 → (0+1)/(3+2) = 0.2
    assert s0.share_in_group == pytest.approx(0.833333, abs=1e-6)
    assert s0.share_outside == pytest.approx(0.2)
    assert s0.ratio == pytest.approx(4.166667, abs=1e-6)  # 0.833333 / 0.2
    assert s0.z_in_group == pytest.approx(2.236068, abs=1e-6)  # 2·√5·(5/5 − ½)
    assert s0.z_vs_outside == pytest.approx(2.371708, abs=1e-6)  # 0.75 / √0.1
    # metric = 4.166667 · 2.371708 · 0.833333 · 2.236068 = 18.414
    assert s0.metric == pytest.approx(18.4142, abs=1e-3)
    # s2 disagree: in A 3/4 → 4/6 = 0.666667; outside 0/3 → 0.2; ratio 3.333333
    assert s2.share_in_group == pytest.approx(0.666667, abs=1e-6)
    assert s2.share_outside == pytest.approx(0.2)
    assert s2.z_in_group == pytest.approx(1.341641, abs=1e-6)  # 2·√5·(4/5 − ½)
    # p1 = 4/5, p2 = 1/4, pooled = 5/9, se = √(5/9·4/9·0.45) = 1/3 → 0.55·3 = 1.65
    assert s2.z_vs_outside == pytest.approx(1.65)
    # metric = 3.333333 · 1.65 · 0.666667 · 1.341641 = 4.919350 < 18.414, so s2 is second
    assert s2.metric == pytest.approx(4.919350, abs=1e-5)


def test_in_group_test_alone_is_not_enough(analysis):
    """s3 agree in A: z_in = 1.341641 passes, but z_vs_outside = 0.3/√0.1 = 0.948683 fails."""
    assert two_prop_test(3, 1, 4, 3) == pytest.approx(0.948683, abs=1e-6)
    assert 3 not in [r.statement for r in analysis.groups[0].representative]


def test_group_b_representative_statements(analysis):
    """Group B: only s0 disagree; s2 agree has z_vs_outside 1.65 but z_in = 1.0 < 1.2816."""
    got = analysis.groups[1].representative
    assert [(r.statement, r.direction) for r in got] == [(0, "disagree")]
    (s0,) = got
    # in B 3/3 disagree → 4/5 = 0.8; outside (A) 0/4 → 1/6 = 0.166667; ratio 4.8
    assert s0.share_in_group == pytest.approx(0.8)
    assert s0.share_outside == pytest.approx(0.166667, abs=1e-6)
    assert s0.ratio == pytest.approx(4.8)
    assert s0.z_in_group == pytest.approx(2.0)  # 2·√4·(4/4 − ½)
    # p1 = 4/4, p2 = 1/5, pooled = 5/9, se = √(5/9·4/9·(1/4+1/5)) = 1/3 → 0.8·3 = 2.4
    assert s0.z_vs_outside == pytest.approx(2.4)
    assert s0.metric == pytest.approx(18.432)  # 4.8 · 2.4 · 0.8 · 2.0


def test_list_is_capped_and_ranked_by_metric():
    """At most `pick` statements, best metric first (Pol.is shows 5)."""
    n_seen = np.array([[40] * 8, [40] * 8])
    # Group 0 agrees with statement j by 33 + j of 40, group 1 with none of them.
    n_agree = np.array([[33 + j for j in range(8)], [0] * 8])
    n_disagree = 40 - n_agree
    got = representative(n_agree, n_disagree, n_seen, 0, np.arange(8), pick=5)
    assert [r.statement for r in got] == [7, 6, 5, 4, 3]
    assert {r.direction for r in got} == {"agree"}

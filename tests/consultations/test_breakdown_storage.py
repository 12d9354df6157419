"""Rule: an analysis result never stores a profile breakdown about fewer than 10 people:
answers chosen by fewer are dropped, and small per-group cells are masked in the data."""

from ruche.consultations import analysis
from ruche.consultations.models import Participation
from tests.consultations.report_data import two_camps
from tests.factories import ProfileQuestionFactory


def test_small_cells_are_not_stored(db):
    """15 + 15 voters: "Direction A" (12 from camp A, 3 from camp B) is kept with its camp-B
    cell masked (and the camp-A cell too, which would reveal it); "Direction B" (3 people)
    is dropped altogether."""
    consultation, _statements, camp_a, camp_b = two_camps(per_camp=15)
    question = ProfileQuestionFactory(
        consultation=consultation, choices=["Direction A", "Direction B"]
    )
    for person in camp_a[:12] + camp_b[:3]:
        Participation.objects.create(
            consultation=consultation, participant=person, profile={str(question.pk): "Direction A"}
        )
    for person in camp_b[3:6]:
        Participation.objects.create(
            consultation=consultation, participant=person, profile={str(question.pk): "Direction B"}
        )
    result = analysis.compute_opinions(consultation)
    (breakdown,) = result.data["breakdowns"]
    assert [c["choice"] for c in breakdown["choices"]] == ["Direction A"]
    assert breakdown["choices"][0]["participants"] == 15
    assert breakdown["choices"][0]["groups"] == [None, None]
    assert breakdown["hidden_choices"] == 1


def test_group_shares_over_fewer_than_10_voters_are_not_stored(db):
    """19 + 3 voters: the small group's per-statement agree shares are masked."""
    consultation, _statements, _camp_a, _camp_b = two_camps(per_camp=3)
    result = analysis.compute_opinions(consultation)
    for stats in result.data["statement_stats"].values():
        assert all(share is None for share in stats["group_agree"])

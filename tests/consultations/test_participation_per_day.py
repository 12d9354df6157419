"""Rule: the stored participation per day counts every vote once and every voter once, on
the day of their first vote, days in order."""

from ruche.consultations import analysis
from tests.consultations.report_data import two_camps


def test_participation_per_day_adds_up(db):
    """Votes per day sum to all votes, and each voter is new on exactly one day."""
    consultation, statements, _camp_a, _camp_b = two_camps(per_camp=15)
    per_day = analysis.compute_opinions(consultation).data["per_day"]
    assert len(per_day) >= 2  # the votes span two days
    assert sum(day["votes"] for day in per_day) == len(statements) * 30
    assert sum(day["new_participants"] for day in per_day) == 30
    assert [day["day"] for day in per_day] == sorted(day["day"] for day in per_day)

"""Profile breakdowns: answers chosen by fewer than 10 people are never shown."""

import pytest
from django.urls import reverse

from ruche.consultations import analysis
from ruche.consultations.models import AnalysisResult, Participation
from ruche.consultations.report import build_report
from tests.consultations.report_data import two_camps
from tests.factories import MembershipFactory, ProfileQuestionFactory

pytestmark = pytest.mark.django_db


def with_profiles():
    """12 people answered "Direction A", 9 "Direction B" (too few), 4 "Direction C"."""
    consultation, _statements, camp_a, camp_b = two_camps(per_camp=15)
    question = ProfileQuestionFactory(
        consultation=consultation,
        label="Votre direction",
        choices=["Direction A", "Direction B", "Direction C"],
    )
    people = camp_a + camp_b
    choices = ["Direction A"] * 12 + ["Direction B"] * 9 + ["Direction C"] * 4
    for person, choice in zip(people, choices, strict=False):
        Participation.objects.create(
            consultation=consultation,
            participant=person,
            profile={str(question.pk): choice},
            profile_done=True,
        )
    analysis.compute_opinions(consultation)
    return consultation, question


def test_small_profile_groups_are_hidden(client):
    """Only answers chosen by at least 10 people appear, with their spread over the
    opinion groups; the others are only counted as "not shown"."""
    consultation, _question = with_profiles()
    (breakdown,) = build_report(consultation).breakdowns
    assert [(c.choice, c.participants) for c in breakdown.choices] == [("Direction A", 12)]
    assert sum(breakdown.choices[0].groups) == 12
    assert breakdown.hidden_choices == 2

    client.force_login(
        MembershipFactory(organisation=consultation.organisation, role="facilitator").user
    )
    for name, args in (("report", []), ("print", []), ("export", ["md"]), ("export", ["xlsx"])):
        content = client.get(
            reverse(f"consultation_report:{name}", args=[consultation.pk, *args])
        ).content
        assert b"Direction B" not in content and b"Direction C" not in content
    html = client.get(reverse("consultation_report:report", args=[consultation.pk])).content
    assert (
        b'data-testid="breakdown-choice" data-choice="Direction A" data-participants="12"' in html
    )
    assert b'data-testid="breakdown-hidden" data-hidden="2"' in html


def test_small_groups_in_a_stored_document_are_still_hidden():
    """Even a stored result listing a small group (an older analysis) does not show it."""
    consultation, _question = with_profiles()
    result = consultation.analysis_results.filter(kind=AnalysisResult.Kind.OPINIONS).first()
    data = result.data
    data["breakdowns"][0]["choices"].append(
        {"choice": "Direction B", "participants": 9, "groups": [5, 4]}
    )
    AnalysisResult.objects.filter(pk=result.pk).update(data=data)
    choices = [c.choice for c in build_report(consultation).breakdowns[0].choices]
    assert choices == ["Direction A"]

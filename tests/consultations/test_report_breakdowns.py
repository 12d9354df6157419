"""Profile breakdowns: answers chosen by fewer than 10 people are never shown."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ruche.consultations import analysis
from ruche.consultations.models import AnalysisResult, Participation
from ruche.consultations.privacy import mask_small_cells
from ruche.consultations.report import build_report
from tests.consultations.report_data import two_camps
from tests.factories import MembershipFactory, ProfileQuestionFactory

pytestmark = pytest.mark.django_db


def with_profiles():
    """20 people answered "Direction A" (10 from each camp), 9 "Direction B" (too few),
    4 "Direction C" (too few)."""
    consultation, _statements, camp_a, camp_b = two_camps(per_camp=17)
    question = ProfileQuestionFactory(
        consultation=consultation,
        label="Votre direction",
        choices=["Direction A", "Direction B", "Direction C"],
    )
    people = camp_a[:10] + camp_b[:10] + camp_a[10:] + camp_b[10:]
    choices = ["Direction A"] * 20 + ["Direction B"] * 9 + ["Direction C"] * 4
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
    assert [(c.choice, c.participants) for c in breakdown.choices] == [("Direction A", 20)]
    assert breakdown.choices[0].groups == [10, 10]
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
        b'data-testid="breakdown-choice" data-choice="Direction A" data-participants="20"' in html
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


@pytest.mark.parametrize(
    ("counts", "shown"),
    [
        ([10, 10], [10, 10]),
        ([12, 0], [None, None]),  # a lone small cell would be total − the other
        ([25, 11, 3], [25, None, None]),
        ([25, 11, 3, 2], [25, 11, None, None]),
        ([4, 5], [None, None]),
    ],
)
def test_small_cells_of_a_shown_answer_are_masked(counts, shown):
    """Within a shown answer, group cells under 10 are masked, and never alone."""
    assert mask_small_cells(counts) == shown


def test_masked_cells_on_the_page_and_in_exports(client):
    """A shown answer whose people sit in one group shows no per-group counts."""
    consultation, _question = with_profiles()
    result = consultation.analysis_results.filter(kind=AnalysisResult.Kind.OPINIONS).first()
    data = result.data
    data["breakdowns"][0]["choices"] = [
        {"choice": "Direction A", "participants": 12, "groups": [12, 0]}
    ]
    AnalysisResult.objects.filter(pk=result.pk).update(data=data)
    client.force_login(
        MembershipFactory(organisation=consultation.organisation, role="facilitator").user
    )
    html = client.get(reverse("consultation_report:report", args=[consultation.pk])).content
    assert html.decode().count('data-testid="breakdown-masked"') == 2
    workbook = load_workbook(
        io.BytesIO(
            client.get(
                reverse("consultation_report:export", args=[consultation.pk, "xlsx"])
            ).content
        )
    )
    rows = list(workbook["Répartitions"].iter_rows(min_row=2, values_only=True))
    assert rows == [("Votre direction", "Direction A", 12, "< 10", "< 10")]

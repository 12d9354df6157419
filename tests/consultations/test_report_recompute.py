"""Recompute now: a facilitator runs the analysis at once, even when nothing changed."""

import pytest
from django.urls import reverse

from ruche.consultations.models import AnalysisResult
from tests.consultations.report_data import two_camps, with_opinions
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_recompute_runs_the_analysis_and_redirects(client):
    """The button runs both analyses (tests run tasks immediately) and says so."""
    consultation, *_rest = two_camps(per_camp=8)
    client.force_login(
        MembershipFactory(organisation=consultation.organisation, role="facilitator").user
    )
    response = client.post(
        reverse("consultation_report:recompute", args=[consultation.pk]), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse(
        "consultation_report:report", args=[consultation.pk]
    )
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    kinds = set(
        AnalysisResult.objects.filter(consultation=consultation).values_list("kind", flat=True)
    )
    assert kinds == {"opinions", "themes"}
    assert response.content.decode().count('data-testid="group"') == 2


def test_recompute_is_forced_when_nothing_changed(client):
    """Even with unchanged votes a new result is stored (force=True)."""
    consultation, *_rest = with_opinions(per_camp=8)
    before = AnalysisResult.objects.filter(consultation=consultation, kind="opinions").count()
    client.force_login(
        MembershipFactory(organisation=consultation.organisation, role="facilitator").user
    )
    client.post(reverse("consultation_report:recompute", args=[consultation.pk]))
    after = AnalysisResult.objects.filter(consultation=consultation, kind="opinions").count()
    assert after == before + 1


def test_recompute_needs_post(client):
    """A GET (a prefetching browser, a crawler) never runs the analysis."""
    consultation, *_rest = two_camps(per_camp=8)
    client.force_login(
        MembershipFactory(organisation=consultation.organisation, role="facilitator").user
    )
    response = client.get(reverse("consultation_report:recompute", args=[consultation.pk]))
    assert response.status_code == 405
    assert not AnalysisResult.objects.filter(consultation=consultation).exists()

"""Who may read the synthesis and its exports, and who may name, pick quotes, recompute."""

import pytest
from django.urls import reverse

from ruche.consultations.models import AnalysisResult, Label
from ruche.consultations.queries import latest_result
from tests.consultations.report_data import with_opinions
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

READ_VIEWS = ("report", "print")


def user_for(role, consultation):
    if role == "anonymous":
        return None
    if role == "outsider":
        return MembershipFactory(role="admin").user
    return MembershipFactory(organisation=consultation.organisation, role=role).user


def status_for(client, role, consultation, name, *args):
    user = user_for(role, consultation)
    if user is not None:
        client.force_login(user)
    else:
        client.logout()
    return client.get(reverse(f"consultation_report:{name}", args=[consultation.pk, *args]))


@pytest.mark.parametrize("view", READ_VIEWS)
@pytest.mark.parametrize(
    ("role", "results_public", "process_status", "visibility", "allowed"),
    [
        ("facilitator", False, "open", "public", True),
        ("facilitator", False, "draft", "members", True),
        ("admin", False, "closed", "public", True),
        ("member", False, "open", "members", False),
        ("member", True, "open", "members", True),
        ("anonymous", False, "open", "public", False),
        ("anonymous", True, "open", "public", True),
        ("anonymous", True, "draft", "public", False),
        ("anonymous", True, "open", "members", False),
        ("outsider", True, "open", "public", True),
        ("outsider", False, "open", "public", False),
    ],
)
def test_who_reads_the_synthesis(
    client, view, role, results_public, process_status, visibility, allowed
):
    """Facilitators always read the synthesis; others only once it is public and only if
    they may see the consultation's process."""
    consultation, *_rest = with_opinions(per_camp=8, results_public=results_public)
    process = consultation.process
    process.status, process.visibility = process_status, visibility
    process.save()
    response = status_for(client, role, consultation, view)
    assert response.status_code == (200 if allowed else 403)


@pytest.mark.parametrize("fmt", ["md", "csv", "xlsx"])
def test_exports_follow_the_same_rule(client, fmt):
    """The exports are refused where the page is, and given where it is."""
    consultation, *_rest = with_opinions(per_camp=8)
    assert status_for(client, "anonymous", consultation, "export", fmt).status_code == 403
    assert status_for(client, "facilitator", consultation, "export", fmt).status_code == 200
    consultation.results_public = True
    consultation.save()
    assert status_for(client, "anonymous", consultation, "export", fmt).status_code == 200


def test_link_holders_read_a_public_synthesis(client):
    """A link-only process opened through its link shows a public synthesis."""
    consultation, *_rest = with_opinions(per_camp=8, results_public=True)
    process = consultation.process
    process.visibility = "link"
    process.save()
    assert status_for(client, "anonymous", consultation, "report").status_code == 403
    session = client.session
    session["ruche.linked_processes"] = [str(process.pk)]
    session.save()
    url = reverse("consultation_report:report", args=[consultation.pk])
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("consultation_id", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_unknown_consultation_is_404(client, consultation_id):
    """An unknown or malformed id is a 404."""
    response = client.get(reverse("consultation_report:report", args=[consultation_id]))
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["anonymous", "member", "outsider"])
def test_only_facilitators_name_pick_and_recompute(client, role):
    """Naming, picking quotes and recomputing need the right to change the consultation,
    even where the synthesis is public; nothing is written when refused."""
    consultation, *_rest = with_opinions(per_camp=8, results_public=True)
    key = latest_result(consultation, AnalysisResult.Kind.OPINIONS).data["groups"][0]["key"]
    n_results = AnalysisResult.objects.filter(consultation=consultation).count()
    user = user_for(role, consultation)
    if user:
        client.force_login(user)
    for name, data in (
        ("name", {"kind": "opinions", "key": key, "name": "Les prudents"}),
        ("quotes", {"key": key, "answers": []}),
        ("recompute", {}),
    ):
        response = client.post(reverse(f"consultation_report:{name}", args=[consultation.pk]), data)
        assert response.status_code == 403
    assert not Label.objects.filter(consultation=consultation).exists()
    assert AnalysisResult.objects.filter(consultation=consultation).count() == n_results


def test_facilitator_sees_the_forms_others_do_not(client):
    """The naming forms and the recompute button are only shown to facilitators."""
    consultation, *_rest = with_opinions(per_camp=8, results_public=True)
    html = status_for(client, "anonymous", consultation, "report").content.decode()
    assert 'data-testid="name-group-form"' not in html
    assert 'data-testid="report-recompute"' not in html
    html = status_for(client, "facilitator", consultation, "report").content.decode()
    assert 'data-testid="name-group-form"' in html
    assert 'data-testid="report-recompute"' in html


def test_reading_needs_get(client):
    """The page only answers GET and HEAD."""
    consultation, *_rest = with_opinions(per_camp=8, results_public=True)
    url = reverse("consultation_report:report", args=[consultation.pk])
    assert client.post(url).status_code == 405
    assert client.head(url).status_code == 200

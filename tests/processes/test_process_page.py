"""The public page of a process: its question, context, phases and what is open now."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from tests.factories import PhaseFactory, ProcessFactory

pytestmark = pytest.mark.django_db


def test_public_page_shows_question_context_and_current_phases(client):
    """Anyone sees a public process; the phase running today is marked "En cours" and listed
    under what is open now; the context is rendered Markdown."""
    today = timezone.localdate()
    process = ProcessFactory(status="open", context="Un **contexte** riche.")
    PhaseFactory(process=process, position=1, title="Passée", ends_on=today - datetime.timedelta(1))
    PhaseFactory(process=process, position=2, title="Actuelle", starts_on=today)
    response = client.get(reverse("processes:detail", args=[process.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert escape(process.question) in html
    assert "<strong>contexte</strong>" in html
    assert html.count('data-testid="phase"') == 2
    assert html.count('data-testid="current-phase"') == 1
    assert "En cours" in html
    open_now = html.split('data-testid="open-now"')[1].split("</section>")[0]
    assert "Actuelle" in open_now and "Passée" not in open_now
    assert "Ouverte" in html  # status in words, not only colour
    assert f'data-testid="site-title">{escape(process.organisation.name)}<' in html
    assert 'data-testid="edit-process"' not in html


def test_facilitator_sees_the_edit_link(client, make_member, organisation):
    """The organisation's facilitators get a link to edit the process."""
    process = ProcessFactory(organisation=organisation, status="draft")
    client.force_login(make_member("facilitator"))
    html = client.get(reverse("processes:detail", args=[process.pk])).content.decode()
    assert 'data-testid="edit-process"' in html


def test_draft_is_refused_to_visitors(client):
    """A draft is an 'access denied' page for an anonymous visitor."""
    process = ProcessFactory(status="draft")
    response = client.get(reverse("processes:detail", args=[process.pk]))
    assert response.status_code == 403
    assert escape(process.title) not in response.content.decode()


@pytest.mark.parametrize("process_id", [str(uuid.uuid4()), "not-a-uuid", "1"])
def test_unknown_process_id_is_a_404_page(client, process_id):
    """An unknown or malformed process id gets the DSFR 'page not found' page."""
    response = client.get(reverse("processes:detail", args=[process_id]))
    assert response.status_code == 404
    assert "Page non trouvée" in response.content.decode()


def test_unknown_phase_id_is_a_404(client, make_member, organisation):
    """Editing a phase that does not exist, or belongs to another process, is a 404."""
    process = ProcessFactory(organisation=organisation)
    foreign_phase = PhaseFactory()
    client.force_login(make_member("facilitator"))
    for phase_id in ("nope", str(uuid.uuid4()), str(foreign_phase.pk)):
        url = reverse("processes:phase_edit", args=[process.pk, phase_id])
        assert client.get(url).status_code == 404

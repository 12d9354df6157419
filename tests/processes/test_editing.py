"""Facilitators create and edit processes and their phases through the pages."""

import pytest
from django.urls import reverse

from ruche.processes.models import Phase, Process
from tests.factories import PhaseFactory, ProcessFactory

pytestmark = pytest.mark.django_db

PROCESS_DATA = {
    "title": "Accueil en mairie",
    "question": "Comment mieux vous accueillir ?",
    "context": "## Pourquoi\n\nParce que.",
    "visibility": "public",
}


def test_facilitator_creates_a_draft_process(client, make_member, organisation):
    """A facilitator's new process is a draft of their organisation."""
    user = make_member("facilitator")
    client.force_login(user)
    url = reverse("processes:create", args=[organisation.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, PROCESS_DATA)
    process = Process.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("processes:edit", args=[process.pk])
    assert (process.organisation, process.status, process.created_by) == (
        organisation,
        "draft",
        user,
    )


def test_members_may_not_create_or_edit(client, make_member, organisation):
    """A plain member gets 403 on the creation and edit pages."""
    process = ProcessFactory(organisation=organisation)
    client.force_login(make_member("member"))
    assert (
        client.post(reverse("processes:create", args=[organisation.pk]), PROCESS_DATA).status_code
        == 403
    )
    assert client.get(reverse("processes:edit", args=[process.pk])).status_code == 403
    assert (
        client.post(
            reverse("processes:status", args=[process.pk]), {"status": "closed"}
        ).status_code
        == 403
    )
    assert not Process.objects.filter(title=PROCESS_DATA["title"]).exists()


def test_facilitator_edits_texts_and_status(client, make_member, organisation):
    """The edit page saves the texts and changes the status."""
    process = ProcessFactory(organisation=organisation, status="draft")
    client.force_login(make_member("facilitator"))
    client.post(reverse("processes:edit", args=[process.pk]), PROCESS_DATA)
    client.post(reverse("processes:status", args=[process.pk]), {"status": "open"})
    process.refresh_from_db()
    assert (process.title, process.status) == (PROCESS_DATA["title"], "open")
    assert client.get(reverse("processes:edit", args=[process.pk])).status_code == 200


def test_phase_ending_before_it_starts_is_a_form_error(client, make_member, organisation):
    """A phase whose end is before its start is refused with a form error, nothing saved."""
    process = ProcessFactory(organisation=organisation)
    client.force_login(make_member("facilitator"))
    response = client.post(
        reverse("processes:phase_add", args=[process.pk]),
        {"title": "Ateliers", "starts_on": "2026-03-10", "ends_on": "2026-03-01"},
    )
    assert response.status_code == 400
    assert "La date de fin doit être identique ou postérieure" in response.content.decode()
    assert not Phase.objects.exists()


def test_phases_are_added_edited_moved_and_deleted(client, make_member, organisation):
    """Through the pages, phases are added last, edited, moved and deleted (renumbered)."""
    process = ProcessFactory(organisation=organisation)
    client.force_login(make_member("admin"))
    assert client.get(reverse("processes:phase_add", args=[process.pk])).status_code == 200
    for title in ("Diagnostic", "Ateliers", "Restitution"):
        response = client.post(
            reverse("processes:phase_add", args=[process.pk]),
            {"title": title, "starts_on": "2026-03-01", "ends_on": "2026-03-31"},
        )
        assert response.status_code == 302
    first, second, third = Phase.objects.filter(process=process)
    edit_url = reverse("processes:phase_edit", args=[process.pk, second.pk])
    assert 'value="2026-03-01"' in client.get(edit_url).content.decode()
    client.post(
        reverse("processes:phase_edit", args=[process.pk, second.pk]),
        {"title": "Ateliers ouverts", "description": "", "starts_on": "", "ends_on": ""},
    )
    client.post(reverse("processes:phase_up", args=[process.pk, third.pk]))
    client.post(reverse("processes:phase_delete", args=[process.pk, first.pk]))
    assert list(Phase.objects.filter(process=process).values_list("title", "position")) == [
        ("Restitution", 1),
        ("Ateliers ouverts", 2),
    ]


def test_phase_moves_are_post_only(client, make_member, organisation):
    """Moving or deleting a phase needs a POST."""
    phase = PhaseFactory(process=ProcessFactory(organisation=organisation))
    client.force_login(make_member("facilitator"))
    for name in ("phase_up", "phase_down", "phase_delete"):
        assert (
            client.get(reverse(f"processes:{name}", args=[phase.process_id, phase.pk])).status_code
            == 405
        )

"""The dashboard lists each organisation's processes the user may see."""

import pytest
from django.urls import reverse

from tests.factories import ProcessFactory

pytestmark = pytest.mark.django_db


def test_facilitator_sees_drafts_and_the_new_process_button(client, make_member, organisation):
    """Facilitators see their organisation's processes, drafts included, and may create one."""
    ProcessFactory(organisation=organisation, status="draft", title="Brouillon secret")
    client.force_login(make_member("facilitator"))
    html = client.get(reverse("accounts:dashboard")).content.decode()
    assert "Brouillon secret" in html
    assert reverse("processes:create", args=[organisation.pk]) in html


def test_member_sees_opened_processes_only(client, make_member, organisation):
    """Members see opened processes, not drafts, and get no creation button."""
    ProcessFactory(organisation=organisation, status="draft", title="Brouillon secret")
    ProcessFactory(organisation=organisation, status="open", title="Démarche ouverte")
    client.force_login(make_member("member"))
    html = client.get(reverse("accounts:dashboard")).content.decode()
    assert "Démarche ouverte" in html
    assert "Brouillon secret" not in html
    assert reverse("processes:create", args=[organisation.pk]) not in html


def test_empty_state_without_processes(client, make_member):
    """With no process, the section shows its empty state."""
    client.force_login(make_member("member"))
    html = client.get(reverse("accounts:dashboard")).content.decode()
    assert "Aucune démarche participative pour l’instant." in html

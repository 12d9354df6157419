"""The dashboard after login and the organisation pages behind it."""

import uuid

import pytest
from django.urls import reverse
from django.utils.html import escape

from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_dashboard_lists_the_users_organisations_with_their_sections(client, make_member):
    """Each of the user's organisations appears with its role and its (empty) sections."""
    user = make_member("facilitator")
    other = MembershipFactory(user=user, role="member").organisation
    client.force_login(user)
    response = client.get(reverse("accounts:dashboard"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('data-testid="dashboard-organisation"') == 2
    assert escape(other.name) in html
    for section in ("Démarches participatives", "Ateliers en direct", "Demandes d’accompagnement"):
        assert section in html


def test_dashboard_needs_login(client):
    """An anonymous visitor is sent to the login page, then back to the dashboard."""
    response = client.get(reverse("accounts:dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert "next=" in response.url


def test_organisation_page_shows_its_name_in_the_header(client, make_member, organisation):
    """On an organisation's pages, the DSFR header carries the organisation's name."""
    client.force_login(make_member("member"))
    response = client.get(reverse("accounts:organisation", args=[organisation.pk]))
    assert response.status_code == 200
    assert f'data-testid="site-title">{escape(organisation.name)}<' in response.content.decode()


def test_member_of_another_organisation_gets_a_403_page(client, make_member):
    """A member opening another organisation's page gets the DSFR 'access denied' page."""
    client.force_login(make_member("admin"))
    foreign = OrganisationFactory()
    response = client.get(reverse("accounts:organisation", args=[foreign.pk]))
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()
    assert escape(foreign.name) not in response.content.decode()


@pytest.mark.parametrize("organisation_id", [str(uuid.uuid4()), "not-a-uuid", "1"])
def test_unknown_organisation_id_is_a_404_page(client, make_member, organisation_id):
    """An unknown or malformed organisation id gets the DSFR 'page not found' page."""
    client.force_login(make_member("admin"))
    response = client.get(reverse("accounts:organisation", args=[organisation_id]))
    assert response.status_code == 404
    assert "Page non trouvée" in response.content.decode()


def test_invite_form_only_shows_for_admins(client, make_member, organisation):
    """The interface offers 'invite' only to those who may invite (from abilities)."""
    url = reverse("accounts:organisation", args=[organisation.pk])
    client.force_login(make_member("facilitator"))
    assert 'data-testid="invite-form"' not in client.get(url).content.decode()
    client.force_login(make_member("admin"))
    assert 'data-testid="invite-form"' in client.get(url).content.decode()

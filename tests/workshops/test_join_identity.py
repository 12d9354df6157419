"""Who someone is in a workshop: the participant cookie, coming back, facilitators trying."""

import pytest
from django.conf import settings
from django.test import Client

from ruche.core import ratelimit
from ruche.workshops import actions
from ruche.workshops.models import WorkshopParticipant
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    ratelimit.reset()
    yield
    ratelimit.reset()


@pytest.fixture
def workshop():
    workshop = actions.do_create_workshop(organisation=OrganisationFactory(), title="Atelier")
    actions.do_add_activity(workshop, kind="ideation", title="Idées", prompts=["Ce qui marche"])
    return actions.do_set_state(workshop, "live")


def test_rejoining_from_the_same_browser_keeps_the_attendee(client, workshop):
    """Joining again from the same browser (same cookie) is the same attendee, renamed."""
    client.post(f"/a/{workshop.code}/", {"display_name": "Camille"})
    first = WorkshopParticipant.objects.get()
    page = client.get(f"/a/{workshop.code}/")
    assert 'data-testid="already-joined"' in page.content.decode()
    assert page.context["form"]["display_name"].value() == "Camille"
    client.post(f"/a/{workshop.code}/", {"display_name": "Camille B."})
    again = WorkshopParticipant.objects.get()
    assert again.pk == first.pk
    assert again.display_name == "Camille B."


def test_another_browser_is_another_attendee(workshop):
    """Two browsers (two cookies) are two attendees, even with the same pseudonym."""
    for _ in range(2):
        Client().post(f"/a/{workshop.code}/", {"display_name": "Camille"})
    assert WorkshopParticipant.objects.filter(workshop=workshop).count() == 2


def test_join_sets_the_participant_cookie_once(client, workshop):
    """The first join sets the signed participant cookie; joining again does not replace it."""
    response = client.post(f"/a/{workshop.code}/", {"display_name": ""})
    assert settings.PARTICIPANT_COOKIE_NAME in response.cookies
    response = client.post(f"/a/{workshop.code}/", {"display_name": "Camille"})
    assert settings.PARTICIPANT_COOKIE_NAME not in response.cookies


def test_live_participant_view_sends_newcomers_to_the_join_page(client, workshop):
    """Someone who has not joined and opens the participant view is asked to join first."""
    response = client.get(f"/ateliers/{workshop.pk}/")
    assert response.status_code == 302
    assert response.url == f"/a/{workshop.code}/"


def test_signed_in_member_joins_as_their_account(client, workshop):
    """A signed-in person joins as their account's participant, whatever the browser."""
    user = MembershipFactory(organisation=workshop.organisation, role="member").user
    client.force_login(user)
    client.post(f"/a/{workshop.code}/", {"display_name": "Dominique"})
    other_browser = Client()
    other_browser.force_login(user)
    other_browser.post(f"/a/{workshop.code}/", {"display_name": "Dominique"})
    attendee = WorkshopParticipant.objects.get()
    assert attendee.participant.user == user


def test_facilitator_tries_a_draft_workshop(client):
    """While preparing, a facilitator may join their own workshop to try it."""
    workshop = actions.do_create_workshop(organisation=OrganisationFactory(), title="Essai")
    facilitator = MembershipFactory(organisation=workshop.organisation, role="facilitator").user
    client.force_login(facilitator)
    page = client.get(f"/a/{workshop.code}/")
    assert page.status_code == 200
    response = client.post(f"/a/{workshop.code}/", {"display_name": "Animatrice"})
    assert response.status_code == 302
    assert WorkshopParticipant.objects.get(workshop=workshop).display_name == "Animatrice"
    assert client.get(response.url).status_code == 200


def test_ended_participant_view_stays_readable_for_attendees(client, workshop):
    """After the end, someone who took part still reads the workshop, with a notice."""
    client.post(f"/a/{workshop.code}/", {"display_name": "Camille"})
    actions.do_set_state(workshop, "ended")
    response = client.get(f"/ateliers/{workshop.pk}/")
    assert response.status_code == 200
    assert 'data-testid="ended-notice"' in response.content.decode()

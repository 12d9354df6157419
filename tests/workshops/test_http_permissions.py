"""Workshop pages as permission matrices, role × state, checked through HTTP.

Roles: an anonymous visitor; an attendee (no account, the participant cookie of someone who
joined); a member of another organisation ("outsider"); a plain member of the workshop's
organisation; one of its facilitators. States: draft (being prepared), live, ended.

A cell is "yes" when the page answers 200 (GET) or does what was asked and redirects
(POST); a redirect to the login page, to the join page or any 4xx is a "no".
"""

import pytest
from django.http import HttpResponse
from django.test import Client

from ruche.accounts.middleware import set_participant_cookie
from ruche.core import ratelimit
from ruche.core.testing import parse_matrix
from ruche.workshops import actions
from ruche.workshops.models import Workshop
from tests.factories import MembershipFactory, OrganisationFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "attendee", "outsider", "member", "facilitator")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    ratelimit.reset()
    yield
    ratelimit.reset()


def workshop_in(state: str) -> Workshop:
    organisation = OrganisationFactory()
    workshop = actions.do_create_workshop(organisation=organisation, title="Atelier")
    actions.do_add_activity(workshop, kind="ideation", title="Idées", prompts=["Ce qui marche"])
    if state != "draft":
        actions.do_set_state(workshop, "live")
    if state == "ended":
        actions.do_set_state(workshop, "ended")
    workshop.refresh_from_db()
    return workshop


def client_for(role: str, workshop: Workshop) -> Client:
    client = Client()
    if role == "attendee":
        participant = ParticipantFactory()
        actions.do_join(workshop, participant, "Camille")
        response = HttpResponse()
        set_participant_cookie(response, participant)
        client.cookies.update(response.cookies)
    elif role == "outsider":
        client.force_login(MembershipFactory(role="admin").user)
    elif role in ("member", "facilitator"):
        client.force_login(MembershipFactory(organisation=workshop.organisation, role=role).user)
    return client


def succeeded(response, *, redirect_to: str | None = None) -> bool:
    if redirect_to is None:
        return response.status_code == 200
    return response.status_code == 302 and response.url.startswith(redirect_to)


def check_http(table: str, request) -> None:
    """Each cell: `request(client, workshop)` returns True exactly when 'yes'."""
    mismatches = []
    for (role, state), allowed in parse_matrix(table).items():
        workshop = workshop_in(state)
        ok, status = request(client_for(role, workshop), workshop)
        if ok != allowed:
            mismatches.append(
                f"{role} × {state}: expected {'ok' if allowed else 'refused'}, got {status}"
            )
    assert not mismatches, "\n".join(mismatches)


def get(path_of):
    def request(client, workshop):
        response = client.get(path_of(workshop))
        return succeeded(response), response.status_code

    return request


def test_participant_view():
    """Attendees follow the room once it has opened, and read it after the end; members and
    facilitators follow it in every state, except that a member who has not joined a live
    room is sent to the join page first."""
    check_http(
        """
                     draft  live  ended
        anonymous    no     no    no
        attendee     no     yes   yes
        outsider     no     no    no
        member       yes    no    yes
        facilitator  yes    yes   yes
        """,
        get(lambda w: f"/ateliers/{w.pk}/"),
    )


def test_state_json():
    """The JSON state follows the socket's rule (queries.may_follow): members and
    facilitators always, attendees once the room has opened."""
    check_http(
        """
                     draft  live  ended
        anonymous    no     no    no
        attendee     no     yes   yes
        outsider     no     no    no
        member       yes    yes   yes
        facilitator  yes    yes   yes
        """,
        get(lambda w: f"/ateliers/{w.pk}/etat.json"),
    )


@pytest.mark.parametrize("page", ["animer/", "projection/", "preparer/"])
def test_facilitator_pages(page):
    """The console, the projection and the preparation page are the facilitators' only."""
    check_http(
        """
                     draft  live  ended
        anonymous    no     no    no
        attendee     no     no    no
        outsider     no     no    no
        member       no     no    no
        facilitator  yes    yes   yes
        """,
        get(lambda w: f"/ateliers/{w.pk}/{page}"),
    )


def test_join_page():
    """Anyone with the code joins while the room is live; facilitators may also try it while
    preparing; nobody joins an ended workshop."""
    check_http(
        """
                     draft  live  ended
        anonymous    no     yes   no
        attendee     no     yes   no
        outsider     no     yes   no
        member       no     yes   no
        facilitator  yes    yes   no
        """,
        get(lambda w: f"/a/{w.code}/"),
    )


def test_joining():
    """Posting the join form follows the join page's rule and leads to the participant view."""

    def request(client, workshop):
        response = client.post(f"/a/{workshop.code}/", {"display_name": "Dominique"})
        return succeeded(response, redirect_to=f"/ateliers/{workshop.pk}/"), response.status_code

    check_http(
        """
                     draft  live  ended
        anonymous    no     yes   no
        attendee     no     yes   no
        outsider     no     yes   no
        member       no     yes   no
        facilitator  yes    yes   no
        """,
        request,
    )


def test_changing_the_state():
    """Only facilitators open, end or reopen the room."""
    next_state = {"draft": "live", "live": "ended", "ended": "live"}

    def request(client, workshop):
        target = next_state[workshop.state]
        response = client.post(f"/ateliers/{workshop.pk}/etat/", {"state": target})
        workshop.refresh_from_db()
        return workshop.state == target, response.status_code

    check_http(
        """
                     draft  live  ended
        anonymous    no     no    no
        attendee     no     no    no
        outsider     no     no    no
        member       no     no    no
        facilitator  yes    yes   yes
        """,
        request,
    )


def test_adding_and_deleting_activities():
    """Only facilitators change the sequence of activities."""

    def request(client, workshop):
        client.post(
            f"/ateliers/{workshop.pk}/activites/nouvelle/matrix/",
            {"title": "Impact", "source": str(workshop.activities.get().pk)},
        )
        added = workshop.activities.filter(kind="matrix").exists()
        first = workshop.activities.get(kind="ideation")
        client.post(f"/ateliers/{workshop.pk}/activites/{first.pk}/supprimer/")
        deleted = not workshop.activities.filter(pk=first.pk).exists()
        assert added == deleted, "adding and deleting follow the same rule"
        return added, "added" if added else "refused"

    check_http(
        """
                     draft  live  ended
        anonymous    no     no    no
        attendee     no     no    no
        outsider     no     no    no
        member       no     no    no
        facilitator  yes    yes   yes
        """,
        request,
    )


def test_anonymous_is_sent_to_the_login_page_for_facilitator_pages(client):
    """A signed-out facilitator who opens the console is asked to log in, then comes back."""
    workshop = workshop_in("live")
    response = client.get(f"/ateliers/{workshop.pk}/animer/")
    assert response.status_code == 302
    assert response.url == f"/connexion/?next=/ateliers/{workshop.pk}/animer/"


@pytest.mark.parametrize("workshop_id", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
@pytest.mark.parametrize("page", ["", "animer/", "projection/", "preparer/", "etat.json"])
def test_unknown_workshop_is_a_404(client, make_member, organisation, workshop_id, page):
    """An unknown or malformed workshop id is a 404, never a 500."""
    client.force_login(make_member("facilitator"))
    assert client.get(f"/ateliers/{workshop_id}/{page}").status_code == 404

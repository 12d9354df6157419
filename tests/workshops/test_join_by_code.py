"""Joining a workshop with its code, from a phone, without an account."""

import uuid

import pytest

from ruche.core import ratelimit
from ruche.workshops import actions
from ruche.workshops.models import Workshop, WorkshopParticipant
from tests.factories import OrganisationFactory

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


def test_code_page_shows_a_code_field(client):
    """/a/ asks for the code, with a field made for typing it on a phone."""
    response = client.get("/a/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="code"' in html
    assert 'autocapitalize="characters"' in html


@pytest.mark.parametrize("typed", ["{code}", "{lower}", " {spaced} ", "{lower_spaced}"])
def test_code_is_read_whatever_the_case_and_spaces(client, workshop, typed):
    """A code typed in lowercase, with spaces or around blanks leads to the same join page."""
    code = workshop.code
    text = typed.format(
        code=code,
        lower=code.lower(),
        spaced=f"{code[:3]} {code[3:]}",
        lower_spaced=f"{code[:3].lower()} {code[3:].lower()}",
    )
    response = client.get("/a/", {"code": text})
    assert response.status_code == 302
    assert response.url == f"/a/{code}/"


def test_join_address_in_lowercase_redirects_to_the_canonical_one(client, workshop):
    """/a/abc234/ (as a QR code reader or a person may type it) redirects to /a/ABC234/."""
    response = client.get(f"/a/{workshop.code.lower()}/")
    assert response.status_code == 302
    assert response.url == f"/a/{workshop.code}/"


def test_unknown_code_is_a_form_error(client, workshop):
    """A code no workshop has gives the form back with a message, not a crash."""
    unknown = "ZZZZZZ" if workshop.code != "ZZZZZZ" else "YYYYYY"
    response = client.get("/a/", {"code": unknown})
    assert response.status_code == 404
    assert response.context["form"].errors["code"]
    assert 'aria-invalid="true"' in response.content.decode() or "fr-input-group--error" in (
        response.content.decode()
    )


def test_code_of_the_wrong_length_is_a_form_error(client):
    """A code that cannot be one (too short) is refused by the form itself."""
    response = client.get("/a/", {"code": "AB"})
    assert response.status_code == 400
    assert response.context["form"].errors["code"]


def test_unknown_join_address_shows_the_code_form(client):
    """/a/<unknown>/ is a 404 page that lets the person type the code again."""
    response = client.get("/a/ZZZZZZ/")
    assert response.status_code == 404
    assert 'name="code"' in response.content.decode()


def test_guessing_codes_is_limited(client, workshop, monkeypatch):
    """Unknown codes tried from one address are limited: guessing codes gets nowhere."""
    from ruche.workshops import views

    monkeypatch.setattr(views, "CODE_ATTEMPTS_PER_MINUTE", 3)
    # An address of its own: with Redis the counters outlive a test (shared cache).
    address = {"REMOTE_ADDR": f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.7"}
    statuses = [client.get("/a/", {"code": "ZZZZZZ"}, **address).status_code for _ in range(3)]
    statuses.append(client.get("/a/ZZZZZZ/", **address).status_code)
    assert statuses == [404, 404, 404, 429]


def test_right_codes_are_never_limited(client, workshop, monkeypatch):
    """A whole room typing the right code from one address (the venue's wifi) gets in."""
    from ruche.workshops import views

    monkeypatch.setattr(views, "CODE_ATTEMPTS_PER_MINUTE", 3)
    statuses = {client.get("/a/", {"code": workshop.code.lower()}).status_code for _ in range(10)}
    assert statuses == {302}


def test_joining_with_a_pseudonym(client, workshop):
    """The pseudonym is stored on the attendee and the person lands on the participant view,
    with the participant cookie set."""
    response = client.post(f"/a/{workshop.code}/", {"display_name": "  Camille   D. "})
    assert response.status_code == 302
    assert response.url == f"/ateliers/{workshop.pk}/"
    attendee = WorkshopParticipant.objects.get(workshop=workshop)
    assert attendee.display_name == "Camille D."
    page = client.get(response.url)
    assert page.status_code == 200
    assert "Camille D." in page.content.decode()


def test_joining_anonymously(client, workshop):
    """The "join anonymously" button ignores a typed name; an empty name is anonymous too."""
    client.post(f"/a/{workshop.code}/", {"display_name": "Camille", "anonymous": "1"})
    other = client.__class__()
    other.post(f"/a/{workshop.code}/", {"display_name": ""})
    names = sorted(WorkshopParticipant.objects.values_list("display_name", flat=True))
    assert names == ["", ""]


def test_pseudonym_is_at_most_60_characters(client, workshop):
    """A pseudonym over 60 characters is refused with the form shown again."""
    response = client.post(f"/a/{workshop.code}/", {"display_name": "x" * 61})
    assert response.status_code == 400
    assert response.context["form"].errors["display_name"]
    assert not WorkshopParticipant.objects.exists()
    response = client.post(f"/a/{workshop.code}/", {"display_name": "x" * 60})
    assert response.status_code == 302


def test_joining_a_draft_is_refused_with_a_message(client):
    """Before the room opens, the join page says so (and joins nobody)."""
    workshop = actions.do_create_workshop(organisation=OrganisationFactory(), title="Bientôt")
    response = client.get(f"/a/{workshop.code}/")
    assert response.status_code == 403
    assert 'data-testid="workshop-closed"' in response.content.decode()
    assert client.post(f"/a/{workshop.code}/", {"display_name": "A"}).status_code == 403
    assert not WorkshopParticipant.objects.exists()


def test_joining_an_ended_workshop_says_it_has_ended(client, workshop):
    """An ended workshop's join page is a clear "this workshop has ended" page."""
    actions.do_set_state(workshop, Workshop.State.ENDED)
    response = client.get(f"/a/{workshop.code}/")
    assert response.status_code == 410
    assert 'data-testid="workshop-closed" data-state="ended"' in response.content.decode()

"""The three live pages host the JavaScript client: what each page must contain."""

import json
import re

import pytest
from django.test import Client

from ruche.core import ratelimit
from ruche.workshops import actions
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


@pytest.fixture
def facilitator(workshop):
    client = Client()
    client.force_login(
        MembershipFactory(organisation=workshop.organisation, role="facilitator").user
    )
    return client


@pytest.fixture
def attendee(workshop):
    client = Client()
    client.post(f"/a/{workshop.code}/", {"display_name": "Camille"})
    return client


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response, response.content.decode()


@pytest.mark.parametrize(
    ("view", "path", "who"),
    [
        ("participant", "", "attendee"),
        ("console", "animer/", "facilitator"),
        ("projection", "projection/", "facilitator"),
    ],
)
def test_each_live_page_hosts_the_client(request, workshop, view, path, who):
    """The embedded state, the root element with its data, the live status, a <noscript>
    message and the scripts (with the CSP nonce), on every live page."""
    client = request.getfixturevalue(who)
    response, html = page(client, f"/ateliers/{workshop.pk}/{path}")
    match = re.search(
        r'<script id="workshop-state" type="application/json">(.*?)</script>', html, re.S
    )
    state = json.loads(match.group(1))
    assert state["workshop"][str(workshop.pk)]["code"] == workshop.code
    assert isinstance(state["seq"], int)
    root = re.search(r'<div id="workshop-app"[^>]*>', html).group(0)
    assert f'data-view="{view}"' in root
    assert f'data-ws="/ws/ateliers/{workshop.pk}/"' in root
    assert f'data-code="{workshop.code}"' in root
    assert f'data-join-url="http://testserver/a/{workshop.code}/"' in root
    assert re.search(r'data-csrf="[\w-]{32,}"', root)
    assert 'id="workshop-live-status"' in html and 'role="status"' in html
    assert "<noscript>" in html
    nonce = str(response.wsgi_request.csp_nonce)
    for script in ("state.js", "client.js", f"{view}.js"):
        assert re.search(
            rf'<script type="module" src="/static/workshops/{re.escape(script)}" '
            rf'nonce="{re.escape(nonce)}"></script>',
            html,
        ), script
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", ["animer/", "projection/"])
def test_console_and_projection_show_the_code_and_a_qr_code(facilitator, workshop, path):
    """The join code in big letters and an accessible inline SVG QR code of the join URL."""
    _, html = page(facilitator, f"/ateliers/{workshop.pk}/{path}")
    assert f"{workshop.code[:3]} {workshop.code[3:]}" in html
    qr = re.search(r'<div class="ruche-qr[^"]*" role="img" aria-label="([^"]+)"', html)
    assert f"http://testserver/a/{workshop.code}/" in qr.group(1)
    assert '<svg aria-hidden="true" focusable="false" viewBox=' in html


def test_projection_has_no_site_chrome(facilitator, workshop):
    """The projection is a big screen: no header, no footer, no skip links."""
    _, html = page(facilitator, f"/ateliers/{workshop.pk}/projection/")
    assert 'class="fr-header"' not in html
    assert 'class="fr-footer"' not in html
    assert "fr-skiplinks" not in html
    assert 'data-testid="projection"' in html


def test_participant_page_names_the_attendee(attendee, workshop):
    """The participant page says under which name the person takes part."""
    _, html = page(attendee, f"/ateliers/{workshop.pk}/")
    assert 'data-attendee-name="Camille"' in html
    assert "<strong>Camille</strong>" in html


def test_state_json_is_the_viewers_state(attendee, facilitator, workshop):
    """etat.json answers the same state the page embeds, resolved for the viewer: a
    participant gets a masked note of someone else, the facilitator its text."""
    other = Client()
    other.post(f"/a/{workshop.code}/", {"display_name": "Dominique"})
    author = workshop.attendees.get(display_name="Dominique")
    prompt = workshop.activities.get().prompts.get()
    actions.run_message(
        workshop.pk,
        author.pk,
        False,
        {"type": "note.add", "prompt": str(prompt.pk), "text": "Secret"},
    )
    mine = attendee.get(f"/ateliers/{workshop.pk}/etat.json").json()
    theirs = facilitator.get(f"/ateliers/{workshop.pk}/etat.json").json()
    assert [n["text"] for n in mine["notes"].values()] == [None]
    assert [n["text"] for n in theirs["notes"].values()] == ["Secret"]
    assert mine["seq"] == theirs["seq"] >= 1


def test_state_json_refusal_is_json(client, workshop):
    """Someone who may not follow gets a 403 with a JSON error, not an HTML page."""
    response = client.get(f"/ateliers/{workshop.pk}/etat.json")
    assert response.status_code == 403
    assert "error" in response.json()

"""The console and the projection open on any activity, and the projection shows how to
join only while the room is open."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from playwright.sync_api import expect

from ruche.workshops.actions import do_set_state, run_message
from tests.factories import DEFAULT_PASSWORD
from tests.workshops.helpers import make_workshop

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, email):
    page.goto("/connexion/")
    page.get_by_role("textbox", name="Adresse électronique").fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/tableau-de-bord/")


def in_thread(function, *args):
    """Run a write that broadcasts in a thread of its own: Playwright's event loop in this
    one forbids the broadcast's async_to_sync."""

    def run():
        try:
            return function(*args)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


def wait_online(page):
    expect(page.locator("#workshop-live-status")).to_have_attribute("data-state", "online")


def test_both_views_load_on_every_kind_of_activity(asgi_server, new_page):
    """Whatever activity is current when the page loads, the console shows its controls and
    the projection its view, without a script error."""
    built = make_workshop()
    workshop = built["workshop"]
    console = new_page(asgi_server)
    log_in(console, built["facilitator"].email)
    projection = new_page(asgi_server)
    log_in(projection, built["facilitator"].email)
    for key in ("ideation", "grouping", "dotvote", "matrix", "plan"):
        activity = built[key]
        in_thread(
            run_message,
            workshop.pk,
            None,
            True,
            {"type": "activity.open", "activity": str(activity.pk)},
        )
        console.goto(f"/ateliers/{workshop.pk}/animer/")
        wait_online(console)
        expect(console.get_by_test_id("current-activity")).to_have_attribute(
            "data-kind", activity.kind
        )
        projection.goto(f"/ateliers/{workshop.pk}/projection/")
        wait_online(projection)
        expect(projection.locator(".ruche-projection-body")).to_have_attribute(
            "data-kind", activity.kind
        )
        expect(projection.get_by_test_id("projection-activity")).to_have_text(activity.title)


def test_projection_shows_how_to_join_once_the_room_opens(asgi_server, new_page):
    """Before the room opens nobody can join: the code and QR code appear when it opens."""
    built = make_workshop(state="draft")
    workshop = built["workshop"]
    projection = new_page(asgi_server)
    log_in(projection, built["facilitator"].email)
    projection.goto(f"/ateliers/{workshop.pk}/projection/")
    wait_online(projection)
    expect(projection.get_by_test_id("join-panel")).to_be_hidden()

    in_thread(do_set_state, workshop, "live")
    expect(projection.get_by_test_id("join-panel")).to_be_visible()
    expect(projection.get_by_test_id("projection-activity")).to_have_text(built["ideation"].title)

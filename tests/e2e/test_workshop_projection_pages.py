"""The console and the projection open on any activity, and the projection shows how to
join only while the room is open."""

import pytest
from playwright.sync_api import expect

from ruche.workshops.actions import do_set_state, run_message
from tests.e2e.workshop_pages import log_in, off_loop
from tests.workshops.helpers import make_workshop

pytestmark = pytest.mark.django_db(transaction=True)


def wait_online(page):
    expect(page.locator("#workshop-live-status")).to_have_attribute("data-state", "online")


def test_both_views_load_on_every_kind_of_activity(asgi_server, new_page):
    """Whatever activity is current when the page loads, the console shows its controls and
    the projection its view, without a script error."""
    built = off_loop(make_workshop)
    workshop = built["workshop"]
    console = new_page(asgi_server)
    log_in(console, built["facilitator"].email)
    projection = new_page(asgi_server)
    log_in(projection, built["facilitator"].email)
    for key in ("ideation", "grouping", "dotvote", "matrix", "plan"):
        activity = built[key]
        off_loop(
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

    off_loop(do_set_state, workshop, "live")
    expect(projection.get_by_test_id("join-panel")).to_be_visible()
    expect(projection.get_by_test_id("projection-activity")).to_have_text(built["ideation"].title)

"""The facilitator runs a workshop from the console and the room's projection follows, live,
over the real ASGI stack (HTTP + WebSocket) in Chromium."""

import re

import pytest
from playwright.sync_api import expect

from ruche.workshops.actions import run_message
from ruche.workshops.models import Cluster
from tests.e2e.workshop_pages import log_in, off_loop
from tests.workshops.helpers import join, make_workshop

pytestmark = pytest.mark.django_db(transaction=True)

NOTE = "Des navettes entre les villages le samedi"
TIMER = re.compile(r"^0[45]:\d\d$")


def send_as(workshop, attendee, message):
    """A participant's live message, run as the socket would (`run_message`)."""
    return off_loop(run_message, workshop.pk, str(attendee.pk), False, message)


def open_tab(page, errors):
    """Another tab in `page`'s browser context (same session), its errors collected."""
    tab = page.context.new_page()
    tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    return tab


def test_console_drives_the_projection(asgi_server, new_page):
    """The timer, a participant's note (counted, then shown once revealed) and a cluster
    made in the console reach the projection page without reloading it."""
    built = off_loop(make_workshop)
    workshop = built["workshop"]
    console = new_page(asgi_server)
    log_in(console, built["facilitator"].email)
    console.goto(f"/ateliers/{workshop.pk}/animer/")
    expect(console.locator("#workshop-live-status")).to_have_attribute("data-state", "online")
    errors = []
    projection = open_tab(console, errors)
    projection.goto(f"/ateliers/{workshop.pk}/projection/")
    expect(projection.locator("#workshop-live-status")).to_have_attribute("data-state", "online")
    expect(projection.get_by_test_id("projection-activity")).to_have_text(built["ideation"].title)

    # The facilitator starts a five-minute timer: both screens count down.
    console.locator("[data-action=timer-start][data-seconds='300']").click()
    expect(console.get_by_test_id("console-timer")).to_have_text(TIMER)
    expect(projection.get_by_test_id("projection-timer")).to_have_text(TIMER)

    # A participant writes a note: the console shows its text, the room only its count.
    _participant, attendee = off_loop(join, workshop)
    prompt = built["ideation"].prompts.get(position=1)
    send_as(
        workshop,
        attendee,
        {"type": "note.add", "prompt": str(prompt.pk), "text": NOTE, "key": "note-1"},
    )
    expect(console.get_by_test_id("console-note")).to_contain_text(NOTE)
    expect(projection.get_by_test_id("projection-note-count").first).to_have_text("1")
    expect(projection.get_by_text(NOTE)).to_have_count(0)

    # Revealed from the console: the note appears on the projection as a post-it.
    console.get_by_test_id("current-activity").get_by_test_id("reveal").click()
    expect(projection.get_by_test_id("projection-note")).to_have_text(NOTE)

    # Next activity, grouping: the facilitator ticks the note and makes a cluster of it.
    console.get_by_test_id("next-activity").click()
    expect(console.get_by_test_id("current-activity")).to_have_attribute("data-kind", "grouping")
    expect(projection.get_by_test_id("projection-activity")).to_have_text(built["grouping"].title)
    console.get_by_test_id("grouping-note").filter(has_text=NOTE).locator("label").click()
    console.locator("#new-cluster-name").fill("Mobilités")
    console.get_by_test_id("cluster-add").get_by_role("button").click()
    expect(console.get_by_test_id("cluster")).to_contain_text("Mobilités")
    expect(console.get_by_test_id("cluster")).to_contain_text(NOTE)

    cluster = projection.get_by_test_id("projection-cluster")
    expect(cluster).to_contain_text("Mobilités")
    expect(cluster.get_by_test_id("projection-note")).to_have_text(NOTE)
    expect(projection.get_by_test_id("projection-timer")).to_have_text(TIMER)
    assert [note.text for note in Cluster.objects.get(name="Mobilités").notes.all()] == [NOTE]
    expect(console.get_by_test_id("console-errors")).to_be_empty()
    assert not errors, f"Projection console errors: {errors}"

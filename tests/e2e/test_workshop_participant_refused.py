"""A note the server refuses is not lost: its text comes back into the field it was
written in, with the reason next to the form."""

import pytest
from playwright.sync_api import expect

from ruche.workshops.models import Note
from tests.e2e.test_workshop_participant import (
    Network,
    facilitator_sends,
    join,
    off_loop,
    open_phone,
)
from tests.workshops.helpers import make_workshop

pytestmark = pytest.mark.django_db(transaction=True)

NOTE = "Un tiers-lieu dans l'ancienne gare"


def test_note_refused_after_reconnection_comes_back_into_the_draft(browser, asgi_server):
    """Written offline, then refused because the facilitator paused contributions in the
    meantime: the participant reads why, and finds their text in the field again."""
    w = off_loop(make_workshop)
    workshop = w["workshop"]
    errors = []
    page = open_phone(browser, asgi_server, errors)
    network = Network(page)
    join(page, workshop.code, "Camille")
    status = page.locator("#workshop-live-status")
    expect(status).to_have_attribute("data-state", "online")

    network.cut()
    expect(status).to_have_attribute("data-state", "offline")
    column = page.locator("[data-testid=prompt-column].is-active")
    column.get_by_test_id("note-input").fill(NOTE)
    column.get_by_test_id("note-submit").click()
    expect(column.get_by_test_id("note-pending")).to_contain_text(NOTE)
    facilitator_sends(workshop, "workshop.lock", locked=True)

    network.restore()
    alert = column.get_by_test_id("note-error")
    expect(alert).to_have_attribute("role", "alert")
    expect(alert).not_to_be_empty(timeout=15000)
    expect(column.get_by_test_id("note-input")).to_have_value(NOTE)
    expect(column.get_by_test_id("note-input")).to_be_disabled()
    expect(column.get_by_test_id("note-pending")).to_have_count(0)
    expect(page.get_by_test_id("input-notice")).to_be_visible()
    assert not Note.objects.exists()

    # Open again: the text is there to send.
    facilitator_sends(workshop, "workshop.lock", locked=False)
    expect(column.get_by_test_id("note-input")).to_be_enabled()
    column.get_by_test_id("note-submit").click()
    expect(column.get_by_test_id("my-note")).to_have_count(1)
    assert Note.objects.get().text == NOTE

    page.context.close()
    assert not errors, f"Browser console errors: {errors}"

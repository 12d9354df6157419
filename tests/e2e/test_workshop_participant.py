"""The participant's live view on a phone: joining with a code, writing a note that waits
while the connection is down and is acknowledged when it comes back, a draft that survives a
reload, and the page following the facilitator from one activity to the next."""

import re

import pytest
from playwright.sync_api import expect

from ruche.workshops import actions
from ruche.workshops.models import Note
from tests.e2e.workshop_pages import off_loop
from tests.workshops.helpers import make_workshop

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
NOTE = "Des bus le dimanche pour aller au marché"
DRAFT = "Une maison de santé dans chaque canton"


class Network:
    """The page's workshop socket, routed through Playwright so the test can cut it.

    Cut: the open socket is closed and new ones are refused (closed at once), as when a
    phone loses the network; the page's client keeps retrying. Restored: the next retry goes
    through to the real server.
    """

    def __init__(self, page):
        self.down = False
        self.routes = []
        page.route_web_socket(re.compile(r"/ws/ateliers/"), self.handle)

    def handle(self, route):
        if self.down:
            route.close(code=4000, reason="network down")
            return
        route.connect_to_server()
        self.routes.append(route)

    def cut(self):
        self.down = True
        for route in self.routes:
            route.close(code=4000, reason="network down")
        self.routes.clear()

    def restore(self):
        self.down = False


def facilitator_sends(workshop, message_type, **fields):
    """A facilitator's live message, as the console's socket runs it."""
    message = {"type": message_type, **fields}
    return off_loop(actions.run_message, workshop.pk, None, True, message)


def open_phone(browser, base_url, errors):
    context = browser.new_context(base_url=base_url, locale="fr-FR", **PHONE)
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return page


def join(page, code, name):
    page.goto("/a/")
    page.get_by_test_id("code-form").get_by_role("textbox").fill(code.lower())
    page.get_by_test_id("code-form").get_by_role("button").click()
    page.get_by_label(re.compile("pseudonym", re.I)).fill(name)
    page.get_by_test_id("join-named").click()
    page.wait_for_url(re.compile(r"/ateliers/[0-9a-f-]+/$"))


def test_note_written_offline_is_kept_and_sent_and_the_view_follows_the_room(browser, asgi_server):
    """A note written while the socket is down waits, marked as not sent, and is recorded
    once the connection is back; text being typed survives a reload; the page always shows
    the activity the facilitator opened."""
    w = off_loop(make_workshop)
    workshop = w["workshop"]
    errors = []
    page = open_phone(browser, asgi_server, errors)
    network = Network(page)
    join(page, workshop.code, "Camille")

    status = page.locator("#workshop-live-status")
    expect(status).to_have_attribute("data-state", "online")
    expect(page.get_by_test_id("activity-title")).to_have_text(w["ideation"].title)
    column = page.locator("[data-testid=prompt-column].is-active")
    expect(column.get_by_role("heading")).to_have_text("Ce qui marche")
    # The signing choice is offered because the attendee has a name.
    expect(column.get_by_role("checkbox")).to_be_visible()

    # The network drops: the page says so, and a note written now waits.
    network.cut()
    expect(status).to_have_attribute("data-state", "offline")
    expect(status).to_have_text(re.compile("Connexion perdue"))
    column.get_by_test_id("note-input").fill(NOTE)
    column.get_by_test_id("note-submit").click()
    pending = column.get_by_test_id("note-pending")
    expect(pending).to_contain_text(NOTE)
    expect(pending).to_contain_text(re.compile("(attente|Waiting)", re.I))
    expect(page.get_by_test_id("pending-count")).to_be_visible()
    expect(column.get_by_test_id("note-input")).to_have_value("")
    assert not Note.objects.exists()

    # Something else being typed survives a reload, and so does the queued note.
    column.get_by_test_id("note-input").fill(DRAFT)
    page.reload()
    column = page.locator("[data-testid=prompt-column].is-active")
    expect(column.get_by_test_id("note-input")).to_have_value(DRAFT)
    expect(column.get_by_test_id("note-pending")).to_contain_text(NOTE)
    expect(status).to_have_attribute("data-state", "offline")

    # The network comes back: the note is sent once and acknowledged.
    network.restore()
    expect(status).to_have_attribute("data-state", "online", timeout=15000)
    mine = column.get_by_test_id("my-note")
    expect(mine).to_have_count(1)
    expect(mine.get_by_test_id("note-text")).to_have_text(NOTE)
    expect(column.get_by_test_id("note-pending")).to_have_count(0)
    expect(page.get_by_test_id("pending-count")).to_be_hidden()
    note = Note.objects.get()
    assert note.text == NOTE and note.author.display_name == "Camille"
    expect(column.get_by_test_id("notes-count")).to_contain_text("1")
    # The draft is still there after the reconnection.
    expect(column.get_by_test_id("note-input")).to_have_value(DRAFT)

    # The facilitator moves the room to the dot vote: the phone follows.
    facilitator_sends(workshop, "activity.open", activity=str(w["dotvote"].pk))
    expect(page.get_by_test_id("activity-title")).to_have_text(w["dotvote"].title)
    expect(page.get_by_test_id("dots-left")).to_be_visible()

    # …and back to the ideation: the draft is where it was left.
    facilitator_sends(workshop, "activity.open", activity=str(w["ideation"].pk))
    expect(page.get_by_test_id("activity-title")).to_have_text(w["ideation"].title)
    column = page.locator("[data-testid=prompt-column].is-active")
    expect(column.get_by_test_id("note-input")).to_have_value(DRAFT)
    expect(column.get_by_test_id("my-note")).to_have_count(1)

    page.context.close()
    assert not errors, f"Browser console errors: {errors}"

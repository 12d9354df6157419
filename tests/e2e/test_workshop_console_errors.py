"""A command the server refuses is announced in the console, and the console keeps working."""

import pytest
from playwright.sync_api import expect

from tests.e2e.workshop_pages import log_in
from tests.workshops.helpers import make_workshop

pytestmark = pytest.mark.django_db(transaction=True)


def test_refused_command_is_announced(asgi_server, new_page):
    """Starting the timer of an ended workshop is refused: the server's message appears in
    the console's alert region (role=alert), and can be dismissed from the keyboard."""
    built = make_workshop(state="ended")
    workshop = built["workshop"]
    console = new_page(asgi_server)
    log_in(console, built["facilitator"].email)
    console.goto(f"/ateliers/{workshop.pk}/animer/")
    expect(console.locator("#workshop-live-status")).to_have_attribute("data-state", "online")
    expect(console.get_by_test_id("console-ended")).to_be_visible()

    console.locator("[data-action=timer-start][data-seconds='120']").click()
    alert = console.get_by_role("alert").filter(has=console.locator(".fr-alert"))
    expect(alert.locator(".fr-alert")).to_have_count(1)
    expect(alert.locator(".fr-alert p")).not_to_be_empty()
    expect(console.get_by_test_id("console-timer")).to_have_text("--:--")
    workshop.refresh_from_db()
    assert workshop.timer_ends_at is None

    close = alert.locator("[data-action=dismiss-error]")
    close.focus()
    console.keyboard.press("Enter")
    expect(alert.locator(".fr-alert")).to_have_count(0)

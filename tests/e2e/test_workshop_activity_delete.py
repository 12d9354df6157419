"""Deleting an activity from the workshop's preparation page goes through a confirmation
page that says what goes with it; cancelling keeps everything."""

import pytest
from playwright.sync_api import expect

from ruche.workshops.models import Activity, Chantier
from tests.e2e.workshop_pages import log_in, off_loop
from tests.workshops.synthesis_helpers import played_workshop

pytestmark = pytest.mark.django_db(transaction=True)


def test_deleting_the_action_plan_asks_first(asgi_server, new_page):
    """The facilitator clicks Delete on the action plan: the page lists its chantiers and
    sign-ups; Cancel keeps them, confirming deletes the activity and its chantiers."""
    built = off_loop(played_workshop)
    workshop, plan = built["workshop"], built["plan"]
    page = new_page(asgi_server)
    log_in(page, built["facilitator"].email)
    page.goto(f"/ateliers/{workshop.pk}/preparer/")
    card = page.get_by_test_id("activity").filter(has_text=plan.title)
    card.get_by_test_id("delete-activity").click()
    lost = page.get_by_test_id("deletion-lost")
    expect(lost).to_contain_text("Chantiers : 2")
    expect(page.get_by_test_id("deletion-chantiers")).to_be_visible()
    page.get_by_role("link", name="Annuler").click()
    expect(page.get_by_test_id("activity")).to_have_count(5)
    assert Chantier.objects.filter(activity=plan).count() == 2

    page.get_by_test_id("activity").filter(has_text=plan.title).get_by_test_id(
        "delete-activity"
    ).click()
    page.get_by_test_id("confirm-delete").click()
    expect(page.get_by_test_id("activity")).to_have_count(4)
    assert not Activity.objects.filter(pk=plan.pk).exists()
    assert not Chantier.objects.filter(activity_id=plan.pk).exists()

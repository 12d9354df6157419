"""The participant's live view through every activity kind, on a phone: grouping notes into
clusters, spending dots within the budget and the cap, rating items, signing up on a
chantier; locked input is disabled; the end of the workshop thanks the room."""

import re

import pytest
from playwright.sync_api import expect

from ruche.workshops import actions
from ruche.workshops.models import Commitment, Dot, Rating
from tests.e2e.test_workshop_participant import (
    facilitator_sends,
    join,
    off_loop,
    open_phone,
)
from tests.workshops.helpers import first_prompt, make_workshop, run
from tests.workshops.helpers import join as join_attendee

pytestmark = pytest.mark.django_db(transaction=True)


def wait_all_sent(page):
    """Every write of the page acknowledged (its queue, kept until then, is empty)."""
    page.wait_for_function("() => window.rucheParticipant.client.pending.length === 0")


def test_participant_takes_part_in_every_activity(browser, asgi_server):
    """Each activity shows its own controls, sends its own messages and shows the room's
    results; nothing is sent once input is locked."""
    w = off_loop(make_workshop)  # grouping by everyone, 3 dots with at most 2 per item
    workshop = w["workshop"]
    errors = []
    page = open_phone(browser, asgi_server, errors)
    join(page, workshop.code, "Camille")
    expect(page.locator("#workshop-live-status")).to_have_attribute("data-state", "online")

    # Ideation, one tab per prompt on a phone; the arrow keys move between them.
    tabs = page.get_by_role("tab")
    expect(tabs).to_have_count(2)
    tabs.first.focus()
    page.keyboard.press("ArrowRight")
    expect(tabs.nth(1)).to_have_attribute("aria-selected", "true")
    expect(page.locator("[data-testid=prompt-column].is-active")).to_contain_text("Ce qui manque")
    page.keyboard.press("ArrowLeft")
    column = page.locator("[data-testid=prompt-column].is-active")
    expect(column).to_contain_text("Ce qui marche")

    # Someone else's notes arrive while the participant types: focus and text stay, and
    # the notes are only counted until the reveal.
    field = column.get_by_test_id("note-input")
    field.click()
    page.keyboard.type("Des jardins ")
    _, sami = off_loop(join_attendee, workshop, "Sami")
    prompt = off_loop(first_prompt, w)
    for text in ("Le marché du samedi", "La médiathèque ouverte tard"):
        off_loop(run, workshop, sami, "note.add", prompt=prompt, text=text, signed=True)
    expect(column.get_by_test_id("notes-count")).to_contain_text("2")
    page.keyboard.type("partagés")
    expect(field).to_be_focused()
    expect(field).to_have_value("Des jardins partagés")

    # The shared timer ticks here too, and shows when it is paused.
    facilitator_sends(workshop, "timer.start", seconds=90)
    timer = page.get_by_test_id("timer")
    expect(timer.get_by_test_id("timer-value")).to_have_text(re.compile(r"^01:[23]\d$"))
    expect(timer).to_have_attribute("data-state", "running")
    facilitator_sends(workshop, "timer.pause")
    expect(timer).to_have_attribute("data-state", "paused")
    expect(column.get_by_test_id("other-note")).to_have_count(0)
    expect(page.get_by_text("Le marché du samedi")).to_have_count(0)
    facilitator_sends(workshop, "activity.reveal", activity=str(w["ideation"].pk), revealed=True)
    expect(column.get_by_test_id("other-note")).to_have_count(2)
    expect(column.get_by_test_id("other-note").first).to_contain_text("Sami")

    # Grouping (by everyone): a note moved with its select lands in the cluster.
    facilitator_sends(workshop, "activity.open", activity=str(w["grouping"].pk))
    facilitator_sends(
        workshop, "cluster.add", activity=str(w["grouping"].pk), name="Mobilité", notes=[]
    )
    cluster = page.get_by_test_id("cluster")
    expect(cluster).to_have_count(1)
    ungrouped = page.get_by_test_id("ungrouped-notes").get_by_test_id("grouped-note")
    expect(ungrouped).to_have_count(2)
    ungrouped.filter(has_text="Le marché").get_by_test_id("note-cluster").select_option(
        label="Mobilité"
    )
    expect(cluster.get_by_test_id("grouped-note")).to_have_text(re.compile("Le marché"))
    page.get_by_test_id("cluster-name").fill("Culture")
    page.get_by_test_id("cluster-name").press("Enter")
    expect(page.get_by_test_id("cluster")).to_have_count(2)
    expect(page.get_by_test_id("cluster").nth(1)).to_contain_text("Culture")

    # Dot voting: + stops at the cap per item, the budget counts down.
    facilitator_sends(workshop, "activity.open", activity=str(w["dotvote"].pk))
    first = page.get_by_test_id("dot-item").filter(has_text="Mobilité")
    first.get_by_test_id("dot-add").click()
    first.get_by_test_id("dot-add").click()
    expect(first.get_by_test_id("my-dots")).to_have_text("2")
    expect(first.get_by_test_id("dot-add")).to_be_disabled()  # cap 2
    page.get_by_test_id("dot-item").filter(has_text="Culture").get_by_test_id("dot-add").click()
    expect(page.get_by_test_id("dots-left")).to_contain_text("0")
    wait_all_sent(page)
    assert sorted(Dot.objects.values_list("count", flat=True)) == [1, 2]
    facilitator_sends(workshop, "activity.reveal", activity=str(w["dotvote"].pk), revealed=True)
    expect(page.get_by_test_id("ranking").locator("li").first).to_contain_text("Mobilité")

    # Matrix: both marks are needed; the room's average follows.
    facilitator_sends(workshop, "activity.open", activity=str(w["matrix"].pk))
    item = page.get_by_test_id("matrix-item").filter(has_text="Mobilité")
    item.get_by_test_id("rating-impact").fill("8")
    item.get_by_test_id("rating-impact").press("Tab")
    item.get_by_test_id("rating-ease").fill("3")
    item.get_by_test_id("rating-ease").press("Tab")
    expect(item.get_by_test_id("rating-average")).to_contain_text("8")
    wait_all_sent(page)
    rating = Rating.objects.get()
    assert (rating.impact, rating.ease) == (8, 3)

    # Action plan: signing up with a role shows among the people of the chantier.
    facilitator_sends(workshop, "activity.open", activity=str(w["plan"].pk))
    facilitator_sends(
        workshop,
        "chantier.add",
        activity=str(w["plan"].pk),
        title="Navette du marché",
        pilot="Mairie",
        contributors="",
        first_steps="Sonder les habitants",
        due_on="2027-03-01",
        key="navette",
    )
    chantier = page.get_by_test_id("chantier")
    expect(chantier).to_contain_text("Navette du marché")
    chantier.get_by_test_id("commitment-role").select_option("expert")
    expect(chantier.get_by_test_id("commitments")).to_contain_text("Camille")
    wait_all_sent(page)
    assert Commitment.objects.get().role == "expert"

    # Locked: the page says so and its inputs are disabled.
    facilitator_sends(workshop, "workshop.lock", locked=True)
    expect(page.get_by_test_id("input-notice")).to_be_visible()
    expect(chantier.get_by_test_id("commitment-role")).to_be_disabled()

    # Ended: thanks, and nothing left to fill in.
    off_loop(actions.do_set_state, workshop, "ended")
    expect(page.get_by_test_id("workshop-ended")).to_be_visible()
    expect(page.locator("#workshop-app select, #workshop-app textarea")).to_have_count(0)
    expect(page.get_by_test_id("timer")).to_be_hidden()

    page.context.close()
    assert not errors, f"Browser console errors: {errors}"

"""The results of a workshop's later activities, in the console and on the projection: dot
votes hidden from the room until revealed, the impact / ease map with quick wins first, and
chantiers made from a cluster with the people who signed up."""

import datetime
import time

import pytest
from playwright.sync_api import expect

from ruche.workshops.actions import run_message
from ruche.workshops.models import Chantier, Cluster
from tests.e2e.workshop_pages import log_in, off_loop
from tests.workshops.helpers import join, make_workshop

pytestmark = pytest.mark.django_db(transaction=True)


def send(workshop, message, attendee=None):
    """A live message as the socket runs it, from a participant or (no attendee) the
    facilitator."""
    attendee_id = str(attendee.pk) if attendee else None
    return off_loop(run_message, workshop.pk, attendee_id, attendee is None, message)


def saved_chantier(chantier_id, timeout=5):
    """The chantier the console shows, read from the database. Once seen (under a full
    suite's load) the test thread's read came before the server's write was visible to it:
    wait for it a little instead of failing."""
    deadline = time.monotonic() + timeout
    while True:
        chantier = Chantier.objects.filter(pk=chantier_id).first()
        if chantier is not None or time.monotonic() > deadline:
            assert chantier is not None, f"chantier {chantier_id} is not in the database"
            return chantier
        time.sleep(0.1)


def prepare(built):
    """Three revealed notes grouped in three clusters; the dot vote opened."""
    workshop = built["workshop"]
    _, camille = join(workshop, "Camille")
    _, dominique = join(workshop, "Dominique")
    prompt = built["ideation"].prompts.get(position=1)
    notes = {}
    for key, text in (("m", "Des navettes"), ("s", "Une maison de santé"), ("c", "Un cinéma")):
        ack = send(
            workshop,
            {"type": "note.add", "prompt": str(prompt.pk), "text": text, "key": key},
            camille,
        )
        notes[key] = ack["note"]
    send(
        workshop,
        {"type": "activity.reveal", "activity": str(built["ideation"].pk), "revealed": True},
    )
    send(workshop, {"type": "activity.open", "activity": str(built["grouping"].pk)})
    clusters = {}
    for key, name in (("m", "Mobilités"), ("s", "Santé"), ("c", "Culture")):
        ack = send(
            workshop, {"type": "cluster.add", "name": name, "notes": [notes[key]], "key": key}
        )
        clusters[key] = ack["cluster"]
    send(workshop, {"type": "activity.open", "activity": str(built["dotvote"].pk)})
    return camille, dominique, clusters


def test_results_reach_the_console_and_the_projection(asgi_server, new_page):
    """Dot counts show in the console at once but on the projection only once revealed;
    the matrix lists quick wins first; a chantier made from a cluster shows its pilot and
    who signed up."""
    built = off_loop(make_workshop)
    workshop = built["workshop"]
    camille, dominique, clusters = off_loop(prepare, built)
    console = new_page(asgi_server)
    log_in(console, built["facilitator"].email)
    console.goto(f"/ateliers/{workshop.pk}/animer/")
    expect(console.locator("#workshop-live-status")).to_have_attribute("data-state", "online")
    projection = new_page(asgi_server)
    log_in(projection, built["facilitator"].email)
    projection.goto(f"/ateliers/{workshop.pk}/projection/")
    expect(projection.locator("#workshop-live-status")).to_have_attribute("data-state", "online")

    # Dot voting: three dots on Mobilités, one on Santé.
    send(workshop, {"type": "dot.set", "item": clusters["m"], "count": 2}, camille)
    send(workshop, {"type": "dot.set", "item": clusters["s"], "count": 1}, camille)
    send(workshop, {"type": "dot.set", "item": clusters["m"], "count": 1}, dominique)
    expect(projection.get_by_test_id("projection-voters")).to_have_text("2")
    expect(projection.get_by_test_id("projection-dots")).to_have_text("4")
    expect(projection.get_by_test_id("projection-ranking")).to_have_count(0)
    first_row = console.get_by_test_id("ranking").locator("tbody tr").first
    expect(first_row).to_contain_text("Mobilités")
    expect(first_row).to_contain_text("3")

    console.get_by_test_id("current-activity").get_by_test_id("reveal").click()
    bars = projection.get_by_test_id("projection-ranking").locator("li")
    expect(bars).to_have_count(3)
    expect(bars.first).to_contain_text("Mobilités")
    expect(bars.first).to_contain_text("3")

    # Matrix: Mobilités high impact and easy, Santé high impact and hard.
    console.get_by_test_id("next-activity").click()
    expect(projection.get_by_test_id("projection-activity")).to_have_text(built["matrix"].title)
    for item, impact, ease, who in (
        ("m", 8, 9, camille),
        ("s", 9, 2, camille),
        ("m", 6, 7, dominique),
    ):
        send(
            workshop,
            {"type": "rating.set", "item": clusters[item], "impact": impact, "ease": ease},
            who,
        )
    expect(projection.get_by_test_id("matrix-point")).to_have_count(2)
    expect(projection.get_by_test_id("quadrant-quick_wins")).to_contain_text("Mobilités")
    expect(projection.get_by_test_id("quadrant-major_projects")).to_contain_text("Santé")
    first_quadrant = projection.locator("[data-testid^=quadrant-]").first
    expect(first_quadrant).to_have_attribute("data-testid", "quadrant-quick_wins")
    expect(console.get_by_test_id("matrix-averages").locator("tbody tr").first).to_contain_text(
        "Mobilités"
    )

    # Action plan: a chantier from the Mobilités cluster, then someone signs up on it.
    console.get_by_test_id("next-activity").click()
    expect(console.get_by_test_id("current-activity")).to_have_attribute("data-kind", "actionplan")
    console.locator(f"[data-action=chantier-new][data-item='{clusters['m']}']").click()
    form = console.get_by_test_id("chantier-form")
    expect(form.locator("#chantier-title")).to_have_value("Mobilités")
    form.locator("#chantier-pilot").fill("Mairie de Saint-Flour")
    form.locator("#chantier-due_on").fill("2027-03-31")
    form.locator("button[type=submit]").click()
    card = console.get_by_test_id("chantier")
    expect(card).to_contain_text("Mairie de Saint-Flour")
    chantier = saved_chantier(
        card.locator("[data-action=chantier-edit]").get_attribute("data-chantier")
    )
    assert chantier.title == "Mobilités"
    assert chantier.cluster == Cluster.objects.get(pk=clusters["m"])
    assert chantier.due_on == datetime.date(2027, 3, 31)

    send(
        workshop,
        {"type": "commitment.set", "chantier": str(chantier.pk), "role": "contributor"},
        dominique,
    )
    card = projection.get_by_test_id("projection-chantier")
    expect(card).to_contain_text("Mobilités")
    expect(card).to_contain_text("Mairie de Saint-Flour")
    expect(card).to_contain_text("Dominique")
    expect(console.get_by_test_id("who-does-what")).to_contain_text("Dominique")
    expect(console.get_by_test_id("console-errors")).to_be_empty()

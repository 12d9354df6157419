"""Grouping by everyone, on a phone: a participant merges a cluster into another, splits notes
off into a new cluster and deletes a cluster (its notes go back to "not grouped"), with the
keyboard as well as the finger; the page and the database agree after each step."""

import re

import pytest
from playwright.sync_api import expect

from ruche.workshops.models import Cluster, Note
from tests.e2e.test_workshop_participant import facilitator_sends, join, off_loop, open_phone
from tests.e2e.test_workshop_participant_activities import wait_all_sent
from tests.workshops.helpers import first_prompt, make_workshop, run
from tests.workshops.helpers import join as join_attendee

pytestmark = pytest.mark.django_db(transaction=True)

MARKET = "Le marché du samedi"
LIBRARY = "La médiathèque ouverte tard"


def prepare(w):
    """Two revealed notes, the grouping open with two clusters of one note each."""
    workshop = w["workshop"]
    _, sami = join_attendee(workshop, "Sami")
    prompt = first_prompt(w)
    notes = [
        run(workshop, sami, "note.add", prompt=prompt, text=text, signed=False, key=text)["note"]
        for text in (MARKET, LIBRARY)
    ]
    run(workshop, "facilitator", "activity.reveal", activity=str(w["ideation"].pk), revealed=True)
    run(workshop, "facilitator", "activity.open", activity=str(w["grouping"].pk))
    for name, note in (("Mobilité", notes[0]), ("Culture", notes[1])):
        run(workshop, "facilitator", "cluster.add", name=name, notes=[note], key=name)


def grouping_in_database(w):
    """{cluster name: sorted note texts}, and the texts of the ungrouped notes."""
    clusters = {
        cluster.name: sorted(cluster.notes.values_list("text", flat=True))
        for cluster in Cluster.objects.filter(activity=w["grouping"])
    }
    loose = sorted(
        Note.objects.filter(activity=w["ideation"], cluster=None).values_list("text", flat=True)
    )
    return clusters, loose


def cluster_named(page, name):
    return page.get_by_test_id("cluster").filter(has=page.locator("h3", has_text=name))


def test_participant_merges_splits_and_deletes_clusters(browser, asgi_server):
    """When everyone groups, a participant's merge, split and deletion are recorded and shown
    as recorded; a split with nothing ticked says so in the cluster's alert and sends nothing;
    the focus follows the notes (the cluster merged into, the ungrouped notes)."""
    w = off_loop(make_workshop, who_groups="everyone")
    workshop = w["workshop"]
    off_loop(prepare, w)
    errors = []
    page = open_phone(browser, asgi_server, errors)
    join(page, workshop.code, "Camille")
    expect(page.locator("#workshop-live-status")).to_have_attribute("data-state", "online")
    clusters = page.get_by_test_id("cluster")
    expect(clusters).to_have_count(2)
    mobility, culture = cluster_named(page, "Mobilité"), cluster_named(page, "Culture")

    # Merge "Culture" into "Mobilité" with the panel's select.
    toggle = culture.get_by_role("button", name="Fusionner avec…")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    into = culture.get_by_test_id("cluster-merge-into")
    expect(into).to_be_focused()
    expect(into.locator("option")).to_have_text(["Mobilité"])
    into.select_option(label="Mobilité")
    culture.get_by_role("button", name="Fusionner", exact=True).click()
    expect(clusters).to_have_count(1)
    expect(mobility.get_by_test_id("grouped-note")).to_have_text(
        [re.compile(MARKET), re.compile(LIBRARY)]
    )
    expect(mobility.locator("h3")).to_be_focused()
    wait_all_sent(page)
    assert grouping_in_database(w) == ({"Mobilité": sorted([MARKET, LIBRARY])}, [])

    # Split: nothing ticked is refused on the page; then the library goes to a new cluster.
    mobility.get_by_role("button", name="Scinder").click()
    make = mobility.get_by_role("button", name="Faire un nouveau groupe des post-its cochés")
    make.click()
    alert = mobility.get_by_test_id("cluster-error")
    expect(alert).to_have_attribute("role", "alert")
    expect(alert).to_have_text("Cochez les post-its à mettre dans le nouveau groupe.")
    expect(mobility.get_by_test_id("cluster-split-note")).to_have_count(2)
    # (A DSFR checkbox is drawn by its label, which takes the tap.)
    mobility.locator("label", has_text=LIBRARY).click()
    expect(mobility.get_by_label(LIBRARY)).to_be_checked()
    mobility.get_by_test_id("cluster-split-name").fill("Culture et loisirs")
    make.click()
    expect(alert).to_be_empty()
    expect(clusters).to_have_count(2)
    leisure = cluster_named(page, "Culture et loisirs")
    expect(leisure.get_by_test_id("grouped-note")).to_have_text([re.compile(LIBRARY)])
    expect(mobility.get_by_test_id("grouped-note")).to_have_text([re.compile(MARKET)])
    expect(mobility.get_by_role("button", name="Scinder")).to_be_focused()
    wait_all_sent(page)
    assert grouping_in_database(w) == ({"Mobilité": [MARKET], "Culture et loisirs": [LIBRARY]}, [])

    # Delete "Culture et loisirs" with the keyboard: Escape closes the question, the focus
    # lands on "Keep it" first, so only a deliberate choice deletes.
    delete = leisure.get_by_role("button", name="Supprimer le groupe")
    delete.focus()
    page.keyboard.press("Enter")
    expect(leisure.get_by_role("button", name="Le garder")).to_be_focused()
    page.keyboard.press("Escape")
    expect(delete).to_be_focused()
    expect(leisure.get_by_role("button", name="Oui, supprimer")).to_be_hidden()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(leisure.get_by_role("button", name="Oui, supprimer")).to_be_focused()
    page.keyboard.press("Enter")
    expect(clusters).to_have_count(1)
    loose = page.get_by_test_id("ungrouped-notes").get_by_test_id("grouped-note")
    expect(loose).to_have_text([re.compile(LIBRARY)])
    expect(page.get_by_role("heading", name="Pas encore regroupés")).to_be_focused()
    wait_all_sent(page)
    assert grouping_in_database(w) == ({"Mobilité": [MARKET]}, [LIBRARY])

    # Alone, a cluster has nothing to merge into; a facilitator's new cluster offers it again.
    expect(mobility.get_by_role("button", name="Fusionner avec…")).to_be_hidden()
    facilitator_sends(workshop, "cluster.add", name="Santé", notes=[], key="sante")
    expect(mobility.get_by_role("button", name="Fusionner avec…")).to_be_visible()

    page.context.close()
    assert not errors, f"Browser console errors: {errors}"

"""A whole workshop in Chromium, through the pages only: a facilitator prepares it and runs
it from the console; three participants join from their phones with the code on the screen
and go through ideation → reveal → grouping → dot vote → action plan; the facilitator ends
the workshop and downloads its synthesis as Markdown, CSV and XLSX."""

import csv
import io
import re

import openpyxl
import pytest
from playwright.sync_api import expect

from ruche.accounts.models import Role
from tests.e2e.workshop_pages import (
    add_activity,
    create_workshop,
    download,
    join_room,
    log_in,
    open_phone,
    read_join_code,
    wait_all_sent,
)
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Atelier des solutions"
IDEATION, GROUPING, VOTE, MATRIX, PLAN = (
    "Je rêve mon territoire en 2050",
    "Regrouper les idées",
    "Voter pour les priorités",
    "Impact et facilité",
    "Nos chantiers",
)
WORKS, MISSING = "Ce qui marche", "Ce qui manque"
# The notes, by who writes them and in which column.
SHUTTLES = "Les navettes entre villages le samedi"  # Camille, signed
CARPOOL = "Le covoiturage organisé par la mairie"  # Dominique, not signed
HEALTH = "Une maison de santé dans chaque canton"  # Dominique
DOCTORS = "Des médecins qui passent au marché"  # the anonymous participant
NOTES = (SHUTTLES, CARPOOL, HEALTH, DOCTORS)
MOBILITY, CARE = "Mobilités", "Santé"
CHANTIER = "Navettes solidaires entre villages"
PILOT = "Mairie de Saint-Flour"
FIRST_STEPS = "Recenser les conducteurs bénévoles"
ANONYMOUS = re.compile("(Anonymous|Anonyme)")


def write_note(page, text, *, column=0, sign=False):
    """Pick the column's tab (on a phone, one column at a time), write, add."""
    page.get_by_role("tab").nth(column).click()
    panel = page.locator("[data-testid=prompt-column].is-active")
    panel.get_by_test_id("note-input").fill(text)
    checkbox = panel.get_by_role("checkbox")
    if checkbox.count() and checkbox.is_checked() != sign:
        panel.locator(".fr-checkbox-group label").click()  # DSFR draws the box on the label
    if sign:
        expect(checkbox).to_be_checked()
    panel.get_by_test_id("note-submit").click()
    expect(panel.get_by_test_id("my-note").filter(has_text=text)).to_have_count(1)


def cluster_named(page, name):
    """A cluster by its heading (the console's other clusters name it in their menus)."""
    return page.get_by_test_id("cluster").filter(has=page.locator("h3", has_text=name))


def add_dots(item, count):
    """Press + `count` times, looking at the count each time as a person would (each press
    sends an absolute count, computed from the one shown)."""
    for shown in range(1, count + 1):
        item.get_by_test_id("dot-add").click()
        expect(item.get_by_test_id("my-dots")).to_have_text(str(shown))


def tick_notes(console, *texts):
    for text in texts:
        console.get_by_test_id("grouping-note").filter(has_text=text).locator("label").click()


def test_workshop_from_ideas_to_exported_chantiers(browser, asgi_server, new_page, tmp_path):
    """Notes stay private until the reveal, clusters made in the console reach the phones,
    dots respect the budget and the cap and stay secret until the reveal, sign-ups fill the
    "qui peut faire quoi", and every export holds the notes, clusters, ranking and chantier
    with its people and their roles."""
    facilitator = MembershipFactory(role=Role.FACILITATOR).user
    organisation = facilitator.memberships.get().organisation

    # --- Preparing, on the "préparer" page: five activities, each from the one before.
    console = new_page(asgi_server)
    log_in(console, facilitator.email)
    create_workshop(console, organisation, TITLE)
    add_activity(console, "ideation", IDEATION, fields={"prompts": f"{WORKS}\n{MISSING}"})
    add_activity(console, "grouping", GROUPING, source=IDEATION, fields={"who": "facilitator"})
    add_activity(console, "dotvote", VOTE, source=GROUPING, fields={"dots": "3", "cap": "2"})
    add_activity(console, "matrix", MATRIX, source=GROUPING)
    add_activity(console, "actionplan", PLAN, source=GROUPING)
    expect(console.get_by_test_id("activities").get_by_test_id("activity")).to_have_count(5)
    console.get_by_test_id("open-room").click()
    console.get_by_test_id("console-link").click()
    expect(console.locator("#workshop-live-status")).to_have_attribute("data-state", "online")
    current = console.get_by_test_id("current-activity")
    expect(current).to_have_attribute("data-kind", "ideation")

    # --- Three phones join with the code read on the console; one stays anonymous.
    code = read_join_code(console)
    errors = []
    camille, dominique, anonymous = (open_phone(browser, asgi_server, errors) for _ in range(3))
    join_room(camille, code, "Camille")
    join_room(dominique, code, "Dominique")
    join_room(anonymous, code)
    phones = (camille, dominique, anonymous)
    for phone in phones:
        expect(phone.get_by_test_id("activity-title")).to_have_text(IDEATION)
    expect(anonymous.get_by_test_id("attendee-name")).to_contain_text(
        re.compile("(anonymously|anonymement)")
    )
    expect(console.get_by_test_id("presence")).to_contain_text("3")

    # --- Ideation: private writing; only someone with a pseudonym may sign.
    write_note(camille, SHUTTLES, sign=True)
    write_note(dominique, CARPOOL)
    write_note(dominique, HEALTH, column=1)
    expect(anonymous.get_by_role("checkbox")).to_have_count(0)
    write_note(anonymous, DOCTORS, column=1)

    notes = console.get_by_test_id("console-note")
    expect(notes).to_have_count(4)
    for text in NOTES:
        expect(notes.filter(has_text=text)).to_have_count(1)
    expect(notes.filter(has_text=SHUTTLES)).to_contain_text("Camille")
    expect(notes.filter(has_text=CARPOOL)).not_to_contain_text("Dominique")  # not signed
    # The phones count the room's notes without showing other people's.
    for phone in phones:
        panel = phone.locator("[data-testid=prompt-column].is-active")
        expect(panel.get_by_test_id("notes-count")).to_contain_text("2")
        expect(phone.get_by_test_id("other-note")).to_have_count(0)
    expect(camille.get_by_text(CARPOOL)).to_have_count(0)
    expect(anonymous.get_by_text(HEALTH)).to_have_count(0)

    current.get_by_test_id("reveal").click()
    for phone, own in ((camille, 1), (dominique, 2), (anonymous, 1)):
        expect(phone.get_by_test_id("other-note")).to_have_count(4 - own)
        texts = phone.get_by_test_id("my-note").all_inner_texts()
        texts += phone.get_by_test_id("other-note").all_inner_texts()
        assert sorted(t for t in NOTES if any(t in shown for shown in texts)) == sorted(NOTES)
    # Signed with a name, or anonymous: the room sees which.
    dominique.get_by_role("tab").first.click()
    shuttles = dominique.get_by_test_id("other-note").filter(has_text=SHUTTLES)
    expect(shuttles).to_be_visible()
    expect(shuttles).to_contain_text("Camille")
    carpool = camille.get_by_test_id("other-note").filter(has_text=CARPOOL)
    expect(carpool).to_contain_text(ANONYMOUS)
    expect(carpool).not_to_contain_text("Dominique")

    # --- Grouping by the facilitator: two clusters, which the phones show as they form.
    console.get_by_test_id("next-activity").click()
    expect(current).to_have_attribute("data-kind", "grouping")
    for name, texts in ((MOBILITY, (SHUTTLES, CARPOOL)), (CARE, (HEALTH, DOCTORS))):
        tick_notes(console, *texts)
        console.locator("#new-cluster-name").fill(name)
        console.get_by_test_id("cluster-add").get_by_role("button").click()
        expect(cluster_named(console, name).get_by_test_id("grouping-note")).to_have_count(2)
    expect(console.get_by_test_id("ungrouped").get_by_test_id("grouping-note")).to_have_count(0)
    for phone in phones:
        expect(phone.get_by_test_id("activity-title")).to_have_text(GROUPING)
        clusters = phone.get_by_test_id("cluster")
        expect(clusters).to_have_count(2)
        expect(cluster_named(phone, MOBILITY).get_by_test_id("grouped-note")).to_have_text(
            [re.compile(SHUTTLES), re.compile(CARPOOL)]
        )
        expect(cluster_named(phone, CARE).get_by_test_id("grouped-note")).to_have_text(
            [re.compile(HEALTH), re.compile(DOCTORS)]
        )
        # Grouped by the facilitator only: nothing to move from a phone.
        expect(phone.get_by_test_id("note-cluster")).to_have_count(0)

    # --- Dot vote: 3 dots each, at most 2 on one cluster.
    console.get_by_test_id("next-activity").click()
    expect(current).to_have_attribute("data-kind", "dotvote")
    for phone in phones:
        expect(phone.get_by_test_id("activity-title")).to_have_text(VOTE)

    def item(phone, name):
        return phone.get_by_test_id("dot-item").filter(has_text=name)

    mobility = item(camille, MOBILITY)
    add_dots(mobility, 2)
    # A third dot on the same cluster is over the cap: the phone does not offer it.
    expect(mobility.get_by_test_id("dot-add")).to_be_disabled()
    care = item(camille, CARE)
    add_dots(care, 1)
    # The budget is spent: no more dots anywhere, and the phone says why.
    left = camille.get_by_test_id("dots-left")
    expect(left).to_contain_text(re.compile(r"^0\D.*3.*2"))
    expect(care.get_by_test_id("dot-add")).to_be_disabled()
    # Tried anyway: the disabled button sends nothing (no error to show either); the
    # console's totals below count only the 3 dots allowed.
    care.get_by_test_id("dot-add").click(force=True)
    expect(care.get_by_test_id("my-dots")).to_have_text("1")

    add_dots(item(dominique, MOBILITY), 1)
    add_dots(item(dominique, CARE), 1)
    expect(dominique.get_by_test_id("dots-left")).to_contain_text(re.compile(r"^1\D"))
    add_dots(item(anonymous, MOBILITY), 2)
    for phone in phones:
        wait_all_sent(phone)

    # The console counts the dots live; the phones see no result before the reveal.
    rows = current.get_by_test_id("ranking").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(MOBILITY)
    expect(rows.nth(0).locator("td").last).to_have_text("5")
    expect(rows.nth(1).locator("td").last).to_have_text("2")
    for phone in phones:
        expect(phone.get_by_test_id("ranking")).to_be_hidden()
    current.get_by_test_id("reveal").click()
    for phone in phones:
        ranking = phone.get_by_test_id("ranking").locator("li")
        expect(ranking).to_have_count(2)
        expect(ranking.nth(0)).to_contain_text(MOBILITY)
        expect(ranking.nth(0)).to_contain_text("5")
        expect(ranking.nth(1)).to_contain_text(CARE)
        expect(ranking.nth(1)).to_contain_text("2")

    # --- Action plan (the matrix is skipped): a chantier from the most voted cluster.
    activity_list = console.get_by_test_id("activity-list").get_by_test_id("activity")
    activity_list.filter(has_text=PLAN).locator("[data-action=activity-open]").click()
    expect(current).to_have_attribute("data-kind", "actionplan")
    sources = current.locator("[data-action=chantier-new][data-item]")
    expect(sources.first).to_have_attribute("data-title", MOBILITY)  # ranked by the vote
    sources.first.click()
    form = console.get_by_test_id("chantier-form")
    expect(form.locator("#chantier-title")).to_have_value(MOBILITY)
    form.locator("#chantier-title").fill(CHANTIER)
    form.locator("#chantier-pilot").fill(PILOT)
    form.locator("#chantier-first_steps").fill(FIRST_STEPS)
    form.locator("#chantier-due_on").fill("2027-03-31")
    form.locator("button[type=submit]").click()
    card = current.get_by_test_id("chantier")
    expect(card).to_contain_text(CHANTIER)
    expect(card).to_contain_text(PILOT)
    expect(card).to_contain_text(MOBILITY)

    for phone, role, name in (
        (camille, "pilot", "Camille"),
        (dominique, "contributor", "Dominique"),
        (anonymous, "informed", ANONYMOUS),
    ):
        chantier = phone.get_by_test_id("chantier")
        expect(chantier).to_contain_text(CHANTIER)
        expect(chantier).to_contain_text(PILOT)
        chantier.get_by_test_id("commitment-role").select_option(role)
        expect(chantier.get_by_test_id("commitments")).to_contain_text(name)
    for phone in phones:
        wait_all_sent(phone)
        expect(phone.get_by_test_id("commitments")).to_contain_text("Dominique")

    # "Qui peut faire quoi": one row per chantier, one column per role.
    row = current.get_by_test_id("who-does-what").locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("th")).to_have_text(CHANTIER)
    cells = row.locator("td")
    expect(cells).to_have_text(["Camille", "Dominique", "—", ANONYMOUS])
    expect(console.get_by_test_id("console-errors")).to_be_empty()

    # --- The session is over: the facilitator ends it, so the synthesis downloaded is the
    # final record (contributions are closed), and the phones thank the room.
    console.get_by_test_id("end-workshop").click()
    expect(console.get_by_test_id("console-ended")).to_be_visible()
    for phone in phones:
        expect(phone.get_by_test_id("workshop-ended")).to_be_visible()

    console.get_by_test_id("synthesis-link").click()
    expect(console.get_by_test_id("synthesis")).to_be_visible()
    synthesis = console.get_by_test_id("synthesis")
    for text in (*NOTES, MOBILITY, CARE, CHANTIER, PILOT, "Camille", "Dominique"):
        expect(synthesis).to_contain_text(text)

    markdown = download(console, "synthesis-export-md", tmp_path).read_text(encoding="utf-8")
    table = download(console, "synthesis-export-csv", tmp_path).read_text(encoding="utf-8-sig")
    workbook = openpyxl.load_workbook(download(console, "synthesis-export-xlsx", tmp_path))
    page_errors = list(errors)
    for phone in phones:
        phone.context.close()
    assert not page_errors, f"Phones' console errors: {page_errors}"

    # Markdown: the notes with the signed author, the clusters, the ranking, the chantier.
    assert f"- {SHUTTLES} — *Camille*" in markdown
    for text in (CARPOOL, HEALTH, DOCTORS):
        assert f"- {text}\n" in markdown
    assert f"### {MOBILITY} (2)" in markdown and f"### {CARE} (2)" in markdown
    assert re.search(rf"^\| 1 \| {MOBILITY} \| 5 \| 3 \|$", markdown, re.M)
    assert re.search(rf"^\| 2 \| {CARE} \| 2 \| 2 \|$", markdown, re.M)
    assert f"### {CHANTIER}" in markdown
    for value in (MOBILITY, PILOT, FIRST_STEPS, "2027-03-31"):
        assert re.search(rf"^- \*\*[^*]+\*\* {value}$", markdown, re.M), value
    signed_up = re.search(r"^- \*\*[^*]+\*\* (Camille .*)$", markdown, re.M).group(1)
    assert re.fullmatch(
        r"Camille \(Pilote?\), Dominique \((Contributor|Contributeur)\), "
        r"(Anonymous|Anonyme) 1 \((To keep informed|À informer)\)",
        signed_up,
    ), signed_up

    # CSV: one row per contribution.
    rows = list(csv.reader(io.StringIO(table)))
    header, rows = rows[0], rows[1:]
    assert len(header) == 20

    def cells_of(*values):
        return [row for row in rows if all(value in row for value in values)]

    assert len(cells_of(SHUTTLES, WORKS, MOBILITY, "Camille")) == 1  # the note
    assert len(cells_of(DOCTORS, MISSING, CARE)) == 1
    assert len(cells_of(HEALTH, CARE)) == 2  # the note, and the note in its cluster
    assert len(cells_of(MOBILITY, "1", "5", "3")) == 1  # ranked first, 5 dots, 3 voters
    assert len(cells_of(CARE, "2", "2", "2")) == 1
    assert len(cells_of(CHANTIER, MOBILITY, PILOT, FIRST_STEPS, "2027-03-31")) == 1
    assert len(cells_of(CHANTIER, "Camille")) == 1
    assert len(cells_of(CHANTIER, "Dominique")) == 1
    assert len([row for row in rows if CHANTIER in row and ANONYMOUS.search("".join(row))]) == 1

    # XLSX: a sheet per kind of output.
    def sheet(name):
        return [list(row) for row in workbook[name].iter_rows(min_row=2, values_only=True)]

    notes_sheet = {row[2]: row for row in sheet("Notes")}
    assert set(notes_sheet) == set(NOTES)
    assert notes_sheet[SHUTTLES][1:] == [WORKS, SHUTTLES, "Camille", MOBILITY]
    assert notes_sheet[DOCTORS][4] == CARE
    clusters = sorted((row[1], row[2]) for row in sheet("Regroupements"))
    assert clusters == sorted(
        [(MOBILITY, SHUTTLES), (MOBILITY, CARPOOL), (CARE, HEALTH), (CARE, DOCTORS)]
    )
    assert [row[1:] for row in sheet("Votes")] == [[1, MOBILITY, 5, 3], [2, CARE, 2, 2]]
    (chantier_row,) = sheet("Chantiers")
    assert chantier_row[1:3] == [CHANTIER, MOBILITY]
    assert chantier_row[4] == PILOT and chantier_row[6] == FIRST_STEPS
    assert chantier_row[7].date().isoformat() == "2027-03-31"
    assert chantier_row[8].startswith("Camille (Pilot") and "Dominique (" in chantier_row[8]
    who = workbook["Qui fait quoi"]
    people = [cell.value for cell in who[1]][2:]
    assert people[:2] == ["Camille", "Dominique"] and ANONYMOUS.match(people[2])
    grid = [cell.value for cell in who[2]]
    assert grid[1] == CHANTIER
    assert re.fullmatch("Pilote?", grid[2])
    assert re.fullmatch("(Contributor|Contributeur)", grid[3])
    assert re.fullmatch("(To keep informed|À informer)", grid[4])

"""A participant votes and proposes a statement on their phone, a facilitator moderates
it, and the synthesis shows it: the whole consultation loop in a browser."""

import pytest
from playwright.sync_api import expect

from ruche.consultations.models import Statement, Vote
from tests.factories import (
    DEFAULT_PASSWORD,
    ConsultationFactory,
    MembershipFactory,
    PhaseFactory,
    ProcessFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

NEW_STATEMENT = "Ouvrir une crèche inter-administrations près de la gare"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_vote_propose_moderate_report(browser, live_server, settings):
    settings.RUCHE_ANALYSIS_THROTTLE_SECONDS = 0  # analyse after every vote
    facilitator = MembershipFactory(role="facilitator").user
    process = ProcessFactory(organisation=facilitator.memberships.get().organisation)
    consultation = ConsultationFactory(phase=PhaseFactory(process=process), title="Retex COVID")
    for text in (
        "Le télétravail doit rester possible deux jours par semaine",
        "Les réunions en visioconférence sont trop longues",
        "Chaque agent doit avoir un ordinateur portable",
    ):
        StatementFactory(consultation=consultation, text=text)
    errors = []

    def open_page(**options):
        context = browser.new_context(base_url=live_server.url, locale="fr-FR", **options)
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        return page

    # A participant on a phone, without an account: votes with a tap, then the keyboard.
    phone = open_page(**PHONE)
    phone.goto(f"/consultations/{consultation.pk}/")
    phone.get_by_test_id("start-voting").click()
    first = phone.get_by_test_id("statement-text").inner_text()
    phone.get_by_test_id("vote-agree").click()
    expect(phone.get_by_test_id("statement-text")).not_to_have_text(first)
    expect(phone.locator("[data-role=voted]")).to_have_text("1")
    phone.keyboard.press("d")
    expect(phone.locator("[data-role=voted]")).to_have_text("2")
    phone.get_by_test_id("vote-pass").click()
    expect(phone.get_by_test_id("vote-card")).to_have_attribute("data-done", "true")
    assert Vote.objects.filter(consultation=consultation).count() == 3

    # They change their mind on one vote.
    phone.get_by_test_id("my-votes-link").click()
    expect(phone.get_by_test_id("my-vote")).to_have_count(3)
    row = phone.get_by_test_id("my-vote").filter(has_text=first)
    row.locator("button[value=disagree]").click()
    expect(
        phone.get_by_test_id("my-vote").filter(has_text=first).get_by_test_id("my-vote-value")
    ).to_have_text("Pas d’accord")

    # They propose a statement of their own: it waits for moderation.
    phone.goto(f"/consultations/{consultation.pk}/")
    phone.locator("#id_text").fill(NEW_STATEMENT)
    phone.get_by_test_id("propose-form").get_by_role("button").click()
    if phone.get_by_test_id("similar-statements").count():
        phone.get_by_test_id("propose-submit").click()
    expect(phone.locator(".fr-alert--success")).to_be_visible()
    statement = Statement.objects.get(text=NEW_STATEMENT)
    assert statement.status == Statement.Status.PENDING

    # The facilitator publishes it from the moderation queue.
    desk = open_page()
    desk.goto("/connexion/")
    desk.get_by_role("textbox", name="Adresse électronique").fill(facilitator.email)
    desk.get_by_label("Mot de passe", exact=True).fill(DEFAULT_PASSWORD)
    desk.get_by_role("button", name="Se connecter").click()
    desk.wait_for_url("**/tableau-de-bord/")
    desk.goto(f"/consultations/{consultation.pk}/moderation/")
    desk.get_by_test_id("queued-statement").filter(has_text=NEW_STATEMENT).locator("label").click()
    desk.get_by_test_id("accept").click()
    expect(desk.get_by_test_id("queue-empty")).to_be_visible()
    statement.refresh_from_db()
    assert statement.status == Statement.Status.ACCEPTED

    # The participant now gets it on their card and agrees.
    phone.goto(f"/consultations/{consultation.pk}/voter/")
    expect(phone.get_by_test_id("statement-text")).to_have_text(NEW_STATEMENT)
    phone.get_by_test_id("vote-agree").click()
    expect(phone.get_by_test_id("vote-card")).to_have_attribute("data-done", "true")

    # The synthesis, recomputed after the votes, shows the statement and its votes.
    desk.goto(f"/consultations/{consultation.pk}/synthese/")
    expect(desk.get_by_test_id("report-computed")).to_be_visible()
    expect(desk.get_by_test_id("figure-votes")).to_contain_text("4")
    expect(desk.get_by_test_id("report-statements")).to_contain_text(NEW_STATEMENT)
    phone.context.close()
    desk.context.close()
    assert not errors, f"Browser console errors: {errors}"

"""A facilitator sets up a participatory process that the public then sees, in a browser."""

import datetime

import pytest
from playwright.sync_api import expect

from ruche.accounts.demo import DEMO_ACCOUNTS, load_demo_data

pytestmark = pytest.mark.django_db(transaction=True)


def test_facilitator_creates_opens_and_shares_a_process(page, browser, live_server):
    """Dashboard → new process → a dated phase → open it; an anonymous visitor then sees
    the question, the rendered context and the current phase."""
    load_demo_data()
    facilitator = next(a for a in DEMO_ACCOUNTS if a.role == "facilitator")
    page.goto("/connexion/")
    page.get_by_role("textbox", name="Adresse électronique").fill(facilitator.email)
    page.get_by_label("Mot de passe", exact=True).fill(facilitator.password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/tableau-de-bord/")

    page.get_by_role("link", name="Nouvelle démarche").click()
    page.locator("#id_title").fill("Retex post-COVID")
    page.locator("#id_question").fill("Qu’avons-nous appris de la crise ?")
    page.locator("#id_context").fill("Une démarche **ouverte** à tous les agents.")
    page.locator("#id_visibility").select_option("public")
    page.get_by_role("button", name="Créer la démarche").click()

    page.get_by_role("link", name="Ajouter une phase").click()
    today = datetime.date.today()
    page.locator("#id_title").fill("Consultation en ligne")
    page.locator("#id_starts_on").fill((today - datetime.timedelta(days=1)).isoformat())
    page.locator("#id_ends_on").fill((today + datetime.timedelta(days=20)).isoformat())
    page.get_by_role("button", name="Ajouter la phase").click()
    page.locator("#id_status").select_option("open")
    page.get_by_role("button", name="Changer le statut").click()
    page.get_by_role("link", name="Voir la page de la démarche").click()
    public_url = page.url

    visitor = browser.new_context(locale="fr-FR").new_page()
    visitor.goto(public_url)
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Retex post-COVID")
    expect(visitor.get_by_text("Qu’avons-nous appris de la crise ?")).to_be_visible()
    expect(visitor.locator("strong", has_text="ouverte")).to_be_visible()
    expect(visitor.get_by_text("En cours").first).to_be_visible()
    expect(visitor.get_by_text("Consultation en ligne").first).to_be_visible()
    visitor.context.close()

"""A person logs in from the home page and reaches their dashboard, in a real browser."""

import pytest

from ruche.accounts.demo import DEMO_ACCOUNTS, load_demo_data

pytestmark = pytest.mark.django_db(transaction=True)


def test_facilitator_logs_in_and_sees_the_dashboard(page):
    """From the home page, the demo facilitator logs in and sees their lab on the dashboard."""
    load_demo_data()
    facilitator = next(a for a in DEMO_ACCOUNTS if a.role == "facilitator")
    page.goto("/")
    assert page.locator("header.fr-header").is_visible()
    page.get_by_role("link", name="Se connecter").first.click()
    page.get_by_role("textbox", name="Adresse électronique").fill(facilitator.email)
    page.get_by_label("Mot de passe", exact=True).fill(facilitator.password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/tableau-de-bord/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Bonjour")
    assert page.get_by_role("heading", name="Dre'Lab (démo)").is_visible()
    assert page.get_by_text("Facilitateur").first.is_visible()


def test_wrong_password_shows_an_error_in_the_form(page):
    """Wrong credentials keep the person on the login page with a visible error."""
    load_demo_data()
    page.goto("/connexion/")
    page.get_by_role("textbox", name="Adresse électronique").fill("membre@ruche.localhost")
    page.get_by_label("Mot de passe", exact=True).fill("pas le bon")
    page.get_by_role("button", name="Se connecter").click()
    assert page.get_by_text("Adresse électronique ou mot de passe incorrect").is_visible()
    assert "/connexion/" in page.url


def test_skip_link_reaches_the_content_by_keyboard(page):
    """The first Tab stop is the skip link to the content (keyboard users)."""
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#content"

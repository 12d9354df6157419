"""Live updates reach an open page over a real WebSocket, through the ASGI stack."""

import re

import pytest
from playwright.sync_api import expect

from ruche.accounts.tokens import invitation_token
from tests.factories import DEFAULT_PASSWORD, InvitationFactory, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, email):
    page.goto("/connexion/")
    page.get_by_role("textbox", name="Adresse électronique").fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/tableau-de-bord/")


def test_member_sees_a_newcomer_join_without_reloading(asgi_server, new_page):
    """A member's open organisation page announces, live, an invited person who joins."""
    membership = MembershipFactory(role="member")
    organisation = membership.organisation
    invitation = InvitationFactory(organisation=organisation, email="nora@example.gouv.fr")

    member_page = new_page(asgi_server)
    log_in(member_page, membership.user.email)
    member_page.goto(f"/structures/{organisation.pk}/")
    status = member_page.get_by_role("status")
    expect(status).to_have_text("En direct")

    newcomer_page = new_page(asgi_server)
    newcomer_page.goto(f"/invitation/{invitation_token(invitation.pk)}/")
    newcomer_page.get_by_label("Prénom et nom").fill("Nora Nouvelle")
    newcomer_page.locator("#id_password1").fill("ruche-2026-ok!")
    newcomer_page.get_by_label("Confirmation du mot de passe").fill("ruche-2026-ok!")
    newcomer_page.get_by_role("button", name="Créer mon compte et rejoindre").click()
    newcomer_page.wait_for_url(re.compile(r".*/structures/"))

    expect(member_page.locator("#live-feed")).to_contain_text(
        "Nora Nouvelle vient de rejoindre la structure."
    )

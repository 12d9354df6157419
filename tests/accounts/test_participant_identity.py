"""Pseudonymous participants bound to a signed cookie."""

import pytest
from django.conf import settings
from django.urls import reverse

from ruche.accounts.models import Participant
from tests.factories import ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db
COOKIE = settings.PARTICIPANT_COOKIE_NAME


def test_choosing_a_pseudonym_creates_an_identity_in_a_signed_cookie(client):
    """A visitor without an account picks a pseudonym; the cookie is signed and HttpOnly."""
    response = client.post(reverse("accounts:participant"), {"pseudonym": "Castor   sage"})
    assert response.status_code == 302
    participant = Participant.objects.get()
    assert participant.pseudonym == "Castor sage"
    cookie = response.cookies[COOKIE]
    assert cookie["httponly"]
    assert cookie.value != str(participant.pk)  # signed, not the bare id
    page = client.get(reverse("accounts:participant")).content.decode()
    assert "Castor sage" in page


def test_renaming_keeps_the_same_identity(client):
    """Changing one's pseudonym keeps the same participant (contributions stay theirs)."""
    client.post(reverse("accounts:participant"), {"pseudonym": "Loutre"})
    client.post(reverse("accounts:participant"), {"pseudonym": "Loutre rapide"})
    assert Participant.objects.count() == 1
    assert Participant.objects.get().pseudonym == "Loutre rapide"


def test_a_forged_cookie_is_ignored_and_reported(client):
    """A cookie whose signature fails is never trusted: it is deleted and a warning shown."""
    victim = ParticipantFactory(pseudonym="Victime")
    client.cookies[COOKIE] = f"{victim.pk}:forged-signature"
    response = client.get(reverse("accounts:participant"))
    html = response.content.decode()
    assert "Victime" not in html
    assert "cookie de participation n’était pas valide" in html
    assert response.cookies[COOKIE].value == ""  # deleted
    client.post(reverse("accounts:participant"), {"pseudonym": "Moi"})
    victim.refresh_from_db()
    assert victim.pseudonym == "Victime"


def test_a_signed_in_user_gets_their_participant_linked(client):
    """When a signed-in user takes part, the participant identity is linked to the account."""
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("accounts:participant"), {"pseudonym": "Hérisson"})
    assert Participant.objects.get().user == user


@pytest.mark.parametrize("pseudonym", ["", " ", "x", "y" * 61])
def test_bad_pseudonyms_are_form_errors(client, pseudonym):
    """Empty, one-letter or over-long pseudonyms get a form error and create nothing."""
    response = client.post(reverse("accounts:participant"), {"pseudonym": pseudonym})
    assert response.status_code == 400
    assert "fr-input-group--error" in response.content.decode()
    assert not Participant.objects.exists()


def test_pseudonym_is_shown_inert(client):
    """HTML typed as a pseudonym is shown as text, never run."""
    client.post(reverse("accounts:participant"), {"pseudonym": "<script>alert(1)</script>"})
    html = client.get(reverse("accounts:participant")).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_signing_in_links_the_pseudonymous_identity(client):
    """Someone who took part under a pseudonym keeps it when they sign in."""
    from tests.factories import DEFAULT_PASSWORD

    client.post(reverse("accounts:participant"), {"pseudonym": "Lynx"})
    user = UserFactory()
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert Participant.objects.get(pseudonym="Lynx").user == user

"""Password reset by email link."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_reset_link_lets_the_user_choose_a_new_password(client):
    """The emailed link opens a form; the new password then works for logging in."""
    user = UserFactory(email="camille@example.gouv.fr")
    response = client.post(reverse("accounts:password_reset"), {"email": "camille@example.gouv.fr"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^\s]+", mail.outbox[0].body).group(0)
    response = client.get(link, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url,
        {"new_password1": "une-phrase-tres-longue", "new_password2": "une-phrase-tres-longue"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("une-phrase-tres-longue")


def test_unknown_address_sends_nothing_but_says_the_same(client):
    """Asking for an unknown address shows the same page and sends no email."""
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.gouv.fr"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_used_or_forged_link_is_refused_clearly(client):
    """A forged reset link shows that the link is no longer valid."""
    user = UserFactory()
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(user.pk))
    response = client.get(
        reverse("accounts:password_reset_confirm", args=[uid, "forged-token"]), follow=True
    )
    assert "Ce lien n’est plus valide" in response.content.decode()

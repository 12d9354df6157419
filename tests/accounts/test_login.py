"""Logging in and out with an email address and a password."""

import pytest
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def login(client, email, password):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def test_valid_credentials_lead_to_the_dashboard(client):
    """A user logs in with their email (any case) and password and lands on the dashboard."""
    user = UserFactory(email="camille@example.gouv.fr")
    response = login(client, "Camille@Example.gouv.fr", DEFAULT_PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("accounts:dashboard")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_wrong_password_gets_a_form_error(client):
    """Wrong credentials re-show the form with a clear error and log nobody in."""
    UserFactory(email="camille@example.gouv.fr")
    response = login(client, "camille@example.gouv.fr", "not the password")
    assert response.status_code == 200
    assert "Adresse électronique ou mot de passe incorrect" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_unknown_email_gets_the_same_error(client):
    """An unknown address gets the same message, so accounts cannot be enumerated."""
    response = login(client, "personne@example.gouv.fr", "whatever-password")
    assert response.status_code == 200
    assert "Adresse électronique ou mot de passe incorrect" in response.content.decode()


def test_repeated_failures_lock_the_login(client, settings):
    """After AXES_FAILURE_LIMIT failures the login is refused, even with the right password."""
    UserFactory(email="camille@example.gouv.fr")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        login(client, "camille@example.gouv.fr", "wrong")
    response = login(client, "camille@example.gouv.fr", DEFAULT_PASSWORD)
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_needs_a_post_and_ends_the_session(client):
    """Logging out is a POST (CSRF-protected) and ends the session."""
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_login_page_keeps_csrf_protection(db):
    """The login form is refused without its CSRF token."""
    from django.test import Client

    UserFactory(email="camille@example.gouv.fr")
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        reverse("accounts:login"),
        {"username": "camille@example.gouv.fr", "password": DEFAULT_PASSWORD},
    )
    assert response.status_code == 403

"""ProConnect sign-in, end to end against a local fake provider (tests/fakes/oidc_provider.py).

Settings read the OIDC_* variables at import and ruche.config.urls adds the `oidc/` routes only
when they were set, so the `proconnect` fixture overrides the settings, adds the backend and
switches ROOT_URLCONF to tests.fakes.oidc_urls (Django clears the URL caches on that change).
"""

import runpy
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.urls import reverse

from ruche.accounts.models import User
from ruche.accounts.oidc import proconnect_logout_url
from ruche.config.settings import base as settings_base
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.fakes.oidc_provider import FakeOIDCProvider, generate_rsa_key

PROCONNECT_BACKEND = "ruche.accounts.oidc.ProConnectBackend"
BASE_SETTINGS = str(Path(settings_base.__file__))
OIDC_ENV = {
    "OIDC_RP_CLIENT_ID": "client",
    "OIDC_RP_CLIENT_SECRET": "secret",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://proconnect.example/api/v2/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://proconnect.example/api/v2/token",
    "OIDC_OP_USER_ENDPOINT": "https://proconnect.example/api/v2/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://proconnect.example/api/v2/jwks",
}


@pytest.fixture
def provider():
    with FakeOIDCProvider() as fake:
        yield fake


@pytest.fixture
def proconnect(db, settings, provider):
    """Ruche configured for the fake provider, as if the OIDC_* variables had been set."""
    for name, value in provider.django_settings().items():
        setattr(settings, name, value)
    settings.OIDC_ENABLED = True
    settings.OIDC_OP_LOGOUT_URL_METHOD = "ruche.accounts.oidc.proconnect_logout_url"
    settings.AUTHENTICATION_BACKENDS = [
        *(path for path in settings.AUTHENTICATION_BACKENDS if path != PROCONNECT_BACKEND),
        PROCONNECT_BACKEND,
    ]
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    settings.ROOT_URLCONF = "tests.fakes.oidc_urls"
    return provider


def start_sign_in(client):
    """Click "Log in with ProConnect": returns the authorize URL we are sent to."""
    response = client.get(reverse("oidc_authentication_init"))
    assert response.status_code == 302
    return response["Location"]


def sign_in_at_provider(authorize_url):
    """The agent signs in at the provider, which sends the browser back to our callback."""
    response = requests.get(authorize_url, allow_redirects=False, timeout=5)
    assert response.status_code == 302, response.text
    back = urlsplit(response.headers["Location"])
    assert back.netloc == "testserver"
    return f"{back.path}?{back.query}"


def sign_in(client):
    return client.get(sign_in_at_provider(start_sign_in(client)))


def signed_in_user_id(client):
    return client.session.get(SESSION_KEY)


def test_first_sign_in_creates_the_agent_account(client, proconnect):
    """The authorization code flow signs in an agent unknown to Ruche and creates the account.

    The authorize request carries state, nonce and acr_values; the token request carries our
    client secret and the code; the account takes the email, name and `sub` from ProConnect
    and has no usable password.
    """
    authorize_url = start_sign_in(client)

    url = urlsplit(authorize_url)
    assert f"{url.scheme}://{url.netloc}{url.path}" == proconnect.authorization_endpoint
    params = {name: values[0] for name, values in parse_qs(url.query).items()}
    pending = client.session["oidc_states"]
    assert list(pending) == [params["state"]]
    assert params["nonce"] == pending[params["state"]]["nonce"]
    assert params["acr_values"] == "eidas1"
    assert params["client_id"] == proconnect.client_id
    assert params["response_type"] == "code"
    assert params["redirect_uri"] == "http://testserver" + reverse("oidc_authentication_callback")
    assert set(params["scope"].split()) >= {"openid", "email", "given_name", "usual_name"}

    callback = sign_in_at_provider(authorize_url)
    callback_params = parse_qs(urlsplit(callback).query)
    assert callback_params["state"] == [params["state"]]
    response = client.get(callback)

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:dashboard")
    user = User.objects.get()
    assert signed_in_user_id(client) == str(user.pk)
    assert user.email == "camille.dupont@beta.gouv.fr"
    assert user.oidc_sub == "f3b1c8e2-proconnect-sub"
    assert user.full_name == "Camille Dupont"
    assert not user.has_usable_password()
    assert client.session["oidc_id_token"] == proconnect.issued_id_tokens[-1]
    assert client.get(reverse("accounts:dashboard")).status_code == 200

    (token_request,) = proconnect.requests_to("token")
    assert token_request.form["client_secret"] == proconnect.client_secret
    assert token_request.form["code"] == callback_params["code"][0]
    assert token_request.form["grant_type"] == "authorization_code"
    (userinfo_request,) = proconnect.requests_to("userinfo")
    assert userinfo_request.headers["Authorization"].startswith("Bearer ")
    assert len(proconnect.requests_to("jwks")) >= 1


def test_sign_in_matches_the_existing_account_by_email_whatever_its_case(client, proconnect):
    """An agent whose email already has an account signs into that account, case aside.

    No duplicate is created, the `sub` is stored, the existing name and password are kept;
    signing in again still finds the same account.
    """
    existing = UserFactory(email="camille.dupont@beta.gouv.fr", full_name="Camille D.")
    proconnect.user_claims["email"] = "Camille.Dupont@Beta.GOUV.fr"

    assert sign_in(client)["Location"] == reverse("accounts:dashboard")
    client.logout()
    assert sign_in(client)["Location"] == reverse("accounts:dashboard")

    user = User.objects.get()
    assert user.pk == existing.pk
    assert signed_in_user_id(client) == str(existing.pk)
    assert user.oidc_sub == "f3b1c8e2-proconnect-sub"
    assert user.full_name == "Camille D."
    assert user.check_password(DEFAULT_PASSWORD)


def test_an_unknown_agent_is_refused_when_account_creation_is_off(client, proconnect, settings):
    """With OIDC_CREATE_USER off, only agents who already have an account can sign in."""
    settings.OIDC_CREATE_USER = False

    response = sign_in(client)

    assert response["Location"] == reverse("accounts:login")
    assert signed_in_user_id(client) is None
    assert not User.objects.exists()
    assert "ProConnect n’a pas abouti" in client.get(response["Location"]).content.decode()


def _misbehave(provider, case):
    now = int(time.time())
    match case:
        case "userinfo signed with another key":
            provider.userinfo_signing_key = generate_rsa_key()
        case "userinfo as plain JSON":
            provider.userinfo_content_type = "application/json"
        case "userinfo about another agent":
            provider.userinfo_overrides = {"sub": "someone-else"}
        case "userinfo meant for another client":
            provider.userinfo_overrides = {"aud": "another-client"}
        case "id_token with a wrong nonce":
            provider.id_token_overrides = {"nonce": "not-the-nonce-we-sent"}
        case "id_token without nonce":
            provider.id_token_overrides = {"nonce": None}
        case "id_token signed with another key":
            provider.id_token_signing_key = generate_rsa_key()
        case "id_token for another client":
            provider.id_token_overrides = {"aud": "another-client"}
        case "id_token from another issuer":
            provider.id_token_overrides = {"iss": "https://impostor.example/api/v2"}
        case "expired id_token":
            provider.id_token_overrides = {"iat": now - 3600, "exp": now - 3000}
        case _:  # pragma: no cover
            raise AssertionError(case)


@pytest.mark.parametrize(
    "case",
    [
        "userinfo signed with another key",
        "userinfo as plain JSON",
        "userinfo about another agent",
        "userinfo meant for another client",
        "id_token with a wrong nonce",
        "id_token without nonce",
        "id_token signed with another key",
        "id_token for another client",
        "id_token from another issuer",
        "expired id_token",
    ],
)
def test_a_token_that_fails_verification_is_refused(client, proconnect, case):
    """An ID token or userinfo JWT that is not genuine, not for us or not for this sign-in
    (signature, nonce, audience, issuer, expiry, sub) signs nobody in: back to LOGIN_URL,
    no account created.
    """
    _misbehave(proconnect, case)

    response = sign_in(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert signed_in_user_id(client) is None
    assert not User.objects.exists()
    assert "ProConnect n’a pas abouti" in client.get(response["Location"]).content.decode()
    assert len(proconnect.requests_to("token")) == 1  # refused after talking to the provider
    if case.startswith("userinfo"):
        assert len(proconnect.requests_to("userinfo")) == 1


def test_an_unreachable_provider_is_a_failed_sign_in_not_an_error(client, proconnect):
    """If ProConnect stops answering between the redirect and the callback, the agent is
    sent back to the login page instead of getting a server error.
    """
    callback = sign_in_at_provider(start_sign_in(client))
    proconnect.stop()

    response = client.get(callback)

    assert response["Location"] == reverse("accounts:login")
    assert signed_in_user_id(client) is None


def test_login_page_offers_proconnect_only_when_configured(client, proconnect, settings):
    """The ProConnect button shows on /connexion/ when OIDC is configured, and only then."""
    assert reverse("accounts:login") == "/connexion/"

    page = client.get("/connexion/").content.decode()
    assert 'data-testid="proconnect"' in page
    assert f'action="{reverse("oidc_authentication_init")}"' in page

    settings.OIDC_ENABLED = False
    settings.ROOT_URLCONF = "ruche.config.urls"
    page = client.get("/connexion/").content.decode()
    assert 'data-testid="proconnect"' not in page
    assert 'name="password"' in page


def test_logout_url_ends_the_proconnect_session_with_id_token_hint(db, settings):
    """The logout URL is ProConnect's end-session endpoint with id_token_hint, a state and
    our home page as post_logout_redirect_uri; without an ID token it is just our home page.
    """
    settings.OIDC_OP_LOGOUT_ENDPOINT = "https://proconnect.example/api/v2/session/end"
    request = RequestFactory().get("/")
    request.session = SessionStore()
    request.session["oidc_id_token"] = "header.payload.signature"

    url = urlsplit(proconnect_logout_url(request))

    assert f"{url.scheme}://{url.netloc}{url.path}" == settings.OIDC_OP_LOGOUT_ENDPOINT
    params = parse_qs(url.query)
    assert params["id_token_hint"] == ["header.payload.signature"]
    assert params["post_logout_redirect_uri"] == ["http://testserver/"]
    assert len(params["state"][0]) >= 32
    assert proconnect_logout_url(request) != proconnect_logout_url(request)  # fresh state

    del request.session["oidc_id_token"]
    assert proconnect_logout_url(request) == "/"


@pytest.mark.parametrize("logout", ["accounts:logout", "oidc_logout"])
def test_logging_out_after_proconnect_goes_through_its_end_session(client, proconnect, logout):
    """Logging out (the header's button, or oidc_logout) closes our session and sends the
    agent to ProConnect's end-session endpoint with the ID token received at sign-in, which
    sends them back home.
    """
    sign_in(client)
    id_token = proconnect.issued_id_tokens[-1]

    response = client.post(reverse(logout))

    assert signed_in_user_id(client) is None
    url = urlsplit(response["Location"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == proconnect.end_session_endpoint
    assert parse_qs(url.query)["id_token_hint"] == [id_token]
    back = requests.get(response["Location"], allow_redirects=False, timeout=5)
    assert back.status_code == 302
    assert back.headers["Location"].startswith("http://testserver/?state=")


@pytest.mark.parametrize(
    ("env", "enabled"),
    [({}, False), (OIDC_ENV, True), ({**OIDC_ENV, "OIDC_OP_LOGOUT_ENDPOINT": "x"}, True)],
)
def test_settings_enable_proconnect_only_when_configured(monkeypatch, env, enabled):
    """ProConnect (backend, logout through the provider) is on exactly when the client
    credentials and the provider's endpoints are all set in the environment.
    """
    for name in [*OIDC_ENV, "OIDC_OP_LOGOUT_ENDPOINT"]:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SECRET_KEY", "test")

    values = runpy.run_path(BASE_SETTINGS)

    assert values["OIDC_ENABLED"] is enabled
    assert (PROCONNECT_BACKEND in values["AUTHENTICATION_BACKENDS"]) is enabled
    assert ("OIDC_OP_LOGOUT_URL_METHOD" in values) is enabled
    assert values["AUTHENTICATION_BACKENDS"][0] == "axes.backends.AxesStandaloneBackend"


def test_csp_lets_sign_in_and_sign_out_forms_reach_proconnect(monkeypatch):
    """CSP form-action also governs the redirects after a form: with ProConnect on, its
    authorization and end-session origins are allowed, and nothing else is added."""
    for name, value in {
        **OIDC_ENV,
        "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://auth.example.gouv.fr/api/v2/authorize",
        "OIDC_OP_LOGOUT_ENDPOINT": "https://auth.example.gouv.fr/api/v2/session/end",
        "SECRET_KEY": "test",
    }.items():
        monkeypatch.setenv(name, value)
    form_action = runpy.run_path(BASE_SETTINGS)["CONTENT_SECURITY_POLICY"]["DIRECTIVES"][
        "form-action"
    ]
    assert form_action[1:] == ["https://auth.example.gouv.fr"] * 2
    for name in [*OIDC_ENV, "OIDC_OP_LOGOUT_ENDPOINT"]:
        monkeypatch.delenv(name, raising=False)
    assert (
        len(runpy.run_path(BASE_SETTINGS)["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["form-action"])
        == 1
    )


def test_partial_configuration_is_an_error(monkeypatch):
    """Setting only some of the required OIDC_* variables stops the start-up, naming the
    missing ones, rather than silently leaving ProConnect off.
    """
    for name in OIDC_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OIDC_RP_CLIENT_ID", "client")
    monkeypatch.setenv("OIDC_RP_CLIENT_SECRET", "secret")
    monkeypatch.setenv("SECRET_KEY", "test")

    with pytest.raises(ImproperlyConfigured, match="OIDC_OP_TOKEN_ENDPOINT"):
        runpy.run_path(BASE_SETTINGS)

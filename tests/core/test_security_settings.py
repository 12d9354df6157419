"""Security in production settings and on every response."""

import importlib

import pytest

pytestmark = pytest.mark.django_db


def test_responses_carry_a_content_security_policy_with_a_nonce(client):
    """Pages send a CSP that allows only our own scripts, with a per-response nonce."""
    first = client.get("/")
    second = client.get("/")
    policy = first["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "'nonce-" in policy
    assert "frame-ancestors 'none'" in policy
    assert policy != second["Content-Security-Policy"]  # nonce changes per response
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in first.content.decode()


def test_production_settings_secure_cookies_hsts_and_no_debug(monkeypatch):
    """Production: DEBUG off, secure session/CSRF cookies, HSTS, HTTPS redirect."""
    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    module = importlib.import_module("ruche.config.settings.production")
    module = importlib.reload(module)
    assert module.DEBUG is False
    assert module.SESSION_COOKIE_SECURE is True
    assert module.CSRF_COOKIE_SECURE is True
    assert module.SECURE_HSTS_SECONDS >= 31536000
    assert module.SECURE_SSL_REDIRECT is True
    assert "csp.middleware.CSPMiddleware" in module.MIDDLEWARE
    assert "axes.middleware.AxesMiddleware" in module.MIDDLEWARE


def test_secret_key_is_generated_once_into_var(tmp_path, monkeypatch):
    """Without SECRET_KEY, a key is generated into var/ (mode 600) and reused afterwards."""
    from ruche.config.env import secret_key_from_env_or_file

    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = secret_key_from_env_or_file(tmp_path)
    assert len(first) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert secret_key_from_env_or_file(tmp_path) == first


def test_bad_boolean_in_environment_is_refused(monkeypatch):
    """A misspelt boolean variable stops start-up with a message naming it."""
    from django.core.exceptions import ImproperlyConfigured

    from ruche.config.env import env_bool

    monkeypatch.setenv("DEBUG", "peut-être")
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        env_bool("DEBUG")

"""Production: behind a TLS reverse proxy; secure cookies, HSTS, no debug.

`manage.py check --deploy` runs against this module in `make test`.
"""

from ruche.config.env import env_bool, env_int

from .base import *  # noqa: F403

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    # Preloading a domain into browsers is hard to undo: a deliberate opt-in per deployment,
    # so `check --deploy` should not flag its absence.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]

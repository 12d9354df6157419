"""Tests: fast hashing, tasks run in-process unless a test asks for the real queue."""

from ruche.config.env import env_str

from .base import *  # noqa: F403
from .base import TASKS

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True  # browser tests on the ASGI app get static files uncollected
# The queue backend (database or RQ) stays configured as "queue", so tests of the worker
# use the real thing; everything else runs tasks immediately.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "queue": TASKS["default"],
}
LANGUAGE_CODE = env_str("TEST_LANGUAGE_CODE", "fr")

# The suite creates participants from one address far faster than people do; the tests of
# that limit set it themselves. (With Redis the counter outlives each test's database.)
RUCHE_NEW_PARTICIPANTS_PER_MINUTE = 100_000

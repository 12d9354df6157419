"""The demo: `make demo` on a laptop, plain HTTP on 127.0.0.1, emails printed to the console."""

from ruche.config.env import env_bool, env_str

from .base import *  # noqa: F403

DEBUG = env_bool("DEBUG", True)
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

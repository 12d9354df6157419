"""WSGI entry point (HTTP only; live features need the ASGI one)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ruche.config.settings.production")
application = get_wsgi_application()

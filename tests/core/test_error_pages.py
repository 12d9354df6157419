"""Errors are shown as DSFR pages with a clear message, never a raw traceback."""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client
from django.urls import include, path

pytestmark = pytest.mark.django_db


def boom(request):
    raise RuntimeError("unexpected")


def refuse(request):
    raise PermissionDenied


def suspicious(request):
    raise SuspiciousOperation("bad input")


urlpatterns = [
    path("boom/", boom),
    path("refuse/", refuse),
    path("suspicious/", suspicious),
    path("", include("ruche.config.urls")),
]
handler400 = "ruche.core.views.bad_request"
handler403 = "ruche.core.views.permission_denied"
handler404 = "ruche.core.views.page_not_found"
handler500 = "ruche.core.views.server_error"


@pytest.fixture
def error_client(settings):
    settings.ROOT_URLCONF = __name__
    return Client(raise_request_exception=False)


def test_our_own_refusal_messages_are_shown(client, django_user_model):
    """A 403/404 raised by our code with a message shows that message to the person."""
    from tests.factories import MembershipFactory, OrganisationFactory

    client.force_login(MembershipFactory().user)
    html = client.get(f"/structures/{OrganisationFactory().pk}/").content.decode()
    assert "Vous n’êtes pas membre de cette structure." in html


@pytest.mark.parametrize(
    ("url", "status", "title"),
    [
        ("/does-not-exist/", 404, "Page non trouvée"),
        ("/refuse/", 403, "Accès refusé"),
        ("/suspicious/", 400, "Requête incorrecte"),
        ("/boom/", 500, "Erreur inattendue"),
    ],
)
def test_error_pages_are_dsfr_pages(error_client, url, status, title):
    """404, 403, 400 and 500 answer with their status and a DSFR page saying what happened."""
    response = error_client.get(url)
    assert response.status_code == status
    html = response.content.decode()
    assert title in html
    assert 'class="fr-header"' in html
    assert "Traceback" not in html
    assert "unexpected" not in html
    # Nothing of the configuration: Django's 404 carries the URL patterns it tried.
    for leak in ("tried", "URLResolver", "URLPattern", "site-packages", "bad input"):
        assert leak not in html

"""The secret link of a link-only process opens its page."""

import pytest
from django.urls import reverse

from tests.factories import ProcessFactory

pytestmark = pytest.mark.django_db


def test_link_page_shows_the_process(client):
    """The link page shows a link-only process to an anonymous visitor; the plain page refuses."""
    process = ProcessFactory(visibility="link", status="open", title="Démarche secrète")
    response = client.get(reverse("processes:link", args=[process.link_token]))
    assert response.status_code == 200
    assert "Démarche secrète" in response.content.decode()
    assert client.get(reverse("processes:detail", args=[process.pk])).status_code == 403


def test_unknown_token_is_a_404(client):
    """A link with an unknown token is a 'page not found'."""
    response = client.get(reverse("processes:link", args=["nope-not-a-token"]))
    assert response.status_code == 404


def test_only_public_processes_may_be_indexed(client):
    """Search engines are told not to index a link-only process; a public one may be."""
    secret = ProcessFactory(visibility="link", status="open")
    public = ProcessFactory(visibility="public", status="open")
    noindex = '<meta name="robots" content="noindex, nofollow">'
    assert (
        noindex in client.get(reverse("processes:link", args=[secret.link_token])).content.decode()
    )
    assert noindex not in client.get(reverse("processes:detail", args=[public.pk])).content.decode()

"""The printable synthesis: the report alone, styles inlined, downloadable as one file."""

import pytest
from django.urls import reverse

from tests.consultations.report_data import with_opinions
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def get_print(client, query=""):
    consultation, *_rest = with_opinions(per_camp=8)
    client.force_login(
        MembershipFactory(organisation=consultation.organisation, role="facilitator").user
    )
    url = reverse("consultation_report:print", args=[consultation.pk]) + query
    return consultation, client.get(url)


def test_printable_page_has_no_site_chrome(client):
    """No header, menu or forms: only the report, with its own print styles."""
    _consultation, response = get_print(client)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="report-print"' in html
    assert "fr-header" not in html and "fr-nav" not in html
    assert "<form" not in html
    assert "@media print" in html
    assert 'data-testid="group"' in html


def test_inline_styles_are_allowed_by_their_nonce(client):
    """The inlined stylesheet carries the response's CSP nonce, so it applies."""
    _consultation, response = get_print(client)
    nonce = response.wsgi_request.csp_nonce
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"].split("style-src")[1]
    assert f'<style nonce="{nonce}">' in response.content.decode()


def test_download_is_a_complete_html_file(client):
    """?telecharger=1 sends the same page as an attachment: one standalone HTML file,
    without links back to the site's stylesheets or scripts."""
    _consultation, response = get_print(client, "?telecharger=1")
    html = response.content.decode()
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Disposition"].endswith('.html"')
    assert html.lstrip().startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert '<link rel="stylesheet"' not in html and "<script" not in html

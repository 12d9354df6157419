"""The DSFR shell every page shares: header, navigation, skip links, footer, language."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_carry_the_dsfr_header_skip_links_and_footer(client):
    """Every page has the DSFR header, skip links to content/menu/footer, and the footer."""
    html = client.get("/").content.decode()
    assert 'class="fr-header"' in html
    assert 'class="fr-skiplinks"' in html
    for target in ('href="#content"', 'href="#fr-navigation"', 'href="#footer"'):
        assert target in html
    assert 'id="content"' in html
    assert 'id="fr-navigation"' in html
    assert 'id="footer"' in html
    # The State's block mark, in the header and in the footer.
    assert html.count("République<br>") == 2


def test_french_is_the_default_language(client):
    """Without a choice, the interface is in French."""
    html = client.get("/").content.decode()
    assert '<html lang="fr"' in html
    assert "Se connecter" in html


def test_language_switch_shows_english(client):
    """Choosing English through the switch shows the interface in English."""
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en"' in html
    assert "Log in" in html
    assert "Se connecter" not in html


def test_styleguide_shows_the_projects_components(client):
    """/styleguide/ shows each of Ruche's own components as it appears."""
    html = client.get(reverse("core:styleguide")).content.decode()
    for component in (
        'data-testid="role-badge"',
        "ruche-empty-state",
        "ruche-pseudonym",
        "ruche-live-status",
        'data-testid="organisation-card"',
        'data-testid="process-status-badges"',
    ):
        assert component in html


def test_healthz_answers_json(client):
    """/healthz answers with JSON once the database is reachable (for load balancers)."""
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_browser_language_does_not_override_french(client):
    """An English-speaking browser still gets French until the person picks English."""
    html = client.get("/", headers={"accept-language": "en-US,en;q=0.9"}).content.decode()
    assert '<html lang="fr"' in html
    assert "Se connecter" in html

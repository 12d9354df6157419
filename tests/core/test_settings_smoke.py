def test_home_page_renders_with_dsfr_shell(client, db):
    """The home page is served with the DSFR header, skip links and footer."""
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="fr-header"' in html
    assert "fr-skiplinks" in html
    assert 'id="footer"' in html

"""The Django admin is for staff only, with Ruche's models registered."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/accounts/user/",
        "/admin/accounts/organisation/",
        "/admin/accounts/invitation/",
        "/admin/accounts/participant/",
    ],
)
def test_staff_reach_the_admin_pages(client, url):
    """A superuser opens each admin page for Ruche's models."""
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(url).status_code == 200


def test_non_staff_are_sent_to_the_admin_login(client):
    """A signed-in user who is not staff cannot use the admin."""
    client.force_login(UserFactory())
    response = client.get("/admin/accounts/user/")
    assert response.status_code == 302
    assert "/admin/login/" in response.url

"""Staff can inspect processes and their phases in the Django admin."""

import pytest

from tests.factories import PhaseFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_staff_reach_the_process_admin_pages(client):
    """A superuser opens the process list and a process with its phases."""
    phase = PhaseFactory()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get("/admin/processes/process/").status_code == 200
    response = client.get(f"/admin/processes/process/{phase.process_id}/change/")
    assert response.status_code == 200
    assert phase.title in response.content.decode()

"""Who may read a workshop's synthesis and download its exports: the organisation's
members, facilitators and administrators; nobody else (403), and 404 for no workshop."""

import uuid

import pytest
from django.urls import reverse

from tests.workshops.helpers import make_workshop

pytestmark = pytest.mark.django_db

PAGES = [
    ("workshops_synthesis:synthesis", ()),
    ("workshops_synthesis:print", ()),
    ("workshops_synthesis:export", ("md",)),
    ("workshops_synthesis:export", ("csv",)),
    ("workshops_synthesis:export", ("xlsx",)),
]
ROLES = [
    ("anonymous", 403),
    ("outsider", 403),
    ("staff", 403),
    ("member", 200),
    ("facilitator", 200),
    ("admin", 200),
]


@pytest.mark.parametrize("state", ["draft", "live", "ended"])
@pytest.mark.parametrize("role, status", ROLES)
@pytest.mark.parametrize("name, args", PAGES)
def test_synthesis_access_by_role(client, user_for_role, state, role, status, name, args):
    """Members of the workshop's organisation read it in every state; others get a 403."""
    workshop = make_workshop(state=state)["workshop"]
    user = user_for_role(role, workshop.organisation)
    if role != "anonymous":
        client.force_login(user)
    response = client.get(reverse(name, args=[workshop.pk, *args]))
    assert response.status_code == status


@pytest.mark.parametrize("workshop_id", [uuid.uuid4(), "not-a-uuid"])
def test_an_unknown_workshop_is_a_404(client, user_for_role, workshop_id):
    """No workshop with this id (or no id at all): 404, not a 500 or a 403."""
    workshop = make_workshop()["workshop"]
    client.force_login(user_for_role("admin", workshop.organisation))
    response = client.get(reverse("workshops_synthesis:synthesis", args=[workshop_id]))
    assert response.status_code == 404


def test_an_unknown_export_format_is_a_404(client, user_for_role):
    """Only md, csv and xlsx are exports."""
    workshop = make_workshop()["workshop"]
    client.force_login(user_for_role("admin", workshop.organisation))
    response = client.get(reverse("workshops_synthesis:export", args=[workshop.pk, "pdf"]))
    assert response.status_code == 404

"""Process lists show each person only what they may see."""

import pytest
from django.contrib.auth.models import AnonymousUser

from ruche.processes.queries import processes_of, public_processes
from tests.factories import ProcessFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def processes(organisation):
    return {
        (visibility, status): ProcessFactory(
            organisation=organisation, visibility=visibility, status=status
        )
        for visibility in ("public", "members", "link")
        for status in ("draft", "open")
    }


def titles(queryset):
    return {p.title for p in queryset}


def expected(processes, *keys):
    return {processes[key].title for key in keys}


def test_lists_follow_the_view_permission(processes, organisation, make_member):
    """Facilitators list everything; members everything but drafts; others public opened
    processes only (link-only ones are never listed to outsiders)."""
    opened = [("public", "open"), ("members", "open"), ("link", "open")]
    assert titles(processes_of(organisation, make_member("facilitator"))) == titles(
        processes.values()
    )
    assert titles(processes_of(organisation, make_member("member"))) == expected(processes, *opened)
    assert titles(processes_of(organisation, AnonymousUser())) == expected(
        processes, ("public", "open")
    )
    assert titles(public_processes()) == expected(processes, ("public", "open"))

"""Workshop permissions as matrices: role × workshop state, one matrix per perm of rules.py."""

import pytest

from ruche.core.testing import assert_permission_matrix
from ruche.workshops import actions
from ruche.workshops.rules import workshop_abilities
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def workshop_in(state):
    workshop = actions.do_create_workshop(organisation=OrganisationFactory(), title="Atelier")
    actions.do_add_activity(workshop, kind="ideation", title="Idées", prompts=["Quoi ?"])
    if state != "draft":
        actions.do_set_state(workshop, "live")
    if state == "ended":
        actions.do_set_state(workshop, "ended")
    workshop.refresh_from_db()
    return workshop


def for_workshop(user_for_role):
    return lambda role, workshop: user_for_role(role, workshop.organisation)


def test_run_workshop_matrix(user_for_role):
    """Only the organisation's facilitators and admins run a workshop (console, projection,
    settings), whatever its state."""
    assert_permission_matrix(
        "workshops.run_workshop",
        """
                     draft  live  ended
        anonymous    no     no    no
        outsider     no     no    no
        member       no     no    no
        facilitator  yes    yes   yes
        admin        yes    yes   yes
        """,
        user_for_role=for_workshop(user_for_role),
        object_for_state=workshop_in,
    )


@pytest.mark.parametrize("perm", ["workshops.view_workshop", "workshops.view_synthesis"])
def test_view_workshop_and_synthesis_matrix(perm, user_for_role):
    """The organisation's members (and facilitators, admins) follow a workshop and read its
    synthesis in every state; nobody else does as a user (attendees follow through their
    attendee row, see test_permission_matrix)."""
    assert_permission_matrix(
        perm,
        """
                     draft  live  ended
        anonymous    no     no    no
        outsider     no     no    no
        member       yes    yes   yes
        facilitator  yes    yes   yes
        admin        yes    yes   yes
        """,
        user_for_role=for_workshop(user_for_role),
        object_for_state=workshop_in,
    )


def test_join_workshop_matrix(user_for_role):
    """Anyone joins with the code while the workshop is live; the facilitators and admins
    also while preparing it (to try it); nobody once it has ended."""
    assert_permission_matrix(
        "workshops.join_workshop",
        """
                     draft  live  ended
        anonymous    no     yes   no
        outsider     no     yes   no
        member       no     yes   no
        facilitator  yes    yes   no
        admin        yes    yes   no
        """,
        user_for_role=for_workshop(user_for_role),
        object_for_state=workshop_in,
    )


def test_add_workshop_matrix(user_for_role):
    """Only an organisation's facilitators and admins create workshops there (checked on the
    organisation, which has no state)."""
    assert_permission_matrix(
        "workshops.add_workshop",
        """
                     any
        anonymous    no
        outsider     no
        member       no
        facilitator  yes
        admin        yes
        """,
        user_for_role=user_for_role,
        object_for_state=lambda state: OrganisationFactory(),
    )


def test_abilities_are_the_perms(user_for_role):
    """workshop_abilities gives templates exactly the four perms' answers."""
    workshop = workshop_in("draft")
    member = user_for_role("member", workshop.organisation)
    facilitator = user_for_role("facilitator", workshop.organisation)
    assert workshop_abilities(member, workshop) == {
        "run": False,
        "view": True,
        "synthesis": True,
        "join": False,
    }
    assert workshop_abilities(facilitator, workshop) == {
        "run": True,
        "view": True,
        "synthesis": True,
        "join": True,
    }

"""Process permissions as matrices: role × status, one matrix per visibility."""

import pytest

from ruche.core.testing import assert_permission_matrix
from tests.factories import OrganisationFactory, ProcessFactory

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "outsider", "member", "facilitator", "admin")


def process_in(visibility):
    return lambda status: ProcessFactory(visibility=visibility, status=status)


def for_process(user_for_role):
    return lambda role, process: user_for_role(role, process.organisation)


@pytest.mark.parametrize(
    ("visibility", "matrix"),
    [
        (
            "public",
            """
                         draft  open  closed  archived
            anonymous    no     yes   yes     yes
            outsider     no     yes   yes     yes
            member       no     yes   yes     yes
            facilitator  yes    yes   yes     yes
            admin        yes    yes   yes     yes
            """,
        ),
        (
            "members",
            """
                         draft  open  closed  archived
            anonymous    no     no    no      no
            outsider     no     no    no      no
            member       no     yes   yes     yes
            facilitator  yes    yes   yes     yes
            admin        yes    yes   yes     yes
            """,
        ),
        (
            "link",
            """
                         draft  open  closed  archived
            anonymous    no     no    no      no
            outsider     no     no    no      no
            member       no     yes   yes     yes
            facilitator  yes    yes   yes     yes
            admin        yes    yes   yes     yes
            """,
        ),
    ],
)
def test_view_process_matrix(visibility, matrix, user_for_role):
    """Drafts are for facilitators and admins; once opened, a public process is for everyone,
    a members or link-only process for the organisation's members (link holders get in
    through the link, see test_link_access)."""
    assert_permission_matrix(
        "processes.view_process",
        matrix,
        user_for_role=for_process(user_for_role),
        object_for_state=process_in(visibility),
    )


@pytest.mark.parametrize("visibility", ["public", "members", "link"])
def test_change_process_matrix(visibility, user_for_role):
    """Only the organisation's facilitators and admins change a process, whatever its state."""
    assert_permission_matrix(
        "processes.change_process",
        """
                     draft  open  closed  archived
        anonymous    no     no    no      no
        outsider     no     no    no      no
        member       no     no    no      no
        facilitator  yes    yes   yes     yes
        admin        yes    yes   yes     yes
        """,
        user_for_role=for_process(user_for_role),
        object_for_state=process_in(visibility),
    )


def test_add_process_matrix(user_for_role):
    """Facilitators and admins of an organisation create processes in it; nobody else."""
    assert_permission_matrix(
        "processes.add_process",
        """
                     organisation
        anonymous    no
        outsider     no
        staff        no
        member       no
        facilitator  yes
        admin        yes
        """,
        user_for_role=user_for_role,
        object_for_state=lambda state: OrganisationFactory(),
    )

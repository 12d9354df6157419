"""Organisation permissions as a matrix: role × organisation."""

import pytest

from ruche.core.testing import assert_permission_matrix, parse_matrix
from tests.factories import OrganisationFactory

ROLES_TABLE = """
             organisation
anonymous    {anonymous}
outsider     {outsider}
staff        {staff}
member       {member}
facilitator  {facilitator}
admin        {admin}
"""


def table(**cells):
    return ROLES_TABLE.format(**cells)


MEMBERS_ONLY = table(
    anonymous="no", outsider="no", staff="no", member="yes", facilitator="yes", admin="yes"
)
ADMINS_ONLY = table(
    anonymous="no", outsider="no", staff="no", member="no", facilitator="no", admin="yes"
)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("perm", "matrix"),
    [
        ("accounts.view_organisation", MEMBERS_ONLY),
        ("accounts.view_members", MEMBERS_ONLY),
        ("accounts.follow_organisation_live", MEMBERS_ONLY),
        ("accounts.invite_member", ADMINS_ONLY),
        ("accounts.change_organisation", ADMINS_ONLY),
    ],
)
def test_organisation_permission_matrix(perm, matrix, user_for_role):
    """Members see their organisation; only its administrators invite or change it;
    outsiders, anonymous visitors and staff who are not members get nothing."""
    assert_permission_matrix(
        perm,
        matrix,
        user_for_role=user_for_role,
        object_for_state=lambda state: OrganisationFactory(),
    )


@pytest.mark.django_db
def test_matrix_helper_reports_every_mismatch(user_for_role):
    """The matrix helper fails, naming each wrong cell, when the table is wrong."""
    wrong = table(
        anonymous="yes", outsider="no", staff="no", member="no", facilitator="yes", admin="yes"
    )
    with pytest.raises(AssertionError) as error:
        assert_permission_matrix(
            "accounts.view_organisation",
            wrong,
            user_for_role=user_for_role,
            object_for_state=lambda state: OrganisationFactory(),
        )
    assert "anonymous × organisation" in str(error.value)
    assert "member × organisation" in str(error.value)


def test_matrix_parser_refuses_unknown_cells():
    """A cell other than yes/no is a mistake in the test, not a silent 'no'."""
    with pytest.raises(ValueError, match="must be yes or no"):
        parse_matrix("  open\nmember  maybe")

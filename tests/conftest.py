import pytest

from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


@pytest.fixture
def organisation(db):
    return OrganisationFactory()


@pytest.fixture
def make_member(db, organisation):
    """make_member(role) → a user with that role in `organisation`."""

    def make(role, org=None):
        return MembershipFactory(organisation=org or organisation, role=role).user

    return make


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def user_for_role(db):
    """user_for_role(role, organisation) for permission matrices.

    Roles: "anonymous", "outsider" (signed in, member of another organisation), "staff"
    (Django admin staff, not a member), or a membership role ("member", "facilitator", "admin").
    """
    from django.contrib.auth.models import AnonymousUser

    def make(role, organisation):
        if role == "anonymous":
            return AnonymousUser()
        if role == "outsider":
            return MembershipFactory(role="admin").user
        if role == "staff":
            return UserFactory(is_staff=True)
        return MembershipFactory(organisation=organisation, role=role).user

    return make

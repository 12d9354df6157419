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

"""Demo data loads once and is safe to load again."""

import pytest
from django.core.management import call_command
from django.http import HttpRequest

from ruche.accounts.demo import DEMO_ACCOUNTS, load_demo_data
from ruche.accounts.models import Membership, Organisation, User

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        list(Organisation.objects.values_list("id", "name", "updated_at")),
        list(User.objects.values_list("id", "email", "password", "updated_at")),
        list(Membership.objects.values_list("id", "role", "updated_at")),
    )


def test_loading_twice_changes_nothing():
    """Running the demo loader a second time leaves every row as it was."""
    load_demo_data()
    first = snapshot()
    call_command("load_demo", verbosity=0)
    assert snapshot() == first


def test_demo_accounts_can_log_in_with_their_roles(client):
    """Each printed demo account logs in with its password and has its role."""
    load_demo_data()
    for account in DEMO_ACCOUNTS:
        assert client.login(
            request=HttpRequest(), username=account.email, password=account.password
        )
        assert Membership.objects.get(user__email=account.email).role == account.role

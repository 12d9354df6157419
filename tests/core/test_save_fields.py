"""save_fields: the shared way actions update a few fields of an object."""

import pytest

from ruche.accounts.models import Organisation
from ruche.core.actions import save_fields
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_saves_only_the_given_fields():
    """The given fields are saved; others changed in memory meanwhile are not."""
    organisation = OrganisationFactory(name="Avant", description="d")
    organisation.description = "not saved"
    save_fields(organisation, {"name", "description"}, {"name": "Après"})
    stored = Organisation.objects.get(pk=organisation.pk)
    assert (stored.name, stored.description) == ("Après", "d")


def test_refuses_fields_outside_the_allowed_set():
    """An action cannot be used to change a field it was not written for."""
    organisation = OrganisationFactory(slug="lab-x")
    with pytest.raises(TypeError, match="slug"):
        save_fields(organisation, {"name"}, {"slug": "other"})
    assert Organisation.objects.get(pk=organisation.pk).slug == "lab-x"

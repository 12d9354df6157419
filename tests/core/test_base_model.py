"""BaseModel: UUID keys, timestamps, and invariants checked on every save."""

import uuid

import pytest
from django.core.exceptions import ValidationError

from ruche.accounts.models import Membership, Organisation
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_models_get_uuid_keys_and_timestamps():
    """Every BaseModel row has a UUID key and created/updated times."""
    organisation = OrganisationFactory()
    assert isinstance(organisation.pk, uuid.UUID)
    assert organisation.created_at is not None
    assert organisation.updated_at >= organisation.created_at


def test_save_validates_fields_whoever_writes():
    """An invalid value is refused at save(), not only in forms."""
    membership = MembershipFactory()
    membership.role = "superhero"
    with pytest.raises(ValidationError) as error:
        membership.save()
    assert "role" in error.value.message_dict
    assert Membership.objects.get(pk=membership.pk).role == "member"


def test_clean_fills_the_slug_from_the_name():
    """An organisation saved without a short name gets one from its name."""
    organisation = Organisation.objects.create(name="Fabrique à projets du ministère")
    assert organisation.slug == "fabrique-a-projets-du-ministere"


def test_database_constraints_hold_even_without_validation():
    """Role values are also checked by the database, for writes that bypass save()."""
    from django.db import IntegrityError, transaction

    membership = MembershipFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.filter(pk=membership.pk).update(role="superhero")


def test_derived_slugs_do_not_collide():
    """Two organisations with the same name get distinct short names."""
    first = Organisation.objects.create(name="Dre'Lab")
    second = Organisation.objects.create(name="Dre'Lab")
    assert first.slug != second.slug

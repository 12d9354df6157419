"""factory_boy factories for every model tests need; prefer these to hand-built rows."""

import factory

from ruche.accounts.models import Invitation, Membership, Organisation, Participant, Role, User
from ruche.processes.models import Phase, Process

DEFAULT_PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"agent{n}@example.gouv.fr")
    full_name = factory.Faker("name", locale="fr_FR")
    password = factory.django.Password(DEFAULT_PASSWORD)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Laboratoire d'innovation {n}")
    slug = factory.Sequence(lambda n: f"lab-{n}")
    kind = Organisation.Kind.LAB


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.MEMBER


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invite{n}@example.gouv.fr")
    role = Role.MEMBER
    invited_by = factory.SubFactory(UserFactory)


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    pseudonym = factory.Sequence(lambda n: f"Abeille {n}")


class ProcessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Process

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Démarche {n}")
    question = "Comment améliorer l’accueil en mairie ?"
    context = "Un peu de **contexte**."
    visibility = Process.Visibility.PUBLIC
    status = Process.Status.OPEN


class PhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Phase

    process = factory.SubFactory(ProcessFactory)
    title = factory.Sequence(lambda n: f"Phase {n}")
    position = factory.Sequence(lambda n: n + 1)

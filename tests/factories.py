"""factory_boy factories for every model tests need; prefer these to hand-built rows."""

import factory

from ruche.accounts.models import Invitation, Membership, Organisation, Participant, Role, User
from ruche.consultations.models import (
    Answer,
    Consultation,
    OpenQuestion,
    ProfileQuestion,
    Statement,
    Vote,
)
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


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation

    phase = factory.SubFactory(PhaseFactory)
    title = factory.Sequence(lambda n: f"Consultation {n}")
    description = "Votez sur les propositions."


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Statement

    consultation = factory.SubFactory(ConsultationFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Proposition numéro {n}")
    status = Statement.Status.ACCEPTED
    is_seed = True


class VoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vote

    statement = factory.SubFactory(StatementFactory)
    consultation = factory.SelfAttribute("statement.consultation")
    participant = factory.SubFactory(ParticipantFactory)
    value = Vote.Value.AGREE


class OpenQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpenQuestion

    consultation = factory.SubFactory(ConsultationFactory)
    text = "Qu’avez-vous appris de la crise ?"
    position = factory.Sequence(lambda n: n + 1)


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    question = factory.SubFactory(OpenQuestionFactory)
    participant = factory.SubFactory(ParticipantFactory)
    text = "Le télétravail a bien fonctionné."


class ProfileQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProfileQuestion

    consultation = factory.SubFactory(ConsultationFactory)
    label = "Votre direction"
    choices = ["Direction A", "Direction B", "Direction C"]

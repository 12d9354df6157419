"""factory_boy factories for processes and their phases."""

import factory

from ruche.processes.models import Phase, Process
from tests.factories import OrganisationFactory


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

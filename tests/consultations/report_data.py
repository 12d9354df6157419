"""Consultations with real analyses, for the synthesis report and export tests."""

import datetime

from django.utils import timezone

from ruche.consultations import analysis
from ruche.consultations.models import Vote
from tests.factories import (
    AnswerFactory,
    ConsultationFactory,
    OpenQuestionFactory,
    ParticipantFactory,
    PhaseFactory,
    ProcessFactory,
    StatementFactory,
)

N_STATEMENTS = 8


def two_camps(consultation=None, per_camp=15, texts=None, **consultation_fields):
    """A consultation whose voters split in two camps with opposite votes.

    Camp A agrees with the first half of the statements and disagrees with the second
    half; camp B the reverse; both agree with the last one (a consensus). Returns
    (consultation, statements, camp_a, camp_b); the analysis is not run.
    """
    if consultation is None:
        process = ProcessFactory(status="open")
        consultation = ConsultationFactory(
            phase=PhaseFactory(process=process), **consultation_fields
        )
    texts = list(texts or [])
    statements = [
        StatementFactory(
            consultation=consultation,
            number=i + 1,
            **({"text": texts[i]} if i < len(texts) else {}),
        )
        for i in range(N_STATEMENTS)
    ]
    camp_a = [ParticipantFactory() for _i in range(per_camp)]
    camp_b = [ParticipantFactory() for _i in range(per_camp)]
    add_camp_votes(consultation, statements, camp_a, camp_b)
    return consultation, statements, camp_a, camp_b


def add_camp_votes(consultation, statements, camp_a, camp_b, when=None):
    when = when or timezone.now() - datetime.timedelta(days=2)
    half = (len(statements) - 1) // 2
    votes = []
    for people, sign in ((camp_a, 1), (camp_b, -1)):
        for n, person in enumerate(people):
            for j, statement in enumerate(statements):
                value = 1 if j == len(statements) - 1 else sign if j < half else -sign
                moment = when + datetime.timedelta(days=n % 2, minutes=j)
                votes.append(
                    Vote(
                        consultation=consultation,
                        statement=statement,
                        participant=person,
                        value=value,
                        created_at=moment,
                        updated_at=moment,
                    )
                )
    Vote.objects.bulk_create(votes)


def with_opinions(**kwargs):
    consultation, statements, camp_a, camp_b = two_camps(**kwargs)
    analysis.compute_opinions(consultation)
    return consultation, statements, camp_a, camp_b


ANSWERS = [
    "Le télétravail a permis de mieux concilier vie personnelle et travail.",
    "Le télétravail deux jours par semaine devrait devenir la règle.",
    "Travailler depuis chez soi évite les longs trajets en transport.",
    "Le télétravail réduit la fatigue des trajets quotidiens.",
    "Les outils numériques de visioconférence ont souvent mal fonctionné.",
    "Il faut de meilleurs ordinateurs portables et une connexion fiable.",
    "Les logiciels de visioconférence plantaient et le réseau était lent.",
    "Le matériel informatique fourni était insuffisant et ancien.",
]


def with_themes(consultation=None, texts=ANSWERS):
    """An open question answered with two clear themes (remote work, tools), analysed."""
    if consultation is None:
        consultation = ConsultationFactory(
            phase=PhaseFactory(process=ProcessFactory(status="open"))
        )
    question = OpenQuestionFactory(consultation=consultation)
    answers = [AnswerFactory(question=question, text=text) for text in texts]
    result = analysis.compute_themes(consultation)
    return consultation, question, answers, result

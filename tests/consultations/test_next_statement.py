"""Rule: the card shows statements the participant has not voted on, few-votes first
(Pol.is priority), the same one on reload, and its cost does not depend on other people."""

from collections import Counter

from django.db import connection
from django.test.utils import CaptureQueriesContext

from ruche.consultations.queries import next_card, priority
from tests.factories import ParticipantFactory, StatementFactory, VoteFactory


def test_priority_favours_statements_seen_less():
    """A statement nobody has seen outranks one seen 50 times with the same shares."""
    assert priority(0, 0, 0, 0.0) > priority(25, 25, 0, 0.0)


def test_priority_penalises_passes():
    """Statements people mostly pass on are shown less."""
    assert priority(10, 10, 0, 0.0) > priority(2, 2, 16, 0.0)


def test_priority_favours_extreme_statements():
    """Statements that spread opinions on the map (extremity) are shown more."""
    assert priority(10, 10, 0, 1.0) > priority(10, 10, 0, 0.0)


def test_card_skips_voted_statements(consultation):
    """A statement already voted on never comes back."""
    participant = ParticipantFactory()
    statements = list(consultation.statements.all())
    for statement in statements[:2]:
        VoteFactory(statement=statement, participant=participant)
    card = next_card(consultation, participant)
    assert card.statement == statements[2]
    assert (card.voted, card.total, card.remaining) == (2, 3, 1)


def test_card_is_stable_on_reload(consultation):
    """Reloading the page shows the same statement (the draw is seeded by progress)."""
    participant = ParticipantFactory()
    assert (
        next_card(consultation, participant).statement
        == next_card(consultation, participant).statement
    )


def test_unseen_statements_come_first(consultation):
    """Among many participants, a statement with no votes is drawn far more often."""
    statements = list(consultation.statements.all())
    for statement in statements[:2]:
        statement.n_agree, statement.n_disagree = 40, 40
        statement.save()
    drawn = Counter(
        next_card(consultation, ParticipantFactory.build()).statement.pk for _ in range(200)
    )
    assert drawn[statements[2].pk] > 150


def test_query_count_does_not_grow_with_participants(consultation):
    """The card reads the statements' stored counts, never other people's votes."""
    participant = ParticipantFactory()
    with CaptureQueriesContext(connection) as before:
        next_card(consultation, participant)
    for statement in consultation.statements.all():
        for _ in range(20):
            VoteFactory(statement=statement)
    with CaptureQueriesContext(connection) as after:
        next_card(consultation, participant)
    assert len(after) == len(before) == 3


def test_nothing_published_gives_no_card(db):
    """An empty consultation has no card and zero progress."""
    statement = StatementFactory(status="pending")
    card = next_card(statement.consultation, ParticipantFactory())
    assert card.statement is None
    assert card.total == 0

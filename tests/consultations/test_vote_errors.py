"""Rule: a bad vote gets a clear error with the right status and changes nothing:
400 malformed, 404 unknown statement, 409 unpublished, 403 closed, 429 too many."""

import random

import pytest
from django.test import override_settings

from ruche.consultations.models import Statement, Vote
from ruche.processes.models import Process
from tests.consultations.helpers import vote_json
from tests.factories import StatementFactory


@pytest.mark.parametrize("value", ["yes", "", "AGREE", 1, None])
def test_unknown_vote_value_is_400(client, consultation, value):
    """Only agree / disagree / pass are votes."""
    response = vote_json(client, consultation, consultation.statements.first(), value)
    assert response.status_code == 400
    assert "agree" in response.json()["error"]
    assert not Vote.objects.exists()


def test_malformed_json_is_400(client, consultation):
    """A body that is not JSON is refused with a message."""
    response = client.post(
        f"/consultations/{consultation.pk}/votes/", "{nope", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]


def test_json_array_is_400(client, consultation):
    """The body must be an object."""
    response = client.post(
        f"/consultations/{consultation.pk}/votes/", "[1, 2]", content_type="application/json"
    )
    assert response.status_code == 400


@pytest.mark.parametrize("statement", ["not-a-uuid", "7b0c2f44-8a6b-4c55-9f0e-3d4b1f2b7d11"])
def test_unknown_statement_is_404(client, consultation, statement):
    """A statement that does not exist is a 404 with a message."""
    response = vote_json(client, consultation, statement)
    assert response.status_code == 404
    assert response.json()["error"]


def test_statement_of_another_consultation_is_404(client, consultation):
    """Ids are checked against the consultation in the URL."""
    other = StatementFactory()
    response = vote_json(client, consultation, other)
    assert response.status_code == 404
    assert not Vote.objects.exists()


@pytest.mark.parametrize("status", [Statement.Status.PENDING, Statement.Status.REJECTED])
def test_unpublished_statement_is_409(client, consultation, status):
    """Statements awaiting moderation or rejected cannot be voted on."""
    statement = StatementFactory(consultation=consultation, status=status)
    response = vote_json(client, consultation, statement)
    assert response.status_code == 409
    assert response.json()["error"]
    assert not Vote.objects.exists()


def test_closed_consultation_is_403(client, consultation):
    """A closed consultation is read-only."""
    process = consultation.process
    process.status = Process.Status.CLOSED
    process.save()
    response = vote_json(client, consultation, consultation.statements.first())
    assert response.status_code == 403
    assert "closed" in response.json()["error"] or "clôturée" in response.json()["error"]
    assert not Vote.objects.exists()


def test_unknown_consultation_is_404(client, db):
    """A vote to a consultation that does not exist is a JSON 404."""
    response = client.post(
        "/consultations/7b0c2f44-8a6b-4c55-9f0e-3d4b1f2b7d11/votes/",
        '{"statement": "x", "vote": "agree"}',
        content_type="application/json",
    )
    assert response.status_code == 404


@override_settings(RUCHE_VOTE_RATE_LIMIT=3, RUCHE_VOTE_RATE_WINDOW=60)
def test_too_many_votes_is_429(client, consultation):
    """Beyond the per-participant rate, votes are refused with 429 and not stored."""
    statement = consultation.statements.first()
    statuses = [vote_json(client, consultation, statement).status_code for _ in range(5)]
    assert statuses[:3] == [200, 200, 200]
    assert statuses[3:] == [429, 429]
    assert vote_json(client, consultation, statement).json()["error"]
    assert Vote.objects.count() == 1


@override_settings(RUCHE_NEW_PARTICIPANTS_PER_MINUTE=3)
def test_dropping_the_cookie_does_not_escape_the_limit(consultation):
    """Cookieless requests each need a new identity: those are limited per address."""
    from django.test import Client

    statement = consultation.statements.first()
    address = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(256)}"
    statuses = [
        vote_json(Client(REMOTE_ADDR=address), consultation, statement).status_code
        for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]
    assert Vote.objects.count() == 3

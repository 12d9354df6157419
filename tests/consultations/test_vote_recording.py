"""Rule: a vote is stored once per participant and statement; sending it again counts once,
and the last value wins. The card's JSON answer gives the next statement and progress."""

from ruche.consultations.models import Vote
from tests.consultations.helpers import vote_json


def test_first_vote_creates_the_participant_and_sets_its_cookie(client, consultation):
    """An anonymous visitor's first vote creates their pseudonymous identity (cookie)."""
    statement = consultation.statements.first()
    response = vote_json(client, consultation, statement)
    assert response.status_code == 200
    assert "ruche_participant" in response.cookies
    assert Vote.objects.filter(statement=statement).count() == 1


def test_same_vote_twice_counts_once(client, consultation):
    """A retried request leaves one vote."""
    statement = consultation.statements.first()
    vote_json(client, consultation, statement)
    vote_json(client, consultation, statement)
    assert Vote.objects.filter(statement=statement).count() == 1


def test_last_value_wins(client, consultation):
    """Changing one's vote replaces it."""
    statement = consultation.statements.first()
    vote_json(client, consultation, statement, "agree")
    vote_json(client, consultation, statement, "disagree")
    assert list(Vote.objects.filter(statement=statement).values_list("value", flat=True)) == [-1]


def test_json_answer_gives_progress_and_next_statement(client, consultation):
    """With next=true the answer names another unvoted statement and the progress."""
    first = consultation.statements.first()
    body = vote_json(client, consultation, first, next=True).json()
    assert body["statement"] == str(first.pk)
    assert body["vote"] == "agree"
    assert body["voted"] == 1
    assert body["total"] == 3
    assert body["next"]["id"] != str(first.pk)


def test_after_the_last_statement_next_is_empty(client, consultation):
    """Once every statement is voted on, there is no next statement."""
    body = None
    for statement in consultation.statements.all():
        body = vote_json(client, consultation, statement, "pass", next=True).json()
    assert body["next"] is None
    assert body["voted"] == body["total"] == 3


def test_form_post_redirects_to_the_card(client, consultation):
    """Without JavaScript the buttons post a form and the card reloads."""
    statement = consultation.statements.first()
    response = client.post(
        f"/consultations/{consultation.pk}/votes/", {"statement": statement.pk, "vote": "agree"}
    )
    assert response.status_code == 302
    assert response.url.endswith(f"/consultations/{consultation.pk}/voter/")
    assert Vote.objects.get(statement=statement).value == 1

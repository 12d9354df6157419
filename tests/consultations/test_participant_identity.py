"""Rule: a signed-in user always takes part as their account's own participant (one voice
per account); after signing out, the next person on the computer is not them."""

from django.test import Client

from ruche.consultations.models import Consultation, Vote
from tests.consultations.helpers import vote_json
from tests.consultations.test_moderation import login
from tests.factories import StatementFactory, UserFactory


def test_sign_out_forgets_the_identity(client, consultation):
    """After sign-out the participant cookie is gone and the account's votes are not shown."""
    user = UserFactory()
    login(client, user)
    statement = consultation.statements.first()
    vote_json(client, consultation, statement, "disagree")
    response = client.post("/deconnexion/")
    assert response.cookies["ruche_participant"].value == ""
    mine = client.get(f"/consultations/{consultation.pk}/mes-votes/").content
    assert b'data-testid="no-votes"' in mine
    vote_json(client, consultation, statement, "agree")
    assert Vote.objects.get(statement=statement, participant__user=user).value == -1


def test_a_stale_cookie_of_an_account_is_not_used_signed_out(client, consultation):
    """Even if the cookie survived, a signed-out request does not act as an account."""
    user = UserFactory()
    login(client, user)
    statement = consultation.statements.first()
    vote_json(client, consultation, statement, "disagree")
    cookie = client.cookies["ruche_participant"].value
    other = Client()
    other.cookies["ruche_participant"] = cookie
    vote_json(other, consultation, statement, "agree")
    assert Vote.objects.get(statement=statement, participant__user=user).value == -1
    assert Vote.objects.filter(statement=statement).count() == 2


def test_account_mode_one_voice_per_account(consultation):
    """Signing in from a browser that voted anonymously elsewhere still votes as the same
    participant in a signed-in-only consultation."""
    consultation.access = Consultation.Access.ACCOUNT
    consultation.save()
    statement = consultation.statements.first()
    elsewhere = StatementFactory()
    user = UserFactory()
    for _browser in range(2):
        browser = Client()
        vote_json(browser, elsewhere.consultation, elsewhere)  # an anonymous identity first
        login(browser, user)
        assert vote_json(browser, consultation, statement).status_code == 200
    assert Vote.objects.filter(statement=statement).count() == 1

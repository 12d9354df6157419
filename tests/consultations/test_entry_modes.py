"""Rule: who may take part follows the consultation's mode — anyone (cookie), addresses of
listed domains (after opening an emailed link), or signed-in users — and profile
questions are asked once before voting."""

import re
import time
from unittest import mock

from django.core import mail

from ruche.consultations.models import Consultation, Participation, Vote
from ruche.consultations.tokens import access_token
from tests.consultations.helpers import vote_json
from tests.consultations.test_moderation import login
from tests.factories import ProfileQuestionFactory, UserFactory


def domain_only(consultation):
    consultation.access = Consultation.Access.EMAIL_DOMAIN
    consultation.email_domains = "interieur.gouv.fr, agriculture.gouv.fr"
    consultation.save()
    return consultation


def test_anonymous_mode_goes_straight_to_the_card(client, consultation):
    """Without profile questions, entering leads to the voting card."""
    response = client.get(f"/consultations/{consultation.pk}/participer/")
    assert response.status_code == 302
    assert response.url.endswith("/voter/")


def test_domain_mode_asks_for_an_address(client, consultation):
    """The card sends people to the email step first."""
    domain_only(consultation)
    response = client.get(f"/consultations/{consultation.pk}/voter/")
    assert response.status_code == 302
    assert response.url.endswith("/participer/")
    assert b'data-testid="email-form"' in client.get(response.url).content


def test_address_from_another_domain_is_a_form_error(client, consultation):
    """Only listed domains get a link."""
    domain_only(consultation)
    response = client.post(
        f"/consultations/{consultation.pk}/participer/", {"email": "someone@gmail.com"}
    )
    assert response.status_code == 400
    assert "@interieur.gouv.fr" in response.content.decode()
    assert not mail.outbox


def test_magic_link_lets_the_agent_in(client, consultation, django_capture_on_commit_callbacks):
    """The emailed link proves the address; then the agent votes."""
    domain_only(consultation)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/consultations/{consultation.pk}/participer/", {"email": "Agent@Interieur.gouv.fr"}
        )
    assert b'data-testid="link-sent"' in response.content
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["agent@interieur.gouv.fr"]
    link = re.search(r"https?://\S+/acces/\S+/", mail.outbox[0].body).group(0)
    response = client.get(link)
    assert response.status_code == 302
    participation = Participation.objects.get(consultation=consultation)
    assert participation.email == "agent@interieur.gouv.fr"
    assert vote_json(client, consultation, consultation.statements.first()).status_code == 200


def test_vote_without_the_link_is_refused(client, consultation):
    """In domain mode, a vote from someone who has not proven an address is 403."""
    domain_only(consultation)
    response = vote_json(client, consultation, consultation.statements.first())
    assert response.status_code == 403
    assert not Vote.objects.exists()


def test_tampered_link_is_400(client, consultation):
    """A modified token is refused with an explanation."""
    domain_only(consultation)
    token = access_token(consultation.pk, "agent@interieur.gouv.fr")
    response = client.get(f"/consultations/{consultation.pk}/acces/{token}x/")
    assert response.status_code == 400
    assert b'data-reason="invalid"' in response.content


def test_link_for_another_consultation_is_400(client, consultation):
    """A link only opens the consultation it was sent for."""
    domain_only(consultation)
    token = access_token("7b0c2f44-8a6b-4c55-9f0e-3d4b1f2b7d11", "agent@interieur.gouv.fr")
    assert client.get(f"/consultations/{consultation.pk}/acces/{token}/").status_code == 400


def test_expired_link_is_410(client, consultation, settings):
    """A link older than its lifetime says it expired."""
    domain_only(consultation)
    settings.RUCHE_ACCESS_LINK_MAX_AGE_HOURS = 1
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 7200):
        token = access_token(consultation.pk, "agent@interieur.gouv.fr")
    response = client.get(f"/consultations/{consultation.pk}/acces/{token}/")
    assert response.status_code == 410
    assert b'data-reason="expired"' in response.content


def test_account_mode_sends_visitors_to_sign_in(client, consultation):
    """Signed-in mode: anonymous visitors are sent to the login page, then come back."""
    consultation.access = Consultation.Access.ACCOUNT
    consultation.save()
    response = client.get(f"/consultations/{consultation.pk}/participer/")
    assert response.status_code == 302
    assert "/connexion/" in response.url
    assert f"next=/consultations/{consultation.pk}/participer/" in response.url
    assert vote_json(client, consultation, consultation.statements.first()).status_code == 403


def test_account_mode_lets_users_vote_as_themselves(client, consultation):
    """A signed-in user's vote is tied to a participant linked to their account."""
    consultation.access = Consultation.Access.ACCOUNT
    consultation.save()
    user = UserFactory()
    login(client, user)
    assert vote_json(client, consultation, consultation.statements.first()).status_code == 200
    assert Vote.objects.get().participant.user == user


def test_profile_questions_are_asked_once(client, consultation):
    """Before the first vote, the profile form; answers are stored; then the card."""
    question = ProfileQuestionFactory(consultation=consultation)
    response = client.get(f"/consultations/{consultation.pk}/voter/")
    assert response.url.endswith("/participer/")
    assert vote_json(client, consultation, consultation.statements.first()).status_code == 403
    response = client.post(
        f"/consultations/{consultation.pk}/participer/", {str(question.pk): "Direction B"}
    )
    assert response.status_code == 302
    assert response.url.endswith("/voter/")
    assert Participation.objects.get().profile == {str(question.pk): "Direction B"}
    assert client.get(f"/consultations/{consultation.pk}/voter/").status_code == 200
    assert vote_json(client, consultation, consultation.statements.first()).status_code == 200


def test_profile_answers_are_optional(client, consultation):
    """ "I prefer not to say" is allowed and stores nothing for that question."""
    question = ProfileQuestionFactory(consultation=consultation)
    client.post(f"/consultations/{consultation.pk}/participer/", {str(question.pk): ""})
    participation = Participation.objects.get()
    assert participation.profile == {}
    assert participation.profile_done


def test_unknown_profile_choice_is_a_form_error(client, consultation):
    """Only the listed choices are accepted."""
    question = ProfileQuestionFactory(consultation=consultation)
    response = client.post(
        f"/consultations/{consultation.pk}/participer/", {str(question.pk): "Direction Z"}
    )
    assert response.status_code == 400
    assert not Participation.objects.exists()


def test_one_address_one_voice_across_browsers(consultation):
    """The same link opened in two browsers continues as one participant: one vote."""
    from django.test import Client

    domain_only(consultation)
    token = access_token(consultation.pk, "agent@interieur.gouv.fr")
    statement = consultation.statements.first()
    for _browser in range(2):
        browser = Client()
        assert browser.get(f"/consultations/{consultation.pk}/acces/{token}/").status_code == 302
        assert vote_json(browser, consultation, statement).status_code == 200
    assert Participation.objects.filter(consultation=consultation).count() == 1
    assert Vote.objects.filter(statement=statement).count() == 1


def test_second_address_in_the_same_browser_gets_its_own_voice(client, consultation):
    """A browser that entered with one address and opens another's link does not merge them."""
    domain_only(consultation)
    for email in ("a@interieur.gouv.fr", "b@interieur.gouv.fr"):
        client.get(
            f"/consultations/{consultation.pk}/acces/{access_token(consultation.pk, email)}/"
        )
    assert set(Participation.objects.values_list("email", flat=True)) == {
        "a@interieur.gouv.fr",
        "b@interieur.gouv.fr",
    }
    assert Participation.objects.values("participant").distinct().count() == 2


def test_signed_in_agent_of_an_allowed_domain_needs_no_link(client, consultation):
    """An account whose address is in a listed domain takes part at once."""
    domain_only(consultation)
    login(client, UserFactory(email="agent@agriculture.gouv.fr"))
    assert vote_json(client, consultation, consultation.statements.first()).status_code == 200

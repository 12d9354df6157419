"""Rule: a closed consultation (by its dates or its process) is read-only and says so; one
not yet open says so too."""

import datetime

from django.utils import timezone

from ruche.consultations.models import Answer, Statement
from ruche.processes.models import Process
from tests.consultations.helpers import vote_json
from tests.factories import OpenQuestionFactory


def close_by_date(consultation):
    consultation.opens_at = timezone.now() - datetime.timedelta(days=10)
    consultation.closes_at = timezone.now() - datetime.timedelta(days=1)
    consultation.save()


def test_state_follows_dates_and_process(consultation):
    """Open, upcoming and closed come from the dates; a closed process closes everything."""
    assert consultation.state() == "open"
    consultation.opens_at = timezone.now() + datetime.timedelta(days=1)
    assert consultation.state() == "upcoming"
    close_by_date(consultation)
    assert consultation.state() == "closed"
    consultation.closes_at = None
    consultation.process.status = Process.Status.ARCHIVED
    assert consultation.state() == "closed"


def test_closed_pages_say_so_and_offer_no_buttons(client, consultation):
    """The page and the card show the notice and no vote, proposal or answer form."""
    OpenQuestionFactory(consultation=consultation)
    close_by_date(consultation)
    page = client.get(f"/consultations/{consultation.pk}/").content
    assert b'data-testid="closed-notice" data-state="closed"' in page
    assert b'data-testid="propose-form"' not in page
    assert b"repondre" not in page
    card = client.get(f"/consultations/{consultation.pk}/voter/").content
    assert b'data-testid="closed-notice"' in card
    assert b'data-testid="vote-agree"' not in card


def test_closed_consultation_refuses_every_write(client, consultation):
    """Votes, statements and answers are all refused (403) once closed."""
    question = OpenQuestionFactory(consultation=consultation)
    close_by_date(consultation)
    assert vote_json(client, consultation, consultation.statements.first()).status_code == 403
    assert (
        client.post(f"/consultations/{consultation.pk}/proposer/", {"text": "Idée"}).status_code
        == 403
    )
    assert (
        client.post(
            f"/consultations/{consultation.pk}/questions/{question.pk}/repondre/",
            {f"q{question.pk}-text": "Réponse"},
        ).status_code
        == 403
    )
    assert not Answer.objects.exists()
    assert not Statement.objects.filter(text="Idée").exists()


def test_upcoming_consultation_says_when(client, consultation):
    """Before its opening, the page shows its dates and that it is not open yet."""
    consultation.opens_at = timezone.now() + datetime.timedelta(days=2)
    consultation.save()
    page = client.get(f"/consultations/{consultation.pk}/").content
    assert b'data-testid="consultation-dates"' in page
    assert b'data-state="upcoming"' in page
    assert vote_json(client, consultation, consultation.statements.first()).status_code == 403

"""Rule: a participant's statement (≤ 280 characters) waits for moderation or is published
at once, as the consultation says; similar published statements are offered first."""

from ruche.consultations.models import Consultation, Statement


def propose(client, consultation, text, confirm=False):
    data = {"text": text}
    if confirm:
        data["confirm"] = "1"
    return client.post(f"/consultations/{consultation.pk}/proposer/", data)


def test_new_idea_goes_to_the_moderation_queue(client, consultation):
    """With moderation before publication, the statement waits, authored by the participant."""
    response = propose(client, consultation, "Créer une salle de sieste au ministère")
    assert response.status_code == 302
    statement = Statement.objects.get(text="Créer une salle de sieste au ministère")
    assert statement.status == Statement.Status.PENDING
    assert statement.author is not None
    assert not statement.is_seed
    assert "ruche_participant" in response.cookies


def test_moderation_after_publishes_at_once(client, consultation):
    """With moderation after publication, the statement is published immediately."""
    consultation.moderation = Consultation.Moderation.AFTER
    consultation.save()
    propose(client, consultation, "Créer une salle de sieste au ministère")
    assert Statement.objects.get(text__startswith="Créer une salle").status == "accepted"


def test_similar_statements_are_offered_before_submitting(client, consultation):
    """A near-duplicate is shown with a vote button; nothing is created yet."""
    response = propose(client, consultation, "Le télétravail doit rester possible pour tous")
    assert response.status_code == 200
    assert b'data-testid="similar-statement"' in response.content
    assert "Le télétravail doit rester possible" in response.content.decode()
    assert not Statement.objects.filter(text__endswith="pour tous").exists()


def test_confirming_submits_anyway(client, consultation):
    """ "Mine is different" sends the statement despite the suggestion."""
    propose(client, consultation, "Le télétravail doit rester possible pour tous", confirm=True)
    assert Statement.objects.filter(text__endswith="pour tous").exists()


def test_the_same_submission_twice_creates_one_statement(client, consultation):
    """A retried submit does not duplicate the statement."""
    propose(client, consultation, "Créer une salle de sieste", confirm=True)
    propose(client, consultation, "Créer une salle de sieste", confirm=True)
    assert Statement.objects.filter(text="Créer une salle de sieste").count() == 1


def test_too_long_statement_is_a_form_error(client, consultation):
    """Over 280 characters: the form says so (400) and nothing is stored."""
    response = propose(client, consultation, "a" * 281)
    assert response.status_code == 400
    assert b"fr-error-text" in response.content or b"fr-input-group--error" in response.content
    assert not Statement.objects.filter(text__startswith="aaa").exists()


def test_blank_statement_is_a_form_error(client, consultation):
    """Whitespace only is not a statement."""
    response = propose(client, consultation, "   ")
    assert response.status_code == 400


def test_closed_to_statements(client, consultation):
    """When participants may not propose, the endpoint refuses (403)."""
    consultation.allow_statements = False
    consultation.save()
    assert propose(client, consultation, "Une idée").status_code == 403


def test_too_many_proposals_is_429(client, consultation, settings):
    """A participant proposing faster than a person writes is stopped (429)."""
    settings.RUCHE_WRITE_RATE_LIMIT = 2
    statuses = [
        propose(client, consultation, f"Idée numéro {n}", confirm=True).status_code
        for n in range(4)
    ]
    assert statuses == [302, 302, 429, 429]
    assert Statement.objects.filter(text__startswith="Idée numéro").count() == 2

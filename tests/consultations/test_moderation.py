"""Rule: facilitators publish or reject statements in bulk; rejecting needs a reason;
only statements of this consultation are touched; participants cannot moderate."""

from ruche.accounts.models import Role
from ruche.consultations.models import Statement
from tests.factories import DEFAULT_PASSWORD, StatementFactory


def login(client, user):
    from django.http import HttpRequest

    assert client.login(request=HttpRequest(), email=user.email, password=DEFAULT_PASSWORD)


def queue(consultation, n=3):
    return [
        StatementFactory(consultation=consultation, status="pending", is_seed=False)
        for _ in range(n)
    ]


def test_bulk_accept(client, consultation, make_member):
    """Ticked statements are published together, with who and when."""
    facilitator = make_member(Role.FACILITATOR)
    login(client, facilitator)
    waiting = queue(consultation)
    response = client.post(
        f"/consultations/{consultation.pk}/moderation/",
        {"statements": [s.pk for s in waiting[:2]], "decision": "accept"},
    )
    assert response.status_code == 302
    statuses = {s.pk: s.status for s in Statement.objects.filter(pk__in=[s.pk for s in waiting])}
    assert [statuses[s.pk] for s in waiting] == ["accepted", "accepted", "pending"]
    published = Statement.objects.get(pk=waiting[0].pk)
    assert published.moderated_by == facilitator
    assert published.moderated_at is not None


def test_bulk_reject_with_reason(client, consultation, make_member):
    """Rejected statements keep the reason given."""
    login(client, make_member(Role.FACILITATOR))
    waiting = queue(consultation)
    client.post(
        f"/consultations/{consultation.pk}/moderation/",
        {"statements": [s.pk for s in waiting], "decision": "reject", "reason": "Hors sujet"},
    )
    assert set(
        Statement.objects.filter(pk__in=[s.pk for s in waiting]).values_list(
            "status", "moderation_reason"
        )
    ) == {("rejected", "Hors sujet")}


def test_reject_without_reason_is_a_form_error(client, consultation, make_member):
    """A rejection must say why: 400 and nothing changes."""
    login(client, make_member(Role.FACILITATOR))
    waiting = queue(consultation, 1)
    response = client.post(
        f"/consultations/{consultation.pk}/moderation/",
        {"statements": [waiting[0].pk], "decision": "reject"},
    )
    assert response.status_code == 400
    assert Statement.objects.get(pk=waiting[0].pk).status == "pending"


def test_nothing_ticked_is_a_form_error(client, consultation, make_member):
    """Submitting without ticking anything says so."""
    login(client, make_member(Role.FACILITATOR))
    response = client.post(f"/consultations/{consultation.pk}/moderation/", {"decision": "accept"})
    assert response.status_code == 400
    assert b"moderation-errors" in response.content


def test_statements_of_another_consultation_are_refused(client, consultation, make_member):
    """An id from another consultation is not a valid choice and is left alone."""
    login(client, make_member(Role.FACILITATOR))
    foreign = StatementFactory(status="pending")
    response = client.post(
        f"/consultations/{consultation.pk}/moderation/",
        {"statements": [foreign.pk], "decision": "accept"},
    )
    assert response.status_code == 400
    assert Statement.objects.get(pk=foreign.pk).status == "pending"


def test_published_statement_can_be_withdrawn(client, consultation, make_member):
    """Moderation after publication: a published statement can be rejected later."""
    login(client, make_member(Role.FACILITATOR))
    published = consultation.statements.first()
    client.post(
        f"/consultations/{consultation.pk}/moderation/?etat=accepted",
        {"statements": [published.pk], "decision": "reject", "reason": "Propos injurieux"},
    )
    assert Statement.objects.get(pk=published.pk).status == "rejected"


def test_queue_lists_pending_statements(client, consultation, make_member):
    """The queue shows each waiting statement, inert."""
    login(client, make_member(Role.FACILITATOR))
    StatementFactory(consultation=consultation, status="pending", text="<b>gras</b>")
    response = client.get(f"/consultations/{consultation.pk}/moderation/")
    assert response.status_code == 200
    assert response.content.count(b'data-testid="queued-statement"') == 1
    assert b"&lt;b&gt;gras&lt;/b&gt;" in response.content


def test_members_cannot_moderate(client, consultation, make_member):
    """A plain member of the organisation gets 403."""
    login(client, make_member(Role.MEMBER))
    waiting = queue(consultation, 1)
    response = client.post(
        f"/consultations/{consultation.pk}/moderation/",
        {"statements": [waiting[0].pk], "decision": "accept"},
    )
    assert response.status_code == 403
    assert Statement.objects.get(pk=waiting[0].pk).status == "pending"


def test_author_sees_the_decision_and_reason(client, consultation):
    """The author finds their statement on the page with its status, and why it was rejected."""
    client.post(
        f"/consultations/{consultation.pk}/proposer/",
        {"text": "Une idée hors sujet", "confirm": "1"},
    )
    statement = Statement.objects.get(text="Une idée hors sujet")
    page = client.get(f"/consultations/{consultation.pk}/").content.decode()
    assert 'data-testid="my-statement" data-status="pending"' in page
    from ruche.consultations.actions import do_moderate

    do_moderate(consultation, [statement.pk], accept=False, reason="Sans rapport avec la question")
    page = client.get(f"/consultations/{consultation.pk}/").content.decode()
    assert 'data-status="rejected"' in page
    assert "Sans rapport avec la question" in page

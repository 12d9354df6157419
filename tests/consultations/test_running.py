"""Rule: a facilitator creates a consultation in a phase, seeds statements (published at
once, one per line, ≤ 280 characters), adds open and profile questions, changes settings
with validation; the process page lists the consultation under its phase."""

from ruche.accounts.models import Role
from ruche.consultations.models import Consultation, OpenQuestion, ProfileQuestion, Statement
from tests.consultations.test_moderation import login
from tests.factories import PhaseFactory, ProcessFactory


def facilitator_client(client, make_member):
    login(client, make_member(Role.FACILITATOR))
    return client


def test_create_in_a_phase(client, organisation, make_member):
    """The consultation is created in the phase and the facilitator lands on its settings."""
    facilitator_client(client, make_member)
    phase = PhaseFactory(process=ProcessFactory(organisation=organisation))
    response = client.post(
        f"/demarches/{phase.process_id}/phases/{phase.pk}/consultations/nouvelle/",
        {"title": "Retex COVID", "moderation": "before", "access": "anonymous"},
    )
    consultation = Consultation.objects.get(title="Retex COVID")
    assert response.status_code == 302
    assert response.url == f"/consultations/{consultation.pk}/gerer/"
    assert consultation.phase == phase


def test_domain_mode_needs_domains(client, organisation, make_member):
    """Choosing email-domain access without any domain is a form error."""
    facilitator_client(client, make_member)
    phase = PhaseFactory(process=ProcessFactory(organisation=organisation))
    response = client.post(
        f"/demarches/{phase.process_id}/phases/{phase.pk}/consultations/nouvelle/",
        {"title": "Retex", "moderation": "before", "access": "email_domain"},
    )
    assert response.status_code == 400
    assert not Consultation.objects.exists()


def test_closing_before_opening_is_a_form_error(client, consultation, make_member):
    """The closing time must follow the opening time."""
    facilitator_client(client, make_member)
    response = client.post(
        f"/consultations/{consultation.pk}/gerer/",
        {
            "title": consultation.title,
            "moderation": "before",
            "access": "anonymous",
            "opens_at": "2026-12-10T10:00",
            "closes_at": "2026-12-01T10:00",
        },
    )
    assert response.status_code == 400
    consultation.refresh_from_db()
    assert consultation.closes_at is None


def test_seed_statements_one_per_line(client, consultation, make_member):
    """Each non-empty line becomes a published seed statement, numbered in order."""
    facilitator_client(client, make_member)
    last = max(consultation.statements.values_list("number", flat=True))
    client.post(
        f"/consultations/{consultation.pk}/gerer/propositions/",
        {"texts": "Première idée\n\n  Deuxième   idée \n"},
    )
    seeds = Statement.objects.filter(consultation=consultation, text__contains="idée")
    assert [(s.text, s.status, s.is_seed) for s in seeds.order_by("number")] == [
        ("Première idée", "accepted", True),
        ("Deuxième idée", "accepted", True),
    ]
    assert [s.number for s in seeds.order_by("number")] == [last + 1, last + 2]


def test_seeding_twice_does_not_duplicate(client, consultation, make_member):
    """Sending the same lines again adds nothing."""
    facilitator_client(client, make_member)
    for _ in range(2):
        client.post(f"/consultations/{consultation.pk}/gerer/propositions/", {"texts": "Idée"})
    assert Statement.objects.filter(text="Idée").count() == 1


def test_overlong_seed_line_is_a_form_error(client, consultation, make_member):
    """A line over 280 characters is named in the error; nothing is added."""
    facilitator_client(client, make_member)
    response = client.post(
        f"/consultations/{consultation.pk}/gerer/propositions/",
        {"texts": "Courte\n" + "x" * 281},
    )
    assert response.status_code == 400
    assert not Statement.objects.filter(text="Courte").exists()


def test_questions(client, consultation, make_member):
    """Open and profile questions are added and deleted; a profile needs two choices."""
    facilitator_client(client, make_member)
    base = f"/consultations/{consultation.pk}/gerer"
    client.post(f"{base}/questions/", {"text": "Qu’avez-vous appris ?"})
    assert OpenQuestion.objects.filter(consultation=consultation).count() == 1
    assert (
        client.post(f"{base}/profil/", {"label": "Région", "choices": "Bretagne"}).status_code
        == 400
    )
    client.post(f"{base}/profil/", {"label": "Région", "choices": "Bretagne\nOccitanie\nBretagne"})
    profile = ProfileQuestion.objects.get(consultation=consultation)
    assert profile.choices == ["Bretagne", "Occitanie"]
    client.post(f"{base}/profil/{profile.pk}/supprimer/")
    client.post(f"{base}/questions/{OpenQuestion.objects.get().pk}/supprimer/")
    assert not ProfileQuestion.objects.exists()
    assert not OpenQuestion.objects.exists()


def test_process_page_lists_the_consultation(client, consultation):
    """Visitors find the consultation under its phase on the process page."""
    page = client.get(f"/demarches/{consultation.process.pk}/").content.decode()
    assert f'href="/consultations/{consultation.pk}/"' in page

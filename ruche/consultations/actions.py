"""Every write on consultations. Each `do_*` runs in a transaction and is safe to retry."""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ruche.accounts.actions import do_create_participant
from ruche.consultations.models import (
    Answer,
    Consultation,
    OpenQuestion,
    Participation,
    ProfileQuestion,
    Statement,
    Vote,
)
from ruche.core.actions import save_fields

CONSULTATION_FIELDS = {
    "title",
    "description",
    "moderation",
    "access",
    "email_domains",
    "allow_statements",
    "opens_at",
    "closes_at",
    "results_public",
    "attribution",
}


class ConsultationError(Exception):
    """A write refused for a reason the person can act on; `status` is the HTTP answer."""

    def __init__(self, message: str, status: int = 409):
        super().__init__(message)
        self.message = message
        self.status = status


@transaction.atomic
def do_create_consultation(phase, *, created_by=None, **fields) -> Consultation:
    unknown = set(fields) - CONSULTATION_FIELDS
    if unknown:
        raise TypeError(f"Cannot set {sorted(unknown)} on Consultation")
    return Consultation.objects.create(phase=phase, created_by=created_by, **fields)


@transaction.atomic
def do_update_consultation(consultation: Consultation, **fields) -> Consultation:
    return save_fields(consultation, CONSULTATION_FIELDS, fields)


def _next_number(consultation) -> int:
    """The next statement number; the caller holds the consultation's row lock."""
    last = Statement.objects.filter(consultation=consultation).aggregate(last=Max("number"))
    return (last["last"] or 0) + 1


@transaction.atomic
def do_add_statement(
    consultation: Consultation, text: str, *, author=None, seed: bool = False, by=None
) -> tuple[Statement, bool]:
    """Add a statement; (statement, created).

    Seeds (written by facilitators) are published at once; a participant's statement too
    when moderation comes after publication, otherwise it waits in the queue. The same
    text sent again by the same person returns the first statement (a retried submit).
    """
    text = " ".join(text.split())
    # Lock the consultation before looking for a duplicate: two identical submissions at
    # once (a double click) then find each other instead of both inserting.
    Consultation.objects.select_for_update().filter(pk=consultation.pk).first()
    existing = Statement.objects.filter(consultation=consultation, text=text)
    if author is not None:
        existing = existing.filter(author=author)
    else:
        existing = existing.filter(author__isnull=True)
    found = existing.first()
    if found is not None:
        return found, False
    published = seed or consultation.moderation == Consultation.Moderation.AFTER
    statement = Statement.objects.create(
        consultation=consultation,
        number=_next_number(consultation),
        text=text,
        is_seed=seed,
        author=author,
        status=Statement.Status.ACCEPTED if published else Statement.Status.PENDING,
        moderated_by=by if seed else None,
        moderated_at=timezone.now() if seed else None,
    )
    return statement, True


@transaction.atomic
def do_moderate(consultation, statement_ids, *, accept: bool, reason: str = "", by=None) -> int:
    """Accept or reject statements of this consultation in one go; returns how many changed.

    Ids from another consultation are ignored. Repeating a decision changes nothing.
    """
    status = Statement.Status.ACCEPTED if accept else Statement.Status.REJECTED
    return (
        Statement.objects.filter(consultation=consultation, pk__in=list(statement_ids))
        .exclude(status=status, moderation_reason=reason)
        .update(
            status=status,
            moderation_reason=reason,
            moderated_by=by,
            moderated_at=timezone.now(),
            updated_at=timezone.now(),
        )
    )


def do_vote(consultation, participant, statement: Statement, value: int) -> Vote:
    """Record the participant's vote on a published statement; a second vote replaces it.

    One upsert: sending the same vote twice leaves one row, and the last value wins.
    """
    if statement.consultation_id != consultation.pk:
        raise ConsultationError(_("This statement belongs to another consultation."), 404)
    if statement.status != Statement.Status.ACCEPTED:
        raise ConsultationError(_("This statement is not published: it cannot be voted on."))
    if value not in Vote.Value.values:
        raise ValueError(f"invalid vote value {value!r}")
    now = timezone.now()
    vote = Vote(
        consultation=consultation,
        statement=statement,
        participant=participant,
        value=value,
        created_at=now,
        updated_at=now,
    )
    Vote.objects.bulk_create(
        [vote],
        update_conflicts=True,
        unique_fields=["statement", "participant"],
        update_fields=["value", "updated_at"],
    )
    return vote


@transaction.atomic
def do_enter(consultation, participant, *, email: str = "") -> Participation:
    """The participant's entry into the consultation (created once; email kept once given)."""
    try:
        with transaction.atomic():
            participation, _created = Participation.objects.get_or_create(
                consultation=consultation, participant=participant
            )
    except IntegrityError:  # created by a concurrent request
        participation = Participation.objects.get(
            consultation=consultation, participant=participant
        )
    if email and not participation.email:
        participation.email = email
        participation.save(update_fields=["email", "updated_at"])
    return participation


@transaction.atomic
def do_enter_with_email(consultation, email: str, new_participant) -> Participation:
    """The participation holding this verified address, created on its first use.

    `new_participant()` makes the participant for a first use. Later uses (the link opened
    again, in another browser or by someone it was forwarded to) continue as the same
    participant: one address, one voice.
    """
    existing = Participation.objects.filter(consultation=consultation, email=email).first()
    if existing is not None:
        return existing
    participant = new_participant()
    taken = Participation.objects.filter(consultation=consultation, participant=participant)
    if taken.exclude(email="").exists():
        # This browser already took part under another address: that address keeps its
        # voice, this one gets its own participant.
        participant = do_create_participant(user=participant.user)
    try:
        with transaction.atomic():
            return do_enter(consultation, participant, email=email)
    except IntegrityError:  # the same address entered at the same moment elsewhere
        return Participation.objects.get(consultation=consultation, email=email)


@transaction.atomic
def do_save_profile(participation: Participation, answers: dict[str, str]) -> Participation:
    """Store the profile answers ({question id: choice}; skipped questions left out)."""
    participation.profile = {key: value for key, value in answers.items() if value}
    participation.profile_done = True
    participation.save(update_fields=["profile", "profile_done", "updated_at"])
    return participation


@transaction.atomic
def do_answer(question: OpenQuestion, participant, text: str) -> Answer:
    """Create or replace the participant's answer to an open question."""
    answer, created = Answer.objects.select_for_update().get_or_create(
        question=question, participant=participant, defaults={"text": text}
    )
    if not created and answer.text != text:
        answer.text = text
        answer.save(update_fields=["text", "updated_at"])
    return answer


@transaction.atomic
def do_set_answer_hidden(answer: Answer, hidden: bool) -> Answer:
    if answer.hidden != hidden:
        answer.hidden = hidden
        answer.save(update_fields=["hidden", "updated_at"])
    return answer


def _next_position(queryset) -> int:
    return (queryset.aggregate(last=Max("position"))["last"] or 0) + 1


@transaction.atomic
def do_add_open_question(consultation, text: str) -> OpenQuestion:
    question, _created = OpenQuestion.objects.get_or_create(
        consultation=consultation,
        text=text,
        defaults={"position": _next_position(consultation.open_questions)},
    )
    return question


@transaction.atomic
def do_delete_open_question(question: OpenQuestion) -> None:
    OpenQuestion.objects.filter(pk=question.pk).delete()


@transaction.atomic
def do_add_profile_question(consultation, label: str, choices: list[str]) -> ProfileQuestion:
    question, _created = ProfileQuestion.objects.get_or_create(
        consultation=consultation,
        label=label,
        defaults={
            "choices": choices,
            "position": _next_position(consultation.profile_questions),
        },
    )
    return question


@transaction.atomic
def do_delete_profile_question(question: ProfileQuestion) -> None:
    ProfileQuestion.objects.filter(pk=question.pk).delete()

"""Reads with their permission check, and the voting card's next-statement choice."""

import random
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.utils.translation import gettext as _

from ruche.consultations.models import (
    AnalysisResult,
    Answer,
    Consultation,
    Participation,
    Statement,
    Vote,
)
from ruche.processes.models import Process

VIEW = "consultations.view_consultation"
LINKED_PROCESSES_SESSION_KEY = "ruche.linked_processes"


def linked_processes(request) -> set[str]:
    """Ids of link-only processes this browser opened through their secret link."""
    return set(request.session.get(LINKED_PROCESSES_SESSION_KEY, []))


def opened_by_link(consultation, linked: set[str]) -> bool:
    process = consultation.process
    return (
        process.visibility == Process.Visibility.LINK
        and process.status != Process.Status.DRAFT
        and str(process.pk) in linked
    )


def access_consultation(user, consultation_id, perm: str = VIEW, linked=frozenset()):
    """The consultation if `user` holds `perm` on it; 404 for an unknown id, 403 otherwise.

    `linked`: link-only processes opened through their link (see `linked_processes`), which
    grant viewing, and taking part while the consultation is open.
    """
    try:
        consultation = Consultation.objects.select_related("phase__process__organisation").get(
            pk=consultation_id
        )
    except (Consultation.DoesNotExist, ValidationError, ValueError) as error:
        raise Http404(_("This consultation does not exist.")) from error
    if user.has_perm(perm, consultation):
        return consultation
    if opened_by_link(consultation, linked):
        if perm == VIEW:
            return consultation
        if perm == "consultations.participate" and consultation.state() == "open":
            return consultation
        if perm == "consultations.view_report" and consultation.results_public:
            return consultation
    if perm == "consultations.participate" and user.has_perm(VIEW, consultation):
        raise PermissionDenied(_not_open_message(consultation))
    raise PermissionDenied(_("You may not do this on this consultation."))


def _not_open_message(consultation) -> str:
    state = consultation.state()
    if state == Consultation.State.UPCOMING:
        return _("This consultation is not open yet.")
    if state == Consultation.State.DRAFT:
        return _("This consultation is not open yet.")
    return _("This consultation is closed: its contents can be read, no longer changed.")


def consultations_of_process(process):
    return Consultation.objects.filter(phase__process=process).select_related("phase")


def statement_of(consultation, statement_id) -> Statement:
    """A statement of this consultation; 404 when unknown or from another consultation."""
    try:
        return Statement.objects.get(pk=statement_id, consultation=consultation)
    except (Statement.DoesNotExist, ValidationError, ValueError) as error:
        raise Http404(_("This statement does not exist.")) from error


def participation_of(consultation, participant) -> Participation | None:
    if participant is None:
        return None
    return Participation.objects.filter(consultation=consultation, participant=participant).first()


def entry_requirement(consultation, user, participant) -> str | None:
    """What a person must do before taking part, or None when they may vote.

    "login": the consultation is for signed-in users; "email": they must confirm an
    address from an allowed domain; "profile": the profile questions are still unanswered.
    Runs on every vote: the participation is only read when the mode needs it.
    """
    if consultation.access == Consultation.Access.ACCOUNT and not user.is_authenticated:
        return "login"
    participation = None
    if consultation.access == Consultation.Access.EMAIL_DOMAIN:
        participation = participation_of(consultation, participant)
        verified = participation is not None and participation.email
        # A signed-in account's address is verified (invitation link or ProConnect).
        if not verified and not (
            user.is_authenticated and email_domain_allowed(consultation, user.email)
        ):
            return "email"
    if consultation.profile_questions.exists():
        participation = participation or participation_of(consultation, participant)
        if participation is None or not participation.profile_done:
            return "profile"
    return None


def email_domain_allowed(consultation, email: str) -> bool:
    domain = email.rsplit("@", 1)[-1].lower()
    return domain in consultation.domain_list()


@dataclass(frozen=True)
class Card:
    """What the voting card shows: the statement to vote on next, and progress."""

    statement: Statement | None
    voted: int
    total: int

    @property
    def remaining(self) -> int:
        return self.total - self.voted


def priority(n_agree: int, n_disagree: int, n_pass: int, extremity: float) -> float:
    """Pol.is's comment priority: statements few have seen first, then informative ones.

    importance = (1 − p)(E + 1)a with smoothed pass share p and agree share a, boosted by
    1 + 8·2^(−S/5) while a statement has been seen S times, squared to sharpen the draw.
    """
    seen = n_agree + n_disagree + n_pass
    pass_share = (n_pass + 1) / (seen + 2)
    agree_share = (n_agree + 1) / (seen + 2)
    importance = (1 - pass_share) * (extremity + 1) * agree_share
    return (importance * (1 + 8 * 2 ** (-seen / 5))) ** 2


def next_card(consultation, participant) -> Card:
    """The next statement for `participant`: a draw weighted by `priority`.

    Reads the published statements' stored counts (refreshed by each analysis) and the
    participant's own votes only, so its cost does not grow with the number of people.
    The draw is seeded by participant and progress: reloading the page shows the same card.
    """
    rows = list(
        Statement.objects.filter(
            consultation=consultation, status=Statement.Status.ACCEPTED
        ).values_list("pk", "n_agree", "n_disagree", "n_pass", "extremity")
    )
    voted = set()
    if participant is not None:
        voted = set(
            Vote.objects.filter(consultation=consultation, participant=participant).values_list(
                "statement_id", flat=True
            )
        )
    chosen, n_voted, total = choose_next(rows, voted, participant.pk if participant else None)
    statement = None if chosen is None else Statement.objects.get(pk=chosen)
    return Card(statement=statement, voted=n_voted, total=total)


def choose_next(rows, voted, participant_id) -> tuple:
    """(chosen statement id or None, statements voted on, published statements).

    `rows`: the published statements as (id, n_agree, n_disagree, n_pass, extremity), in
    `number` order; `voted`: ids of the statements the participant voted on. Pure, shared
    by `next_card` and the vote fast path (fastvote), which must draw the same card.
    """
    candidates = [row for row in rows if row[0] not in voted]
    n_voted = len(rows) - len(candidates)
    if not candidates:
        return None, n_voted, len(rows)
    draw = random.Random(f"{participant_id if participant_id else ''}:{n_voted}")  # noqa: S311
    weights = [priority(*row[1:]) for row in candidates]
    chosen = draw.choices(candidates, weights=weights, k=1)[0][0]
    return chosen, n_voted, len(rows)


def votes_of(consultation, participant):
    """The participant's votes with their statements, for the "my votes" page."""
    if participant is None:
        return Vote.objects.none()
    return (
        Vote.objects.filter(consultation=consultation, participant=participant)
        .select_related("statement")
        .order_by("statement__number")
    )


def published_statements(consultation):
    return Statement.objects.filter(consultation=consultation, status=Statement.Status.ACCEPTED)


def moderation_queue(consultation):
    return Statement.objects.filter(
        consultation=consultation, status=Statement.Status.PENDING
    ).select_related("author")


def answers_of(consultation, participant) -> dict:
    """{open question id: the participant's answer}."""
    if participant is None:
        return {}
    answers = Answer.objects.filter(question__consultation=consultation, participant=participant)
    return {answer.question_id: answer for answer in answers}


def latest_result(consultation, kind: str) -> AnalysisResult | None:
    return (
        AnalysisResult.objects.filter(consultation=consultation, kind=kind, error="")
        .order_by("-computed_at")
        .first()
    )


def participation_by_email(consultation, email: str) -> Participation | None:
    return (
        Participation.objects.filter(consultation=consultation, email=email)
        .select_related("participant")
        .first()
    )


def open_questions_of(consultation):
    return list(consultation.open_questions.all())


def similar_statements(consultation, text: str, limit: int = 3) -> list[Statement]:
    """Published statements that look like `text` (the engine's suggestion), best first."""
    from ruche.analysis.engine.similar import similar_texts

    records = list(published_statements(consultation).values_list("pk", "text"))
    found = similar_texts(text, records, limit=limit)
    by_id = Statement.objects.in_bulk([pk for pk, _score in found])
    return [by_id[pk] for pk, _score in found if pk in by_id]


def vote_count(consultation, participant) -> int:
    """Votes on statements still published (the same set the progress total counts)."""
    if participant is None:
        return 0
    return Vote.objects.filter(
        consultation=consultation,
        participant=participant,
        statement__status=Statement.Status.ACCEPTED,
    ).count()


def latest_result_summary(consultation, kind: str) -> AnalysisResult | None:
    """The latest result without its document (which grows with participation)."""
    return (
        AnalysisResult.objects.filter(consultation=consultation, kind=kind, error="")
        .defer("data")
        .order_by("-computed_at")
        .first()
    )


def statements_with_status(consultation, status: str):
    return Statement.objects.filter(consultation=consultation, status=status).select_related(
        "author"
    )


def status_counts(consultation) -> dict[str, int]:
    counts = dict(
        Statement.objects.filter(consultation=consultation)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {status: counts.get(status, 0) for status in Statement.Status.values}


def answer_of(consultation, answer_id) -> Answer:
    """An answer to one of this consultation's questions; 404 otherwise."""
    try:
        return Answer.objects.get(pk=answer_id, question__consultation=consultation)
    except (Answer.DoesNotExist, ValidationError, ValueError) as error:
        raise Http404(_("This answer does not exist.")) from error


def statements_by(consultation, participant):
    """The participant's own statements, with their moderation status and reason."""
    if participant is None:
        return Statement.objects.none()
    return Statement.objects.filter(consultation=consultation, author=participant).order_by(
        "created_at"
    )


def statement_ids_among(consultation, ids) -> list:
    """Which of `ids` (strings from a form) are statements of this consultation."""
    valid = []
    for value in ids:
        try:
            valid.append(uuid.UUID(value))
        except (ValueError, TypeError):
            continue
    return list(
        Statement.objects.filter(consultation=consultation, pk__in=valid).values_list(
            "pk", flat=True
        )
    )

"""Pages and endpoints of a consultation: taking part (enter, vote, propose, answer) and
running it (create, settings, moderation).

The vote endpoint answers JSON to the voting card's script (and to any API client) and
redirects plain form posts, so the card also works without JavaScript.
"""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from ruche.accounts.participation import (
    RateLimited,
    ensure_participant,
    finish,
    participant_of,
)
from ruche.consultations import actions, queries, tasks
from ruche.consultations.forms import (
    AnswerForm,
    ConsultationForm,
    EmailForm,
    ModerationForm,
    OpenQuestionForm,
    ProfileForm,
    ProfileQuestionForm,
    SeedStatementsForm,
    StatementForm,
)
from ruche.consultations.models import VOTE_NAMES, AnalysisResult, Consultation, Statement
from ruche.consultations.rules import consultation_abilities
from ruche.consultations.tokens import AccessLinkError, access_token, read_access_token
from ruche.core.ratelimit import allow
from ruche.processes.queries import access_phase

PARTICIPATE = "consultations.participate"
CHANGE = "consultations.change_consultation"


def _access(request, consultation_id, perm=queries.VIEW):
    consultation = queries.access_consultation(
        request.user, consultation_id, perm, queries.linked_processes(request)
    )
    request.organisation = consultation.organisation  # the DSFR header shows its name
    return consultation


def _limit_writes(participant, kind: str) -> None:
    """Proposals and answers: a person writes a few, a script thousands."""
    if not allow(
        f"{kind}:{participant.pk}",
        settings.RUCHE_WRITE_RATE_LIMIT,
        settings.RUCHE_WRITE_RATE_WINDOW,
    ):
        raise RateLimited(_("Too many submissions in a short time: wait a few minutes."))


def _too_many(request, error: RateLimited):
    return render(
        request,
        "core/error.html",
        {"status": 429, "title": _("Too many requests"), "text": error.message},
        status=429,
    )


def _requirement(request, consultation, participant):
    return queries.entry_requirement(consultation, request.user, participant)


def _analysis_context(consultation):
    return {
        "opinions_result": queries.latest_result_summary(
            consultation, AnalysisResult.Kind.OPINIONS
        ),
    }


def detail(request, consultation_id):
    consultation = _access(request, consultation_id)
    participant = participant_of(request)
    abilities = consultation_abilities(request.user, consultation)
    if not abilities["participate"] and queries.opened_by_link(
        consultation, queries.linked_processes(request)
    ):
        abilities["participate"] = consultation.state() == Consultation.State.OPEN
    questions = queries.open_questions_of(consultation)
    answers = queries.answers_of(consultation, participant)
    context = {
        "consultation": consultation,
        "process": consultation.process,
        "abilities": abilities,
        "participant": participant,
        "published": queries.published_statements(consultation).count(),
        "voted": queries.vote_count(consultation, participant),
        "questions": [
            (
                q,
                answers.get(q.pk),
                AnswerForm(
                    prefix=f"q{q.pk}",
                    initial={"text": answers[q.pk].text} if q.pk in answers else None,
                ),
            )
            for q in questions
        ],
        "statement_form": StatementForm(),
        "my_statements": list(queries.statements_by(consultation, participant)),
        "pending": queries.moderation_queue(consultation).count() if abilities["moderate"] else 0,
        **_analysis_context(consultation),
    }
    return render(request, "consultations/consultation_detail.html", context)


@require_http_methods(["GET", "POST"])
def enter(request, consultation_id):
    """The steps before voting: sign in, confirm an email address, answer the profile."""
    consultation = _access(request, consultation_id, PARTICIPATE)
    participant = participant_of(request)
    requirement = _requirement(request, consultation, participant)
    if requirement == "login":
        return redirect(f"{reverse('accounts:login')}?next={request.path}")
    if requirement == "email":
        form = EmailForm(request.POST or None, consultation=consultation)
        if request.method == "POST" and form.is_valid():
            email = form.cleaned_data["email"]
            if not allow(f"access-link:{email}", 3, 600):
                form.add_error(
                    "email", _("Too many links asked for this address: wait a few minutes.")
                )
            else:
                link = request.build_absolute_uri(
                    reverse(
                        "consultations:access_link",
                        args=[consultation.pk, access_token(consultation.pk, email)],
                    )
                )
                tasks.send_access_link.enqueue(str(consultation.pk), email, link)
                return render(
                    request,
                    "consultations/link_sent.html",
                    {"consultation": consultation, "email": email},
                )
        return render(
            request,
            "consultations/enter_email.html",
            {"consultation": consultation, "form": form},
            status=400 if form.is_bound else 200,
        )
    if requirement == "profile":
        questions = list(consultation.profile_questions.all())
        form = ProfileForm(request.POST or None, questions=questions)
        if request.method == "POST" and form.is_valid():
            try:
                participant = ensure_participant(request)
            except RateLimited as error:
                return _too_many(request, error)
            participation = actions.do_enter(consultation, participant)
            actions.do_save_profile(participation, form.cleaned_data)
            return finish(request, redirect("consultations:vote_card", consultation.pk))
        return render(
            request,
            "consultations/enter_profile.html",
            {"consultation": consultation, "form": form},
            status=400 if form.is_bound else 200,
        )
    return redirect("consultations:vote_card", consultation.pk)


def access_link(request, consultation_id, token):
    """The link sent by email: proves the address, then on to the profile or the card."""
    consultation = _access(request, consultation_id, PARTICIPATE)
    try:
        email = read_access_token(token, consultation.pk)
    except AccessLinkError as error:
        status = 410 if error.reason == "expired" else 400
        return render(
            request,
            "consultations/link_invalid.html",
            {"consultation": consultation, "reason": error.reason},
            status=status,
        )
    if not queries.email_domain_allowed(consultation, email):
        raise PermissionDenied(_("This address is no longer allowed in this consultation."))
    try:
        participation = actions.do_enter_with_email(
            consultation, email, lambda: ensure_participant(request)
        )
    except RateLimited as error:
        return _too_many(request, error)
    # Continue as the address's participant in this browser (set the cookie to it).
    request._participant = participation.participant
    request._new_participant = True
    return finish(request, redirect("consultations:enter", consultation.pk))


def vote_card(request, consultation_id):
    consultation = _access(request, consultation_id)
    participant = participant_of(request)
    is_open = consultation.state() == Consultation.State.OPEN
    if is_open:
        requirement = _requirement(request, consultation, participant)
        if requirement is not None:
            return redirect("consultations:enter", consultation.pk)
    card = queries.next_card(consultation, participant) if is_open else None
    return render(
        request,
        "consultations/vote_card.html",
        {"consultation": consultation, "card": card, "is_open": is_open},
    )


class VoteError(Exception):
    def __init__(self, message, status):
        super().__init__(message)
        self.message = message
        self.status = status


def _read_vote(request) -> tuple[str, str, bool]:
    """(statement id, vote name, wants the next card) from a JSON body or a form post."""
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body or b"null")
        except (ValueError, UnicodeDecodeError) as error:
            raise VoteError(_("The request body is not valid JSON."), 400) from error
        if not isinstance(body, dict):
            raise VoteError(_("Send a JSON object with “statement” and “vote”."), 400)
        statement, vote, wants_next = (
            body.get("statement"),
            body.get("vote"),
            bool(body.get("next")),
        )
    else:
        statement, vote, wants_next = request.POST.get("statement"), request.POST.get("vote"), True
    if not isinstance(vote, str) or vote not in VOTE_NAMES:
        raise VoteError(_("The vote must be “agree”, “disagree” or “pass”."), 400)
    if not isinstance(statement, str) or not statement:
        raise VoteError(_("Say which statement the vote is on (“statement”)."), 400)
    return statement, vote, wants_next


def _card_json(card) -> dict:
    statement = card.statement
    return {
        "next": None
        if statement is None
        else {"id": str(statement.pk), "number": statement.number, "text": statement.text},
        "voted": card.voted,
        "total": card.total,
    }


@require_POST
def vote(request, consultation_id):
    """Record a vote. JSON in, JSON out (errors too); a form post redirects back."""
    wants_json = request.content_type == "application/json"
    try:
        response = _vote(request, consultation_id, wants_json)
    except (VoteError, actions.ConsultationError, RateLimited) as error:
        if wants_json:
            return JsonResponse({"error": error.message}, status=error.status)
        messages.error(request, error.message)
        return redirect("consultations:vote_card", consultation_id)
    except (Http404, PermissionDenied) as error:
        if not wants_json:
            raise
        status = 404 if isinstance(error, Http404) else 403
        return JsonResponse({"error": str(error) or _("Not allowed.")}, status=status)
    return finish(request, response)


def _vote(request, consultation_id, wants_json):
    statement_id, name, wants_next = _read_vote(request)
    consultation = _access(request, consultation_id, PARTICIPATE)
    participant = participant_of(request)
    if _requirement(request, consultation, participant) is not None:
        raise VoteError(_("Enter the consultation before voting."), 403)
    participant = ensure_participant(request)
    if not allow(
        f"vote:{participant.pk}", settings.RUCHE_VOTE_RATE_LIMIT, settings.RUCHE_VOTE_RATE_WINDOW
    ):
        raise VoteError(_("Too many votes in a short time: wait a few seconds."), 429)
    statement = queries.statement_of(consultation, statement_id)
    actions.do_vote(consultation, participant, statement, VOTE_NAMES[name])
    tasks.request_analysis(consultation.pk)
    if not wants_json:
        target = request.POST.get("next", "")
        if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
            return HttpResponseRedirect(target)
        return redirect("consultations:vote_card", consultation.pk)
    payload = {"statement": str(statement.pk), "vote": name}
    if wants_next:
        payload.update(_card_json(queries.next_card(consultation, participant)))
    return JsonResponse(payload)


def my_votes(request, consultation_id):
    consultation = _access(request, consultation_id)
    participant = participant_of(request)
    return render(
        request,
        "consultations/my_votes.html",
        {
            "consultation": consultation,
            "votes": queries.votes_of(consultation, participant),
            "is_open": consultation.state() == Consultation.State.OPEN,
        },
    )


@require_POST
def propose(request, consultation_id):
    """Submit a statement; first show existing ones that look like it, to vote on instead."""
    consultation = _access(request, consultation_id, PARTICIPATE)
    if not consultation.allow_statements:
        raise PermissionDenied(_("This consultation does not take new statements."))
    participant = participant_of(request)
    if _requirement(request, consultation, participant) is not None:
        return redirect("consultations:enter", consultation.pk)
    form = StatementForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "consultations/propose.html",
            {"consultation": consultation, "form": form, "similar": []},
            status=400,
        )
    text = form.cleaned_data["text"]
    if request.POST.get("confirm") != "1":
        similar = queries.similar_statements(consultation, text)
        if similar:
            return render(
                request,
                "consultations/propose.html",
                {"consultation": consultation, "form": form, "similar": similar},
            )
    try:
        participant = ensure_participant(request)
        _limit_writes(participant, "propose")
    except RateLimited as error:
        return _too_many(request, error)
    statement, _created = actions.do_add_statement(consultation, text, author=participant)
    if statement.status == Statement.Status.ACCEPTED:
        messages.success(request, _("Your statement is published: others can now vote on it."))
    else:
        messages.success(
            request,
            _("Thank you! Your statement will be published once a facilitator has read it."),
        )
    return finish(request, redirect("consultations:detail", consultation.pk))


@require_POST
def answer(request, consultation_id, question_id):
    consultation = _access(request, consultation_id, PARTICIPATE)
    question = consultation.open_questions.filter(pk=question_id).first()
    if question is None:
        raise Http404(_("This question does not exist."))
    participant = participant_of(request)
    if _requirement(request, consultation, participant) is not None:
        return redirect("consultations:enter", consultation.pk)
    form = AnswerForm(request.POST, prefix=f"q{question.pk}")
    if not form.is_valid():
        return render(
            request,
            "consultations/answer_form.html",
            {"consultation": consultation, "question": question, "form": form},
            status=400,
        )
    try:
        participant = ensure_participant(request)
        _limit_writes(participant, "answer")
    except RateLimited as error:
        return _too_many(request, error)
    actions.do_answer(question, participant, form.cleaned_data["text"])
    tasks.request_analysis(consultation.pk)
    messages.success(
        request, _("Your answer is saved. You can change it while the consultation is open.")
    )
    return finish(
        request, redirect(f"{reverse('consultations:detail', args=[consultation.pk])}#questions")
    )


# Running a consultation (facilitators).


@login_required
@require_http_methods(["GET", "POST"])
def create(request, process_id, phase_id):
    phase = access_phase(request.user, process_id, phase_id)
    request.organisation = phase.process.organisation
    form = ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        consultation = actions.do_create_consultation(
            phase, created_by=request.user, **form.cleaned_data
        )
        messages.success(request, _("Consultation created. Add statements and questions."))
        return redirect("consultations:manage", consultation.pk)
    return render(
        request,
        "consultations/consultation_form.html",
        {"form": form, "phase": phase, "process": phase.process},
        status=400 if form.is_bound else 200,
    )


def _manage_page(request, consultation, status=200, **forms):
    context = {
        "consultation": consultation,
        "process": consultation.process,
        "form": forms.get("form") or ConsultationForm(instance=consultation),
        "seed_form": forms.get("seed_form") or SeedStatementsForm(),
        "open_question_form": forms.get("open_question_form") or OpenQuestionForm(),
        "profile_question_form": forms.get("profile_question_form") or ProfileQuestionForm(),
        "open_questions": queries.open_questions_of(consultation),
        "profile_questions": list(consultation.profile_questions.all()),
        "published": queries.published_statements(consultation).count(),
        "pending": queries.moderation_queue(consultation).count(),
    }
    return render(request, "consultations/manage.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def manage(request, consultation_id):
    consultation = _access(request, consultation_id, CHANGE)
    if request.method == "GET":
        return _manage_page(request, consultation)
    form = ConsultationForm(request.POST, instance=consultation)
    if not form.is_valid():
        consultation.refresh_from_db()
        return _manage_page(request, consultation, status=400, form=form)
    actions.do_update_consultation(consultation, **form.cleaned_data)
    messages.success(request, _("Consultation saved."))
    return redirect("consultations:manage", consultation.pk)


@login_required
@require_POST
def add_statements(request, consultation_id):
    consultation = _access(request, consultation_id, CHANGE)
    form = SeedStatementsForm(request.POST)
    if not form.is_valid():
        return _manage_page(request, consultation, status=400, seed_form=form)
    added = sum(
        actions.do_add_statement(consultation, text, seed=True, by=request.user)[1]
        for text in form.cleaned_data["texts"]
    )
    messages.success(
        request,
        ngettext("%(count)d statement added.", "%(count)d statements added.", added)
        % {"count": added},
    )
    return redirect("consultations:manage", consultation.pk)


@login_required
@require_POST
def add_open_question(request, consultation_id):
    consultation = _access(request, consultation_id, CHANGE)
    form = OpenQuestionForm(request.POST)
    if not form.is_valid():
        return _manage_page(request, consultation, status=400, open_question_form=form)
    actions.do_add_open_question(consultation, form.cleaned_data["text"])
    messages.success(request, _("Question added."))
    return redirect("consultations:manage", consultation.pk)


@login_required
@require_POST
def delete_open_question(request, consultation_id, question_id):
    consultation = _access(request, consultation_id, CHANGE)
    question = consultation.open_questions.filter(pk=question_id).first()
    if question is not None:
        actions.do_delete_open_question(question)
        tasks.request_analysis(consultation.pk)
    messages.success(request, _("Question deleted."))
    return redirect("consultations:manage", consultation.pk)


@login_required
@require_POST
def add_profile_question(request, consultation_id):
    consultation = _access(request, consultation_id, CHANGE)
    form = ProfileQuestionForm(request.POST)
    if not form.is_valid():
        return _manage_page(request, consultation, status=400, profile_question_form=form)
    actions.do_add_profile_question(
        consultation, form.cleaned_data["label"], form.cleaned_data["choices"]
    )
    messages.success(request, _("Profile question added."))
    return redirect("consultations:manage", consultation.pk)


@login_required
@require_POST
def delete_profile_question(request, consultation_id, question_id):
    consultation = _access(request, consultation_id, CHANGE)
    question = consultation.profile_questions.filter(pk=question_id).first()
    if question is not None:
        actions.do_delete_profile_question(question)
        tasks.request_analysis(consultation.pk)
    messages.success(request, _("Profile question deleted."))
    return redirect("consultations:manage", consultation.pk)


MODERATION_PAGE_SIZE = 100


@login_required
@require_http_methods(["GET", "POST"])
def moderation(request, consultation_id):
    """The queue: statements awaiting a decision, and the published ones (to withdraw)."""
    consultation = _access(request, consultation_id, "consultations.moderate")
    show = request.GET.get("etat", "pending")
    if show not in ("pending", "accepted", "rejected"):
        show = "pending"
    statements = queries.statements_with_status(consultation, show)
    page = Paginator(statements, MODERATION_PAGE_SIZE).get_page(request.GET.get("page"))
    form = None
    status = 200
    if request.method == "POST":
        ids = request.POST.getlist("statements")
        form = ModerationForm(
            request.POST,
            statement_ids=queries.statement_ids_among(consultation, ids),
        )
        if form.is_valid():
            changed = actions.do_moderate(
                consultation,
                form.cleaned_data["statements"],
                accept=form.cleaned_data["decision"] == "accept",
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
            if changed:
                tasks.request_analysis(consultation.pk)
            messages.success(
                request,
                ngettext(
                    "%(count)d statement moderated.", "%(count)d statements moderated.", changed
                )
                % {"count": changed},
            )
            return redirect(
                f"{reverse('consultations:moderation', args=[consultation.pk])}?etat={show}"
            )
        status = 400
    counts = queries.status_counts(consultation)
    return render(
        request,
        "consultations/moderation.html",
        {
            "consultation": consultation,
            "page": page,
            "show": show,
            "counts": counts,
            "form": form,
        },
        status=status,
    )


@login_required
@require_POST
def hide_answer(request, consultation_id, answer_id):
    """Withdraw an answer from themes, quotes and exports (abusive or identifying)."""
    consultation = _access(request, consultation_id, "consultations.moderate")
    answer = queries.answer_of(consultation, answer_id)
    actions.do_set_answer_hidden(answer, True)
    tasks.request_analysis(consultation.pk)
    messages.success(
        request, _("The answer is hidden. Themes are recomputed within a few seconds.")
    )
    return redirect("consultation_report:report", consultation.pk)

"""Pages of live workshops: creating and preparing one, joining with a code, and the three
live views (participant, facilitator console, projection) that host the JavaScript client.

Who may do what is in `rules.py`; every view checks it before reading anything else. The
live pages embed the viewer's state (`queries.workshop_state`) so the client draws at once,
then follows the socket `ws/ateliers/<id>/`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ruche.accounts.participation import (
    RateLimited,
    client_address,
    ensure_participant,
    finish,
    participant_of,
)
from ruche.accounts.queries import access_organisation, memberships_of
from ruche.core.ratelimit import allow
from ruche.processes.queries import access_phase
from ruche.workshops import actions, queries
from ruche.workshops.activities import KINDS
from ruche.workshops.forms import ActivityForm, CodeForm, JoinForm, StateForm, WorkshopForm
from ruche.workshops.models import Activity, Workshop
from ruche.workshops.rules import workshop_abilities

RUN = "workshops.run_workshop"
ADD = "workshops.add_workshop"
JOIN = "workshops.join_workshop"
# Unknown codes tried from one address per minute: enough for a room's typos, not for
# guessing one of 31⁶ codes.
CODE_ATTEMPTS_PER_MINUTE = 30


# --- Finding a workshop ---------------------------------------------------------------------


def _access(request, workshop_id, perm: str) -> Workshop:
    """The workshop if the user holds `perm` on it; 404 for an unknown id, 403 otherwise."""
    workshop = queries.access_workshop(request.user, workshop_id, perm)
    request.organisation = workshop.organisation  # the DSFR header shows its name
    return workshop


def _activity(workshop, activity_id) -> Activity:
    return queries.activity_of(workshop, activity_id)


def _join_url(request, workshop) -> str:
    return request.build_absolute_uri(reverse("workshops:join", args=[workshop.code]))


def _too_many(request, error: RateLimited):
    return render(
        request,
        "core/error.html",
        {"status": 429, "title": _("Too many requests"), "text": error.message},
        status=429,
    )


def _closed_page(request, workshop, status):
    """Why this workshop cannot be entered now: not open yet, or ended."""
    return render(request, "workshops/closed.html", {"workshop": workshop}, status=status)


# --- Lists and creation ---------------------------------------------------------------------


@login_required
def workshop_list(request, organisation_id=None):
    """The workshops of the organisations the user belongs to (or of one of them)."""
    if organisation_id is not None:
        organisation = access_organisation(request.user, organisation_id)
        request.organisation = organisation
        organisations = [organisation]
    else:
        organisations = [m.organisation for m in memberships_of(request.user)]
    workshops = queries.workshops_of_organisations(organisations)
    by_organisation = {organisation.pk: [] for organisation in organisations}
    for workshop in workshops:
        by_organisation[workshop.organisation_id].append(workshop)
    sections = [
        {
            "organisation": organisation,
            "workshops": by_organisation[organisation.pk],
            # Creating and running are both for facilitators (see rules.py).
            "can_add": request.user.has_perm(ADD, organisation),
        }
        for organisation in organisations
    ]
    return render(
        request,
        "workshops/workshop_list.html",
        {"sections": sections, "single": organisation_id is not None},
    )


def _render_create(request, form, organisation, phase=None):
    return render(
        request,
        "workshops/workshop_form.html",
        {
            "form": form,
            "organisation": organisation,
            "phase": phase,
            "process": phase.process if phase else None,
        },
        status=400 if form.is_bound else 200,
    )


def _create(request, organisation, phase=None):
    request.organisation = organisation
    if not request.user.has_perm(ADD, organisation):
        raise PermissionDenied(_("Only facilitators and administrators can create a workshop."))
    form = WorkshopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        workshop = actions.do_create_workshop(
            organisation=organisation,
            phase=phase,
            created_by=request.user,
            **form.cleaned_data,
        )
        messages.success(request, _("Workshop created. Add its activities, then open the room."))
        return redirect("workshops:prepare", workshop.pk)
    return _render_create(request, form, organisation, phase)


@login_required
@require_http_methods(["GET", "POST"])
def create(request, organisation_id):
    """A standalone workshop (a quick "coup de pouce"), outside any process."""
    organisation = access_organisation(request.user, organisation_id)
    return _create(request, organisation)


@login_required
@require_http_methods(["GET", "POST"])
def create_in_phase(request, process_id, phase_id):
    """A workshop inside a phase of a process, listed on the process page."""
    phase = access_phase(request.user, process_id, phase_id)
    return _create(request, phase.process.organisation, phase)


# --- Preparing ------------------------------------------------------------------------------


def _render_prepare(request, workshop, form=None, status=200):
    activities = list(workshop.activities.select_related("source").prefetch_related("prompts"))
    for activity in activities:
        activity.kind_label = KINDS[activity.kind].label
    return render(
        request,
        "workshops/prepare.html",
        {
            "workshop": workshop,
            "form": form or WorkshopForm(instance=workshop),
            "activities": activities,
            "kinds": [(name, kind.label) for name, kind in KINDS.items()],
            "join_url": _join_url(request, workshop),
            "abilities": workshop_abilities(request.user, workshop),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def prepare(request, workshop_id):
    """The facilitators' page: title, activities, opening and ending the room."""
    workshop = _access(request, workshop_id, RUN)
    if request.method == "GET":
        return _render_prepare(request, workshop)
    form = WorkshopForm(request.POST, instance=workshop)
    if not form.is_valid():
        workshop.refresh_from_db()
        return _render_prepare(request, workshop, form, status=400)
    actions.do_update_workshop(workshop, **form.cleaned_data)
    messages.success(request, _("Workshop saved."))
    return redirect("workshops:prepare", workshop.pk)


def _render_activity_form(request, workshop, form, activity=None):
    return render(
        request,
        "workshops/activity_form.html",
        {
            "workshop": workshop,
            "form": form,
            "activity": activity,
            "kind": form.kind,
            "kind_label": KINDS[form.kind].label,
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_add(request, workshop_id, kind):
    workshop = _access(request, workshop_id, RUN)
    if kind not in KINDS:
        raise Http404(_("This kind of activity does not exist."))
    form = ActivityForm(request.POST or None, kind=kind, workshop=workshop)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_add_activity(workshop, kind=kind, **form.action_arguments())
        except ValueError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Activity added."))
            return redirect(reverse("workshops:prepare", args=[workshop.pk]) + "#activities")
    return _render_activity_form(request, workshop, form)


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, workshop_id, activity_id):
    workshop = _access(request, workshop_id, RUN)
    activity = _activity(workshop, activity_id)
    form = ActivityForm(
        request.POST or None, kind=activity.kind, workshop=workshop, activity=activity
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_activity(activity, **form.action_arguments())
        except ValueError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Activity saved."))
            return redirect(reverse("workshops:prepare", args=[workshop.pk]) + "#activities")
    return _render_activity_form(request, workshop, form, activity)


@login_required
@require_http_methods(["GET", "POST"])
def activity_delete(request, workshop_id, activity_id):
    """GET asks for confirmation, saying what the deletion takes with it (notes, votes,
    chantiers kept for follow-up…); only the POST deletes."""
    workshop = _access(request, workshop_id, RUN)
    activity = _activity(workshop, activity_id)
    if request.method == "GET":
        context = {
            "workshop": workshop,
            "activity": activity,
            "kind_label": KINDS[activity.kind].label if activity.kind in KINDS else "",
            "lost": queries.deletion_summary(activity),
            "has_chantiers": activity.chantiers.exists(),
        }
        return render(request, "workshops/activity_delete.html", context)
    actions.do_delete_activity(activity)
    messages.success(request, _("Activity deleted."))
    return redirect(reverse("workshops:prepare", args=[workshop.pk]) + "#activities")


# Which state may follow which: open the room, end it, reopen it.
TRANSITIONS = {
    Workshop.State.DRAFT: {Workshop.State.LIVE},
    Workshop.State.LIVE: {Workshop.State.ENDED},
    Workshop.State.ENDED: {Workshop.State.LIVE},
}
STATE_MESSAGES = {
    Workshop.State.LIVE: _("The room is open: participants can join with the code."),
    Workshop.State.ENDED: _("The workshop has ended: contributions are closed."),
}


@login_required
@require_POST
def set_state(request, workshop_id):
    workshop = _access(request, workshop_id, RUN)
    form = StateForm(request.POST)
    if not form.is_valid() or form.cleaned_data["state"] not in TRANSITIONS[workshop.state]:
        messages.error(request, _("This change of state is not possible."))
        return redirect("workshops:prepare", workshop.pk)
    state = form.cleaned_data["state"]
    actions.do_set_state(workshop, state)
    messages.success(request, str(STATE_MESSAGES[state]))
    target = request.POST.get("next")
    if target == "console":
        return redirect("workshops:console", workshop.pk)
    return redirect("workshops:prepare", workshop.pk)


# --- Joining with the code ------------------------------------------------------------------


def _unknown_code(request, form):
    """The code form again with why the code led nowhere. Failures are counted per client
    address so codes cannot be guessed; successes are not (a whole room may share one
    address behind its wifi)."""
    if not allow(f"workshop-code:{client_address(request)}", CODE_ATTEMPTS_PER_MINUTE, 60):
        form.add_error("code", _("Too many attempts: wait a minute and try again."))
        return render(request, "workshops/join_code.html", {"form": form}, status=429)
    form.add_error("code", _("No workshop has this code. Check it on the screen."))
    return render(request, "workshops/join_code.html", {"form": form}, status=404)


@require_GET
def join_code(request):
    """Type the code read on the screen; a known code leads to its join page."""
    if "code" not in request.GET:
        return render(request, "workshops/join_code.html", {"form": CodeForm()})
    form = CodeForm(request.GET)
    if not form.is_valid():
        return render(request, "workshops/join_code.html", {"form": form}, status=400)
    workshop = queries.workshop_by_code(form.cleaned_data["code"])
    if workshop is None:
        return _unknown_code(request, form)
    return redirect("workshops:join", workshop.code)


@require_http_methods(["GET", "POST"])
def join(request, code):
    """Pick a pseudonym (or none) and enter the room; no account needed."""
    workshop = queries.workshop_by_code(code)
    if workshop is None:
        form = CodeForm(data={"code": code})
        if not form.is_valid():
            return render(request, "workshops/join_code.html", {"form": form}, status=404)
        return _unknown_code(request, form)
    if code != workshop.code:  # typed in lowercase or with spaces: one address per room
        return redirect("workshops:join", workshop.code)
    request.organisation = workshop.organisation
    if workshop.state == Workshop.State.ENDED:
        return _closed_page(request, workshop, status=410)
    if not request.user.has_perm(JOIN, workshop):
        return _closed_page(request, workshop, status=403)
    attendee = queries.attendee_of(workshop, participant_of(request))
    initial = {"display_name": attendee.display_name} if attendee else None
    form = JoinForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        name = "" if request.POST.get("anonymous") else form.cleaned_data["display_name"]
        try:
            participant = ensure_participant(request)
        except RateLimited as error:
            return _too_many(request, error)
        actions.do_join(workshop, participant, name)
        return finish(request, redirect("workshops:participant", workshop.pk))
    return render(
        request,
        "workshops/join.html",
        {"workshop": workshop, "form": form, "attendee": attendee},
        status=400 if form.is_bound else 200,
    )


# --- The live pages -------------------------------------------------------------------------


def _viewer_context(request, workshop):
    participant = participant_of(request)
    attendee = queries.attendee_of(workshop, participant)
    return attendee, queries.viewer_of(request.user, workshop, attendee)


def _render_live(request, workshop, view: str, viewer, attendee=None):
    state = queries.workshop_state(workshop, viewer)
    context = {
        "workshop": workshop,
        "view": view,
        "state": state,
        "attendee": attendee,
        "ws_url": f"/ws/ateliers/{workshop.pk}/",
        "join_url": _join_url(request, workshop),
        "abilities": workshop_abilities(request.user, workshop),
        "script": f"workshops/{view}.js",
    }
    response = render(request, f"workshops/live_{view}.html", context)
    response["Cache-Control"] = "no-store"  # the embedded state is personal and goes stale
    return response


def participant_view(request, workshop_id):
    """What a participant sees on their phone (mobile-first)."""
    workshop = queries.access_workshop(request.user, workshop_id, "")
    request.organisation = workshop.organisation
    attendee, viewer = _viewer_context(request, workshop)
    if attendee is None and workshop.state == Workshop.State.LIVE and not viewer.facilitator:
        return redirect("workshops:join", workshop.code)
    if not queries.may_follow(request.user, workshop, attendee):
        status = 410 if workshop.state == Workshop.State.ENDED else 403
        return _closed_page(request, workshop, status=status)
    return _render_live(request, workshop, "participant", viewer, attendee)


@login_required
def console(request, workshop_id):
    """The facilitator's controls during the session."""
    workshop = _access(request, workshop_id, RUN)
    attendee, viewer = _viewer_context(request, workshop)
    return _render_live(request, workshop, "console", viewer, attendee)


@login_required
def projection(request, workshop_id):
    """The room's big screen: large type, no site chrome, the code and its QR code."""
    workshop = _access(request, workshop_id, RUN)
    attendee, viewer = _viewer_context(request, workshop)
    return _render_live(request, workshop, "projection", viewer, attendee)


@never_cache
@require_GET
def state_json(request, workshop_id):
    """The viewer's state as JSON: what the socket's snapshot sends, for the same people."""
    try:
        workshop = queries.access_workshop(request.user, workshop_id, "")
    except Http404:
        return JsonResponse({"error": _("This workshop does not exist.")}, status=404)
    attendee, viewer = _viewer_context(request, workshop)
    if not queries.may_follow(request.user, workshop, attendee):
        return JsonResponse({"error": _("You may not follow this workshop.")}, status=403)
    return JsonResponse(queries.workshop_state(workshop, viewer))

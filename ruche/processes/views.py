from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ruche.consultations.queries import LINKED_PROCESSES_SESSION_KEY, consultations_of_process
from ruche.processes import actions, queries
from ruche.processes.forms import PhaseForm, ProcessForm, StatusForm
from ruche.processes.rules import process_abilities
from ruche.workshops.queries import workshops_of_process


def _workshops_by_phase(process, user) -> dict:
    by_phase = {}
    for workshop in workshops_of_process(process, user):
        by_phase.setdefault(workshop.phase_id, []).append(workshop)
    return by_phase


def _phases_with_activities(process, user):
    """The phases, each with `activities` (its consultations) and `live_workshops`."""
    phases = list(process.phases.all())
    by_phase = {}
    for consultation in consultations_of_process(process):
        by_phase.setdefault(consultation.phase_id, []).append(consultation)
    workshops = _workshops_by_phase(process, user)
    for phase in phases:
        phase.activities = by_phase.get(phase.pk, [])
        phase.live_workshops = workshops.get(phase.pk, [])
    return phases


def render_process_page(request, process, via_link=False):
    request.organisation = process.organisation  # the DSFR header shows its name
    prefetch_related_objects([process], "phases")  # one query for the list and current ones
    phases = _phases_with_activities(process, request.user)
    current = process.current_phases(timezone.localdate())
    return render(
        request,
        "processes/process_detail.html",
        {
            "process": process,
            "phases": phases,
            "current_phases": current,
            "abilities": process_abilities(request.user, process),
            "via_link": via_link,
        },
    )


def detail(request, process_id):
    process = queries.access_process(request.user, process_id)
    return render_process_page(request, process)


def link(request, token):
    """A link-only process reached through its secret link."""
    process_id = queries.process_id_for_token(token)
    process = queries.access_process(request.user, process_id, token=token)
    # Remember the link for this browser: the process's consultations check it.
    linked = request.session.get(LINKED_PROCESSES_SESSION_KEY, [])
    if str(process.pk) not in linked:
        request.session[LINKED_PROCESSES_SESSION_KEY] = [*linked, str(process.pk)]
    return render_process_page(request, process, via_link=True)


@login_required
@require_http_methods(["GET", "POST"])
def create(request, organisation_id):
    organisation = queries.organisation_for_new_process(request.user, organisation_id)
    request.organisation = organisation
    form = ProcessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        process = actions.do_create_process(
            organisation, **form.cleaned_data, created_by=request.user
        )
        messages.success(request, _("Process created as a draft. Add its phases, then open it."))
        return redirect("processes:edit", process_id=process.pk)
    return render(
        request,
        "processes/process_form.html",
        {"form": form, "organisation": organisation},
        status=400 if form.is_bound else 200,
    )


def render_edit_page(request, process, form=None, status_form=None, status=200):
    request.organisation = process.organisation
    return render(
        request,
        "processes/process_edit.html",
        {
            "process": process,
            "organisation": process.organisation,
            "form": form or ProcessForm(instance=process),
            "status_form": status_form or StatusForm(initial={"status": process.status}),
            "phases": _phases_with_activities(process, request.user),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, process_id):
    process = queries.access_process(request.user, process_id, "processes.change_process")
    if request.method == "GET":
        return render_edit_page(request, process)
    form = ProcessForm(request.POST, instance=process)
    if not form.is_valid():
        process.refresh_from_db()
        return render_edit_page(request, process, form=form, status=400)
    actions.do_update_process(process, **form.cleaned_data)
    messages.success(request, _("Process saved."))
    return redirect("processes:edit", process_id=process.pk)


@login_required
@require_POST
def set_status(request, process_id):
    process = queries.access_process(request.user, process_id, "processes.change_process")
    status_form = StatusForm(request.POST)
    if not status_form.is_valid():
        return render_edit_page(request, process, status_form=status_form, status=400)
    actions.do_set_status(process, status_form.cleaned_data["status"])
    messages.success(
        request, _("The process is now “%(status)s”.") % {"status": process.get_status_display()}
    )
    return redirect("processes:edit", process_id=process.pk)


@login_required
@require_http_methods(["GET", "POST"])
def phase_add(request, process_id):
    process = queries.access_process(request.user, process_id, "processes.change_process")
    request.organisation = process.organisation
    form = PhaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.do_add_phase(process, **form.cleaned_data)
        messages.success(request, _("Phase added."))
        return redirect("processes:edit", process_id=process.pk)
    return render(
        request,
        "processes/phase_form.html",
        {"form": form, "process": process, "phase": None},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def phase_edit(request, process_id, phase_id):
    phase = queries.access_phase(request.user, process_id, phase_id)
    process = phase.process
    request.organisation = process.organisation
    form = PhaseForm(request.POST or None, instance=phase)
    if request.method == "POST" and form.is_valid():
        actions.do_update_phase(phase, **form.cleaned_data)
        messages.success(request, _("Phase saved."))
        return redirect("processes:edit", process_id=process.pk)
    return render(
        request,
        "processes/phase_form.html",
        {"form": form, "process": process, "phase": phase},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def phase_move(request, process_id, phase_id, delta):
    phase = queries.access_phase(request.user, process_id, phase_id)
    actions.do_move_phase(phase, delta)
    return redirect("processes:edit", process_id=phase.process_id)


@login_required
@require_POST
def phase_delete(request, process_id, phase_id):
    phase = queries.access_phase(request.user, process_id, phase_id)
    actions.do_delete_phase(phase)
    messages.success(request, _("Phase deleted."))
    return redirect("processes:edit", process_id=phase.process_id)

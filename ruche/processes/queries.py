"""Reads with their permission check: `access_*` fetch an object and check the right at once."""

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _

from ruche.accounts.queries import access_organisation
from ruche.accounts.rules import is_facilitator, is_member
from ruche.processes.models import Phase, Process

VIEW = "processes.view_process"


def _with_phases(queryset):
    return queryset.select_related("organisation").prefetch_related(
        Prefetch("phases", queryset=Phase.objects.order_by("position"))
    )


def access_process(user, process_id, perm: str = VIEW, token: str | None = None) -> Process:
    """The process if `user` holds `perm` on it; 404 for an unknown id, 403 otherwise.

    For viewing only, a matching link token opens a process that is not a draft, whatever
    its visibility (that is what a link-only process is for).
    """
    try:
        process = _with_phases(Process.objects).get(pk=process_id)
    except (Process.DoesNotExist, ValidationError, ValueError) as error:
        raise Http404(_("This process does not exist.")) from error
    if user.has_perm(perm, process):
        return process
    if (
        perm == VIEW
        and token
        and process.status != Process.Status.DRAFT
        and secrets.compare_digest(token, process.link_token)
    ):
        return process
    raise PermissionDenied(_("You may not do this on this process."))


def process_id_for_token(token: str):
    """The id of the process this link token opens; 404 when no process has it."""
    process_id = Process.objects.filter(link_token=token).values_list("pk", flat=True).first()
    if process_id is None:
        raise Http404(_("This link does not open any process."))
    return process_id


def processes_of(organisation, user):
    """The organisation's processes this user may see (drafts only for facilitators+)."""
    queryset = Process.objects.filter(organisation=organisation).select_related("organisation")
    if is_facilitator(user, organisation):
        return queryset
    queryset = queryset.exclude(status=Process.Status.DRAFT)
    if is_member(user, organisation):
        return queryset
    return queryset.filter(visibility=Process.Visibility.PUBLIC)


def public_processes():
    """Processes anyone may see: public and no longer a draft."""
    return (
        Process.objects.filter(visibility=Process.Visibility.PUBLIC)
        .exclude(status=Process.Status.DRAFT)
        .select_related("organisation")
    )


def organisation_for_new_process(user, organisation_id):
    """The organisation if `user` may create a process in it; 404 unknown, 403 otherwise."""
    organisation = access_organisation(user, organisation_id)
    if not user.has_perm("processes.add_process", organisation):
        raise PermissionDenied(_("Only facilitators and administrators can create a process."))
    return organisation


def access_phase(user, process_id, phase_id, perm: str = "processes.change_process"):
    """The phase of a process the user holds `perm` on; 404 for an unknown id."""
    process = access_process(user, process_id, perm)
    try:
        return process.phases.get(pk=phase_id)
    except (Phase.DoesNotExist, ValidationError, ValueError) as error:
        raise Http404(_("This phase does not exist.")) from error

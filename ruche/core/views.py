from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ruche.accounts.models import Organisation, Participant, Role
from ruche.processes.models import Process, ProcessStatus


def home(request):
    if request.user.is_authenticated:
        return redirect("accounts:dashboard")
    return render(request, "core/home.html")


@require_GET
@never_cache
def healthz(request):
    """For load balancers and monitoring: the process answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def styleguide(request):
    """Ruche's own components as they appear, for review (DSFR components are DSFR's)."""
    return render(
        request,
        "core/styleguide.html",
        {
            "roles": Role,
            "sample_sections": [{"title": _("Processes"), "empty": _("No process yet.")}],
            # Unsaved examples: the style guide never touches the database.
            "sample_participant": Participant(pseudonym="Abeille curieuse 42"),
            "sample_organisation": Organisation(
                name="Dre'Lab", description=_("The innovation lab of a regional directorate.")
            ),
            "sample_role": Role.FACILITATOR,
            "sample_role_label": Role.FACILITATOR.label,
            "sample_processes": [Process(status=status) for status in ProcessStatus.values],
        },
    )


def _error(request, status: int, title: str, text: str, exception=None):
    # Only a message our own code raised (PermissionDenied(_("…")), Http404(_("…"))) is shown:
    # Django's own 404 carries the URL patterns it tried, and its 400s describe the request.
    args = getattr(exception, "args", ())
    own_message = status in (403, 404) and len(args) == 1 and isinstance(args[0], str)
    message = args[0] if own_message else ""
    return render(
        request,
        "core/error.html",
        {"status": status, "title": title, "text": text, "detail": message},
        status=status,
    )


def bad_request(request, exception=None):
    return _error(
        request, 400, _("Bad request"), _("The request could not be understood."), exception
    )


def permission_denied(request, exception=None):
    return _error(
        request,
        403,
        _("Access denied"),
        _("You do not have the rights needed to see this page."),
        exception,
    )


def page_not_found(request, exception=None):
    return _error(
        request,
        404,
        _("Page not found"),
        _(
            "The page you are looking for cannot be found. Check the address, or follow "
            "the links on this page."
        ),
        exception,
    )


def server_error(request):
    return _error(
        request,
        500,
        _("Unexpected error"),
        _("Sorry, the service has met an error. Try again in a moment."),
    )

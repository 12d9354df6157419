"""The workshop synthesis: its page, its printable page and its file exports."""

from csp.constants import NONCE
from csp.decorators import csp_update
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ruche.workshops import exports
from ruche.workshops.rules import workshop_abilities
from ruche.workshops.synthesis import RUN, access_synthesis, build_synthesis


def _document(request, workshop_id):
    workshop = access_synthesis(request.user, workshop_id)
    request.organisation = workshop.organisation  # the DSFR header shows its name
    facilitator = request.user.has_perm(RUN, workshop)
    return workshop, build_synthesis(workshop, facilitator=facilitator)


def _context(request, workshop, document, printable=False) -> dict:
    return {
        "workshop": workshop,
        "process": workshop.process,
        "synthesis": document,
        "abilities": workshop_abilities(request.user, workshop),
        "printable": printable,
        "formats": exports.FORMATS,
    }


@require_safe
def synthesis(request, workshop_id):
    workshop, document = _document(request, workshop_id)
    return render(request, "workshops/synthesis.html", _context(request, workshop, document))


@require_safe
@csp_update({"style-src": [NONCE]})
def printable(request, workshop_id):
    """The synthesis on its own: no header or menus, styles inlined so the page saved (or
    downloaded with ?telecharger=1) is one complete HTML file."""
    workshop, document = _document(request, workshop_id)
    context = _context(request, workshop, document, printable=True)
    context["download"] = "telecharger" in request.GET
    response = render(request, "workshops/synthesis_print.html", context)
    if context["download"]:
        name = exports.filename(workshop, "html")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_safe
def export(request, workshop_id, fmt):
    if fmt not in exports.FORMATS:
        raise Http404(_("Unknown export format."))
    workshop, document = _document(request, workshop_id)
    build, content_type = exports.FORMATS[fmt]
    response = HttpResponse(build(document), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(workshop, fmt)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response

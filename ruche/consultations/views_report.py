"""The synthesis report: its page, printable page, exports, and the facilitators' edits."""

import logging

from csp.constants import NONCE
from csp.decorators import csp_update
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ruche.consultations import exports, label_actions, queries, report_charts
from ruche.consultations.actions import ConsultationError
from ruche.consultations.models import MIN_BREAKDOWN_GROUP
from ruche.consultations.report import build_report, quote_candidates
from ruche.consultations.rules import consultation_abilities
from ruche.consultations.tasks import analyze_consultation

logger = logging.getLogger(__name__)

VIEW_REPORT = "consultations.view_report"
CHANGE = "consultations.change_consultation"


def _access(request, consultation_id, perm=VIEW_REPORT):
    consultation = queries.access_consultation(
        request.user, consultation_id, perm, queries.linked_processes(request)
    )
    request.organisation = consultation.organisation  # the DSFR header shows its name
    return consultation


def _context(request, consultation, printable=False) -> dict:
    report = build_report(consultation)
    abilities = consultation_abilities(request.user, consultation)
    editable = abilities["change"] and not printable
    groups = [(group, report_charts.series(group.position)) for group in report.groups]
    opinion_map = report_charts.opinion_map_chart(report.map, len(report.groups))
    counts = (
        {item.series.position: item.count for item in opinion_map.series} if opinion_map else {}
    )
    return {
        "consultation": consultation,
        "process": consultation.process,
        "report": report,
        "abilities": abilities,
        "editable": editable,
        "printable": printable,
        "min_breakdown": MIN_BREAKDOWN_GROUP,
        "groups": [
            {"group": group, "series": series, "shown": counts.get(group.position, 0)}
            for group, series in groups
        ],
        "per_day_chart": report_charts.per_day_chart(report.per_day),
        "map_chart": opinion_map,
        "quote_candidates": (
            {
                theme.key: quote_candidates(consultation, theme)
                for question in report.questions
                for theme in question.themes
            }
            if editable
            else {}
        ),
    }


@require_safe
def report(request, consultation_id):
    consultation = _access(request, consultation_id)
    return render(request, "consultations/report.html", _context(request, consultation))


@require_safe
@csp_update({"style-src": [NONCE]})
def printable(request, consultation_id):
    """The report on its own: no header or menus, print styles inlined so the page saved
    (or downloaded with ?telecharger=1) is one complete HTML file."""
    consultation = _access(request, consultation_id)
    context = _context(request, consultation, printable=True)
    context["download"] = "telecharger" in request.GET
    response = render(request, "consultations/report_print.html", context)
    if context["download"]:
        name = exports.filename(context["report"], "html")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_safe
def export(request, consultation_id, fmt):
    if fmt not in exports.FORMATS:
        raise Http404(_("Unknown export format."))
    consultation = _access(request, consultation_id)
    build, content_type = exports.FORMATS[fmt]
    report = build_report(consultation)
    body = build(report)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(report, fmt)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _back(consultation, anchor: str = ""):
    """Back to the synthesis, scrolled to the item just edited (keys are hex strings)."""
    url = reverse("consultation_report:report", args=[consultation.pk])
    if anchor and all(c.isalnum() or c == "-" for c in anchor):
        url += f"#{anchor}"
    return redirect(url)


@require_POST
def name_item(request, consultation_id):
    consultation = _access(request, consultation_id, CHANGE)
    kind = request.POST.get("kind", "")
    key = request.POST.get("key", "")
    anchor = f"{'group' if kind == 'opinions' else 'theme'}-{key}-title"
    try:
        label_actions.do_name_item(consultation, kind, key, request.POST.get("name", ""))
    except ConsultationError as error:
        messages.error(request, error.message)
        return _back(consultation)
    messages.success(request, _("Name saved."))
    return _back(consultation, anchor)


@require_POST
def pick_quotes(request, consultation_id):
    consultation = _access(request, consultation_id, CHANGE)
    key = request.POST.get("key", "")
    try:
        label_actions.do_pick_quotes(consultation, key, request.POST.getlist("answers"))
    except ConsultationError as error:
        messages.error(request, error.message)
        return _back(consultation)
    messages.success(request, _("Quotes saved."))
    return _back(consultation, f"theme-{key}-title")


@require_POST
def recompute(request, consultation_id):
    """Run the analysis now, even when nothing changed (e.g. after hiding answers)."""
    consultation = _access(request, consultation_id, CHANGE)
    try:
        analyze_consultation.enqueue(str(consultation.pk), True)
    except Exception:  # the queue is down: say so rather than fail the page
        logger.exception("could not enqueue the analysis of consultation %s", consultation.pk)
        messages.error(request, _("The analysis could not be requested. Try again later."))
        return redirect("consultation_report:report", consultation_id=consultation.pk)
    messages.success(
        request,
        _("The analysis has been requested: the synthesis is updated once it has run."),
    )
    return redirect("consultation_report:report", consultation_id=consultation.pk)

"""The facilitators' data page: import a Pol.is export or statements from CSV; download
the consultation as a Pol.is export or a spreadsheet."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import format_lazy, slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from ruche.consultations import exports_data, imports, queries, tasks
from ruche.core.forms import DsfrFormMixin

CHANGE = "consultations.change_consultation"
LIMIT_HELP = format_lazy(
    gettext_lazy("CSV file in UTF-8, at most {size} MB."),
    size=imports.MAX_FILE_BYTES // (1024 * 1024),
)


class PolisImportForm(DsfrFormMixin, forms.Form):
    comments = forms.FileField(label="comments.csv", help_text=LIMIT_HELP)
    votes = forms.FileField(label="votes.csv", help_text=LIMIT_HELP)


class StatementsImportForm(DsfrFormMixin, forms.Form):
    file = forms.FileField(label=gettext_lazy("CSV file"), help_text=LIMIT_HELP)
    column = forms.CharField(
        label=gettext_lazy("Column holding the statements"),
        required=False,
        max_length=100,
        help_text=gettext_lazy(
            "Optional: by default the column named text, content, proposal or statement."
        ),
    )


def _access(request, consultation_id):
    consultation = queries.access_consultation(request.user, consultation_id, CHANGE)
    request.organisation = consultation.organisation  # the DSFR header shows its name
    return consultation


def _success_message(kind: str, counts: dict) -> str:
    if kind == "polis":
        return (
            _(
                "Pol.is export imported: %(statements_created)s new statements (of "
                "%(statements)s), %(participants_created)s new participants, "
                "%(votes_created)s new votes (of %(votes)s)."
            )
            % counts
        )
    return (
        _(
            "%(statements_created)s statements added (%(statements)s in the file, the others "
            "were already there)."
        )
        % counts
    )


@login_required
@require_http_methods(["GET", "POST"])
def importer(request, consultation_id):
    consultation = _access(request, consultation_id)
    polis_form = PolisImportForm(prefix="polis")
    statements_form = StatementsImportForm(prefix="statements")
    report, kind = None, request.POST.get("kind")
    if request.method == "POST":
        if kind == "polis":
            polis_form = PolisImportForm(request.POST, request.FILES, prefix="polis")
            if polis_form.is_valid():
                report = imports.import_polis(
                    consultation,
                    polis_form.cleaned_data["comments"],
                    polis_form.cleaned_data["votes"],
                )
        elif kind == "statements":
            statements_form = StatementsImportForm(request.POST, request.FILES, prefix="statements")
            if statements_form.is_valid():
                report = imports.import_statements(
                    consultation,
                    statements_form.cleaned_data["file"],
                    column=statements_form.cleaned_data["column"],
                    by=request.user,
                )
        if report is not None and report.ok:
            if report.counts.get("statements_created") or report.counts.get("votes_created"):
                tasks.request_analysis(consultation.pk)  # the report follows the new data
            messages.success(request, _success_message(kind, report.counts))
            return redirect("consultation_data:importer", consultation_id=consultation.pk)
    return render(
        request,
        "consultations/data/importer.html",
        {
            "consultation": consultation,
            "polis_form": polis_form,
            "statements_form": statements_form,
            "report": report,
            "kind": kind,
        },
        status=400 if request.method == "POST" else 200,
    )


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _filename(consultation, suffix: str) -> str:
    return f"{slugify(consultation.title)[:60] or 'consultation'}-{suffix}"


@login_required
@require_GET
def polis_zip(request, consultation_id):
    consultation = _access(request, consultation_id)
    url = request.build_absolute_uri(reverse("processes:detail", args=[consultation.process.pk]))
    return _download(
        exports_data.polis_zip(consultation, url=url),
        "application/zip",
        _filename(consultation, "polis.zip"),
    )


@login_required
@require_GET
def data_xlsx(request, consultation_id):
    consultation = _access(request, consultation_id)
    return _download(
        exports_data.data_xlsx(consultation),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _filename(consultation, "donnees.xlsx"),
    )

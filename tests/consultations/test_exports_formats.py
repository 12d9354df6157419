"""The synthesis exports: Markdown, CSV and XLSX files that parse and carry the report."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ruche.consultations import label_actions
from ruche.consultations.exports import SHEETS
from tests.consultations.report_data import with_opinions, with_themes
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def exported(client):
    """export(fmt) → the response for a consultation with groups (one named) and themes."""
    consultation, statements, *_rest = with_opinions(per_camp=10)
    _c, _question, _answers, themes = with_themes(consultation)
    key = consultation.analysis_results.filter(kind="opinions").first().data["groups"][0]["key"]
    label_actions.do_name_item(consultation, "opinions", key, "Les bâtisseurs")
    client.force_login(
        MembershipFactory(organisation=consultation.organisation, role="facilitator").user
    )

    def export(fmt):
        return client.get(reverse("consultation_report:export", args=[consultation.pk, fmt]))

    export.statements = statements
    export.consultation = consultation
    export.themes = themes
    return export


def test_markdown_has_headings_tables_and_texts(exported):
    """Markdown: a title, sections as headings, tables, every statement's text shown."""
    response = exported("md")
    assert response["Content-Type"].startswith("text/markdown")
    assert response["Content-Disposition"].startswith("attachment;")
    text = response.content.decode("utf-8")
    assert text.startswith("# ")
    assert text.count("\n## ") >= 4
    assert "| --- |" in text
    assert "### Les bâtisseurs" in text
    shown = [s for s in exported.statements[:-1] if s.text in text]
    assert shown  # representative and divisive statements are listed


def test_csv_has_one_row_per_statement(exported):
    """CSV: UTF-8 with BOM, a header, then one row per published statement with its
    counts and each group's agree share."""
    response = exported("csv")
    assert response["Content-Type"].startswith("text/csv")
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    header, data = rows[0], rows[1:]
    assert len(header) == 7 + 2  # number, text, 3 counts, votes, share, then 2 groups
    assert any("Les bâtisseurs" in cell for cell in header)
    assert [row[1] for row in data] == [s.text for s in exported.statements]
    for row in data:
        agree, disagree, passed, votes = (int(cell) for cell in row[2:6])
        assert agree + disagree + passed == votes == 20
        assert all(cell == "" or 0 <= float(cell) <= 1 for cell in row[6:])
    assert data[-1][2] == "20"  # everyone agrees with the last statement


def test_xlsx_has_the_five_sheets(exported):
    """XLSX: sheets Chiffres clés, Propositions, Groupes, Thèmes, Répartitions; the
    statements sheet lists every statement, the themes sheet every theme."""
    response = exported("xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == list(SHEETS)
    statements = [row[1] for row in workbook["Propositions"].iter_rows(min_row=2, values_only=True)]
    assert statements == [s.text for s in exported.statements]
    figures = {row[0]: row[1] for row in workbook["Chiffres clés"].iter_rows(values_only=True)}
    assert 20 in figures.values()
    groups = [row[0] for row in workbook["Groupes"].iter_rows(min_row=2, values_only=True)]
    assert "Les bâtisseurs" in groups
    themes = list(workbook["Thèmes"].iter_rows(min_row=2, values_only=True))
    assert len(themes) == len(exported.themes.data["questions"][0]["themes"])


@pytest.mark.parametrize("fmt", ["pdf", "xls", "MD", "json"])
def test_unknown_format_is_404(exported, fmt):
    """Only md, csv and xlsx exist."""
    assert exported(fmt).status_code == 404


def test_exports_before_any_analysis(client):
    """Before the first analysis the exports still work, with the figures alone."""
    consultation = with_themes()[0]
    consultation.analysis_results.all().delete()
    client.force_login(
        MembershipFactory(organisation=consultation.organisation, role="facilitator").user
    )
    for fmt in ("md", "csv", "xlsx"):
        response = client.get(reverse("consultation_report:export", args=[consultation.pk, fmt]))
        assert response.status_code == 200

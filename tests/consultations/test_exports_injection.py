"""Exports keep participants' text inert: no spreadsheet formula, no Markdown markup."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ruche.consultations.exports import inert_cell, md
from tests.consultations.report_data import with_opinions
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

DANGEROUS = [
    '=HYPERLINK("http://evil.example","clic")',
    "+33 6 12 34 56 78",
    "-2+3",
    "@SUM(A1:A2)",
    "<script>alert(1)</script>",
    "Pipes | et [liens](javascript:alert(1))",
]


@pytest.fixture
def export(client):
    consultation, *_rest = with_opinions(per_camp=8, texts=DANGEROUS)
    client.force_login(
        MembershipFactory(organisation=consultation.organisation, role="facilitator").user
    )
    return lambda fmt: (
        client.get(reverse("consultation_report:export", args=[consultation.pk, fmt])).content
    )


@pytest.mark.parametrize("text", DANGEROUS[:4])
def test_formula_cells_get_a_leading_apostrophe(text):
    """A text starting with = + - @ is written with a leading apostrophe."""
    assert inert_cell(text) == "'" + text
    assert inert_cell("Une proposition") == "Une proposition"
    assert inert_cell(-3) == -3  # numbers stay numbers


def test_csv_has_no_formula(export):
    """No CSV cell starts with a formula character."""
    rows = list(csv.reader(io.StringIO(export("csv").decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]
    assert '\'=HYPERLINK("http://evil.example","clic")' in cells


def test_xlsx_has_no_formula(export):
    """No XLSX cell is a formula; the dangerous texts are stored as plain strings."""
    workbook = load_workbook(io.BytesIO(export("xlsx")))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    texts = [row[1] for row in workbook["Propositions"].iter_rows(min_row=2, values_only=True)]
    assert "'@SUM(A1:A2)" in texts


def test_markdown_is_inert(export):
    """Markdown escapes HTML, links, emphasis and table pipes in participants' text."""
    text = export("md").decode()
    assert "<script>" not in text
    assert "](javascript:" not in text
    assert md("a | b") == "a \\| b"
    assert md("# titre") == "\\# titre"
    assert md("<b>x</b>") == "&lt;b>x&lt;/b>"

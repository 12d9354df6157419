"""Text people wrote cannot run as a spreadsheet formula in an export."""

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from ruche.consultations.exports_data import data_xlsx, guard, polis_zip
from tests.factories import AnswerFactory, ConsultationFactory, StatementFactory, VoteFactory

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("https://evil.example","clic")'


def test_guard_prefixes_formula_starts():
    """Texts starting with = + - @ (or a tab) get a leading apostrophe; others are kept."""
    assert [guard(t) for t in ["=1", "+1", "-1", "@a", "\tx", "ok", ""]] == [
        "'=1",
        "'+1",
        "'-1",
        "'@a",
        "'\tx",
        "ok",
        "",
    ]


def test_xlsx_has_the_three_sheets_with_guarded_text():
    """The spreadsheet has statements, votes and answers; user-written cells starting like a
    formula are plain text with an apostrophe, and no cell is a formula."""
    consultation = ConsultationFactory()
    statement = StatementFactory(consultation=consultation, text=FORMULA)
    VoteFactory(statement=statement, value=-1)
    AnswerFactory(question__consultation=consultation, text="+33 6 00 00 00 00")
    workbook = load_workbook(io.BytesIO(data_xlsx(consultation)))
    assert workbook.sheetnames == ["statements", "votes", "answers"]
    statements = list(workbook["statements"].values)
    assert statements[1][1] == "'" + FORMULA
    votes = list(workbook["votes"].values)
    assert votes[1][2] == -1  # numbers are not guarded
    assert list(workbook["answers"].values)[1][2] == "'+33 6 00 00 00 00"
    for sheet in workbook:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row)


def test_polis_csv_guards_comment_bodies():
    """comments.csv guards statement texts (the importer takes the apostrophe off again)."""
    consultation = ConsultationFactory()
    StatementFactory(consultation=consultation, text=FORMULA)
    with zipfile.ZipFile(io.BytesIO(polis_zip(consultation))) as archive:
        comments = list(csv.DictReader(io.StringIO(archive.read("comments.csv").decode())))
    assert comments[0]["comment-body"] == "'" + FORMULA

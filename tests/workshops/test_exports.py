"""The synthesis exports: Markdown, printable HTML, CSV and XLSX carry the same content,
and nothing a participant wrote runs as a formula or as markup."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from ruche.workshops import exports
from ruche.workshops.synthesis import build_synthesis
from tests.workshops.synthesis_helpers import (
    FORMULA_NOTE,
    HIDDEN_NOTE,
    MARKUP_NOTE,
    played_workshop,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def played():
    return played_workshop()


def _get(client, played, name, *args, query=""):
    client.force_login(played["facilitator"])
    response = client.get(reverse(name, args=[played["workshop"].pk, *args]) + query)
    assert response.status_code == 200
    return response


def _csv_rows(client, played):
    body = _get(client, played, "workshops_synthesis:export", "csv").content
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_markdown_has_every_activity_and_output(client, played):
    """The Markdown file has a heading per activity and each kind's output."""
    response = _get(client, played, "workshops_synthesis:export", "md")
    assert response["Content-Type"].startswith("text/markdown")
    assert "attachment;" in response["Content-Disposition"]
    text = response.content.decode()
    assert text.startswith("# ")
    assert text.count("\n## ") == 5
    assert "- Des pistes cyclables — *Camille*" in text
    assert "### Transports en commun (2)" in text
    assert "| 1 | Vélo | 3 | 2 |" in text or "| 1 | Transports en commun | 3 | 2 |" in text
    assert "### Plan vélo intercommunal" in text
    assert HIDDEN_NOTE not in text


def test_markdown_escapes_what_participants_wrote(client, played):
    """A participant's text cannot make links or HTML in the Markdown file."""
    text = _get(client, played, "workshops_synthesis:export", "md").content.decode()
    assert MARKUP_NOTE not in text
    assert "Voir \\[le plan\\](http://evil.example) &lt;b>vite&lt;/b>" in text


def test_csv_has_one_row_per_contribution(client, played):
    """CSV: a header then one row per note, grouped note, voted item, rated item, chantier
    and sign-up, each naming its activity and kind."""
    rows = _csv_rows(client, played)
    header, body = rows[0], rows[1:]
    keys = [key for key, _label in exports.csv_columns()]
    assert header == [label for _key, label in exports.csv_columns()]
    body = [dict(zip(keys, row, strict=True)) for row in body]
    # 5 notes; 3 grouped + 1 empty cluster + 2 ungrouped; 3 voted items; 2 rated + 1
    # unrated; 2 chantiers + 3 sign-ups.
    assert len(body) == 5 + 6 + 3 + 3 + 5
    numbers = [int(row["activity"].split(".")[0]) for row in body]
    assert numbers == sorted(numbers)
    notes = [row for row in body if row["activity"].startswith("1.")]
    assert [row["person"] for row in notes].count("Camille") == 2
    assert {row["prompt"] for row in notes} == {"Ce qui marche", "Ce qui manque"}
    bikes = [row for row in body if row["text"] == "Des pistes cyclables"]
    assert bikes[0]["cluster"] == "Vélo"
    votes = [row for row in body if row["activity"].startswith("3.")]
    assert [(row["dots"], row["voters"]) for row in votes] == [("3", "2"), ("3", "2"), ("0", "0")]
    rated = [row for row in body if row["impact"]]
    assert rated[0]["text"] == "Vélo" and rated[0]["impact"] == "7.5"
    sign_ups = [row for row in body if row["role"]]
    assert len(sign_ups) == 3
    assert {row["chantier"] for row in sign_ups} == {
        "Plan vélo intercommunal",
        "'-Navette du marché",
    }
    assert all(HIDDEN_NOTE not in value for row in body for value in row.values())


def test_csv_neutralises_formulas(client, played):
    """Cells starting with = + - @ are written with a leading apostrophe."""
    rows = _csv_rows(client, played)
    cells = [cell for row in rows for cell in row]
    assert "'" + FORMULA_NOTE in cells
    assert FORMULA_NOTE not in cells
    assert "'-Navette du marché" in cells
    assert "'@Communauté de communes" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


def test_xlsx_has_one_sheet_per_kind_of_output(client, played):
    """The workbook: the workshop's figures, then Notes, clusters, votes, matrix, chantiers
    and the who-does-what grid, each with its rows."""
    response = _get(client, played, "workshops_synthesis:export", "xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == list(exports.SHEETS)
    counts = {name: workbook[name].max_row - 1 for name in exports.SHEETS}
    assert counts["Notes"] == 5
    assert counts["Regroupements"] == 6
    assert counts["Votes"] == 3
    assert counts["Matrice"] == 3
    assert counts["Chantiers"] == 2
    assert counts["Qui fait quoi"] == 2
    who = workbook["Qui fait quoi"]
    header = [cell.value for cell in who[1]]
    assert header[2:] == ["Camille", "Dominique", header[4]]
    assert header[4] and header[4] != "Camille"  # the anonymous person gets a number
    chantiers = workbook["Chantiers"]
    assert chantiers.cell(row=2, column=2).value == "Plan vélo intercommunal"
    assert chantiers.cell(row=2, column=8).value.year == 2027


def test_xlsx_neutralises_formulas(client, played):
    """No cell of any sheet is a formula."""
    response = _get(client, played, "workshops_synthesis:export", "xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    values = [
        cell.value
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    ]
    assert "'" + FORMULA_NOTE in values
    assert not any(value.startswith(("=", "+", "-", "@")) for value in values)
    assert all(
        cell.data_type != "f" for s in workbook.worksheets for r in s.iter_rows() for cell in r
    )


def test_printable_html_is_a_standalone_download(client, played):
    """The printable page, with ?telecharger=1, is an attachment with its styles inlined."""
    response = _get(client, played, "workshops_synthesis:print", query="?telecharger=1")
    assert response["Content-Disposition"].startswith("attachment;")
    html = response.content.decode()
    assert "<style nonce=" in html
    assert 'rel="stylesheet"' not in html
    assert "Plan vélo intercommunal" in html
    assert 'data-testid="matrix-map"' in html
    assert HIDDEN_NOTE not in html


def test_exports_follow_the_viewer_like_the_page():
    """Exports are built from the same document as the page: a member's has no hidden
    count, a facilitator's has it."""
    played = played_workshop()
    member_doc = build_synthesis(played["workshop"], facilitator=False)
    facilitator_doc = build_synthesis(played["workshop"], facilitator=True)
    with translation.override("en"):
        assert "hidden by the facilitator" not in exports.to_markdown(member_doc)
        assert "1 note hidden by the facilitator" in exports.to_markdown(facilitator_doc)

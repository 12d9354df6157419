"""Statements from a CSV file become published seeds, once."""

import csv
import itertools

import pytest

from ruche.consultations.imports import import_statements
from ruche.consultations.models import Statement
from tests.datasets import dataset
from tests.factories import ConsultationFactory, StatementFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def makeorg_sample(tmp_path):
    """The first 200 Make.org proposals, in a file of their own."""
    source = dataset("makeorg-monde-dapres/proposals.csv")
    sample = tmp_path / "proposals.csv"
    with source.open(encoding="utf-8", newline="") as handle:
        lines = list(itertools.islice(csv.reader(handle), 201))
    with sample.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(lines)
    return sample, [" ".join(row[1].split()) for row in lines[1:]]


def test_makeorg_proposals_become_seeds(makeorg_sample):
    """Each proposal of the `text` column (found by name) becomes a published seed, numbered
    after the statements already there, by the facilitator who imported them."""
    path, texts = makeorg_sample
    consultation = ConsultationFactory()
    StatementFactory(consultation=consultation, number=1, text="Déjà là", is_seed=True)
    facilitator = UserFactory()
    report = import_statements(consultation, path, by=facilitator)
    assert report.ok, report.errors
    added = list(Statement.objects.filter(consultation=consultation, number__gt=1))
    assert [s.text for s in added] == list(dict.fromkeys(texts))
    assert [s.number for s in added] == list(range(2, len(added) + 2))
    assert {(s.status, s.is_seed, s.moderated_by) for s in added} == {
        ("accepted", True, facilitator)
    }
    assert report.counts["statements_created"] == len(added)


def test_reimport_adds_nothing(makeorg_sample):
    """The same file imported again adds no statement."""
    path, _texts = makeorg_sample
    consultation = ConsultationFactory()
    import_statements(consultation, path)
    count = Statement.objects.count()
    report = import_statements(consultation, path)
    assert report.ok
    assert report.counts["statements_created"] == 0
    assert Statement.objects.count() == count


def test_column_by_name_semicolons_and_empty_cells(tmp_path):
    """A column is chosen by name whatever its case; a semicolon-separated file (a French
    spreadsheet) is read; empty cells are skipped; spaces are collapsed."""
    path = tmp_path / "atelier.csv"
    path.write_text(
        "Numéro;Idée;Auteur\n1;Plus de   visio ;A\n2;;B\n3;=1+1;C\n", encoding="utf-8-sig"
    )
    consultation = ConsultationFactory()
    report = import_statements(consultation, path, column="idée")
    assert report.ok, report.errors
    assert list(Statement.objects.values_list("text", flat=True)) == ["Plus de visio", "=1+1"]
    assert report.counts["skipped_empty"] == 1

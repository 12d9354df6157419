"""A consultation exported in Pol.is's format imports back to the same data."""

import csv
import io
import zipfile

import pytest

from ruche.consultations.analysis import compute_opinions
from ruche.consultations.exports_data import polis_zip
from ruche.consultations.imports import import_polis
from ruche.consultations.models import Statement, Vote
from tests.factories import (
    AnswerFactory,
    ConsultationFactory,
    ParticipantFactory,
    StatementFactory,
    VoteFactory,
)

pytestmark = pytest.mark.django_db


def unzip(content: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def build_consultation():
    consultation = ConsultationFactory(title="=Mobilités", attribution="CC BY 4.0, quelqu’un")
    people = [ParticipantFactory() for _ in range(4)]
    statements = [
        StatementFactory(consultation=consultation, number=1, text="Plus de vélos"),
        StatementFactory(consultation=consultation, number=2, text="-20 % de voitures"),
        StatementFactory(consultation=consultation, number=5, text="Hors sujet", status="rejected"),
        StatementFactory(
            consultation=consultation,
            number=6,
            text="@tous : des navettes",
            status="pending",
            is_seed=False,
            author=people[3],
        ),
    ]
    for i, person in enumerate(people):
        for j, statement in enumerate(statements[:3]):
            VoteFactory(statement=statement, participant=person, value=[1, -1, 0][(i + j) % 3])
    AnswerFactory(participant=people[0], question__consultation=consultation)
    return consultation


def test_export_then_import_gives_the_same_statements_and_votes():
    """Importing the export into a new consultation gives the same numbered statements
    (texts, statuses) and votes; exporting that one gives the same comments and votes."""
    original = build_consultation()
    files = unzip(polis_zip(original))
    copy = ConsultationFactory()
    folder = {name: io.BytesIO(text.encode()) for name, text in files.items()}
    report = import_polis(copy, folder["comments.csv"], folder["votes.csv"])
    assert report.ok, report.errors

    def statements(consultation):
        return sorted(
            Statement.objects.filter(consultation=consultation).values_list(
                "number", "text", "status"
            )
        )

    def votes(consultation):
        return sorted(
            Vote.objects.filter(consultation=consultation).values_list("statement__number", "value")
        )

    assert statements(copy) == statements(original)
    assert votes(copy) == votes(original)
    again = unzip(polis_zip(copy))
    assert again["comments.csv"] == files["comments.csv"]
    assert again["votes.csv"] == files["votes.csv"]


def test_export_files_follow_polis(consultation):
    """The ZIP holds Pol.is's four files: comments with counts and moderation, one vote per
    line, a line per participant with their group from the latest analysis, a summary."""
    people = [ParticipantFactory() for _ in range(12)]
    statements = list(consultation.statements.all())
    for i, person in enumerate(people):
        for statement in statements:
            VoteFactory(statement=statement, participant=person, value=1 if i < 6 else -1)
    compute_opinions(consultation)
    files = unzip(polis_zip(consultation, url="https://ruche.example/c"))
    assert set(files) == {"comments.csv", "votes.csv", "participants-votes.csv", "summary.csv"}
    comments = rows(files["comments.csv"])
    assert [(c["comment-id"], c["agrees"], c["disagrees"], c["moderated"]) for c in comments] == [
        (str(s.number), "6", "6", "1") for s in statements
    ]
    assert len(rows(files["votes.csv"])) == 36
    participants = rows(files["participants-votes.csv"])
    assert len(participants) == 12
    assert {p["n-votes"] for p in participants} == {"3"}
    groups = {p["group-id"] for p in participants}
    assert groups <= {"", "0", "1", "2", "3", "4"}
    assert groups - {""}
    summary = dict(csv.reader(io.StringIO(files["summary.csv"])))
    assert (summary["url"], summary["comments"], summary["voters"]) == (
        "https://ruche.example/c",
        "3",
        "12",
    )

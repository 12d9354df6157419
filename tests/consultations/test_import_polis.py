"""A Pol.is export imports into a consultation: statements, participants, latest votes."""

import csv
import datetime

import pytest

from ruche.consultations.imports import POLIS_VOTER_KEY, import_polis
from ruche.consultations.models import Participation, Statement, Vote
from tests.datasets import dataset
from tests.factories import ConsultationFactory

pytestmark = pytest.mark.django_db

COMMENTS_HEADER = (
    "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
)
VOTES_HEADER = "timestamp,datetime,comment-id,voter-id,vote\n"


def write_export(folder, comments: str, votes: str):
    (folder / "comments.csv").write_text(COMMENTS_HEADER + comments, encoding="utf-8")
    (folder / "votes.csv").write_text(VOTES_HEADER + votes, encoding="utf-8")
    return folder / "comments.csv", folder / "votes.csv"


def test_real_polis_conversation_imports_whole():
    """The biodiversity conversation gives one statement per comment (numbered by its
    comment-id, moderated out → rejected), one participant per voter and one vote per
    voter and comment."""
    folder = dataset("polis-scoop-hivemind-biodiversity")
    consultation = ConsultationFactory(moderation="after")
    report = import_polis(consultation, folder / "comments.csv", folder / "votes.csv")
    assert report.ok, report.errors[:3]
    with (folder / "comments.csv").open(encoding="utf-8") as handle:
        comments = {int(row["comment-id"]): row for row in csv.DictReader(handle)}
    with (folder / "votes.csv").open(encoding="utf-8") as handle:
        votes = list(csv.DictReader(handle))
    statements = {s.number: s for s in Statement.objects.filter(consultation=consultation)}
    assert set(statements) == set(comments)
    for number, row in comments.items():
        expected = {"-1": "rejected", "1": "accepted", "0": "accepted"}[row["moderated"]]
        assert statements[number].status == expected
        assert statements[number].text == " ".join(row["comment-body"].split())
    pairs = {(row["voter-id"], row["comment-id"]) for row in votes}
    voters = {row["voter-id"] for row in votes}
    assert Vote.objects.filter(consultation=consultation).count() == len(pairs)
    assert Participation.objects.filter(consultation=consultation).count() == len(voters)
    assert report.counts["votes"] == len(pairs)
    assert report.counts["participants_created"] == len(voters)


def test_latest_vote_per_pair_wins_with_its_times(tmp_path):
    """Of several votes by one voter on one comment, the latest by timestamp is kept
    (whatever the line order); the vote keeps its first and last times."""
    comments, votes = write_export(
        tmp_path,
        "1000,x,7,3,0,0,1,Plus de pistes cyclables\n",
        "3000,x,7,3,-1\n1000,x,7,3,1\n2000,x,7,3,0\n",
    )
    consultation = ConsultationFactory()
    assert import_polis(consultation, comments, votes).ok
    vote = Vote.objects.get(consultation=consultation)
    assert vote.value == -1
    assert vote.created_at == datetime.datetime(1970, 1, 1, 0, 0, 1, tzinfo=datetime.UTC)
    assert vote.updated_at == datetime.datetime(1970, 1, 1, 0, 0, 3, tzinfo=datetime.UTC)
    statement = Statement.objects.get(consultation=consultation)
    assert (statement.number, statement.author) == (7, vote.participant)
    assert statement.created_at == datetime.datetime(1970, 1, 1, 0, 0, 1, tzinfo=datetime.UTC)


@pytest.mark.parametrize(("moderation", "status"), [("before", "pending"), ("after", "accepted")])
def test_unmoderated_comments_follow_the_consultation_moderation(tmp_path, moderation, status):
    """A comment Pol.is had not moderated (0) waits in the queue when the consultation
    moderates before publication, and is published when it moderates after."""
    comments, votes = write_export(tmp_path, "1,x,0,1,0,0,0,Un texte\n", "")
    consultation = ConsultationFactory(moderation=moderation)
    assert import_polis(consultation, comments, votes).ok
    assert Statement.objects.get(consultation=consultation).status == status


def test_reimport_adds_nothing(tmp_path):
    """Importing the same export twice leaves the same rows (safe to retry)."""
    comments, votes = write_export(
        tmp_path,
        "1000,x,0,1,0,0,1,Premier\n1000,x,1,2,0,0,-1,Second\n",
        "1000,x,0,1,1\n1000,x,1,1,-1\n1000,x,0,2,0\n",
    )
    consultation = ConsultationFactory()
    first = import_polis(consultation, comments, votes)
    snapshot = (
        sorted(Statement.objects.values_list("pk", "number", "text", "status", "updated_at")),
        sorted(Vote.objects.values_list("pk", "statement", "participant", "value", "updated_at")),
        sorted(Participation.objects.values_list("pk", "participant", "profile")),
    )
    second = import_polis(consultation, comments, votes)
    assert second.ok
    assert (
        sorted(Statement.objects.values_list("pk", "number", "text", "status", "updated_at")),
        sorted(Vote.objects.values_list("pk", "statement", "participant", "value", "updated_at")),
        sorted(Participation.objects.values_list("pk", "participant", "profile")),
    ) == snapshot
    assert first.counts["votes_created"] == 3
    assert second.counts | {} == {
        "statements": 2,
        "statements_created": 0,
        "participants": 2,
        "participants_created": 0,
        "votes": 3,
        "votes_created": 0,
    }
    assert {p.profile[POLIS_VOTER_KEY] for p in Participation.objects.all()} == {"1", "2"}

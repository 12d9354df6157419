"""A bad import names every faulty line, and imports nothing."""

import pytest

from ruche.accounts.models import Participant
from ruche.consultations.imports import MAX_FILE_BYTES, import_polis, import_statements
from ruche.consultations.models import Statement, Vote
from tests.factories import ConsultationFactory, StatementFactory

pytestmark = pytest.mark.django_db

COMMENTS_HEADER = (
    b"timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
)
VOTES_HEADER = b"timestamp,datetime,comment-id,voter-id,vote\n"


def files(tmp_path, comments: bytes, votes: bytes):
    (tmp_path / "comments.csv").write_bytes(comments)
    (tmp_path / "votes.csv").write_bytes(votes)
    return tmp_path / "comments.csv", tmp_path / "votes.csv"


def located(report):
    return [(error.file, error.line) for error in report.errors]


def test_every_bad_line_is_reported_and_nothing_imported(tmp_path):
    """Unknown comment-ids, bad vote values, too long texts and bad moderation values are
    all reported with their file and line; no statement, participant or vote is written."""
    comments, votes = files(
        tmp_path,
        COMMENTS_HEADER
        + b"1,x,0,1,0,0,1,Bon texte\n"
        + b"1,x,1,1,0,0,1,"
        + b"a" * 281
        + b"\n"
        + b"1,x,2,1,0,0,7,Moderation inconnue\n"
        + b'1,x,3,1,0,0,1,"Sur\ndeux lignes"\n'
        + b"1,x,3,1,0,0,1,Doublon\n",
        VOTES_HEADER + b"1,x,0,1,1\n1,x,99,1,1\n1,x,0,2,2\n1,x,1,2,1\n1,x,0,3\n",
    )
    consultation = ConsultationFactory()
    report = import_polis(consultation, comments, votes)
    assert located(report) == [
        ("comments.csv", 3),
        ("comments.csv", 4),
        ("comments.csv", 7),
        ("votes.csv", 3),
        ("votes.csv", 4),
        ("votes.csv", 6),
    ]
    assert not Statement.objects.exists()
    assert not Vote.objects.exists()
    assert not Participant.objects.exists()


@pytest.mark.parametrize(
    ("comments", "votes", "where"),
    [
        (b"", VOTES_HEADER, ("comments.csv", None)),
        (COMMENTS_HEADER, VOTES_HEADER, ("comments.csv", None)),
        (b"comment-id,comment-body\n1,x\n", VOTES_HEADER, ("comments.csv", 1)),
        (COMMENTS_HEADER + b"1,x,0,1,0,0,1,caf\xe9\n", VOTES_HEADER, ("comments.csv", 2)),
        (COMMENTS_HEADER + b"1,x,0,1,0,0,1,ok\n", b"voter-id,vote\n", ("votes.csv", 1)),
        (COMMENTS_HEADER + b"1,x,zero,1,0,0,1,ok\n", VOTES_HEADER, ("comments.csv", 2)),
        (
            COMMENTS_HEADER + b"1,x,0,1,0,0,1,ok\n",
            VOTES_HEADER + b"soon,x,0,1,1\n",
            ("votes.csv", 2),
        ),
    ],
    ids=["empty", "header-only", "missing-column", "not-utf8", "votes-column", "id", "time"],
)
def test_file_level_problems(tmp_path, comments, votes, where):
    """Empty files, missing columns, non-UTF-8 bytes, non-numeric ids and times are errors
    naming the file (and the line when there is one)."""
    report = import_polis(ConsultationFactory(), *files(tmp_path, comments, votes))
    assert located(report) == [where]
    assert not Statement.objects.exists()


def test_comment_id_taken_by_another_text_is_an_error(tmp_path):
    """A comment-id already numbering a different statement of the consultation is refused."""
    consultation = ConsultationFactory()
    StatementFactory(consultation=consultation, number=1, text="Déjà là")
    report = import_polis(
        consultation,
        *files(tmp_path, COMMENTS_HEADER + b"1,x,1,1,0,0,1,Autre chose\n", VOTES_HEADER),
    )
    assert located(report) == [("comments.csv", 2)]
    assert Statement.objects.count() == 1


def test_oversized_file_is_refused(tmp_path):
    """A file over the size cap is refused before being read."""
    comments, votes = files(tmp_path, COMMENTS_HEADER + b"1,x,0,1,0,0,1,ok\n", VOTES_HEADER)
    with votes.open("ab") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    report = import_polis(ConsultationFactory(), comments, votes)
    assert located(report) == [("votes.csv", None)]


def test_statement_csv_errors(tmp_path):
    """Statements from CSV: a too long text and a column that does not exist are reported."""
    path = tmp_path / "idees.csv"
    path.write_text("id,text\n1,Court\n2," + "b" * 300 + "\n", encoding="utf-8")
    consultation = ConsultationFactory()
    assert located(import_statements(consultation, path)) == [("idees.csv", 3)]
    assert located(import_statements(consultation, path, column="idee")) == [("idees.csv", 1)]
    assert not Statement.objects.exists()

"""`ruche import_polis FOLDER --consultation ID` imports a Pol.is folder from a shell."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ruche.consultations.management.commands.import_polis import Command
from ruche.consultations.models import Vote
from tests.factories import ConsultationFactory

pytestmark = pytest.mark.django_db

COMMENTS = "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
VOTES = "timestamp,datetime,comment-id,voter-id,vote\n"


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "comments.csv").write_text(COMMENTS + "1,x,0,1,0,0,1,Des arbres\n")
    (tmp_path / "votes.csv").write_text(VOTES + "1,x,0,1,1\n1,x,0,2,-1\n")
    return tmp_path


def test_command_imports_and_says_what(folder):
    """The command imports the folder and prints the counts."""
    consultation = ConsultationFactory()
    out = io.StringIO()
    call_command("import_polis", str(folder), consultation=str(consultation.pk), stdout=out)
    assert Vote.objects.filter(consultation=consultation).count() == 2
    assert "2 votes" in out.getvalue()


def test_bad_lines_go_to_stderr_with_exit_status_2(folder, monkeypatch, capsys):
    """A faulty folder prints each bad line on stderr and exits with status 2, without a
    traceback, importing nothing."""
    (folder / "votes.csv").write_text(VOTES + "1,x,0,1,1\n1,x,4,2,1\n")
    consultation = ConsultationFactory()
    # run_from_argv closes the database connections when done: not inside a test transaction.
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)
    with pytest.raises(SystemExit) as exit_info:
        Command().run_from_argv(
            ["ruche", "import_polis", str(folder), "--consultation", str(consultation.pk)]
        )
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "votes.csv" in err
    assert " 3: " in err or " 3 :" in err
    assert "Traceback" not in err
    assert not Vote.objects.exists()


@pytest.mark.parametrize("problem", ["unknown consultation", "missing folder"])
def test_unknown_consultation_or_folder_is_status_2(folder, problem):
    """An unknown consultation id or a missing folder is a command error with status 2."""
    consultation = ConsultationFactory()
    target = "not-an-id" if problem == "unknown consultation" else str(consultation.pk)
    path = folder / "nope" if problem == "missing folder" else folder
    with pytest.raises(CommandError) as error:
        call_command("import_polis", str(path), consultation=target)
    assert error.value.returncode == 2

"""The demo consultations load once, are complete, and loading again changes nothing."""

import pytest

from ruche.accounts.demo import load_demo_data
from ruche.accounts.models import Participant
from ruche.consultations import demo, queries
from ruche.consultations.models import (
    AnalysisResult,
    Answer,
    Consultation,
    OpenQuestion,
    Participation,
    ProfileQuestion,
    Statement,
    Vote,
)
from ruche.processes.models import Phase, Process
from tests.datasets import dataset

pytestmark = pytest.mark.django_db

COMMENTS = (
    "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
    "1000,x,0,0,0,0,1,Protect native forests\n"
    "1000,x,1,1,0,0,-1,Off topic\n"
)
VOTES = "timestamp,datetime,comment-id,voter-id,vote\n" + "".join(
    f"1000,x,{c},{v},{1 if (v + c) % 2 else -1}\n" for v in range(8) for c in range(2)
)


@pytest.fixture
def tiny_datasets(tmp_path, monkeypatch):
    """A datasets folder whose Pol.is conversation has 2 comments and 8 voters."""
    folder = tmp_path / demo.POLIS_FOLDER
    folder.mkdir()
    (folder / "comments.csv").write_text(COMMENTS, encoding="utf-8")
    (folder / "votes.csv").write_text(VOTES, encoding="utf-8")
    monkeypatch.setenv("RUCHE_DATASETS_DIR", str(tmp_path))
    return tmp_path


def snapshot():
    models = [Process, Phase, Consultation, Statement, Participant, Participation]
    models += [ProfileQuestion, OpenQuestion, Answer, AnalysisResult]
    rows = {
        model.__name__: sorted(model.objects.values_list("pk", "updated_at")) for model in models
    }
    rows["Vote"] = sorted(Vote.objects.values_list("pk", "value", "updated_at"))
    return rows


def test_loading_twice_duplicates_nothing(tiny_datasets):
    """A second run of the demo loader leaves every consultation row as it was."""
    load_demo_data()
    first = snapshot()
    load_demo_data()
    assert snapshot() == first
    assert Consultation.objects.count() == 2


def test_telework_consultation_is_ready_to_try(tiny_datasets):
    """The open consultation has its seeds, profile and open questions, answers, votes,
    proposals waiting in the moderation queue, and a computed report."""
    load_demo_data()
    consultation = Consultation.objects.get(title=demo.TELEWORK_CONSULTATION["title"])
    assert consultation.state() == "open"
    assert consultation.moderation == "before"
    assert queries.published_statements(consultation).count() == len(demo.TELEWORK_SEEDS)
    assert queries.moderation_queue(consultation).count() == len(demo.TELEWORK_PROPOSALS)
    assert [q.label for q in consultation.profile_questions.all()] == ["Direction", "Région"]
    assert Answer.objects.filter(question__consultation=consultation).count() == len(demo.ANSWERS)
    assert Vote.objects.filter(consultation=consultation).count() > 100
    assert queries.latest_result(consultation, "opinions").data["votes"] > 100
    assert queries.latest_result(consultation, "themes") is not None


def test_missing_datasets_skip_the_polis_consultation(tmp_path, monkeypatch, capsys):
    """Without the datasets folder, a notice is printed and the rest of the demo loads."""
    monkeypatch.setenv("RUCHE_DATASETS_DIR", str(tmp_path / "absent"))
    load_demo_data()
    assert "RUCHE_DATASETS_DIR" in capsys.readouterr().out
    assert list(Consultation.objects.values_list("title", flat=True)) == [
        demo.TELEWORK_CONSULTATION["title"]
    ]


def test_real_polis_conversation_with_its_groups_and_attribution(monkeypatch):
    """With the real biodiversity conversation, the demo has a closed consultation with
    public results, its CC BY attribution and opinion groups computed at once."""
    monkeypatch.setenv("RUCHE_DATASETS_DIR", str(dataset(demo.POLIS_FOLDER).parent))
    load_demo_data()
    consultation = Consultation.objects.get(title=demo.BIODIVERSITY_CONSULTATION["title"])
    assert consultation.state() == "closed"
    assert consultation.process.visibility == "public"
    assert consultation.process.status == "open"
    assert consultation.results_public
    assert "CC BY 4.0" in consultation.attribution
    assert "The Computational Democracy Project" in consultation.attribution
    assert consultation.statements.count() == 316
    result = queries.latest_result(consultation, "opinions")
    assert len(result.data["groups"]) >= 2
    load_demo_data()
    assert AnalysisResult.objects.filter(consultation=consultation).count() == 1

"""Rule: votes schedule a background analysis at most once per throttle window; a run
stores its result with counts and duration, refreshes the statements' counts, and does
nothing when nothing changed; pages say when and on how many votes it was computed."""

import random

import pytest

from ruche.consultations import tasks
from ruche.consultations.models import AnalysisResult, Vote
from tests.consultations.helpers import vote_json
from tests.factories import AnswerFactory, OpenQuestionFactory, ParticipantFactory


def two_camps(consultation, n=40):
    """n participants in two camps that vote opposite ways on every statement."""
    statements = list(consultation.statements.all())
    rng = random.Random(1)
    votes = []
    for i in range(n):
        participant = ParticipantFactory()
        side = 1 if i < n // 2 else -1
        for j, statement in enumerate(statements):
            value = side if j % 2 == 0 else -side
            if rng.random() < 0.1:
                value = 0
            votes.append(
                Vote(
                    consultation=consultation,
                    statement=statement,
                    participant=participant,
                    value=value,
                )
            )
    Vote.objects.bulk_create(votes)
    return len(votes)


def test_a_run_stores_its_result_with_counts(consultation):
    """Opinion groups are stored with participants, votes and statements counted."""
    n_votes = two_camps(consultation)
    assert tasks.analyze_consultation.call(str(consultation.pk)) == "opinions,themes"
    result = AnalysisResult.objects.get(consultation=consultation, kind="opinions")
    assert (result.n_participants, result.n_votes, result.n_statements) == (40, n_votes, 3)
    assert result.duration_ms >= 0
    assert [group["size"] for group in result.data["groups"]] == [20, 20]


def test_statement_counts_are_refreshed(consultation):
    """After a run, each statement carries its vote counts (read by the voting card)."""
    two_camps(consultation)
    tasks.analyze_consultation.call(str(consultation.pk))
    for statement in consultation.statements.all():
        assert statement.n_votes == Vote.objects.filter(statement=statement).count()


def test_unchanged_inputs_skip_the_run(consultation):
    """A second run without new votes or answers stores nothing new."""
    two_camps(consultation)
    tasks.analyze_consultation.call(str(consultation.pk))
    assert tasks.analyze_consultation.call(str(consultation.pk)) == "unchanged"
    assert AnalysisResult.objects.filter(consultation=consultation).count() == 2


def test_themes_of_the_answers(consultation):
    """Answers to open questions are grouped into themes, hidden answers left out."""
    question = OpenQuestionFactory(consultation=consultation)
    texts = [
        "Le télétravail nous a fait gagner du temps de transport",
        "Le télétravail a réduit nos trajets quotidiens",
        "Les trajets en moins grâce au télétravail",
        "Nos outils numériques étaient insuffisants",
        "Il manquait des ordinateurs portables et des outils numériques",
        "Les outils de visioconférence ont mal fonctionné",
    ]
    for text in texts:
        AnswerFactory(question=question, text=text)
    hidden = AnswerFactory(question=question, text="Texte masqué par la modération", hidden=True)
    tasks.analyze_consultation.call(str(consultation.pk))
    result = AnalysisResult.objects.get(consultation=consultation, kind="themes")
    assert result.n_answers == 6
    members = [m for theme in result.data["questions"][0]["themes"] for m in theme["members"]]
    assert str(hidden.pk) not in members
    assert len(result.data["questions"][0]["themes"]) >= 2


@pytest.mark.django_db(transaction=True)
def test_votes_schedule_one_run_per_window(client, consultation, settings):
    """Many votes within the throttle window schedule a single analysis."""
    settings.RUCHE_ANALYSIS_THROTTLE_SECONDS = 60
    calls = []
    original = tasks._enqueue
    tasks._enqueue = lambda key, window: calls.append(key)
    try:
        for statement in consultation.statements.all():
            assert vote_json(client, consultation, statement).status_code == 200
    finally:
        tasks._enqueue = original
    assert calls == [str(consultation.pk)]


@pytest.mark.django_db(transaction=True)
def test_a_vote_leads_to_a_stored_result(client, consultation, settings):
    """End to end with the immediate task backend: vote, then the page shows the result."""
    settings.RUCHE_ANALYSIS_THROTTLE_SECONDS = 0
    vote_json(client, consultation, consultation.statements.first())
    result = AnalysisResult.objects.get(consultation=consultation, kind="opinions")
    assert result.n_votes == 1
    page = client.get(f"/consultations/{consultation.pk}/").content
    assert b'data-testid="analysis-freshness"' in page


def test_failure_is_recorded_not_raised(consultation, monkeypatch):
    """An engine failure is stored as an error result; the task itself succeeds."""
    from ruche.consultations import analysis

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    two_camps(consultation)
    monkeypatch.setattr(analysis, "compute_opinions", broken)
    tasks.analyze_consultation.call(str(consultation.pk))
    assert AnalysisResult.objects.get(kind="opinions").error == "RuntimeError: boom"


def test_deleted_votes_trigger_a_recompute(consultation):
    """Deleting votes (an erased participant) changes the inputs: the run is not skipped."""
    two_camps(consultation)
    tasks.analyze_consultation.call(str(consultation.pk))
    Vote.objects.filter(pk=Vote.objects.order_by("pk").first().pk).delete()
    assert "opinions" in tasks.analyze_consultation.call(str(consultation.pk))


def test_votes_written_with_old_times_trigger_a_recompute(consultation):
    """Imported votes carry their original (older) times; their number still changes."""
    import datetime

    from django.utils import timezone

    two_camps(consultation)
    tasks.analyze_consultation.call(str(consultation.pk))
    old = timezone.now() - datetime.timedelta(days=400)
    Vote.objects.create(
        consultation=consultation,
        statement=consultation.statements.first(),
        participant=ParticipantFactory(),
        value=1,
        created_at=old,
        updated_at=old,
    )
    assert "opinions" in tasks.analyze_consultation.call(str(consultation.pk))

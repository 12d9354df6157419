"""Rule: a facilitator hides an abusive or identifying answer; it leaves themes, quotes and
the synthesis at the next analysis; only facilitators of the organisation may do it."""

from ruche.accounts.models import Role
from ruche.consultations import tasks
from ruche.consultations.models import AnalysisResult, Answer
from tests.consultations.test_moderation import login
from tests.factories import AnswerFactory, OpenQuestionFactory


def test_facilitator_hides_an_answer(client, consultation, make_member):
    """The answer is marked hidden and disappears from the next themes."""
    login(client, make_member(Role.FACILITATOR))
    question = OpenQuestionFactory(consultation=consultation)
    answers = [
        AnswerFactory(question=question, text=f"Le télétravail aide les agents {n}")
        for n in range(4)
    ]
    response = client.post(f"/consultations/{consultation.pk}/reponses/{answers[0].pk}/masquer/")
    assert response.status_code == 302
    assert Answer.objects.get(pk=answers[0].pk).hidden
    tasks.analyze_consultation.call(str(consultation.pk))
    themes = AnalysisResult.objects.get(kind="themes").data["questions"][0]["themes"]
    assert str(answers[0].pk) not in [m for theme in themes for m in theme["members"]]


def test_others_cannot_hide(client, consultation, make_member):
    """A member gets 403; an answer of another consultation is 404."""
    question = OpenQuestionFactory(consultation=consultation)
    answer = AnswerFactory(question=question)
    login(client, make_member(Role.MEMBER))
    assert (
        client.post(f"/consultations/{consultation.pk}/reponses/{answer.pk}/masquer/").status_code
        == 403
    )
    client.logout()
    login(client, make_member(Role.FACILITATOR))
    foreign = AnswerFactory()
    assert (
        client.post(f"/consultations/{consultation.pk}/reponses/{foreign.pk}/masquer/").status_code
        == 404
    )
    assert not Answer.objects.filter(hidden=True).exists()

"""Rule: a participant answers each open question once (≤ 2,000 characters) and may change
the answer while the consultation is open; answers are shown inert."""

from ruche.consultations.models import Answer
from tests.factories import OpenQuestionFactory


def answer(client, question, text):
    return client.post(
        f"/consultations/{question.consultation_id}/questions/{question.pk}/repondre/",
        {f"q{question.pk}-text": text},
    )


def test_answer_is_stored_and_shown_back(client, consultation):
    """The answer is saved under the participant and prefilled on the page."""
    question = OpenQuestionFactory(consultation=consultation)
    response = answer(client, question, "Le télétravail a changé nos réunions.")
    assert response.status_code == 302
    assert Answer.objects.get().text == "Le télétravail a changé nos réunions."
    page = client.get(f"/consultations/{consultation.pk}/").content.decode()
    assert "Le télétravail a changé nos réunions." in page


def test_second_answer_replaces_the_first(client, consultation):
    """One answer per participant and question: sending again updates it."""
    question = OpenQuestionFactory(consultation=consultation)
    answer(client, question, "Première version")
    answer(client, question, "Seconde version")
    assert list(Answer.objects.values_list("text", flat=True)) == ["Seconde version"]


def test_oversized_answer_is_a_form_error(client, consultation):
    """Over 2,000 characters: 400 with the form, nothing stored."""
    question = OpenQuestionFactory(consultation=consultation)
    response = answer(client, question, "x" * 2001)
    assert response.status_code == 400
    assert not Answer.objects.exists()


def test_question_of_another_consultation_is_404(client, consultation):
    """The question must belong to the consultation in the URL."""
    other = OpenQuestionFactory()
    response = client.post(
        f"/consultations/{consultation.pk}/questions/{other.pk}/repondre/",
        {f"q{other.pk}-text": "Bonjour"},
    )
    assert response.status_code == 404


def test_script_in_an_answer_is_inert(client, consultation):
    """HTML typed in an answer is escaped wherever it is shown."""
    question = OpenQuestionFactory(consultation=consultation)
    answer(client, question, "<script>alert(1)</script>")
    page = client.get(f"/consultations/{consultation.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page

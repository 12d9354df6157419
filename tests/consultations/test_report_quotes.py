"""Quotes of themes: the engine's representatives or the facilitators' pick, never hidden."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from ruche.consultations import label_actions
from ruche.consultations.actions import ConsultationError
from ruche.consultations.models import Answer, Label
from ruche.consultations.report import build_report
from tests.consultations.report_data import with_themes
from tests.factories import AnswerFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def first_theme(result):
    return result.data["questions"][0]["themes"][0]


def hide(answer_id):
    answer = Answer.objects.get(pk=answer_id)
    answer.hidden = True
    answer.save()
    return answer


def test_hidden_representative_is_never_quoted(client):
    """An answer hidden after the analysis is not quoted, on the page or in the exports,
    not even in the facilitators' quote picker."""
    consultation, _question, _answers, result = with_themes()
    theme = first_theme(result)
    hidden = hide(theme["representatives"][0])
    quotes = build_report(consultation).questions[0].themes[0].quotes
    assert str(hidden.pk) not in [quote.answer_id for quote in quotes]
    assert quotes  # the other representatives are still there

    client.force_login(
        MembershipFactory(organisation=consultation.organisation, role="facilitator").user
    )
    for name, args in (("report", []), ("print", []), ("export", ["md"]), ("export", ["xlsx"])):
        url = reverse(f"consultation_report:{name}", args=[consultation.pk, *args])
        content = client.get(url).content
        assert escape(hidden.text).encode() not in content
        assert hidden.text.encode() not in content
        assert str(hidden.pk).encode() not in content


def test_picked_quotes_replace_the_engine_ones():
    """Picked quotes are shown in the chosen order instead of the computed ones."""
    consultation, _question, _answers, result = with_themes()
    theme = first_theme(result)
    picked = list(reversed(theme["members"]))[:2]
    label_actions.do_pick_quotes(consultation, theme["key"], picked)
    shown = build_report(consultation).questions[0].themes[0]
    assert shown.picked
    assert [quote.answer_id for quote in shown.quotes] == picked


def test_hidden_picked_quote_is_dropped_and_falls_back():
    """A picked answer hidden later disappears; with none left, the computed quotes return."""
    consultation, _question, _answers, result = with_themes()
    theme = first_theme(result)
    picked = theme["members"][:2]
    label_actions.do_pick_quotes(consultation, theme["key"], picked)
    hide(picked[0])
    shown = build_report(consultation).questions[0].themes[0]
    assert [quote.answer_id for quote in shown.quotes] == [picked[1]]
    hide(picked[1])
    shown = build_report(consultation).questions[0].themes[0]
    assert not shown.picked
    assert shown.quotes
    assert not {picked[0], picked[1]} & {quote.answer_id for quote in shown.quotes}


def test_deleted_picked_quote_is_dropped():
    """A picked answer deleted since (its author left) is skipped without error."""
    consultation, _question, _answers, result = with_themes()
    theme = first_theme(result)
    label_actions.do_pick_quotes(consultation, theme["key"], theme["members"][:2])
    Answer.objects.filter(pk=theme["members"][0]).delete()
    shown = build_report(consultation).questions[0].themes[0]
    assert [quote.answer_id for quote in shown.quotes] == [theme["members"][1]]


@pytest.mark.parametrize("case", ["hidden", "other consultation", "malformed", "too many"])
def test_only_visible_answers_of_the_consultation_can_be_picked(case):
    """Picking a hidden answer, another consultation's answer, a malformed id or more than
    five quotes is refused and changes nothing."""
    consultation, _question, answers, result = with_themes()
    theme = first_theme(result)
    if case == "hidden":
        ids = [str(hide(theme["members"][0]).pk)]
    elif case == "other consultation":
        ids = [str(AnswerFactory().pk)]
    elif case == "malformed":
        ids = ["1 OR 1=1"]
    else:
        ids = [str(answer.pk) for answer in answers[:6]]
    with pytest.raises(ConsultationError):
        label_actions.do_pick_quotes(consultation, theme["key"], ids)
    assert not Label.objects.exists()


def test_picking_through_the_page(client):
    """The quote form saves the ticked answers; sent again it changes nothing; sent empty
    it restores the computed quotes."""
    consultation, _question, _answers, result = with_themes()
    theme = first_theme(result)
    client.force_login(
        MembershipFactory(organisation=consultation.organisation, role="facilitator").user
    )
    url = reverse("consultation_report:quotes", args=[consultation.pk])
    picked = theme["members"][-1:]
    for _attempt in range(2):
        response = client.post(url, {"key": theme["key"], "answers": picked})
        assert response.status_code == 302
    label = Label.objects.get(consultation=consultation, key=theme["key"])
    assert label.quotes == picked
    html = client.get(
        reverse("consultation_report:report", args=[consultation.pk])
    ).content.decode()
    assert f'data-testid="quote" data-answer="{picked[0]}"' in html
    client.post(url, {"key": theme["key"]})
    assert not build_report(consultation).questions[0].themes[0].picked

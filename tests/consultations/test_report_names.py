"""Facilitators name opinion groups and themes; names follow their item across analyses."""

import re

import pytest
from django.urls import reverse

from ruche.consultations import analysis, label_actions
from ruche.consultations.actions import ConsultationError
from ruche.consultations.models import AnalysisResult, Label
from ruche.consultations.queries import latest_result
from ruche.consultations.report import build_report
from tests.consultations.report_data import add_camp_votes, with_opinions, with_themes
from tests.factories import MembershipFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


def group_of(consultation, participant) -> dict:
    """The group holding `participant` in the latest opinion analysis."""
    data = latest_result(consultation, AnalysisResult.Kind.OPINIONS).data
    return next(group for group in data["groups"] if str(participant.pk) in group["members"])


def login_facilitator(client, consultation):
    client.force_login(
        MembershipFactory(organisation=consultation.organisation, role="facilitator").user
    )


def test_group_name_survives_recomputation(client):
    """A name given to a group is still shown after new votes and a new analysis, on the
    group that shares most members with the named one."""
    consultation, statements, camp_a, _camp_b = with_opinions(per_camp=10)
    named_key = group_of(consultation, camp_a[0])["key"]
    label_actions.do_name_item(consultation, "opinions", named_key, "Les enthousiastes")

    newcomers = [ParticipantFactory() for _i in range(3)]
    add_camp_votes(consultation, statements, newcomers, [ParticipantFactory()])
    analysis.compute_opinions(consultation)

    group = group_of(consultation, camp_a[0])
    assert group["key"] == named_key
    assert str(newcomers[0].pk) in group["members"]  # a new group document, same key
    report = build_report(consultation)
    named = [g for g in report.groups if g.named]
    assert [(g.key, g.name, g.size) for g in named] == [(named_key, "Les enthousiastes", 13)]

    login_facilitator(client, consultation)
    html = client.get(
        reverse("consultation_report:report", args=[consultation.pk])
    ).content.decode()
    article = html.split(f'data-testid="group" data-group-key="{named_key}"')[1]
    assert re.search(r'data-testid="group-name">Les enthousiastes<', article.split("</article>")[0])


def test_unnamed_groups_get_letters(client):
    """Groups nobody named are "Group A", "Group B"… in the report's order."""
    consultation, *_rest = with_opinions(per_camp=8)
    report = build_report(consultation)
    assert [g.named for g in report.groups] == [False, False]
    assert len({g.name for g in report.groups}) == 2


def test_naming_through_the_page(client):
    """The naming form saves the name (spaces tidied) and goes back to the group."""
    consultation, _statements, camp_a, _camp_b = with_opinions(per_camp=8)
    key = group_of(consultation, camp_a[0])["key"]
    login_facilitator(client, consultation)
    url = reverse("consultation_report:name", args=[consultation.pk])
    response = client.post(url, {"kind": "opinions", "key": key, "name": "  Les   prudents "})
    assert response.status_code == 302
    report_url = reverse("consultation_report:report", args=[consultation.pk])
    assert response["Location"] == f"{report_url}#group-{key}-title"  # back to the group
    assert Label.objects.get(consultation=consultation, key=key).name == "Les prudents"
    # The same form sent again (a retry) leaves one row.
    client.post(url, {"kind": "opinions", "key": key, "name": "Les prudents"})
    assert Label.objects.filter(consultation=consultation).count() == 1


def test_empty_name_restores_the_default():
    """Saving an empty name goes back to the letter."""
    consultation, _statements, camp_a, _camp_b = with_opinions(per_camp=8)
    key = group_of(consultation, camp_a[0])["key"]
    label_actions.do_name_item(consultation, "opinions", key, "Nom provisoire")
    label_actions.do_name_item(consultation, "opinions", key, "   ")
    group = next(g for g in build_report(consultation).groups if g.key == key)
    assert not group.named


def test_theme_name_overrides_the_engine_label():
    """A facilitator's theme name replaces the computed label; the computed one is kept
    for reference."""
    consultation, _question, _answers, result = with_themes()
    theme = result.data["questions"][0]["themes"][0]
    label_actions.do_name_item(consultation, "themes", theme["key"], "Outils numériques")
    shown = build_report(consultation).questions[0].themes[0]
    assert (shown.key, shown.name, shown.named) == (theme["key"], "Outils numériques", True)
    assert shown.engine_label == theme["label"]


@pytest.mark.parametrize(
    ("kind", "key", "status"),
    [("opinions", "nope", 409), ("themes", "nope", 409), ("bogus", "x", 400)],
)
def test_unknown_items_are_refused(kind, key, status):
    """Only items of the latest analysis can be named (an old key after a recomputation
    that dropped it is refused), and only groups or themes."""
    consultation, *_rest = with_opinions(per_camp=8)
    with pytest.raises(ConsultationError) as error:
        label_actions.do_name_item(consultation, kind, key, "Nom")
    assert error.value.status == status
    assert not Label.objects.exists()


def test_refused_name_is_told_on_the_page(client):
    """A refused name redirects back with an error message and writes nothing."""
    consultation, *_rest = with_opinions(per_camp=8)
    login_facilitator(client, consultation)
    url = reverse("consultation_report:name", args=[consultation.pk])
    response = client.post(url, {"kind": "opinions", "key": "gone", "name": "X"}, follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not Label.objects.exists()


def test_too_long_name_is_refused():
    """A name longer than the field is refused rather than cut."""
    consultation, _statements, camp_a, _camp_b = with_opinions(per_camp=8)
    key = group_of(consultation, camp_a[0])["key"]
    with pytest.raises(ConsultationError):
        label_actions.do_name_item(consultation, "opinions", key, "x" * 201)

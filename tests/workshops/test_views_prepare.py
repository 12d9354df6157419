"""Preparing a workshop: its texts, its activities of each kind, opening and ending it."""

import pytest

from ruche.core.models import Event
from ruche.workshops import actions
from ruche.workshops.activities import KINDS
from ruche.workshops.models import Activity, Workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop(organisation):
    return actions.do_create_workshop(organisation=organisation, title="Atelier")


@pytest.fixture
def facilitator_client(client, make_member):
    client.force_login(make_member("facilitator"))
    return client


def add(client, workshop, kind, **data):
    return client.post(f"/ateliers/{workshop.pk}/activites/nouvelle/{kind}/", data)


def test_prepare_page_offers_every_kind(facilitator_client, workshop):
    """The page links to adding each activity kind, shows the code and a QR code."""
    html = facilitator_client.get(f"/ateliers/{workshop.pk}/preparer/").content.decode()
    for kind in KINDS:
        assert f"/ateliers/{workshop.pk}/activites/nouvelle/{kind}/" in html
    assert workshop.code[:3] in html
    assert 'data-testid="join-qr"' in html
    assert 'data-testid="open-room"' in html


def test_editing_title_and_description(facilitator_client, workshop):
    """The texts are saved through the action (and broadcast to the room)."""
    response = facilitator_client.post(
        f"/ateliers/{workshop.pk}/preparer/", {"title": "Nouveau titre", "description": "Ok"}
    )
    assert response.status_code == 302
    workshop.refresh_from_db()
    assert (workshop.title, workshop.description) == ("Nouveau titre", "Ok")
    assert Event.objects.filter(group=workshop.group_name, type="workshop.updated").exists()


def test_ideation_with_prompts_and_signing(facilitator_client, workshop):
    """An ideation takes its prompts one per line (blank lines ignored) and a signing rule."""
    response = add(
        facilitator_client,
        workshop,
        "ideation",
        title="Je rêve mon territoire",
        instructions="Une idée par post-it",
        prompts="Ce qui marche\n\n  Ce qui manque  \n",
        signing="signed",
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.kind == "ideation"
    assert activity.config == {"signing": "signed"}
    assert [p.text for p in activity.prompts.all()] == ["Ce qui marche", "Ce qui manque"]


def test_ideation_needs_a_prompt(facilitator_client, workshop):
    """An ideation without any prompt is refused with the form shown again."""
    response = add(facilitator_client, workshop, "ideation", title="Idées", prompts=" \n ")
    assert response.status_code == 400
    assert response.context["form"].errors["prompts"]
    assert not Activity.objects.exists()


def test_chain_of_activities_with_sources_and_settings(facilitator_client, workshop):
    """Grouping, dot voting, matrix and action plan take an earlier activity as source and
    their own settings."""
    add(facilitator_client, workshop, "ideation", title="Idées", prompts="A", signing="choice")
    ideation = Activity.objects.get(kind="ideation")
    add(
        facilitator_client,
        workshop,
        "grouping",
        title="Regrouper",
        source=ideation.pk,
        who="everyone",
    )
    grouping = Activity.objects.get(kind="grouping")
    add(facilitator_client, workshop, "dotvote", title="Voter", source=grouping.pk, dots=4, cap=2)
    add(facilitator_client, workshop, "matrix", title="Impact", source=grouping.pk)
    add(facilitator_client, workshop, "actionplan", title="Chantiers", source="")
    activities = {a.kind: a for a in workshop.activities.all()}
    assert list(activities) == ["ideation", "grouping", "dotvote", "matrix", "actionplan"]
    assert activities["grouping"].source == ideation
    assert activities["grouping"].config == {"who": "everyone"}
    assert activities["dotvote"].config == {"dots": 4, "cap": 2}
    assert activities["matrix"].source == grouping
    assert activities["actionplan"].source is None


def test_source_must_be_of_a_suitable_kind(facilitator_client, workshop):
    """A grouping works on an ideation's notes: another grouping is not a valid source."""
    ideation = actions.do_add_activity(workshop, kind="ideation", title="Idées", prompts=["A"])
    grouping = actions.do_add_activity(workshop, kind="grouping", title="G", source=ideation)
    response = add(facilitator_client, workshop, "grouping", title="G2", source=grouping.pk)
    assert response.status_code == 400
    assert response.context["form"].errors["source"]


def test_dot_cap_cannot_exceed_the_dots(facilitator_client, workshop):
    """The cap per item is at most the number of dots per person."""
    ideation = actions.do_add_activity(workshop, kind="ideation", title="Idées", prompts=["A"])
    response = add(
        facilitator_client, workshop, "dotvote", title="V", source=ideation.pk, dots=2, cap=3
    )
    assert response.status_code == 400
    assert response.context["form"].errors["cap"]


def test_unknown_kind_is_a_404(facilitator_client, workshop):
    """An activity kind that does not exist is a 404."""
    assert add(facilitator_client, workshop, "worldcafe", title="X").status_code == 404


def test_editing_an_activity(facilitator_client, workshop):
    """Editing changes texts, settings and prompts in place (same prompt rows kept)."""
    ideation = actions.do_add_activity(workshop, kind="ideation", title="Idées", prompts=["A", "B"])
    first_prompt = ideation.prompts.get(position=1)
    url = f"/ateliers/{workshop.pk}/activites/{ideation.pk}/modifier/"
    page = facilitator_client.get(url)
    assert page.context["form"]["prompts"].value() == "A\nB"
    response = facilitator_client.post(
        url, {"title": "Rêves", "prompts": "A modifié\nB\nC", "signing": "anonymous"}
    )
    assert response.status_code == 302
    ideation.refresh_from_db()
    assert ideation.title == "Rêves"
    assert ideation.config == {"signing": "anonymous"}
    assert [p.text for p in ideation.prompts.all()] == ["A modifié", "B", "C"]
    assert ideation.prompts.get(position=1).pk == first_prompt.pk


def test_a_prompt_with_notes_cannot_be_removed(facilitator_client, workshop):
    """Removing a prompt that already has notes is refused (the notes would be lost)."""
    from tests.workshops.helpers import join

    ideation = actions.do_add_activity(workshop, kind="ideation", title="Idées", prompts=["A", "B"])
    actions.do_set_state(workshop, "live")
    _participant, attendee = join(workshop)
    prompt_b = ideation.prompts.get(position=2)
    actions.run_message(
        workshop.pk,
        attendee.pk,
        False,
        {"type": "note.add", "prompt": str(prompt_b.pk), "text": "Une idée"},
    )
    response = facilitator_client.post(
        f"/ateliers/{workshop.pk}/activites/{ideation.pk}/modifier/",
        {"title": "Idées", "prompts": "A", "signing": "choice"},
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert ideation.prompts.count() == 2


def test_deleting_an_activity(facilitator_client, workshop):
    """Deleting removes the activity and broadcasts it to the room."""
    ideation = actions.do_add_activity(workshop, kind="ideation", title="Idées", prompts=["A"])
    response = facilitator_client.post(
        f"/ateliers/{workshop.pk}/activites/{ideation.pk}/supprimer/"
    )
    assert response.status_code == 302
    assert not Activity.objects.exists()
    assert Event.objects.filter(group=workshop.group_name, type="activity.deleted").exists()


def test_deleting_needs_a_post(facilitator_client, workshop):
    """A GET never deletes (a link preview or a crawler must not): it asks for confirmation."""
    ideation = actions.do_add_activity(workshop, kind="ideation", title="Idées", prompts=["A"])
    url = f"/ateliers/{workshop.pk}/activites/{ideation.pk}/supprimer/"
    response = facilitator_client.get(url)
    assert response.status_code == 200
    assert response.context["lost"] == []
    assert Activity.objects.exists()


def test_open_end_and_reopen_the_room(facilitator_client, workshop):
    """Draft → live (the first activity becomes current) → ended → live again."""
    ideation = actions.do_add_activity(workshop, kind="ideation", title="Idées", prompts=["A"])
    url = f"/ateliers/{workshop.pk}/etat/"
    facilitator_client.post(url, {"state": "live"})
    workshop.refresh_from_db()
    assert workshop.state == "live" and workshop.current_activity == ideation
    facilitator_client.post(url, {"state": "ended"})
    workshop.refresh_from_db()
    assert workshop.state == "ended"
    response = facilitator_client.post(url, {"state": "live", "next": "console"})
    assert response.url == f"/ateliers/{workshop.pk}/animer/"
    workshop.refresh_from_db()
    assert workshop.state == "live"


@pytest.mark.parametrize(
    ("start", "target"), [("draft", "ended"), ("draft", "draft"), ("live", "live"), ("live", "x")]
)
def test_impossible_state_changes_are_refused(facilitator_client, workshop, start, target):
    """Only open, end and reopen exist: other changes leave the state as it was."""
    if start == "live":
        actions.do_set_state(workshop, "live")
    facilitator_client.post(f"/ateliers/{workshop.pk}/etat/", {"state": target})
    assert Workshop.objects.get(pk=workshop.pk).state == start

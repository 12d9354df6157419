"""The demo workshops: a live room to try and an ended one with its synthesis; loading the
demo again duplicates nothing."""

import pytest
from django.urls import reverse

from ruche.accounts.demo import load_demo_data
from ruche.accounts.models import Organisation, Participant
from ruche.workshops import demo
from ruche.workshops.models import (
    Activity,
    Chantier,
    Cluster,
    Commitment,
    Dot,
    Note,
    Rating,
    Workshop,
    WorkshopParticipant,
)
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

MODELS = [Workshop, Activity, WorkshopParticipant, Note, Cluster, Chantier, Commitment]


def snapshot():
    rows = {
        model.__name__: sorted(model.objects.values_list("pk", "updated_at")) for model in MODELS
    }
    rows["Dot"] = sorted(Dot.objects.values_list("pk", "count"))
    rows["Rating"] = sorted(Rating.objects.values_list("pk", "impact", "ease"))
    rows["Participant"] = sorted(
        Participant.objects.filter(pseudonym__startswith="Démo atelier").values_list("pk")
    )
    return rows


@pytest.fixture
def facilitator():
    return MembershipFactory(role="facilitator").user


@pytest.fixture
def organisation(facilitator):
    organisation = facilitator.memberships.get().organisation
    demo.load_demo(organisation, facilitator)
    return organisation


def test_loading_twice_duplicates_nothing(monkeypatch, tmp_path):
    """A second run of `make demo`'s loader leaves every workshop row as it was."""
    monkeypatch.setenv("RUCHE_DATASETS_DIR", str(tmp_path))  # no Pol.is data: skipped
    load_demo_data()
    first = snapshot()
    load_demo_data()
    assert snapshot() == first
    organisation = Organisation.objects.get(slug="drelab-demo")
    assert Workshop.objects.filter(organisation=organisation).count() == 2
    assert len(first["Participant"]) == 4


def test_the_live_room_is_ready_to_try(organisation):
    """Live, five chained activities, the ideation current and not revealed, with notes from
    four attendees."""
    workshop = Workshop.objects.get(organisation=organisation, title=demo.LIVE_TITLE)
    assert workshop.state == Workshop.State.LIVE
    assert workshop.phase is not None
    kinds = list(workshop.activities.values_list("kind", flat=True))
    assert kinds == ["ideation", "grouping", "dotvote", "matrix", "actionplan"]
    ideation, grouping, dotvote, matrix, plan = workshop.activities.all()
    assert workshop.current_activity == ideation and not ideation.revealed
    assert [p.text for p in ideation.prompts.all()] == demo.PROMPTS
    assert grouping.config == {"who": "everyone"} and grouping.source == ideation
    assert dotvote.config == {"dots": 5, "cap": 2} and dotvote.source == grouping
    assert matrix.source == grouping and plan.source == grouping
    assert workshop.attendees.count() == 4
    assert ideation.notes.values("author").distinct().count() == 4


def test_the_ended_workshop_has_a_complete_output(organisation):
    """Notes, three clusters, dots, ratings and three chantiers with sign-ups."""
    workshop = Workshop.objects.get(organisation=organisation, title=demo.ENDED_TITLE)
    assert workshop.state == Workshop.State.ENDED
    in_workshop = {"activity__workshop": workshop}
    assert Note.objects.filter(**in_workshop).count() == len(demo.ENDED_NOTES)
    assert Cluster.objects.filter(**in_workshop).count() == 3
    assert Dot.objects.filter(**in_workshop).count() > 0
    assert Rating.objects.filter(**in_workshop).count() == 12
    assert Chantier.objects.filter(**in_workshop).count() == 3
    assert Commitment.objects.filter(chantier__activity__workshop=workshop).count() == len(
        demo.COMMITMENTS
    )


def test_the_ended_workshops_synthesis_renders_its_chantiers(client, organisation, facilitator):
    """The facilitator opens the ended workshop's synthesis and reads its chantiers."""
    workshop = Workshop.objects.get(organisation=organisation, title=demo.ENDED_TITLE)
    client.force_login(facilitator)
    response = client.get(reverse("workshops_synthesis:synthesis", args=[workshop.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for chantier in demo.CHANTIERS:
        assert chantier["title"] in html
    assert html.count('data-testid="matrix-point"') == 3
    assert 'data-testid="table-who"' in html


def test_demo_pages_list_each_workshops_synthesis(organisation):
    """`ruche demo` prints the synthesis of both workshops (and the live room's pages once
    their views are installed)."""
    pages = dict(demo.demo_pages(organisation))
    paths = list(pages.values())
    for title in (demo.LIVE_TITLE, demo.ENDED_TITLE):
        workshop = Workshop.objects.get(organisation=organisation, title=title)
        assert reverse("workshops_synthesis:synthesis", args=[workshop.pk]) in paths

"""The synthesis page shows every activity's output, in order."""

import re

import pytest
from django.urls import reverse

from tests.factories import MembershipFactory
from tests.workshops.synthesis_helpers import HIDDEN_NOTE, played_workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def played():
    return played_workshop()


def _page(client, user, workshop):
    client.force_login(user)
    response = client.get(reverse("workshops_synthesis:synthesis", args=[workshop.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_shows_each_activity_in_order(client, played):
    """Every activity has its section, numbered in the workshop's order."""
    html = _page(client, played["facilitator"], played["workshop"])
    kinds = ["ideation", "grouping", "dotvote", "matrix", "actionplan"]
    positions = [html.index(f'data-kind="{kind}"') for kind in kinds]
    assert positions == sorted(positions)
    assert "Atelier des solutions" in html


def test_the_page_gives_participants_and_contributions(client, played):
    """The figures: 3 attendees; notes, clusters, dots, ratings, chantiers and sign-ups."""
    html = _page(client, played["facilitator"], played["workshop"])
    assert 'data-testid="figure-participants">3<' in html
    # 5 visible notes + 3 clusters + 6 dots + 3 ratings + 2 chantiers + 3 sign-ups
    assert 'data-testid="figure-contributions">22<' in html


def test_notes_are_shown_by_prompt_with_the_author_only_when_signed(client, played):
    """A signed note names its author; an unsigned one does not; hidden notes are left out."""
    html = _page(client, played["facilitator"], played["workshop"])
    assert "Des pistes cyclables" in html
    assert html.count('data-testid="note-author"') == 2  # Camille signed two notes
    assert "Dominique</p>" not in html
    assert HIDDEN_NOTE not in html


def test_the_hidden_count_is_for_facilitators_only(client, played):
    """Facilitators read how many notes they hid; other members do not."""
    html = _page(client, played["facilitator"], played["workshop"])
    assert 'data-testid="hidden-count"' in html
    member = MembershipFactory(organisation=played["workshop"].organisation, role="member").user
    html = _page(client, member, played["workshop"])
    assert 'data-testid="hidden-count"' not in html
    assert HIDDEN_NOTE not in html


def test_clusters_list_their_notes_and_the_ungrouped_ones(client, played):
    """Each cluster with its notes, then the notes left out of every cluster."""
    html = _page(client, played["facilitator"], played["workshop"])
    assert html.count('data-testid="cluster"') == 3
    assert "Transports en commun" in html
    assert 'data-testid="ungrouped-note">Du covoiturage entre agents<' in html


def test_the_dot_ranking_gives_dots_and_voters(client, played):
    """Items ranked by dots, most first, with the number of people who put dots on them."""
    html = _page(client, played["facilitator"], played["workshop"])
    section = html[html.index('data-testid="table-ranking"') :]
    rows = re.findall(r'data-dots="(\d+)" data-voters="(\d+)"', section)
    assert rows == [("3", "2"), ("3", "2"), ("0", "0")]
    assert 'data-testid="dot-summary" data-dots="6" data-voters="3"' in html


def test_the_matrix_has_a_map_a_table_and_quick_wins_first(client, played):
    """The averaged items are drawn on the map, listed in a table, quick wins first."""
    html = _page(client, played["facilitator"], played["workshop"])
    assert 'data-testid="matrix-map"' in html
    assert html.count('data-testid="matrix-point"') == 2
    rows = html[html.index('data-testid="table-matrix"') :]
    assert rows.index('data-quadrant="quick_wins"') < rows.index('data-quadrant="major_projects"')
    assert "Marche à pied" in html[html.index('data-testid="matrix-unrated"') :]


def test_chantiers_show_pilot_steps_due_date_and_who_does_what(client, played):
    """Each chantier with its pilot, first steps and due date; the grid of people × roles."""
    html = _page(client, played["facilitator"], played["workshop"])
    assert html.count('data-testid="chantier"') == 2
    assert "Cartographier les coupures" in html
    assert 'data-testid="chantier-pilot">DDT<' in html
    assert html.count('data-testid="who-person"') == 3
    who = html[html.index('data-testid="table-who"') :]
    assert "Camille" in who and "Dominique" in who


def test_the_page_links_to_every_export(client, played):
    """The page offers the printable page, its download, and the three file exports."""
    html = _page(client, played["facilitator"], played["workshop"])
    workshop = played["workshop"]
    for fmt in ("md", "csv", "xlsx"):
        assert reverse("workshops_synthesis:export", args=[workshop.pk, fmt]) in html
    assert reverse("workshops_synthesis:print", args=[workshop.pk]) + "?telecharger=1" in html

"""Deleting an activity asks first, and says what goes with it: the counts shown are what
the deletion then removes (notes, clusters, dots, ratings, chantiers and their sign-ups),
so a facilitator never loses the participants' work, or chantiers kept for follow-up, by
one mistaken click."""

import pytest
from django.utils import translation

from ruche.workshops import models
from tests.workshops.helpers import row_counts
from tests.workshops.synthesis_helpers import played_workshop

pytestmark = pytest.mark.django_db

# row_counts' keys by model; the page names them as the interface does (in French).
ROWS = {
    models.Note: "notes",
    models.Cluster: "clusters",
    models.Dot: "dots",
    models.Rating: "ratings",
    models.Chantier: "chantiers",
    models.Commitment: "commitments",
}


def label(model):
    with translation.override("fr"):
        return str(model._meta.verbose_name_plural).capitalize()


@pytest.mark.parametrize("which", ["ideation", "grouping", "dotvote", "matrix", "plan"])
def test_the_confirmation_counts_what_the_deletion_removes(client, which):
    """The GET page lists, per sort of contribution, exactly the rows the POST deletes
    (the ideation's notes take other activities' dots and ratings on them along), and
    deletes nothing itself."""
    w = played_workshop()
    workshop, activity = w["workshop"], w[which]
    client.force_login(w["facilitator"])
    url = f"/ateliers/{workshop.pk}/activites/{activity.pk}/supprimer/"
    before = row_counts(workshop)
    response = client.get(url)
    assert response.status_code == 200
    lost = dict(response.context["lost"])
    assert lost, "every activity of a played workshop holds contributions"
    assert row_counts(workshop) == before
    assert client.post(url).status_code == 302
    after = row_counts(workshop)
    removed = {
        label(model): before[key] - after[key]
        for model, key in ROWS.items()
        if before[key] - after[key]
    }
    assert lost == removed
    assert bool(response.context["has_chantiers"]) == (which == "plan")


def test_the_page_asks_before_deleting_the_chantiers(client):
    """On the action plan, the page warns that the chantiers' follow-up goes too, and its
    only button is a POST to the same address."""
    w = played_workshop()
    client.force_login(w["facilitator"])
    url = f"/ateliers/{w['workshop'].pk}/activites/{w['plan'].pk}/supprimer/"
    page = client.get(url).content.decode()
    assert 'data-testid="deletion-lost"' in page
    assert 'data-testid="deletion-chantiers"' in page
    assert '<form method="post" data-testid="delete-activity-form">' in page

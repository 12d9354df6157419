"""Chantiers outlive the workshop: the organisation follows them up on one page."""

import pytest

from ruche.core.broadcast import events_since
from ruche.workshops.actions import do_set_state, run_message
from ruche.workshops.models import Chantier
from tests.factories import MembershipFactory
from tests.workshops.helpers import join, make_workshop

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)


@pytest.fixture
def decided():
    """An ended workshop whose action plan decided one chantier with a contributor."""
    w = make_workshop()
    workshop, plan = w["workshop"], w["plan"]
    run_message(workshop.pk, None, True, {"type": "activity.open", "activity": str(plan.pk)})
    ack = run_message(
        workshop.pk, None, True, {"type": "chantier.add", "title": "Plan vélo", "pilot": "DDT"}
    )
    _participant, attendee = join(workshop, "Camille")
    run_message(
        workshop.pk,
        attendee.pk,
        False,
        {"type": "commitment.set", "chantier": ack["chantier"], "role": "contributor"},
    )
    do_set_state(workshop, "ended")
    w["chantier"] = Chantier.objects.get(pk=ack["chantier"])
    return w


def test_members_see_the_organisations_chantiers_with_who_signed_up(client, decided):
    """Any member of the organisation lists its chantiers, their pilot and their people."""
    member = MembershipFactory(organisation=decided["workshop"].organisation, role="member").user
    login(client, member)
    page = client.get(f"/structures/{decided['workshop'].organisation_id}/chantiers/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Plan vélo" in text and "DDT" in text and "Camille" in text
    assert "/suivi/" not in text  # a member reads, a facilitator follows up


def test_other_organisations_cannot_list_them(client, decided):
    """A member of another organisation gets a 403."""
    login(client, MembershipFactory(role="admin").user)
    page = client.get(f"/structures/{decided['workshop'].organisation_id}/chantiers/")
    assert page.status_code == 403


def test_facilitator_follows_up_after_the_workshop_ended(client, decided):
    """After the workshop, a facilitator sets status, due date and notes; it is broadcast."""
    chantier, workshop = decided["chantier"], decided["workshop"]
    login(client, decided["facilitator"])
    before = events_since(workshop.group_name, 0)[-1]["seq"]
    response = client.post(
        f"/chantiers/{chantier.pk}/suivi/",
        {
            "title": "Plan vélo",
            "status": "in_progress",
            "pilot": "DDT 35",
            "contributors": "",
            "due_on": "2027-03-01",
            "first_steps": "Recenser les itinéraires",
            "follow_up": "Réunion de lancement le 12 janvier",
        },
    )
    assert response.status_code == 302
    chantier.refresh_from_db()
    assert (chantier.status, chantier.pilot, str(chantier.due_on)) == (
        "in_progress",
        "DDT 35",
        "2027-03-01",
    )
    event = events_since(workshop.group_name, before)[-1]
    assert event["payload"]["upsert"]["chantiers"][0]["status"] == "in_progress"
    listed = client.get(f"/structures/{workshop.organisation_id}/chantiers/?statut=in_progress")
    assert "Réunion de lancement" in listed.content.decode()
    done = client.get(f"/structures/{workshop.organisation_id}/chantiers/?statut=done")
    assert "Plan vélo" not in done.content.decode()


def test_a_bad_date_is_a_form_error_and_changes_nothing(client, decided):
    """An invalid due date is refused with a 400 form error; the chantier is unchanged."""
    chantier = decided["chantier"]
    login(client, decided["facilitator"])
    response = client.post(
        f"/chantiers/{chantier.pk}/suivi/",
        {"title": "Autre", "status": "done", "due_on": "31/31/2027"},
    )
    assert response.status_code == 400
    chantier.refresh_from_db()
    assert (chantier.title, chantier.status) == ("Plan vélo", "planned")


@pytest.mark.parametrize("role", ["member", "outsider"])
def test_only_facilitators_follow_up(client, decided, role):
    """Members and outsiders cannot open the follow-up form (403)."""
    organisation = decided["workshop"].organisation
    user = (
        MembershipFactory(organisation=organisation, role="member").user
        if role == "member"
        else MembershipFactory(role="facilitator").user
    )
    login(client, user)
    response = client.get(f"/chantiers/{decided['chantier'].pk}/suivi/")
    assert response.status_code == 403


def test_unknown_chantier_is_a_404(client, decided):
    """A malformed or unknown id is a 404, not a 500."""
    login(client, decided["facilitator"])
    assert client.get("/chantiers/nope/suivi/").status_code == 404


def test_the_follow_up_form_keeps_a_field_changed_live_meanwhile(client):
    """The form saves only what its user changed: a pilot changed in the console while the
    follow-up page was open stays as the console set it."""
    w = make_workshop()
    workshop, plan = w["workshop"], w["plan"]
    run_message(workshop.pk, None, True, {"type": "activity.open", "activity": str(plan.pk)})
    chantier_id = run_message(
        workshop.pk, None, True, {"type": "chantier.add", "title": "Plan vélo", "pilot": "DDT"}
    )["chantier"]
    login(client, w["facilitator"])
    url = f"/chantiers/{chantier_id}/suivi/"
    page = client.get(url)
    assert 'name="initial-pilot"' in page.content.decode()
    form = page.context["form"]
    shown = {name: form[name].value() or "" for name in form.fields}
    run_message(
        workshop.pk,
        None,
        True,
        {"type": "chantier.edit", "chantier": chantier_id, "title": "Plan vélo", "pilot": "Mairie"},
    )
    posted = {**shown, "status": "in_progress"}
    posted.update({f"initial-{name}": value for name, value in shown.items()})
    assert client.post(url, posted).status_code == 302
    chantier = Chantier.objects.get(pk=chantier_id)
    assert (chantier.pilot, chantier.status) == ("Mairie", "in_progress")

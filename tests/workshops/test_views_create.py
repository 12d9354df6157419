"""Creating a workshop: standalone for an organisation, or inside a process phase."""

import pytest

from ruche.workshops.models import Workshop
from tests.factories import MembershipFactory, PhaseFactory, ProcessFactory

pytestmark = pytest.mark.django_db


def test_facilitator_creates_a_standalone_workshop(client, make_member, organisation):
    """A facilitator creates a workshop with no phase, in draft, and goes on to prepare it."""
    facilitator = make_member("facilitator")
    client.force_login(facilitator)
    url = f"/structures/{organisation.pk}/ateliers/nouveau/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "Coup de pouce", "description": "Une heure."})
    workshop = Workshop.objects.get()
    assert response.status_code == 302
    assert response.url == f"/ateliers/{workshop.pk}/preparer/"
    assert (workshop.organisation, workshop.phase, workshop.state) == (organisation, None, "draft")
    assert workshop.created_by == facilitator
    assert workshop.description == "Une heure."


def test_facilitator_creates_a_workshop_in_a_phase(client, make_member, organisation):
    """From the process edit page, a workshop is created in the chosen phase."""
    process = ProcessFactory(organisation=organisation, status="open")
    phase = PhaseFactory(process=process)
    client.force_login(make_member("facilitator"))
    url = f"/demarches/{process.pk}/phases/{phase.pk}/ateliers/nouveau/"
    page = client.get(url)
    assert page.status_code == 200
    assert phase.title in page.content.decode()
    response = client.post(url, {"title": "Atelier des solutions"})
    workshop = Workshop.objects.get()
    assert response.url == f"/ateliers/{workshop.pk}/preparer/"
    assert workshop.phase == phase
    assert workshop.organisation == organisation


def test_title_is_required(client, make_member, organisation):
    """Without a title the form comes back with its error and nothing is created."""
    client.force_login(make_member("facilitator"))
    response = client.post(f"/structures/{organisation.pk}/ateliers/nouveau/", {"title": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["title"]
    assert not Workshop.objects.exists()


@pytest.mark.parametrize("role", ["member", "outsider"])
def test_only_facilitators_create(client, organisation, role):
    """Members and other organisations' admins cannot create a workshop here."""
    org = organisation if role == "member" else None
    user = (
        MembershipFactory(organisation=org, role="member").user
        if org
        else MembershipFactory(role="admin").user
    )
    client.force_login(user)
    process = ProcessFactory(organisation=organisation, status="open")
    phase = PhaseFactory(process=process)
    for url in (
        f"/structures/{organisation.pk}/ateliers/nouveau/",
        f"/demarches/{process.pk}/phases/{phase.pk}/ateliers/nouveau/",
    ):
        assert client.get(url).status_code == 403
        assert client.post(url, {"title": "Non"}).status_code == 403
    assert not Workshop.objects.exists()


def test_signed_out_visitor_is_asked_to_log_in(client, organisation):
    """Creating needs an account: a visitor is sent to the login page."""
    response = client.get(f"/structures/{organisation.pk}/ateliers/nouveau/")
    assert response.status_code == 302
    assert response.url.startswith("/connexion/")


def test_list_page_shows_the_organisations_workshops(client, make_member, organisation):
    """The workshops page lists each organisation's workshops; facilitators get the link to
    prepare them and a "new workshop" button, members a link to follow them."""
    from ruche.workshops import actions

    workshop = actions.do_create_workshop(organisation=organisation, title="Atelier mobilités")
    client.force_login(make_member("facilitator"))
    html = client.get("/ateliers/").content.decode()
    assert "Atelier mobilités" in html
    assert f"/ateliers/{workshop.pk}/preparer/" in html
    assert f"/structures/{organisation.pk}/ateliers/nouveau/" in html
    client.force_login(make_member("member"))
    html = client.get(f"/structures/{organisation.pk}/ateliers/").content.decode()
    assert f'href="/ateliers/{workshop.pk}/"' in html
    assert "/preparer/" not in html
    assert "/ateliers/nouveau/" not in html


def test_dashboard_block_lists_live_workshops_first(rf, make_member, organisation):
    """The dashboard block ({% dashboard_workshops %}) puts live workshops first, hides
    drafts from members and offers "new workshop" to facilitators only."""
    from django.template import Context, Template

    from ruche.workshops import actions

    draft = actions.do_create_workshop(organisation=organisation, title="Brouillon")
    live = actions.do_create_workshop(organisation=organisation, title="En direct")
    actions.do_set_state(live, "live")
    template = Template("{% load workshops_tags %}{% dashboard_workshops organisation %}")

    def render(user):
        request = rf.get("/")
        request.user = user
        return template.render(Context({"request": request, "organisation": organisation}))

    html = render(make_member("facilitator"))
    assert html.index("En direct") < html.index("Brouillon")
    assert f"/structures/{organisation.pk}/ateliers/nouveau/" in html
    html = render(make_member("member"))
    assert "En direct" in html and draft.title not in html
    assert "/ateliers/nouveau/" not in html

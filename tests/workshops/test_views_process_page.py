"""A phase's workshops on the process page and on the process edit page."""

import pytest

from ruche.workshops import actions
from tests.factories import PhaseFactory, ProcessFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def phase(organisation):
    process = ProcessFactory(organisation=organisation, status="open", visibility="public")
    return PhaseFactory(process=process, title="Imaginer")


def workshop_in(phase, title, state):
    workshop = actions.do_create_workshop(
        organisation=phase.process.organisation, phase=phase, title=title
    )
    if state != "draft":
        actions.do_set_state(workshop, "live")
    if state == "ended":
        actions.do_set_state(workshop, "ended")
    return workshop


def test_process_page_lists_the_phase_workshops(client, make_member, phase):
    """Facilitators see every workshop of the phase with a link to prepare it, drafts too."""
    draft = workshop_in(phase, "Atelier en préparation", "draft")
    live = workshop_in(phase, "Atelier en cours", "live")
    client.force_login(make_member("facilitator"))
    html = client.get(f"/demarches/{phase.process_id}/").content.decode()
    assert html.count('data-testid="workshop-item"') == 2
    assert f"/ateliers/{draft.pk}/preparer/" in html
    assert f"/ateliers/{live.pk}/preparer/" in html


def test_members_follow_and_visitors_only_see_opened_workshops(client, make_member, phase):
    """Members get a link to follow a workshop; visitors see its title and state without a
    link; a draft is shown to neither."""
    workshop_in(phase, "Atelier en préparation", "draft")
    ended = workshop_in(phase, "Atelier terminé", "ended")
    html = client.get(f"/demarches/{phase.process_id}/").content.decode()
    assert "Atelier terminé" in html
    assert "Atelier en préparation" not in html
    assert f"/ateliers/{ended.pk}/" not in html
    client.force_login(make_member("member"))
    html = client.get(f"/demarches/{phase.process_id}/").content.decode()
    assert f'href="/ateliers/{ended.pk}/"' in html
    assert "Atelier en préparation" not in html
    assert "/preparer/" not in html


def test_edit_page_lists_workshops_and_offers_to_add_one(client, make_member, phase):
    """The process edit page lists each phase's workshops next to its consultations, with an
    "add a workshop" link for the phase."""
    workshop = workshop_in(phase, "Atelier des solutions", "draft")
    client.force_login(make_member("facilitator"))
    html = client.get(f"/demarches/{phase.process_id}/modifier/").content.decode()
    assert 'data-testid="phase-workshop"' in html
    assert f"/ateliers/{workshop.pk}/preparer/" in html
    assert f"/demarches/{phase.process_id}/phases/{phase.pk}/ateliers/nouveau/" in html

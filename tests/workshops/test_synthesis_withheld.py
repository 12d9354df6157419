"""What the room has not seen yet stays out of a member's synthesis while the workshop runs:
unrevealed notes and dot results. Facilitators see everything; once ended, everyone does."""

import pytest
from django.urls import reverse

from ruche.workshops import actions
from ruche.workshops.synthesis import build_synthesis
from tests.factories import MembershipFactory
from tests.workshops.helpers import join, make_workshop

pytestmark = pytest.mark.django_db

SECRET = "Une idée pas encore révélée"


@pytest.fixture
def live():
    w = make_workshop()
    _, attendee = join(w["workshop"], "Camille")
    prompt = w["ideation"].prompts.first()
    actions.run_message(
        w["workshop"].pk,
        attendee.pk,
        False,
        {"type": "note.add", "prompt": str(prompt.pk), "text": SECRET},
    )
    return w


def _html(client, user, workshop):
    client.force_login(user)
    return client.get(reverse("workshops_synthesis:synthesis", args=[workshop.pk])).content.decode()


def test_a_member_does_not_read_unrevealed_notes(client, live):
    """Before the reveal, a member who is not a facilitator sees a notice, not the notes."""
    member = MembershipFactory(organisation=live["workshop"].organisation, role="member").user
    html = _html(client, member, live["workshop"])
    assert SECRET not in html
    assert 'data-testid="section-withheld"' in html


def test_the_facilitator_reads_them_with_a_notice(client, live):
    """The facilitator sees the notes, marked as not revealed to the room yet."""
    html = _html(client, live["facilitator"], live["workshop"])
    assert SECRET in html
    assert 'data-testid="section-unrevealed"' in html


def test_notes_derived_activities_are_withheld_too(live):
    """Activities built on an unrevealed ideation (grouping, votes…) are withheld as well."""
    document = build_synthesis(live["workshop"], facilitator=False)
    assert [s.withheld for s in document.sections] == [True, True, True, True, True]
    actions.run_message(
        live["workshop"].pk,
        None,
        True,
        {"type": "activity.reveal", "activity": str(live["ideation"].pk), "revealed": True},
    )
    document = build_synthesis(live["workshop"], facilitator=False)
    # The dot results stay hidden until their own reveal.
    assert [s.withheld for s in document.sections] == [False, False, True, False, False]


def test_everything_shows_once_the_workshop_has_ended(client, live):
    """An ended workshop's synthesis is its whole outcome, revealed or not."""
    actions.do_set_state(live["workshop"], "ended")
    member = MembershipFactory(organisation=live["workshop"].organisation, role="member").user
    html = _html(client, member, live["workshop"])
    assert SECRET in html
    assert 'data-testid="section-withheld"' not in html

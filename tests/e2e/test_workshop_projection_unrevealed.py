"""The projection shows the room only what the room may read. It runs on the facilitator's
state, which keeps the texts of notes the facilitator hid from the room again by undoing
an ideation's reveal: a dot vote or a matrix on those notes must not show them on the big
screen (participants no longer see them either)."""

import pytest
from playwright.sync_api import expect

from ruche.workshops import actions
from ruche.workshops.actions import run_message
from tests.e2e.workshop_pages import log_in, off_loop
from tests.workshops.helpers import join, make_workshop

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = "Une navette entre les deux gares"


def room_voting_on_notes():
    """A live workshop whose current activity is a dot vote (results shown) on the notes of
    a revealed ideation, one of which has a dot, then a matrix on the same notes."""
    built = make_workshop()
    workshop, ideation = built["workshop"], built["ideation"]
    built["vote"] = actions.do_add_activity(
        workshop, kind="dotvote", title="Vote direct", source=ideation
    )
    built["rate"] = actions.do_add_activity(
        workshop, kind="matrix", title="Matrice directe", source=ideation
    )
    _, camille = join(workshop, "Camille")
    prompt = str(ideation.prompts.get(position=1).pk)

    def send(message, attendee=None):
        attendee_id = str(attendee.pk) if attendee else None
        return run_message(workshop.pk, attendee_id, attendee is None, message)

    note = send({"type": "note.add", "prompt": prompt, "text": TEXT}, camille)["note"]
    send({"type": "activity.reveal", "activity": str(ideation.pk), "revealed": True})
    send({"type": "activity.open", "activity": str(built["vote"].pk)})
    send({"type": "dot.set", "item": note, "count": 1}, camille)
    send({"type": "activity.reveal", "activity": str(built["vote"].pk), "revealed": True})
    built["send"] = send
    built["note"] = note
    built["camille"] = camille
    return built


def test_undoing_the_reveal_takes_the_notes_off_the_projection(asgi_server, new_page):
    """Once the ideation's reveal is undone, the dot vote's ranking and the matrix on its
    notes no longer show their text on the projection, live and after a reload."""
    built = off_loop(room_voting_on_notes)
    workshop, send = built["workshop"], built["send"]
    projection = new_page(asgi_server)
    log_in(projection, built["facilitator"].email)
    projection.goto(f"/ateliers/{workshop.pk}/projection/")
    ranking = projection.get_by_test_id("projection-ranking")
    expect(ranking.locator("li")).to_have_count(1)
    expect(ranking).to_contain_text(TEXT)

    ideation = str(built["ideation"].pk)
    off_loop(send, {"type": "activity.reveal", "activity": ideation, "revealed": False})
    expect(ranking.locator("li")).to_have_count(0)
    expect(projection.locator("body")).not_to_contain_text(TEXT)
    projection.reload()
    expect(projection.get_by_test_id("projection-activity")).to_have_text("Vote direct")
    expect(projection.locator("body")).not_to_contain_text(TEXT)

    # The matrix on the same notes: rated before the reveal was undone, shown without text.
    off_loop(send, {"type": "activity.reveal", "activity": ideation, "revealed": True})
    off_loop(send, {"type": "activity.open", "activity": str(built["rate"].pk)})
    rating = {"type": "rating.set", "item": built["note"], "impact": 8, "ease": 9}
    off_loop(send, rating, built["camille"])
    expect(projection.get_by_test_id("quadrant-quick_wins")).to_contain_text(TEXT)
    off_loop(send, {"type": "activity.reveal", "activity": ideation, "revealed": False})
    expect(projection.get_by_test_id("matrix-point")).to_have_count(0)
    expect(projection.locator("body")).not_to_contain_text(TEXT)

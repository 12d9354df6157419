"""The synthesis of activities whose items are notes (no grouping in between), and the
impact / ease map's geometry."""

import pytest
from django.utils import translation

from ruche.workshops import actions
from ruche.workshops.exports import to_markdown
from ruche.workshops.synthesis import build_synthesis, matrix_chart
from tests.factories import MembershipFactory
from tests.workshops.helpers import join

pytestmark = pytest.mark.django_db


def test_votes_ratings_and_chantiers_on_notes():
    """Dot voting, the matrix and the action plan can work on an ideation's notes: the
    synthesis names each note by its text."""
    facilitator = MembershipFactory(role="facilitator").user
    workshop = actions.do_create_workshop(
        organisation=facilitator.memberships.get().organisation, title="Coup de pouce"
    )
    ideation = actions.do_add_activity(workshop, kind="ideation", title="Idées", prompts=["Q"])
    dotvote = actions.do_add_activity(workshop, kind="dotvote", title="Vote", source=ideation)
    matrix = actions.do_add_activity(workshop, kind="matrix", title="Matrice", source=ideation)
    plan = actions.do_add_activity(workshop, kind="actionplan", title="Plan", source=ideation)
    actions.do_set_state(workshop, "live")
    _, attendee = join(workshop, "")

    def send(message, attendee_id=attendee.pk, facilitator=False):
        return actions.run_message(workshop.pk, attendee_id, facilitator, message)

    prompt = str(ideation.prompts.get().pk)
    note = send({"type": "note.add", "prompt": prompt, "text": "Un marché couvert"})["note"]
    send({"type": "activity.open", "activity": str(dotvote.pk)}, None, True)
    send({"type": "dot.set", "item": note, "count": 2})
    send({"type": "activity.open", "activity": str(matrix.pk)}, None, True)
    send({"type": "rating.set", "item": note, "impact": 2, "ease": 9})
    send({"type": "activity.open", "activity": str(plan.pk)}, None, True)
    chantier = send({"type": "chantier.add", "title": "Halle", "item": note}, None, True)
    send({"type": "commitment.set", "chantier": chantier["chantier"], "role": "expert"})
    actions.do_set_state(workshop, "ended")

    with translation.override("en"):
        sections = {s.kind: s.data for s in build_synthesis(workshop).sections}
    assert sections["dotvote"]["ranking"][0] == {
        "rank": 1,
        "label": "Un marché couvert",
        "dots": 2,
        "voters": 1,
        "share": 100,
    }
    fill_ins = next(q for q in sections["matrix"]["quadrants"] if q["key"] == "fill_ins")
    assert [item["label"] for item in fill_ins["items"]] == ["Un marché couvert"]
    chantier = sections["actionplan"]["chantiers"][0]
    assert chantier["item"] == "Un marché couvert"
    assert sections["actionplan"]["grid"] == [{"title": "Halle", "cells": ["Expert"]}]
    assert sections["actionplan"]["people"] == ["Anonymous 1"]


def test_the_map_puts_quick_wins_top_right():
    """Ease grows to the right and impact upwards: (10, 10) is the top-right corner."""
    chart = matrix_chart(
        [
            {"number": 1, "label": "a", "impact": 10, "ease": 10},
            {"number": 2, "label": "b", "impact": 0, "ease": 0},
        ]
    )
    top_right, bottom_left = chart.points
    assert (top_right.x, top_right.y) == (chart.right, chart.top)
    assert (bottom_left.x, bottom_left.y) == (chart.left, chart.bottom)
    assert chart.left < chart.mid_x < chart.right and chart.top < chart.mid_y < chart.bottom


def test_items_at_the_same_place_are_drawn_side_by_side():
    """Two items with the same averages do not hide each other on the map."""
    chart = matrix_chart(
        [
            {"number": 1, "label": "a", "impact": 7, "ease": 7},
            {"number": 2, "label": "b", "impact": 7, "ease": 7},
            {"number": 3, "label": "c", "impact": 7, "ease": 7},
        ]
    )
    xs = [point.x for point in chart.points]
    assert len(set(xs)) == 3
    assert min(abs(a - b) for a in xs for b in xs if a != b) >= 2 * chart.radius


def test_a_chantier_from_a_hidden_note_does_not_carry_its_text():
    """A note the facilitator hid after a chantier was made from it stays out of the
    synthesis and its exports: the chantier names it a hidden note."""
    facilitator = MembershipFactory(role="facilitator").user
    workshop = actions.do_create_workshop(
        organisation=facilitator.memberships.get().organisation, title="Coup de pouce"
    )
    ideation = actions.do_add_activity(workshop, kind="ideation", title="Idées", prompts=["Q"])
    plan = actions.do_add_activity(workshop, kind="actionplan", title="Plan", source=ideation)
    actions.do_set_state(workshop, "live")
    _, attendee = join(workshop, "")
    prompt = str(ideation.prompts.get().pk)
    text = "M. Dupont bloque tout"
    note = actions.run_message(
        workshop.pk, attendee.pk, False, {"type": "note.add", "prompt": prompt, "text": text}
    )["note"]
    for message in (
        {"type": "activity.reveal", "activity": str(ideation.pk), "revealed": True},
        {"type": "activity.open", "activity": str(plan.pk)},
        {"type": "chantier.add", "title": "Débloquer", "item": note},
        {"type": "note.hide", "activity": str(ideation.pk), "note": note, "hidden": True},
    ):
        actions.run_message(workshop.pk, None, True, message)
    actions.do_set_state(workshop, "ended")

    with translation.override("en"):
        for facilitator_view in (False, True):
            document = build_synthesis(workshop, facilitator=facilitator_view)
            plan_data = next(s.data for s in document.sections if s.kind == "actionplan")
            assert plan_data["chantiers"][0]["item"] == "Hidden note"
            if not facilitator_view:
                assert text not in to_markdown(document)

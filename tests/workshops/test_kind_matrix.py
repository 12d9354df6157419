"""Impact / ease matrix: each person rates items 0–10 on both axes; the room sees the
averages (rating_avgs), each rater their own marks (my_ratings); the synthesis sorts the
items into quadrants."""

import pytest

from ruche.workshops.activities.matrix import Matrix
from ruche.workshops.models import Rating
from tests.workshops.helpers import (
    events_for,
    first_prompt,
    join,
    last_seq,
    make_workshop,
    run,
    state_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    w = make_workshop()
    workshop = w["workshop"]
    w["a"], w["b"] = join(workshop, "Camille")[1], join(workshop, "Dominique")[1]
    prompt = first_prompt(w)
    notes = [
        run(workshop, w["a"], "note.add", prompt=prompt, text=t)["note"]
        for t in ("Vélo", "Bus", "Marché", "Fête")
    ]
    run(workshop, "facilitator", "activity.open", activity=str(w["grouping"].pk))
    w["items"] = [
        run(workshop, "facilitator", "cluster.add", name=name, notes=[note])["cluster"]
        for name, note in zip(("Vélo", "Bus", "Marché", "Fête"), notes, strict=True)
    ]
    run(workshop, "facilitator", "activity.open", activity=str(w["matrix"].pk))
    return w


def rate(w, actor, item, impact, ease):
    reply = run(w["workshop"], actor, "rating.set", item=item, impact=impact, ease=ease)
    assert reply["type"] == "ack", reply


def average(w, item, actor=None):
    return state_of(w["workshop"], actor)["rating_avgs"][f"{w['matrix'].pk}:{item}"]


def test_the_room_sees_averages(w):
    """Two ratings of one item give their averages and the number of raters."""
    rate(w, w["a"], w["items"][0], 8, 3)
    rate(w, w["b"], w["items"][0], 5, 6)
    row = average(w, w["items"][0])
    assert (row["n"], row["impact"], row["ease"]) == (2, 6.5, 4.5)


def test_rating_again_replaces_ones_marks(w):
    """Rating the same item again replaces the marks (one rating per person and item)."""
    rate(w, w["a"], w["items"][0], 8, 3)
    rate(w, w["a"], w["items"][0], 2, 10)
    assert Rating.objects.filter(rater=w["a"]).count() == 1
    row = average(w, w["items"][0])
    assert (row["n"], row["impact"], row["ease"]) == (1, 2, 10)


def test_own_marks_go_to_the_rater_only(w):
    """my_ratings reach only the rater; others get the averages."""
    since = last_seq(w["workshop"])
    rate(w, w["a"], w["items"][0], 7, 7)
    (for_b,) = events_for(w["workshop"], w["b"], since)
    assert set(for_b["payload"]["upsert"]) == {"rating_avgs"}
    (for_a,) = events_for(w["workshop"], w["a"], since)
    assert for_a["payload"]["upsert"]["my_ratings"][0]["impact"] == 7
    assert state_of(w["workshop"], w["b"])["my_ratings"] == {}
    mine = state_of(w["workshop"], w["a"])["my_ratings"]
    assert [(r["impact"], r["ease"]) for r in mine.values()] == [(7, 7)]


def test_the_extremes_are_accepted(w):
    """0 and 10 are valid marks."""
    rate(w, w["a"], w["items"][0], 0, 10)
    rate(w, w["b"], w["items"][0], 10, 0)
    row = average(w, w["items"][0])
    assert (row["impact"], row["ease"]) == (5, 5)


def test_the_synthesis_sorts_items_into_quadrants(w):
    """Above 5 is high: quick wins (high impact, easy), major projects, fill-ins, thankless
    tasks; unrated items are listed apart."""
    rate(w, w["a"], w["items"][0], 9, 9)
    rate(w, w["a"], w["items"][1], 9, 2)
    rate(w, w["a"], w["items"][2], 2, 9)
    synthesis = Matrix.synthesis(w["matrix"])
    by_key = {q["key"]: [i["label"] for i in q["items"]] for q in synthesis["quadrants"]}
    assert by_key == {
        "quick_wins": ["Vélo"],
        "major_projects": ["Bus"],
        "fill_ins": ["Marché"],
        "thankless": [],
    }
    assert synthesis["unrated"] == ["Fête"]

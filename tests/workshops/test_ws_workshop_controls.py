"""The facilitator's controls of the whole workshop: the timer (start, pause, resume, add,
reset), the input lock, opening activities back and forth, and reveals."""

import datetime

import pytest
from freezegun import freeze_time

from ruche.workshops import actions
from ruche.workshops.models import Workshop
from tests.workshops.helpers import first_prompt, join, make_workshop, run, state_of

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 11, 22, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def clock():
    with freeze_time(START) as frozen:
        yield frozen


@pytest.fixture
def w():
    w = make_workshop()
    w["a"] = join(w["workshop"], "Camille")[1]
    return w


def control(w, message_type, **fields):
    reply = run(w["workshop"], "facilitator", message_type, **fields)
    assert reply["type"] == "ack", reply
    return reply


def timer(w, actor="facilitator") -> dict:
    workshop = state_of(w["workshop"], actor)["workshop"][str(w["workshop"].pk)]
    return workshop["timer"]


def at(seconds) -> str:
    return (START + datetime.timedelta(seconds=seconds)).isoformat()


# --- Timer ---------------------------------------------------------------------------------


def test_starting_the_timer(w, clock):
    """timer.start runs it for the given seconds: it ends at now + seconds. A running
    timer is its end time only (clients count down to it), so the state does not change
    with time and a replay equals a fresh load."""
    control(w, "timer.start", seconds=300)
    expected = {"running": True, "ends_at": at(300), "remaining": None, "total": 300}
    assert timer(w, w["a"]) == expected


def test_pausing_keeps_the_remaining_time_and_resuming_restarts_it(w, clock):
    """Paused after 100 s of 300, 200 s remain and nothing runs; resumed 50 s later, it ends
    200 s after the resume."""
    control(w, "timer.start", seconds=300)
    clock.tick(100)
    control(w, "timer.pause")
    assert timer(w) == {"running": False, "ends_at": None, "remaining": 200, "total": 300}
    clock.tick(50)
    assert timer(w)["remaining"] == 200
    control(w, "timer.resume")
    assert timer(w) == {"running": True, "ends_at": at(350), "remaining": None, "total": 300}


def test_adding_time_while_running_and_while_paused(w, clock):
    """timer.add moves the end (running) or the remaining time (paused); the total grows
    when the remaining time passes it."""
    control(w, "timer.start", seconds=60)
    control(w, "timer.add", seconds=30)
    assert timer(w) == {"running": True, "ends_at": at(90), "remaining": None, "total": 90}
    control(w, "timer.pause")
    control(w, "timer.add", seconds=-60)
    assert timer(w) == {"running": False, "ends_at": None, "remaining": 30, "total": 90}


def test_removing_more_time_than_remains_stops_at_zero(w, clock):
    """Removing more than the remaining time stops the timer at 0 seconds (never negative)."""
    control(w, "timer.start", seconds=60)
    control(w, "timer.add", seconds=-600)
    state = timer(w)
    assert (state["running"], state["ends_at"], state["remaining"]) == (False, None, 0)


def test_a_timer_that_ran_out_is_not_running(w, clock):
    """Once its end has passed, the state still holds the end time (clients show 0:00 past
    it); pausing then leaves 0 seconds, and resume does not restart a timer with nothing
    left."""
    control(w, "timer.start", seconds=10)
    clock.tick(11)
    assert timer(w)["ends_at"] == at(10)
    control(w, "timer.pause")
    control(w, "timer.resume")
    assert timer(w) == {"running": False, "ends_at": None, "remaining": 0, "total": 10}


def test_resetting_clears_the_timer(w, clock):
    """timer.reset clears it entirely."""
    control(w, "timer.start", seconds=60)
    control(w, "timer.reset")
    assert timer(w) == {"running": False, "ends_at": None, "remaining": None, "total": None}


def test_resume_or_pause_without_a_timer_changes_nothing(w, clock):
    """Pausing or resuming when no timer was started leaves it cleared."""
    control(w, "timer.pause")
    control(w, "timer.resume")
    assert timer(w) == {"running": False, "ends_at": None, "remaining": None, "total": None}


@pytest.mark.parametrize(
    ("message_type", "seconds"),
    [
        ("timer.start", 0),
        ("timer.start", -5),
        ("timer.start", 4 * 3600 + 1),
        ("timer.start", "60"),
        ("timer.start", None),
        ("timer.start", 1.5),
        ("timer.add", 4 * 3600 + 1),
        ("timer.add", True),
    ],
)
def test_timer_durations_out_of_range_are_invalid(w, message_type, seconds):
    """Durations are whole seconds, from 1 to 4 hours for a start (± 4 hours for add)."""
    reply = run(w["workshop"], "facilitator", message_type, seconds=seconds)
    assert reply == {"type": "error", "code": "invalid"}
    assert timer(w)["total"] is None


def test_ending_the_workshop_stops_the_timer(w, clock):
    """Ending the workshop freezes a running timer at its remaining time."""
    control(w, "timer.start", seconds=300)
    clock.tick(60)
    actions.do_set_state(w["workshop"], "ended")
    clock.tick(60)
    assert timer(w) == {"running": False, "ends_at": None, "remaining": 240, "total": 300}


# --- Lock ----------------------------------------------------------------------------------


def test_locking_and_unlocking_input(w):
    """workshop.lock sets input_locked for everyone to see; participants' notes are refused
    until unlocked."""
    prompt = first_prompt(w)
    control(w, "workshop.lock", locked=True)
    assert state_of(w["workshop"], w["a"])["workshop"][str(w["workshop"].pk)]["input_locked"]
    reply = run(w["workshop"], w["a"], "note.add", prompt=prompt, text="x")
    assert reply == {"type": "error", "code": "locked"}
    control(w, "workshop.lock", locked=False)
    assert run(w["workshop"], w["a"], "note.add", prompt=prompt, text="x")["type"] == "ack"


@pytest.mark.parametrize("locked", [None, "true", 1])
def test_lock_needs_a_boolean(w, locked):
    """workshop.lock with anything but true/false is malformed."""
    reply = run(w["workshop"], "facilitator", "workshop.lock", locked=locked)
    assert reply == {"type": "error", "code": "malformed"}
    assert Workshop.objects.get(pk=w["workshop"].pk).input_locked is False


# --- Opening activities --------------------------------------------------------------------


def test_opening_activities_back_and_forth(w):
    """The facilitator opens any activity, later or earlier; participants write in the
    current one only, and again in an activity reopened."""
    prompt = first_prompt(w)
    assert run(w["workshop"], w["a"], "note.add", prompt=prompt, text="1")["type"] == "ack"
    control(w, "activity.open", activity=str(w["dotvote"].pk))
    current = state_of(w["workshop"], w["a"])["workshop"][str(w["workshop"].pk)]
    assert current["current_activity"] == str(w["dotvote"].pk)
    reply = run(w["workshop"], w["a"], "note.add", prompt=prompt, text="2")
    assert reply == {"type": "error", "code": "wrong_activity"}
    control(w, "activity.open", activity=str(w["ideation"].pk))
    assert run(w["workshop"], w["a"], "note.add", prompt=prompt, text="3")["type"] == "ack"
    control(w, "activity.open", activity=str(w["ideation"].pk))  # reopening is harmless
    assert w["ideation"].notes.count() == 2


def test_opening_needs_an_activity_of_this_workshop(w):
    """activity.open without an activity is malformed; another workshop's is not_found."""
    other = make_workshop()
    reply = run(w["workshop"], "facilitator", "activity.open")
    assert reply == {"type": "error", "code": "malformed"}
    reply = run(w["workshop"], "facilitator", "activity.open", activity=str(other["plan"].pk))
    assert reply == {"type": "error", "code": "not_found"}


def test_reveal_needs_a_boolean(w):
    """activity.reveal without a true/false "revealed" is malformed and reveals nothing."""
    activity = str(w["ideation"].pk)
    reply = run(w["workshop"], "facilitator", "activity.reveal", activity=activity)
    assert reply == {"type": "error", "code": "malformed"}
    w["ideation"].refresh_from_db()
    assert w["ideation"].revealed is False


def test_the_facilitator_acts_on_a_non_current_activity(w):
    """The facilitator may act on an activity that is not the current one by naming it
    (hide a note of the ideation while the dot vote runs)."""
    note = run(w["workshop"], w["a"], "note.add", prompt=first_prompt(w), text="x")["note"]
    control(w, "activity.open", activity=str(w["dotvote"].pk))
    reply = run(w["workshop"], "facilitator", "note.hide", note=note, hidden=True)
    assert reply == {"type": "error", "code": "wrong_activity"}
    control(w, "note.hide", note=note, hidden=True, activity=str(w["ideation"].pk))

"""Phases keep a gap-free order: added last, moved by swapping, renumbered on deletion."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from ruche.processes import actions
from ruche.processes.models import Phase
from tests.factories import PhaseFactory, ProcessFactory

pytestmark = pytest.mark.django_db


def add(process, title, starts_on=None, ends_on=None):
    return actions.do_add_phase(
        process, title=title, description="", starts_on=starts_on, ends_on=ends_on
    )


def titles(process):
    return list(Phase.objects.filter(process=process).values_list("title", "position"))


def test_phases_are_added_last():
    """A new phase takes the next position."""
    process = ProcessFactory()
    for title in ("A", "B", "C"):
        add(process, title)
    assert titles(process) == [("A", 1), ("B", 2), ("C", 3)]


def test_moving_swaps_with_the_neighbour_and_stops_at_the_ends():
    """Moving up or down swaps two neighbours; the first cannot go up, the last down."""
    process = ProcessFactory()
    a, b, c = (add(process, t) for t in "ABC")
    actions.do_move_phase(c, -1)
    assert titles(process) == [("A", 1), ("C", 2), ("B", 3)]
    actions.do_move_phase(a, -1)
    actions.do_move_phase(b, +1)
    assert titles(process) == [("A", 1), ("C", 2), ("B", 3)]


def test_deleting_renumbers_the_others():
    """After a deletion, positions are 1, 2, 3… again; deleting twice is harmless."""
    process = ProcessFactory()
    a = add(process, "A")
    add(process, "B")
    add(process, "C")
    actions.do_delete_phase(a)
    actions.do_delete_phase(a)
    assert titles(process) == [("B", 1), ("C", 2)]
    assert add(process, "D").position == 3


def test_end_before_start_is_refused():
    """A phase cannot end before it starts."""
    with pytest.raises(ValidationError):
        PhaseFactory(starts_on=datetime.date(2026, 3, 2), ends_on=datetime.date(2026, 3, 1))


def test_current_phases_are_those_running_today_in_an_open_process():
    """A phase is current from its start to its end date inclusive, and only while open."""
    today = datetime.date(2026, 5, 10)
    process = ProcessFactory(status="open")
    past = add(process, "Past", datetime.date(2026, 4, 1), datetime.date(2026, 5, 9))
    now = add(process, "Now", datetime.date(2026, 5, 1), datetime.date(2026, 5, 10))
    open_ended = add(process, "Open-ended", datetime.date(2026, 5, 10))
    add(process, "Undated")
    add(process, "Future", datetime.date(2026, 5, 11))
    assert not past.is_current(today)
    assert [p.title for p in process.current_phases(today)] == [now.title, open_ended.title]
    actions.do_set_status(process, "closed")
    assert process.current_phases(today) == []

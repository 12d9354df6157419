"""Test helpers shipped with the code, so every app's permission tests read the same way.

A permission matrix is written as a table, one row per role and one column per object state:

    assert_permission_matrix(
        "consultations.vote",
        '''
                     draft  open  closed
        anonymous    no     yes   no
        facilitator  yes    yes   no
        ''',
        user_for_role=lambda role, obj: ...,
        object_for_state=lambda state: ...,
    )

Every cell is checked and all mismatches are reported together.
"""

from collections.abc import Callable

YES = {"yes", "y", "✓", "1", "true"}
NO = {"no", "n", "✗", "0", "false"}


def parse_matrix(table: str) -> dict[tuple[str, str], bool]:
    lines = [line.split() for line in table.strip().splitlines() if line.strip()]
    if len(lines) < 2:
        raise ValueError("A permission matrix needs a header line and at least one role")
    states, rows = lines[0], lines[1:]
    expected: dict[tuple[str, str], bool] = {}
    for row in rows:
        role, cells = row[0], row[1:]
        if len(cells) != len(states):
            raise ValueError(f"Row {role!r} has {len(cells)} cells for {len(states)} states")
        for state, cell in zip(states, cells, strict=True):
            if cell.lower() in YES:
                expected[(role, state)] = True
            elif cell.lower() in NO:
                expected[(role, state)] = False
            else:
                raise ValueError(f"Cell {cell!r} for ({role}, {state}) must be yes or no")
    return expected


def assert_permission_matrix(
    perm: str,
    table: str,
    *,
    user_for_role: Callable[[str, object], object],
    object_for_state: Callable[[str], object],
) -> None:
    mismatches = []
    for (role, state), allowed in parse_matrix(table).items():
        obj = object_for_state(state)
        user = user_for_role(role, obj)
        actual = user.has_perm(perm, obj)
        if actual != allowed:
            mismatches.append(
                f"{perm}: {role} × {state}: expected {'allowed' if allowed else 'refused'}, "
                f"got {'allowed' if actual else 'refused'}"
            )
    assert not mismatches, "\n".join(mismatches)

"""Who may run, follow, join and read a workshop, as `rules` predicates.

Running a workshop (console, projection, settings) is for the organisation's facilitators
and administrators. Its members may follow it live and read its synthesis. Anyone with the
code may join while it is live; a participant who joined keeps following it, and sees it
read-only once ended. Participants are not users: the join and follow checks on them are
made in `queries.access` with their attendee row.
"""

import rules

from ruche.accounts.rules import is_facilitator, is_member
from ruche.workshops.models import Workshop


@rules.predicate
def is_workshop_facilitator(user, workshop) -> bool:
    return is_facilitator(user, workshop.organisation)


@rules.predicate
def is_workshop_member(user, workshop) -> bool:
    return is_member(user, workshop.organisation)


@rules.predicate
def is_live(user, workshop) -> bool:
    return workshop.state == Workshop.State.LIVE


@rules.predicate
def is_draft(user, workshop) -> bool:
    return workshop.state == Workshop.State.DRAFT


rules.add_perm("workshops.run_workshop", is_workshop_facilitator)
rules.add_perm("workshops.view_workshop", is_workshop_facilitator | is_workshop_member)
rules.add_perm("workshops.view_synthesis", is_workshop_facilitator | is_workshop_member)
# Checked on an Organisation: who may create a workshop there.
rules.add_perm("workshops.add_workshop", is_facilitator)
# Joining with the code: anyone while live (the facilitators also while preparing, to try).
rules.add_perm("workshops.join_workshop", is_live | (is_workshop_facilitator & is_draft))


def workshop_abilities(user, workshop) -> dict[str, bool]:
    return {
        "run": user.has_perm("workshops.run_workshop", workshop),
        "view": user.has_perm("workshops.view_workshop", workshop),
        "synthesis": user.has_perm("workshops.view_synthesis", workshop),
        "join": user.has_perm("workshops.join_workshop", workshop),
    }

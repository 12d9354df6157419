"""Who may see and run a process, as `rules` predicates.

A draft is seen only by the organisation's facilitators and administrators. Once open
(and when closed or archived), visibility decides: public → everyone, anonymous included;
members → the organisation's members; link → its members, plus whoever holds the link (the
token is checked in `queries.access_process`, not here).
"""

import rules

from ruche.accounts.rules import is_facilitator, is_member
from ruche.processes.models import Process


@rules.predicate
def is_draft(user, process) -> bool:
    return process.status == Process.Status.DRAFT


@rules.predicate
def is_public(user, process) -> bool:
    return process.visibility == Process.Visibility.PUBLIC


@rules.predicate
def is_member_of_process_organisation(user, process) -> bool:
    return is_member(user, process.organisation)


@rules.predicate
def is_facilitator_of_process_organisation(user, process) -> bool:
    return is_facilitator(user, process.organisation)


can_view_process = is_facilitator_of_process_organisation | (
    ~is_draft & (is_public | is_member_of_process_organisation)
)

rules.add_perm("processes.view_process", can_view_process)
rules.add_perm("processes.change_process", is_facilitator_of_process_organisation)
# Checked on an Organisation: who may start a process there.
rules.add_perm("processes.add_process", is_facilitator)


def process_abilities(user, process) -> dict[str, bool]:
    """What the interface may offer this user on this process (templates read this)."""
    return {
        "view": user.has_perm("processes.view_process", process),
        "change": user.has_perm("processes.change_process", process),
    }

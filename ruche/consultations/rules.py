"""Who may see, join, run and read a consultation, as `rules` predicates.

Seeing a consultation follows its process (processes.rules): a draft process hides its
consultations from everyone but the organisation's facilitators. Taking part needs the
consultation open (see `Consultation.state`); the access mode (anonymous, email domain,
account) is checked when the person enters (`queries.entry_requirement`), not here. The
synthesis is for the facilitators, and for everyone who sees the consultation once a
facilitator makes it public.
"""

import rules

from ruche.consultations.models import Consultation
from ruche.processes.rules import can_view_process, is_facilitator_of_process_organisation


@rules.predicate
def can_view_consultation(user, consultation) -> bool:
    return can_view_process(user, consultation.process)


@rules.predicate
def is_consultation_facilitator(user, consultation) -> bool:
    return is_facilitator_of_process_organisation(user, consultation.process)


@rules.predicate
def is_open(user, consultation) -> bool:
    return consultation.state() == Consultation.State.OPEN


@rules.predicate
def results_are_public(user, consultation) -> bool:
    return consultation.results_public


rules.add_perm("consultations.view_consultation", can_view_consultation)
rules.add_perm("consultations.participate", can_view_consultation & is_open)
rules.add_perm("consultations.change_consultation", is_consultation_facilitator)
rules.add_perm("consultations.moderate", is_consultation_facilitator)
rules.add_perm(
    "consultations.view_report",
    is_consultation_facilitator | (can_view_consultation & results_are_public),
)


def consultation_abilities(user, consultation) -> dict[str, bool]:
    """What the interface may offer this user on this consultation (templates read this)."""
    return {
        "view": user.has_perm("consultations.view_consultation", consultation),
        "participate": user.has_perm("consultations.participate", consultation),
        "change": user.has_perm("consultations.change_consultation", consultation),
        "moderate": user.has_perm("consultations.moderate", consultation),
        "report": user.has_perm("consultations.view_report", consultation),
    }

"""Activity kinds, by name. Adding a kind is one module here plus one line in `KINDS`."""

from ruche.workshops.activities.actionplan import ActionPlan
from ruche.workshops.activities.dotvote import DotVote
from ruche.workshops.activities.grouping import Grouping
from ruche.workshops.activities.ideation import Ideation
from ruche.workshops.activities.matrix import Matrix

KINDS = {kind.kind: kind for kind in (Ideation, Grouping, DotVote, Matrix, ActionPlan)}

# Every message type an activity handles → (kind name, handler). Types are unique.
MESSAGE_TYPES = {
    message_type: (kind.kind, handler)
    for kind in KINDS.values()
    for message_type, handler in kind.handlers.items()
}
assert len(MESSAGE_TYPES) == sum(len(kind.handlers) for kind in KINDS.values())

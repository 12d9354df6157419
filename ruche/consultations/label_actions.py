"""Facilitators' writes on the synthesis: names of groups and themes, quotes of themes.

A `Label` is keyed by the item's `key` in the analysis results; recomputation carries keys
over (analysis.carry_keys), so a name stays on the group or theme that shares most members
with the one it was given to. Both actions are upserts in a transaction: sending the same
form twice (a retried submit) leaves the same row.
"""

import uuid

from django.db import transaction
from django.utils.translation import gettext as _

from ruche.consultations.actions import ConsultationError
from ruche.consultations.models import AnalysisResult, Answer, Label
from ruche.consultations.queries import latest_result

NAME_MAX_LENGTH = Label._meta.get_field("name").max_length
MAX_PICKED_QUOTES = 5


def _keys_in_latest(consultation, kind) -> set[str]:
    result = latest_result(consultation, kind)
    if result is None:
        return set()
    if kind == AnalysisResult.Kind.OPINIONS:
        return {group["key"] for group in result.data.get("groups", [])}
    return {
        theme["key"]
        for question in result.data.get("questions", [])
        for theme in question.get("themes", [])
    }


def check_item(consultation, kind: str, key: str) -> None:
    if kind not in AnalysisResult.Kind.values:
        raise ConsultationError(_("Unknown kind of item."), status=400)
    if key not in _keys_in_latest(consultation, kind):
        raise ConsultationError(
            _("This group or theme no longer exists: the analysis was recomputed."), status=409
        )


@transaction.atomic
def do_name_item(consultation, kind: str, key: str, name: str) -> Label:
    """Name the group or theme `key` of the latest analysis; an empty name restores the default."""
    check_item(consultation, kind, key)
    name = " ".join((name or "").split())
    if len(name) > NAME_MAX_LENGTH:
        raise ConsultationError(
            _("A name has at most %(n)d characters.") % {"n": NAME_MAX_LENGTH}, status=400
        )
    label, _created = Label.objects.select_for_update().get_or_create(
        consultation=consultation, kind=kind, key=key
    )
    if label.name != name:
        label.name = name
        label.save(update_fields=["name", "updated_at"])
    return label


def check_quotes(consultation, answer_ids) -> list[str]:
    """The given answer ids, in order and without repeats, if all are visible answers here."""
    ids = []
    for answer_id in answer_ids:
        try:
            value = str(uuid.UUID(str(answer_id)))
        except ValueError as error:
            raise ConsultationError(_("Unknown answer."), status=400) from error
        if value not in ids:
            ids.append(value)
    if len(ids) > MAX_PICKED_QUOTES:
        raise ConsultationError(
            _("Pick at most %(n)d quotes.") % {"n": MAX_PICKED_QUOTES}, status=400
        )
    found = {
        str(pk)
        for pk in Answer.objects.filter(
            question__consultation=consultation, hidden=False, pk__in=ids
        ).values_list("pk", flat=True)
    }
    if set(ids) - found:
        raise ConsultationError(
            _("Only visible answers of this consultation can be quoted."), status=400
        )
    return ids


@transaction.atomic
def do_pick_quotes(consultation, key: str, answer_ids) -> Label:
    """Quote these answers (in this order) for the theme `key`; none restores the engine's."""
    check_item(consultation, AnalysisResult.Kind.THEMES, key)
    ids = check_quotes(consultation, answer_ids)
    label, _created = Label.objects.select_for_update().get_or_create(
        consultation=consultation, kind=AnalysisResult.Kind.THEMES, key=key
    )
    if label.quotes != ids:
        label.quotes = ids
        label.save(update_fields=["quotes", "updated_at"])
    return label

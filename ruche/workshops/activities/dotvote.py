"""Dot voting: N dots per person, at most `cap` on one item, results hidden until reveal."""

from django.db.models import Count, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ruche.workshops.activities.base import (
    ActivityKind,
    Handler,
    WorkshopError,
    find_item,
    integer,
    item_fields,
    item_label,
    items_of,
)
from ruche.workshops.live import Patch
from ruche.workshops.models import Dot
from ruche.workshops.serialize import item_id


def _key(activity, item) -> str:
    return f"{activity.pk}:{item}"


def totals(activity) -> dict:
    figures = activity.dots.aggregate(dots=Sum("count"), voters=Count("voter", distinct=True))
    return {"id": str(activity.pk), "dots": figures["dots"] or 0, "voters": figures["voters"]}


def counts(activity, item=None) -> list[dict]:
    """Dots per item (only items with dots), optionally for one item."""
    dots = activity.dots.all()
    if item is not None:
        dots = dots.filter(**{k: v for k, v in item_fields(item).items() if v is not None})
    rows = dots.values("note", "cluster").annotate(total=Sum("count"))
    result = []
    for row in rows:
        item_key = str(row["note"] or row["cluster"])
        result.append(
            {
                "id": _key(activity, item_key),
                "activity": str(activity.pk),
                "item": item_key,
                "count": row["total"],
            }
        )
    return result


def _put_counts(patch: Patch, activity, rows, revealed: bool) -> None:
    target = patch if revealed else patch.only_for((), facilitators=True)
    for row in rows:
        target.put("dot_counts", row)


def set_dots(actor, activity, message) -> Patch:
    voter = actor.require_attendee()
    cap, budget = activity.config["cap"], activity.config["dots"]
    count = integer(message, "count", 0, cap)
    # Dots can always be taken back, even from a note hidden since they were placed.
    item = find_item(activity, message.get("item"), hidden=count == 0)
    fields = item_fields(item)
    mine = Dot.objects.filter(activity=activity, voter=voter)
    current = mine.filter(**{k: v for k, v in fields.items() if v is not None}).first()
    used_elsewhere = (mine.aggregate(total=Sum("count"))["total"] or 0) - (
        current.count if current else 0
    )
    if used_elsewhere + count > budget:
        raise WorkshopError(
            "no_dots_left",
            _("You have %(left)d dots left out of %(budget)d.")
            % {"left": budget - used_elsewhere, "budget": budget},
        )
    if current is not None and count == 0:
        current.delete()
    elif current is not None:
        current.count = count
        current.save(update_fields=["count"])
    elif count > 0:
        Dot.objects.create(activity=activity, voter=voter, count=count, **fields)
    key = _key(activity, str(item.pk))
    patch = Patch()
    patch.put("dot_totals", totals(activity))
    rows = counts(activity, item)
    if rows:
        _put_counts(patch, activity, rows, activity.revealed)
    else:  # no dots left on it: the snapshot has no row for it either
        target = patch if activity.revealed else patch.only_for((), facilitators=True)
        target.remove("dot_counts", key)
    mine_part = patch.only_for([voter.pk])
    if count:
        mine_part.put(
            "my_dots",
            {"id": key, "activity": str(activity.pk), "item": str(item.pk), "count": count},
        )
    else:
        mine_part.remove("my_dots", key)
    return patch


class DotVote(ActivityKind):
    kind = "dotvote"
    label = gettext_lazy("Dot voting")
    source_kinds = ("ideation", "grouping")
    handlers = {"dot.set": Handler(set_dots)}

    @classmethod
    def clean_config(cls, config):
        dots = config.get("dots", 5)
        dots = dots if isinstance(dots, int) and 1 <= dots <= 20 else 5
        cap = config.get("cap", 3)
        cap = cap if isinstance(cap, int) and 1 <= cap <= dots else min(3, dots)
        return {"dots": dots, "cap": cap}

    @classmethod
    def reveal(cls, activity, patch: Patch) -> None:
        rows = counts(activity)
        if not activity.revealed:  # hidden again: the room forgets the counts it was shown
            for row in rows:
                patch.remove("dot_counts", row["id"])
        _put_counts(patch, activity, rows, activity.revealed)

    @classmethod
    def state(cls, activity, viewer, patch):
        patch.put("dot_totals", totals(activity))
        if activity.revealed or viewer.facilitator:
            _put_counts(patch, activity, counts(activity), activity.revealed)
        if viewer.attendee is not None:
            mine = patch.only_for([viewer.attendee])
            for dot in activity.dots.filter(voter_id=viewer.attendee):
                mine.put(
                    "my_dots",
                    {
                        "id": _key(activity, item_id(dot)),
                        "activity": str(activity.pk),
                        "item": item_id(dot),
                        "count": dot.count,
                    },
                )

    @classmethod
    def ranking(cls, activity) -> list[dict]:
        by_item = {row["item"]: row["count"] for row in counts(activity)}
        ranked = [
            {"item": item, "label": item_label(item), "dots": by_item.get(str(item.pk), 0)}
            for item in items_of(activity)
        ]
        ranked.sort(key=lambda row: -row["dots"])
        return ranked

    @classmethod
    def synthesis(cls, activity):
        figures = totals(activity)
        return {
            "voters": figures["voters"],
            "dots": figures["dots"],
            "ranking": [
                {"label": row["label"], "dots": row["dots"]} for row in cls.ranking(activity)
            ],
        }

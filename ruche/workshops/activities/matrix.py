"""Impact / ease matrix: everyone rates items 0–10 on two axes; the room sees the averages."""

from django.db.models import Avg, Count
from django.utils.translation import gettext_lazy

from ruche.workshops.activities.base import (
    ActivityKind,
    Handler,
    find_item,
    integer,
    item_fields,
    item_label,
    items_of,
)
from ruche.workshops.live import Patch
from ruche.workshops.models import Rating
from ruche.workshops.serialize import item_id

MIDDLE = 5  # a mark above 5 is on the "high" side of an axis


def _key(activity, item) -> str:
    return f"{activity.pk}:{item}"


def averages(activity, item=None) -> list[dict]:
    ratings = activity.ratings.all()
    if item is not None:
        ratings = ratings.filter(**{k: v for k, v in item_fields(item).items() if v is not None})
    rows = ratings.values("note", "cluster").annotate(
        n=Count("id"), impact=Avg("impact"), ease=Avg("ease")
    )
    return [
        {
            "id": _key(activity, row["note"] or row["cluster"]),
            "activity": str(activity.pk),
            "item": str(row["note"] or row["cluster"]),
            "n": row["n"],
            "impact": round(row["impact"], 2),
            "ease": round(row["ease"], 2),
        }
        for row in rows
    ]


def set_rating(actor, activity, message) -> Patch:
    rater = actor.require_attendee()
    item = find_item(activity, message.get("item"))
    impact = integer(message, "impact", 0, 10)
    ease = integer(message, "ease", 0, 10)
    fields = item_fields(item)
    Rating.objects.update_or_create(
        activity=activity,
        rater=rater,
        **fields,
        defaults={"impact": impact, "ease": ease},
    )
    patch = Patch()
    for row in averages(activity, item):
        patch.put("rating_avgs", row)
    key = _key(activity, item.pk)
    patch.only_for([rater.pk]).put(
        "my_ratings",
        {
            "id": key,
            "activity": str(activity.pk),
            "item": str(item.pk),
            "impact": impact,
            "ease": ease,
        },
    )
    return patch


def quadrant(impact: float, ease: float) -> str:
    high_impact, easy = impact > MIDDLE, ease > MIDDLE
    if high_impact and easy:
        return "quick_wins"
    if high_impact:
        return "major_projects"
    if easy:
        return "fill_ins"
    return "thankless"


QUADRANTS = (
    ("quick_wins", gettext_lazy("Quick wins (high impact, easy)")),
    ("major_projects", gettext_lazy("Major projects (high impact, hard)")),
    ("fill_ins", gettext_lazy("Fill-ins (low impact, easy)")),
    ("thankless", gettext_lazy("Thankless tasks (low impact, hard)")),
)


class Matrix(ActivityKind):
    kind = "matrix"
    label = gettext_lazy("Impact / ease matrix")
    source_kinds = ("ideation", "grouping")
    handlers = {"rating.set": Handler(set_rating)}

    @classmethod
    def clean_config(cls, config):
        return {}

    @classmethod
    def state(cls, activity, viewer, patch):
        for row in averages(activity):
            patch.put("rating_avgs", row)
        if viewer.attendee is not None:
            mine = patch.only_for([viewer.attendee])
            for rating in activity.ratings.filter(rater_id=viewer.attendee):
                mine.put(
                    "my_ratings",
                    {
                        "id": _key(activity, item_id(rating)),
                        "activity": str(activity.pk),
                        "item": item_id(rating),
                        "impact": rating.impact,
                        "ease": rating.ease,
                    },
                )

    @classmethod
    def synthesis(cls, activity):
        by_item = {row["item"]: row for row in averages(activity)}
        quadrants = {key: [] for key, _label in QUADRANTS}
        unrated = []
        for item in items_of(activity):
            row = by_item.get(str(item.pk))
            if row is None:
                unrated.append(item_label(item))
                continue
            quadrants[quadrant(row["impact"], row["ease"])].append(
                {
                    "label": item_label(item),
                    "impact": row["impact"],
                    "ease": row["ease"],
                    "n": row["n"],
                }
            )
        for rows in quadrants.values():
            rows.sort(key=lambda row: (-(row["impact"] + row["ease"]), row["label"]))
        return {
            "quadrants": [
                {"key": key, "label": str(label), "items": quadrants[key]}
                for key, label in QUADRANTS
            ],
            "unrated": unrated,
        }

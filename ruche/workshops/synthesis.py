"""The workshop synthesis: every activity's output, in order, as one document.

`build_synthesis(workshop, facilitator=…)` reads each activity kind's `synthesis()` (see
`activities/`) and adds what the page and the exports need beyond it: the workshop's
figures, the dot-voting voters per item and shared ranks, the matrix drawn as points on a
2 × 2 map, and the "qui peut faire quoi" grid (chantiers × people × role). The synthesis
page (`views_synthesis`) and the exports (`exports.py`) both render this document, so
they always say the same thing.

What a viewer may read follows the room's rules: notes and dot results the facilitator has
not revealed yet are *withheld* from members who are not facilitators while the workshop
runs (the room itself has not seen them); once the workshop has ended, the synthesis is
its whole outcome. The count of notes the facilitator hid is shown to facilitators only.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Min, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ruche.workshops.activities import KINDS
from ruche.workshops.activities.base import item_label
from ruche.workshops.activities.dotvote import DotVote
from ruche.workshops.activities.matrix import MIDDLE
from ruche.workshops.models import (
    Activity,
    Chantier,
    Cluster,
    Commitment,
    CommitmentRole,
    Dot,
    Note,
    Rating,
    Workshop,
)

VIEW_SYNTHESIS = "workshops.view_synthesis"
RUN = "workshops.run_workshop"

# Kinds with a template of their own in templates/workshops/synthesis/; others (a kind added
# later) show their title and instructions through generic.html until they get one.
TEMPLATED_KINDS = ("ideation", "grouping", "dotvote", "matrix", "actionplan")

# Short quadrant names for the map's corners (the lists use the long ones from matrix.py).
QUADRANT_SHORT = {
    "quick_wins": gettext_lazy("Quick wins"),
    "major_projects": gettext_lazy("Major projects"),
    "fill_ins": gettext_lazy("Fill-ins"),
    "thankless": gettext_lazy("Thankless tasks"),
}
ROLE_ORDER = {role: rank for rank, role in enumerate(CommitmentRole.values)}


def access_synthesis(user, workshop_id) -> Workshop:
    """The workshop if `user` may read its synthesis; 404 for an unknown id, 403 otherwise."""
    try:
        workshop = Workshop.objects.select_related("organisation", "phase__process").get(
            pk=workshop_id
        )
    except (Workshop.DoesNotExist, ValidationError, ValueError) as error:
        raise Http404(_("This workshop does not exist.")) from error
    if not user.has_perm(VIEW_SYNTHESIS, workshop):
        raise PermissionDenied(_("You may not read this workshop's synthesis."))
    return workshop


# --- The document ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    participants: int
    notes: int
    clusters: int
    dots: int
    ratings: int
    chantiers: int
    commitments: int

    @property
    def contributions(self) -> int:
        """Everything people added: notes, clusters, dots, ratings, chantiers, sign-ups."""
        parts = (self.notes, self.clusters, self.dots, self.ratings, self.chantiers)
        return sum(parts) + self.commitments


@dataclass
class Section:
    """One activity of the workshop and its output (`data`: the kind's synthesis, enriched)."""

    activity: Activity
    number: int
    kind_label: str
    data: dict
    # The room has not seen this output yet, and this viewer may not read it before them.
    withheld: bool = False
    # Not revealed to the room yet (shown to facilitators as a notice).
    unrevealed: bool = False

    @property
    def kind(self) -> str:
        return self.activity.kind

    @property
    def anchor(self) -> str:
        return f"activity-{self.number}"

    @property
    def template(self) -> str:
        name = self.kind if self.kind in TEMPLATED_KINDS else "generic"
        return f"workshops/synthesis/{name}.html"

    @property
    def source_title(self) -> str:
        return self.activity.source.title if self.activity.source_id else ""


@dataclass
class WorkshopSynthesis:
    workshop: Workshop
    facilitator: bool
    figures: Figures
    held_on: object  # a date
    sections: list[Section] = field(default_factory=list)

    @property
    def organisation(self):
        return self.workshop.organisation

    @property
    def phase(self):
        return self.workshop.phase

    @property
    def process(self):
        return self.workshop.process

    def of_kind(self, kind: str) -> list[Section]:
        """The sections of one kind whose output this viewer may read."""
        return [s for s in self.sections if s.kind == kind and not s.withheld]


def build_synthesis(workshop: Workshop, *, facilitator: bool = False) -> WorkshopSynthesis:
    """The synthesis as `facilitator` (or a member who is not one) may read it."""
    ended = workshop.state == Workshop.State.ENDED
    document = WorkshopSynthesis(
        workshop=workshop,
        facilitator=facilitator,
        figures=_figures(workshop),
        held_on=_held_on(workshop),
    )
    activities = list(workshop.activities.select_related("source__source"))
    for number, activity in enumerate(activities, start=1):
        unrevealed = _unrevealed(activity)
        section = Section(
            activity=activity,
            number=number,
            kind_label=str(KINDS[activity.kind].label) if activity.kind in KINDS else activity.kind,
            data={},
            unrevealed=unrevealed,
            withheld=unrevealed and not (facilitator or ended),
        )
        if activity.kind in KINDS and not section.withheld:
            section.data = dict(KINDS[activity.kind].synthesis(activity))
            enrich = ENRICH.get(activity.kind)
            if enrich is not None:
                enrich(activity, section.data, facilitator=facilitator)
        document.sections.append(section)
    return document


def _figures(workshop) -> Figures:
    in_workshop = {"activity__workshop": workshop}
    return Figures(
        participants=workshop.attendees.count(),
        notes=Note.objects.filter(hidden=False, **in_workshop).count(),
        clusters=Cluster.objects.filter(**in_workshop).count(),
        dots=Dot.objects.filter(**in_workshop).aggregate(n=Sum("count"))["n"] or 0,
        ratings=Rating.objects.filter(**in_workshop).count(),
        chantiers=Chantier.objects.filter(**in_workshop).count(),
        commitments=Commitment.objects.filter(chantier__activity__workshop=workshop).count(),
    )


def _held_on(workshop):
    """The day the room worked: its first note's, else the day the workshop was created."""
    first = Note.objects.filter(activity__workshop=workshop).aggregate(first=Min("created_at"))
    moment = first["first"] or workshop.created_at
    return timezone.localdate(moment)


def _chain(activity):
    """The activity and the activities its items come from (source, source's source…)."""
    seen = set()
    while activity is not None and activity.pk not in seen:
        seen.add(activity.pk)
        yield activity
        activity = activity.source


def _unrevealed(activity) -> bool:
    """Whether the room has not seen this activity's output yet: it, or an activity it
    takes its items from, is of a kind that reveals (ideation, dot voting) and is not
    revealed."""
    return any(hasattr(KINDS.get(a.kind), "reveal") and not a.revealed for a in _chain(activity))


# --- Enrichments per kind ------------------------------------------------------------------


def _ideation(activity, data, *, facilitator):
    if not facilitator:
        data["hidden"] = None
    data["count"] = sum(len(prompt["notes"]) for prompt in data.get("prompts", []))


def _grouping(activity, data, *, facilitator):
    data["grouped"] = sum(len(cluster["notes"]) for cluster in data.get("clusters", []))


def _dotvote(activity, data, *, facilitator):
    """Dots and voters per item, with shared ranks for ties (1, 1, 3…)."""
    voters = {
        str(row["note"] or row["cluster"]): row["voters"]
        for row in activity.dots.values("note", "cluster").annotate(
            voters=Count("voter", distinct=True)
        )
    }
    ranking = []
    previous, rank = None, 0
    for position, row in enumerate(DotVote.ranking(activity), start=1):
        if row["dots"] != previous:
            rank, previous = position, row["dots"]
        ranking.append(
            {
                "rank": rank,
                "label": row["label"],
                "dots": row["dots"],
                "voters": voters.get(str(row["item"].pk), 0),
            }
        )
    most = max((row["dots"] for row in ranking), default=0)
    for row in ranking:
        row["share"] = round(100 * row["dots"] / most) if most else 0
    data["ranking"] = ranking
    data["config"] = activity.config


def _matrix(activity, data, *, facilitator):
    """Number the rated items in list order (quick wins first) and place them on the map."""
    number = 0
    points = []
    for quadrant in data.get("quadrants", []):
        quadrant["short"] = str(QUADRANT_SHORT.get(quadrant["key"], quadrant["label"]))
        for item in quadrant["items"]:
            number += 1
            item["number"] = number
            item["quadrant"] = quadrant["key"]
            item["quadrant_label"] = quadrant["label"]
            points.append(item)
    data["rated"] = points
    data["chart"] = matrix_chart(points) if points else None


def _actionplan(activity, data, *, facilitator):
    """Each chantier's item and people (numbered when anonymous), and the who-does-what grid."""
    # The same query as the kind's synthesis, so the same chantiers in the same order.
    chantiers = list(activity.chantiers.select_related("note", "cluster"))
    rows = data.get("chantiers", [])
    commitments = list(
        Commitment.objects.filter(chantier__activity=activity)
        .select_related("attendee")
        .order_by("created_at", "id")
    )
    people, anonymous = {}, 0
    for commitment in commitments:
        attendee = commitment.attendee
        if attendee.pk in people:
            continue
        if attendee.display_name:
            name = attendee.display_name
        else:
            anonymous += 1
            name = _("Anonymous %(number)d") % {"number": anonymous}
        people[attendee.pk] = name
    roles = dict(CommitmentRole.choices)
    by_chantier = {}
    for commitment in commitments:
        by_chantier.setdefault(commitment.chantier_id, {})[commitment.attendee_id] = commitment.role
    grid = []
    for chantier, row in zip(chantiers, rows, strict=False):
        item = chantier.note or chantier.cluster
        row["item"] = item_label(item) if item is not None else ""
        row["status"] = chantier.get_status_display()
        mine = by_chantier.get(chantier.pk, {})
        row["people"] = sorted(
            (
                {"name": people[attendee], "role": str(roles[role]), "role_key": role}
                for attendee, role in mine.items()
            ),
            key=lambda person: (ROLE_ORDER[person["role_key"]], person["name"].lower()),
        )
        grid.append(
            {
                "title": row["title"],
                "cells": [
                    str(roles[mine[attendee]]) if attendee in mine else "" for attendee in people
                ],
            }
        )
    data["people"] = list(people.values())
    data["grid"] = grid


ENRICH = {
    "ideation": _ideation,
    "grouping": _grouping,
    "dotvote": _dotvote,
    "matrix": _matrix,
    "actionplan": _actionplan,
}


# --- The impact / ease map ------------------------------------------------------------------


@dataclass(frozen=True)
class MapPoint:
    number: int
    label: str
    x: float
    y: float
    # Where the number is written: inside the marker.
    text_y: float


@dataclass(frozen=True)
class MatrixChart:
    width: int
    height: int
    left: int
    top: int
    right: int
    bottom: int
    mid_x: float
    mid_y: float
    radius: int
    points: list[MapPoint]
    ticks_x: list[tuple[float, int]]
    ticks_y: list[tuple[float, int]]
    # (x, y, text anchor, key, label) of the four corner labels.
    corners: list[tuple]


def matrix_chart(items: list[dict], size: int = 480) -> MatrixChart:
    """Averaged items on the 2 × 2 map: ease across (0–10), impact upwards (0–10).

    Items at the same place are drawn side by side (the table gives the exact values).
    """
    left, top, right, bottom = 56, 16, size - 16, size - 48
    radius = 11

    def x_of(ease):
        return round(left + (right - left) * ease / 10, 1)

    def y_of(impact):
        return round(bottom - (bottom - top) * impact / 10, 1)

    taken: dict[tuple[int, int], int] = {}
    points = []
    for item in items:
        x, y = x_of(item["ease"]), y_of(item["impact"])
        spot = (round(x / radius), round(y / radius))
        shift = taken.get(spot, 0)
        taken[spot] = shift + 1
        if shift:  # alternate right and left of the place, one marker width each time
            step = (shift + 1) // 2 * 2 * radius * (1 if shift % 2 else -1)
            x = min(max(x + step, left + radius), right - radius)
        points.append(MapPoint(item["number"], item["label"], x, y, round(y + 4, 1)))
    mid_x, mid_y = x_of(MIDDLE), y_of(MIDDLE)
    pad = 8
    corners = [
        (right - pad, top + 18, "end", "quick_wins", QUADRANT_SHORT["quick_wins"]),
        (left + pad, top + 18, "start", "major_projects", QUADRANT_SHORT["major_projects"]),
        (right - pad, bottom - pad, "end", "fill_ins", QUADRANT_SHORT["fill_ins"]),
        (left + pad, bottom - pad, "start", "thankless", QUADRANT_SHORT["thankless"]),
    ]
    return MatrixChart(
        width=size,
        height=size,
        left=left,
        top=top,
        right=right,
        bottom=bottom,
        mid_x=mid_x,
        mid_y=mid_y,
        radius=radius,
        points=points,
        ticks_x=[(x_of(v), v) for v in (0, 5, 10)],
        ticks_y=[(y_of(v), v) for v in (0, 5, 10)],
        corners=[(x, y, anchor, key, str(label)) for x, y, anchor, key, label in corners],
    )

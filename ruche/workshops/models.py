"""Live workshops (ateliers): a facilitator runs a sequence of activities with a room.

A `Workshop` belongs to an organisation, and to a process phase when it is part of a
process (a standalone "coup de pouce" has no phase). People join with the short `code`
without an account (`WorkshopParticipant` ties an `accounts.Participant` to the workshop,
with the name they show). The workshop is a sequence of `Activity` rows; what each kind
does lives in `ruche/workshops/activities/<kind>.py` (see `activities.KINDS`).

Contributions: `Note` (post-its, in a `Prompt` column of an ideation activity), `Cluster`
(groups of notes, made in a grouping activity), `Dot` (dot voting), `Rating` (impact/ease
matrix), `Chantier` and `Commitment` (action plan, "qui peut faire quoi"). Dots, ratings
and chantiers point at an *item*: a note or a cluster (exactly one of the two).

Every change is made by `actions.py` and broadcast on the workshop's live group with a
sequence number (`core.broadcast`), so clients can catch up after a disconnection.
"""

import secrets

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ruche.accounts.models import Organisation, Participant
from ruche.core.models import BaseModel
from ruche.processes.models import Phase

NOTE_MAX_LENGTH = 500
NAME_MAX_LENGTH = 120
# No 0/O, 1/I/L: a code is read aloud and typed on a phone.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class WorkshopState(models.TextChoices):
    DRAFT = "draft", _("In preparation")
    LIVE = "live", _("Live")
    ENDED = "ended", _("Ended")


class Workshop(BaseModel):
    State = WorkshopState

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="workshops"
    )
    phase = models.ForeignKey(
        Phase, on_delete=models.SET_NULL, null=True, blank=True, related_name="workshops"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    code = models.CharField(_("join code"), max_length=CODE_LENGTH, unique=True, default=new_code)
    state = models.CharField(
        _("state"), max_length=10, choices=WorkshopState.choices, default=WorkshopState.DRAFT
    )
    current_activity = models.ForeignKey(
        "Activity", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    input_locked = models.BooleanField(_("input locked"), default=False)
    # Timer: running when `timer_ends_at` is set; paused with `timer_remaining` seconds left.
    timer_ends_at = models.DateTimeField(null=True, blank=True)
    timer_remaining = models.PositiveIntegerField(null=True, blank=True)
    timer_total = models.PositiveIntegerField(null=True, blank=True)
    # The last event that took something back from the room (a note hidden, edited or
    # deleted, a reveal undone, an activity deleted). Events before it still carry what was
    # taken back, so a client that missed it reloads a snapshot instead of replaying them.
    replay_floor = models.PositiveBigIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=WorkshopState.values),
                name="workshops_workshop_valid_state",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def group_name(self) -> str:
        return f"workshop.{self.pk}"

    @property
    def process(self):
        return self.phase.process if self.phase_id else None

    def timer_state(self) -> dict:
        """The timer as clients draw it: remaining seconds now, and whether it runs."""
        now = timezone.now()
        if self.timer_ends_at is not None:
            remaining = max(0, round((self.timer_ends_at - now).total_seconds()))
            return {
                "running": remaining > 0,
                "ends_at": self.timer_ends_at.isoformat(),
                "remaining": remaining,
                "total": self.timer_total,
                "now": now.isoformat(),
            }
        return {
            "running": False,
            "ends_at": None,
            "remaining": self.timer_remaining,
            "total": self.timer_total,
            "now": now.isoformat(),
        }


class Activity(BaseModel):
    """One step of a workshop; its `kind` names the module that runs it."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="activities")
    position = models.PositiveIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=30)
    title = models.CharField(_("title"), max_length=200)
    instructions = models.TextField(_("instructions"), blank=True)
    # Where the items come from: an ideation (its notes) or a grouping (its clusters).
    source = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    config = models.JSONField(_("settings"), default=dict, blank=True)
    revealed = models.BooleanField(_("revealed"), default=False)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["workshop", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "position"], name="workshops_activity_unique_position"
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        from django.core.exceptions import ValidationError

        from ruche.workshops.activities import KINDS

        if self.kind not in KINDS:
            raise ValidationError({"kind": _("Unknown activity kind.")})
        self.config = KINDS[self.kind].clean_config(self.config or {})


class Prompt(BaseModel):
    """A column of an ideation activity ("Ce qui marche", "Je rêve mon territoire en 2050")."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="prompts")
    position = models.PositiveIntegerField()
    text = models.CharField(_("prompt"), max_length=300)

    class Meta:
        verbose_name = _("prompt")
        verbose_name_plural = _("prompts")
        ordering = ["activity", "position"]

    def __str__(self):
        return self.text


class WorkshopParticipant(BaseModel):
    """Someone who joined a workshop, with the name they chose to show (blank: anonymous)."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="attendees")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    display_name = models.CharField(_("name shown"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("workshop participant")
        verbose_name_plural = _("workshop participants")
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "participant"], name="workshops_attendee_unique"
            ),
        ]

    def __str__(self):
        return self.display_name or str(_("Anonymous"))


class Cluster(BaseModel):
    """A named group of notes, made during a grouping activity."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="clusters")
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH, blank=True)
    position = models.PositiveIntegerField(default=0)
    # Idempotency key chosen by the client: a retried "create" returns the same cluster.
    client_key = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        ordering = ["activity", "position", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "client_key"],
                condition=~models.Q(client_key=""),
                name="workshops_cluster_unique_client_key",
            ),
        ]

    def __str__(self):
        return self.name


class Note(BaseModel):
    """A post-it. Private to its author until the facilitator reveals the activity.

    Written only by the ideation and grouping handlers, which validate text, prompt and
    cluster first: no full_clean on save (a room writes many, one at a time, under its lock).
    """

    validate_on_save = False

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="notes")
    prompt = models.ForeignKey(Prompt, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        WorkshopParticipant, on_delete=models.SET_NULL, null=True, blank=True, related_name="notes"
    )
    text = models.TextField(_("text"), validators=[MaxLengthValidator(NOTE_MAX_LENGTH)])
    signed = models.BooleanField(_("signed"), default=False)
    hidden = models.BooleanField(_("hidden by the facilitator"), default=False)
    cluster = models.ForeignKey(
        Cluster, on_delete=models.SET_NULL, null=True, blank=True, related_name="notes"
    )
    client_key = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["activity", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "client_key"],
                condition=~models.Q(client_key=""),
                name="workshops_note_unique_client_key",
            ),
        ]

    def __str__(self):
        return self.text[:60]


def _one_item():
    return models.Q(note__isnull=False, cluster__isnull=True) | models.Q(
        note__isnull=True, cluster__isnull=False
    )


class Dot(models.Model):
    """The dots one person put on one item (0 rows when none)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="dots")
    voter = models.ForeignKey(WorkshopParticipant, on_delete=models.CASCADE, related_name="+")
    note = models.ForeignKey(Note, on_delete=models.CASCADE, null=True, related_name="+")
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, null=True, related_name="+")
    count = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("dot")
        verbose_name_plural = _("dots")
        constraints = [
            models.CheckConstraint(condition=_one_item(), name="workshops_dot_one_item"),
            models.UniqueConstraint(
                fields=["activity", "voter", "note"],
                condition=models.Q(note__isnull=False),
                name="workshops_dot_unique_note",
            ),
            models.UniqueConstraint(
                fields=["activity", "voter", "cluster"],
                condition=models.Q(cluster__isnull=False),
                name="workshops_dot_unique_cluster",
            ),
        ]

    def __str__(self):
        return f"{self.count} × {self.note_id or self.cluster_id}"


class Rating(models.Model):
    """One person's impact and ease marks (0–10) for one item of a matrix activity."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="ratings")
    rater = models.ForeignKey(WorkshopParticipant, on_delete=models.CASCADE, related_name="+")
    note = models.ForeignKey(Note, on_delete=models.CASCADE, null=True, related_name="+")
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, null=True, related_name="+")
    impact = models.PositiveSmallIntegerField(validators=[MaxValueValidator(10)])
    ease = models.PositiveSmallIntegerField(validators=[MaxValueValidator(10)])

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.CheckConstraint(condition=_one_item(), name="workshops_rating_one_item"),
            models.CheckConstraint(
                condition=models.Q(impact__lte=10, ease__lte=10),
                name="workshops_rating_range",
            ),
            models.UniqueConstraint(
                fields=["activity", "rater", "note"],
                condition=models.Q(note__isnull=False),
                name="workshops_rating_unique_note",
            ),
            models.UniqueConstraint(
                fields=["activity", "rater", "cluster"],
                condition=models.Q(cluster__isnull=False),
                name="workshops_rating_unique_cluster",
            ),
        ]

    def __str__(self):
        return f"impact {self.impact}, ease {self.ease}"


class ChantierStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class Chantier(BaseModel):
    """A piece of work decided in the action plan; it outlives the workshop.

    After the workshop the facilitators follow it up (status, pilot, due date) from the
    organisation's chantiers page.
    """

    Status = ChantierStatus

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="chantiers")
    note = models.ForeignKey(
        Note, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cluster = models.ForeignKey(
        Cluster, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    pilot = models.CharField(_("pilot"), max_length=200, blank=True)
    contributors = models.CharField(_("contributors"), max_length=500, blank=True)
    first_steps = models.TextField(_("first steps"), blank=True, max_length=2000)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ChantierStatus.choices, default=ChantierStatus.PLANNED
    )
    follow_up = models.TextField(_("follow-up notes"), blank=True, max_length=4000)
    position = models.PositiveIntegerField(default=0)
    client_key = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("chantier")
        verbose_name_plural = _("chantiers")
        ordering = ["activity", "position", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "client_key"],
                condition=~models.Q(client_key=""),
                name="workshops_chantier_unique_client_key",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ChantierStatus.values),
                name="workshops_chantier_valid_status",
            ),
        ]

    def __str__(self):
        return self.title


class CommitmentRole(models.TextChoices):
    PILOT = "pilot", _("Pilot")
    CONTRIBUTOR = "contributor", _("Contributor")
    EXPERT = "expert", _("Expert")
    INFORMED = "informed", _("To keep informed")


class Commitment(BaseModel):
    """Someone signs up on a chantier with a role: one cell of "qui peut faire quoi"."""

    Role = CommitmentRole

    chantier = models.ForeignKey(Chantier, on_delete=models.CASCADE, related_name="commitments")
    attendee = models.ForeignKey(WorkshopParticipant, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("role"), max_length=20, choices=CommitmentRole.choices)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [
            models.UniqueConstraint(
                fields=["chantier", "attendee"], name="workshops_commitment_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=CommitmentRole.values),
                name="workshops_commitment_valid_role",
            ),
        ]


class Presence(models.Model):
    """How many sockets one server process holds on a workshop, refreshed every few seconds.

    The room's presence count is the sum over processes seen recently, so a killed process
    stops counting by itself.
    """

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="+")
    process_key = models.CharField(max_length=64)
    count = models.PositiveIntegerField()
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "process_key"], name="workshops_presence_unique"
            ),
        ]

    def __str__(self):
        return f"{self.workshop_id}@{self.process_key}: {self.count}"

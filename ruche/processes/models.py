"""Participatory processes (démarches): a question an organisation puts to the public,
run in ordered, dated phases.

Phases are where activities will attach: consultations, workshops and other activities
added by later issues get a foreign key to `Phase` (and reach the process through it), so a
process page can list, phase by phase, what is open now.
"""

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ruche.accounts.models import Organisation
from ruche.core.models import BaseModel


def new_link_token() -> str:
    return secrets.token_urlsafe(16)


class ProcessVisibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members of the organisation")
    LINK = "link", _("Anyone with the link")


class ProcessStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    ARCHIVED = "archived", _("Archived")


class Process(BaseModel):
    """A participatory process run by an organisation."""

    Visibility = ProcessVisibility
    Status = ProcessStatus

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="processes"
    )
    title = models.CharField(_("title"), max_length=200)
    question = models.CharField(_("question"), max_length=500)
    context = models.TextField(
        _("context"), blank=True, help_text=_("Markdown: headings, lists, links, emphasis.")
    )
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # Secret part of the link that opens a link-only process (never shown to outsiders).
    link_token = models.CharField(
        max_length=32, unique=True, default=new_link_token, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("process")
        verbose_name_plural = _("processes")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visibility__in=ProcessVisibility.values),
                name="processes_process_valid_visibility",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ProcessStatus.values),
                name="processes_process_valid_status",
            ),
        ]

    def __str__(self):
        return self.title

    def current_phases(self, today: datetime.date | None = None) -> list["Phase"]:
        """The phases running on `today` (only while the process is open)."""
        if self.status != self.Status.OPEN:
            return []
        today = today or timezone.localdate()
        return [phase for phase in self.phases.all() if phase.is_current(today)]


class Phase(BaseModel):
    """One step of a process, in order, with optional dates.

    Activities (consultations, workshops…) added by later issues attach here with a foreign
    key to Phase; a phase is what groups them in time.
    """

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="phases")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(_("position"))
    starts_on = models.DateField(_("start date"), null=True, blank=True)
    ends_on = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["process", "position"], name="processes_phase_unique_position"
            ),
            models.CheckConstraint(
                condition=models.Q(starts_on__isnull=True)
                | models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="processes_phase_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError(
                {"ends_on": _("The end date must be on or after the start date.")}
            )

    def is_current(self, today: datetime.date) -> bool:
        """Running on `today`: started (or no start date) and not ended (or no end date).

        A phase without any date is never current: it has not been scheduled.
        """
        if self.starts_on is None and self.ends_on is None:
            return False
        started = self.starts_on is None or self.starts_on <= today
        not_ended = self.ends_on is None or today <= self.ends_on
        return started and not_ended

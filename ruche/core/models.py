"""Shared model base and the live-event log that gives every group a gap-free sequence."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    """UUID key, timestamps, and validation on every save.

    Validating in save() means invariants written in clean() and field validators hold
    whoever writes (an action, the admin, a data migration), not only in forms.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, editable=False)

    # Hot rows written only by actions that validate their input themselves (a workshop's
    # notes) set this to False: full_clean costs a query per foreign key and one for the
    # primary key on every insert, inside the writer's lock.
    validate_on_save = True

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.validate_on_save:
            self.full_clean(validate_constraints=False)
        super().save(*args, **kwargs)


class EventSequence(models.Model):
    """Last sequence number used for a live-event group (a session, a consultation…).

    One row per group; incremented inside the writer's transaction, so numbers follow
    commit order for that group and a rolled-back write leaves no gap.
    """

    group = models.CharField(max_length=100, primary_key=True)
    last_seq = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("event sequence")
        verbose_name_plural = _("event sequences")

    def __str__(self):
        return f"{self.group}#{self.last_seq}"


class Event(models.Model):
    """A live event as it was broadcast, kept so a reconnecting client can ask what it missed."""

    group = models.CharField(max_length=100)
    seq = models.PositiveBigIntegerField()
    type = models.CharField(max_length=100)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("live event")
        verbose_name_plural = _("live events")
        constraints = [
            models.UniqueConstraint(fields=["group", "seq"], name="core_event_unique_group_seq")
        ]
        ordering = ["group", "seq"]

    def __str__(self):
        return f"{self.group}#{self.seq} {self.type}"

    def as_message(self) -> dict:
        return {"seq": self.seq, "type": self.type, "payload": self.payload}

"""Online consultations: statements to vote on, open questions, and their analysis.

A consultation belongs to a process phase. Participants (usually without an account, see
`accounts.Participant`) vote agree / disagree / pass on short statements, one at a time,
propose statements of their own, and answer open questions. The analysis engine turns the
votes into opinion groups and the answers into themes; results are stored with the counts
they were computed on (`AnalysisResult`).

`Vote` is the hot table (one row per participant and statement, tens of millions at the
ministry's scale): it is not a BaseModel (no UUID, no validation query per save) and is
written with one upsert per vote.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ruche.accounts.models import Participant
from ruche.core.models import BaseModel
from ruche.processes.models import Phase, Process

STATEMENT_MAX_LENGTH = 280
ANSWER_MAX_LENGTH = 2000
MIN_BREAKDOWN_GROUP = 10  # profile groups smaller than this are never shown


class Moderation(models.TextChoices):
    BEFORE = "before", _("Before publication (statements wait in the queue)")
    AFTER = "after", _("After publication (statements are shown at once)")


class Access(models.TextChoices):
    ANONYMOUS = "anonymous", _("Anyone, without an account")
    EMAIL_DOMAIN = "email_domain", _("People with an email address from listed domains")
    ACCOUNT = "account", _("Signed-in users (account or ProConnect)")


class ConsultationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    UPCOMING = "upcoming", _("Not open yet")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Consultation(BaseModel):
    """Statements to vote on and open questions, in one phase of a process."""

    Moderation = Moderation
    Access = Access
    State = ConsultationState

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="consultations")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(
        _("description"), blank=True, help_text=_("Markdown: headings, lists, links, emphasis.")
    )
    moderation = models.CharField(
        _("moderation"), max_length=20, choices=Moderation.choices, default=Moderation.BEFORE
    )
    access = models.CharField(
        _("who may take part"), max_length=20, choices=Access.choices, default=Access.ANONYMOUS
    )
    email_domains = models.CharField(
        _("allowed email domains"),
        max_length=500,
        blank=True,
        help_text=_("Separated by commas, e.g. interieur.gouv.fr, agriculture.gouv.fr"),
    )
    allow_statements = models.BooleanField(_("participants may propose statements"), default=True)
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    results_public = models.BooleanField(
        _("the synthesis is public"),
        default=False,
        help_text=_("Otherwise only the organisation's facilitators see it."),
    )
    attribution = models.TextField(
        _("source and licence"),
        blank=True,
        help_text=_("For data imported from elsewhere: where it comes from, under which licence."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(moderation__in=Moderation.values),
                name="consultations_valid_moderation",
            ),
            models.CheckConstraint(
                condition=models.Q(access__in=Access.values), name="consultations_valid_access"
            ),
            models.CheckConstraint(
                condition=models.Q(opens_at__isnull=True)
                | models.Q(closes_at__isnull=True)
                | models.Q(closes_at__gt=models.F("opens_at")),
                name="consultations_closes_after_opening",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The closing time must be after the opening.")})
        if self.access == Access.EMAIL_DOMAIN and not self.domain_list():
            raise ValidationError(
                {"email_domains": _("List at least one email domain, or choose another mode.")}
            )
        for domain in self.domain_list():
            if "." not in domain or "@" in domain or " " in domain:
                raise ValidationError(
                    {"email_domains": _("“%(domain)s” is not a domain name.") % {"domain": domain}}
                )

    @property
    def process(self) -> Process:
        return self.phase.process

    @property
    def organisation(self):
        return self.phase.process.organisation

    @property
    def group_name(self) -> str:
        return f"consultation.{self.pk}"

    def domain_list(self) -> list[str]:
        return [
            domain.strip().lower().lstrip("@")
            for domain in self.email_domains.split(",")
            if domain.strip()
        ]

    def state(self, now: datetime.datetime | None = None) -> str:
        """Draft while its process is; closed when the process or its dates say so."""
        status = self.phase.process.status
        if status == Process.Status.DRAFT:
            return ConsultationState.DRAFT
        if status in (Process.Status.CLOSED, Process.Status.ARCHIVED):
            return ConsultationState.CLOSED
        now = now or timezone.now()
        if self.closes_at and now >= self.closes_at:
            return ConsultationState.CLOSED
        if self.opens_at and now < self.opens_at:
            return ConsultationState.UPCOMING
        return ConsultationState.OPEN

    def get_state_display(self) -> str:
        return ConsultationState(self.state()).label


class StatementStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    ACCEPTED = "accepted", _("Published")
    REJECTED = "rejected", _("Rejected")


class Statement(BaseModel):
    """A short statement people vote on; `number` is its id in Pol.is-format exports."""

    Status = StatementStatus

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="statements"
    )
    number = models.PositiveIntegerField(_("number"))
    text = models.CharField(_("statement"), max_length=STATEMENT_MAX_LENGTH)
    status = models.CharField(
        _("status"), max_length=20, choices=StatementStatus.choices, default=StatementStatus.PENDING
    )
    is_seed = models.BooleanField(_("seeded by the facilitators"), default=False)
    author = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="statements"
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderation_reason = models.CharField(_("reason"), max_length=500, blank=True)
    # Vote counts as of the last analysis: the next-statement choice reads them, so the
    # voting page never counts votes (its cost must not grow with participation).
    n_agree = models.PositiveIntegerField(default=0)
    n_disagree = models.PositiveIntegerField(default=0)
    n_pass = models.PositiveIntegerField(default=0)
    # How far the statement spreads participants on the opinion map (Pol.is's "extremity").
    extremity = models.FloatField(default=0.0)

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "number"], name="consultations_statement_unique_number"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=StatementStatus.values),
                name="consultations_statement_valid_status",
            ),
        ]
        indexes = [models.Index(fields=["consultation", "status"])]

    def __str__(self):
        return self.text

    @property
    def n_votes(self) -> int:
        return self.n_agree + self.n_disagree + self.n_pass


class VoteValue(models.IntegerChoices):
    """The values of Pol.is's export format: agree 1, disagree −1, pass 0."""

    AGREE = 1, _("Agree")
    DISAGREE = -1, _("Disagree")
    PASS = 0, _("Pass")


VOTE_NAMES = {"agree": VoteValue.AGREE, "disagree": VoteValue.DISAGREE, "pass": VoteValue.PASS}


class Vote(models.Model):
    """One participant's current vote on one statement (a changed vote replaces it)."""

    Value = VoteValue

    id = models.BigAutoField(primary_key=True)
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="+")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField(choices=VoteValue.choices)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "participant"], name="consultations_vote_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(value__in=[-1, 0, 1]), name="consultations_vote_valid_value"
            ),
        ]
        indexes = [models.Index(fields=["consultation", "participant"])]

    def __str__(self):
        return f"{self.participant_id} {self.value:+d} {self.statement_id}"


class ProfileQuestion(BaseModel):
    """A question asked once at entry (directorate, region…), for the report's breakdowns."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="profile_questions"
    )
    label = models.CharField(_("question"), max_length=200)
    choices = models.JSONField(_("choices"), default=list)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("profile question")
        verbose_name_plural = _("profile questions")
        ordering = ["position", "created_at"]

    def __str__(self):
        return self.label

    def clean(self):
        super().clean()
        if (
            not isinstance(self.choices, list)
            or len(self.choices) < 2
            or not all(isinstance(choice, str) and choice.strip() for choice in self.choices)
        ):
            raise ValidationError({"choices": _("Give at least two choices.")})


class Participation(BaseModel):
    """A participant's entry into a consultation: verified email, profile answers."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="participations"
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="participations"
    )
    email = models.EmailField(_("verified email"), blank=True)
    # {profile question id: chosen label}; a question skipped is absent.
    profile = models.JSONField(default=dict, blank=True)
    profile_done = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "participant"], name="consultations_participation_unique"
            ),
            # One voice per verified address: a magic link opened in a second browser
            # continues as the same participant instead of creating another.
            models.UniqueConstraint(
                fields=["consultation", "email"],
                condition=~models.Q(email=""),
                name="consultations_participation_unique_email",
            ),
        ]

    def __str__(self):
        return f"{self.participant} → {self.consultation}"


class OpenQuestion(BaseModel):
    """A question answered in free text; the answers feed the report's themes."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="open_questions"
    )
    text = models.CharField(_("question"), max_length=500)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("open question")
        verbose_name_plural = _("open questions")
        ordering = ["position", "created_at"]

    def __str__(self):
        return self.text


class Answer(BaseModel):
    """A participant's answer to an open question (one per question, editable)."""

    question = models.ForeignKey(OpenQuestion, on_delete=models.CASCADE, related_name="answers")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(_("answer"), validators=[MaxLengthValidator(ANSWER_MAX_LENGTH)])
    hidden = models.BooleanField(_("hidden by the facilitators"), default=False)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "participant"], name="consultations_answer_unique"
            )
        ]

    def __str__(self):
        return self.text[:80]


class AnalysisKind(models.TextChoices):
    OPINIONS = "opinions", _("Opinion groups")
    THEMES = "themes", _("Themes of the answers")


class AnalysisResult(BaseModel):
    """One run of the engine on a consultation, with what it was computed on."""

    Kind = AnalysisKind

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="analysis_results"
    )
    kind = models.CharField(max_length=20, choices=AnalysisKind.choices)
    computed_at = models.DateTimeField(default=timezone.now)
    duration_ms = models.PositiveIntegerField(default=0)
    n_participants = models.PositiveIntegerField(default=0)
    n_statements = models.PositiveIntegerField(default=0)
    n_votes = models.PositiveIntegerField(default=0)
    n_answers = models.PositiveIntegerField(default=0)
    # Latest vote or answer time seen: tells whether a new run would see anything new.
    input_marker = models.CharField(max_length=100, blank=True)
    seed = models.PositiveIntegerField(default=0)
    data = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("analysis result")
        verbose_name_plural = _("analysis results")
        ordering = ["-computed_at"]
        indexes = [models.Index(fields=["consultation", "kind", "-computed_at"])]

    def __str__(self):
        return f"{self.kind} {self.computed_at:%Y-%m-%d %H:%M:%S}"


class Label(BaseModel):
    """A facilitator's name for an opinion group or a theme, and the quotes they picked.

    `key` is the item's stable key in analysis results: recomputation carries keys over to
    the new group or theme that shares most members with the old one, so names and quotes
    stay where the item still exists.
    """

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="labels")
    kind = models.CharField(max_length=20, choices=AnalysisKind.choices)
    key = models.CharField(max_length=40)
    name = models.CharField(_("name"), max_length=200, blank=True)
    quotes = models.JSONField(default=list, blank=True)  # answer ids, in the chosen order

    class Meta:
        verbose_name = _("label")
        verbose_name_plural = _("labels")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "kind", "key"], name="consultations_label_unique"
            )
        ]

    def __str__(self):
        return self.name or self.key

"""People and structures: users (email login), organisations, memberships, invitations,
and pseudonymous participants who take part without an account."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from ruche.core.models import BaseModel


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(BaseModel, AbstractBaseUser, PermissionsMixin):
    """A person with an account. Emails are stored lower-case: one address, one account."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Whether the user can log into the Django administration."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Subject identifier at ProConnect, set on the first ProConnect sign-in.
    oidc_sub = models.CharField(_("ProConnect identifier"), max_length=255, blank=True)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self):
        return self.display_name

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    @property
    def display_name(self) -> str:
        return self.full_name or self.email


class Organisation(BaseModel):
    """A lab (laboratoire d'innovation) or a service that works with one."""

    class Kind(models.TextChoices):
        LAB = "lab", _("Innovation lab")
        SERVICE = "service", _("Administration or service")
        PARTNER = "partner", _("Partner")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.LAB)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # Before validation in BaseModel.save, so a missing short name is derived, not refused.
        if not self.slug:
            self.slug = self._free_slug()
        super().save(*args, **kwargs)

    def _free_slug(self) -> str:
        base = slugify(self.name)[:70] or "structure"
        slug, n = base, 1
        while Organisation.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            n += 1
            slug = f"{base}-{n}"
        return slug

    @property
    def group_name(self) -> str:
        """Live-event group for the organisation's members."""
        return f"organisation.{self.pk}"


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    FACILITATOR = "facilitator", _("Facilitator")
    MEMBER = "member", _("Member")


class Membership(BaseModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="accounts_membership_unique_user_org"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="accounts_membership_valid_role"
            ),
        ]
        ordering = ["organisation__name", "user__email"]

    def __str__(self):
        return f"{self.user} — {self.organisation} ({self.get_role_display()})"


class Invitation(BaseModel):
    """An email invitation to join an organisation with a role.

    The link carries a signed, timestamped token (not stored): expiry comes from the
    signature's age, and `accepted_at` makes the link single-use.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="accounts_invitation_valid_role"
            ),
            # One pending invitation per address and organisation: re-inviting resends it.
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="accounts_invitation_unique_pending",
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.organisation}"

    def clean(self):
        super().clean()
        self.email = self.email.strip().lower()

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None


class Participant(BaseModel):
    """Someone taking part in a consultation or a workshop, usually without an account.

    Identified by a signed cookie holding this row's id; shown under a pseudonym. When the
    person signs in, the participant is linked to their user so their contributions follow.
    """

    pseudonym = models.CharField(_("pseudonym"), max_length=60)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participants",
    )

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["-created_at"]

    def __str__(self):
        return self.pseudonym

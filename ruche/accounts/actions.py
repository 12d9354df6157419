"""Every write on accounts. Each `do_*` runs in a transaction and is safe to retry."""

import secrets
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone

from ruche.accounts import tasks
from ruche.accounts.models import (
    Invitation,
    Membership,
    Organisation,
    Participant,
    Role,
    User,
)
from ruche.accounts.rules import ROLE_RANK
from ruche.core.broadcast import broadcast_on_commit

PSEUDONYM_ANIMALS = [
    "Abeille", "Bourdon", "Castor", "Colibri", "Hérisson", "Libellule", "Loutre",
    "Mésange", "Renard", "Salamandre", "Chouette", "Écureuil", "Grenouille", "Lynx",
]  # fmt: skip
PSEUDONYM_QUALITIES = [
    "curieuse", "attentive", "créative", "joyeuse", "patiente", "rapide", "sage",
    "audacieuse", "discrète", "bavarde", "inventive", "tranquille",
]  # fmt: skip


@transaction.atomic
def do_create_organisation(*, name: str, kind: str, creator: User, slug: str = "") -> Organisation:
    """Create an organisation whose creator becomes its first administrator."""
    organisation = Organisation.objects.create(name=name, kind=kind, slug=slug)
    Membership.objects.create(user=creator, organisation=organisation, role=Role.ADMIN)
    return organisation


@transaction.atomic
def do_ensure_organisation(*, slug: str, name: str, kind: str, description: str = ""):
    """The organisation with this short name, created if missing (never changed)."""
    organisation, _created = Organisation.objects.get_or_create(
        slug=slug, defaults={"name": name, "kind": kind, "description": description}
    )
    return organisation


@transaction.atomic
def do_ensure_user(email: str, password: str, *, full_name: str = "", is_staff: bool = False):
    """The account with this email, created if missing (an existing one is left as it is)."""
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(
            email, password, full_name=full_name, is_staff=is_staff, is_superuser=is_staff
        )
    return user


@transaction.atomic
def do_set_membership(*, user: User, organisation: Organisation, role: str) -> Membership:
    """Give `user` exactly `role` in `organisation` (idempotent)."""
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"role": role}
    )
    if not created and membership.role != role:
        membership.role = role
        membership.save(update_fields=["role", "updated_at"])
    return membership


def do_invite(
    *, organisation: Organisation, email: str, role: str, invited_by: User, site_root: str
) -> Invitation:
    """Invite `email` to `organisation`; re-inviting the same address updates and resends.

    `site_root` ("https://host/") lets the email task, which runs without a request, build
    the absolute link.
    """
    email = email.strip().lower()
    for _attempt in range(2):
        try:
            with transaction.atomic():
                invitation = (
                    Invitation.objects.select_for_update()
                    .filter(
                        organisation=organisation,
                        email=email,
                        accepted_at__isnull=True,
                        revoked_at__isnull=True,
                    )
                    .first()
                )
                if invitation is None:
                    invitation = Invitation.objects.create(
                        organisation=organisation, email=email, role=role, invited_by=invited_by
                    )
                else:
                    invitation.role = role
                    invitation.invited_by = invited_by
                    invitation.save(update_fields=["role", "invited_by", "updated_at"])
                transaction.on_commit(
                    partial(tasks.send_invitation_email.enqueue, str(invitation.pk), site_root)
                )
                return invitation
        except IntegrityError:
            # A concurrent request created the pending invitation first: update that one.
            continue
    raise RuntimeError("could not record the invitation")  # pragma: no cover


@transaction.atomic
def do_revoke_invitation(invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.is_pending:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at", "updated_at"])
    return invitation


class InvitationAlreadyUsed(Exception):
    pass


@transaction.atomic
def do_accept_invitation(invitation: Invitation, user: User) -> Membership:
    """Make `user` a member with the invited role; a link works once.

    Accepting never lowers a role the user already has in the organisation.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending:
        raise InvitationAlreadyUsed
    membership = Membership.objects.filter(user=user, organisation=invitation.organisation).first()
    if membership is None:
        membership = Membership.objects.create(
            user=user, organisation=invitation.organisation, role=invitation.role
        )
    elif ROLE_RANK[invitation.role] > ROLE_RANK[membership.role]:
        membership.role = invitation.role
        membership.save(update_fields=["role", "updated_at"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    broadcast_on_commit(
        invitation.organisation.group_name,
        "member.joined",
        {"name": user.display_name, "role": membership.role},
    )
    return membership


@transaction.atomic
def do_register_with_invitation(
    invitation: Invitation, *, full_name: str, password: str
) -> tuple[User, Membership]:
    """Create the invited person's account (email from the invitation) and accept it."""
    user = User.objects.create_user(invitation.email, password, full_name=full_name)
    return user, do_accept_invitation(invitation, user)


def random_pseudonym() -> str:
    animal = secrets.choice(PSEUDONYM_ANIMALS)
    quality = secrets.choice(PSEUDONYM_QUALITIES)
    return f"{animal} {quality} {secrets.randbelow(90) + 10}"


@transaction.atomic
def do_create_participant(*, user: User | None = None, pseudonym: str = "") -> Participant:
    return Participant.objects.create(pseudonym=pseudonym or random_pseudonym(), user=user)


@transaction.atomic
def do_rename_participant(participant: Participant, pseudonym: str) -> Participant:
    participant.pseudonym = pseudonym
    participant.save(update_fields=["pseudonym", "updated_at"])
    return participant


@transaction.atomic
def do_link_participant(participant: Participant, user: User) -> Participant:
    """Attach a cookie identity to a signed-in user (idempotent; never steals a linked one)."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.user_id is None:
        participant.user = user
        participant.save(update_fields=["user", "updated_at"])
    return participant


def _full_name_from_claims(claims: dict) -> str:
    return " ".join(
        part for part in (claims.get("given_name"), claims.get("usual_name")) if part
    ).strip()


@transaction.atomic
def do_create_oidc_user(claims: dict) -> User:
    """First ProConnect sign-in: an account with no usable password, keyed by email."""
    user = User.objects.create_user(
        claims["email"], None, full_name=_full_name_from_claims(claims), oidc_sub=claims["sub"]
    )
    return user


@transaction.atomic
def do_update_oidc_user(user: User, claims: dict) -> User:
    changed = []
    if user.oidc_sub != claims["sub"]:
        user.oidc_sub = claims["sub"]
        changed.append("oidc_sub")
    full_name = _full_name_from_claims(claims)
    if full_name and not user.full_name:
        user.full_name = full_name
        changed.append("full_name")
    if changed:
        user.save(update_fields=[*changed, "updated_at"])
    return user

"""Reads with their permission check: `access_*` fetch an object and check the right at once."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from ruche.accounts.models import Invitation, Membership, Organisation, Participant, User
from ruche.accounts.tokens import InvitationLinkError, invitation_id_from_token


def access_organisation(user, organisation_id, perm: str = "accounts.view_organisation"):
    """The organisation if `user` holds `perm` on it; 404 for an unknown id, 403 otherwise."""
    try:
        organisation = Organisation.objects.get(pk=organisation_id)
    except (Organisation.DoesNotExist, ValidationError, ValueError) as error:
        raise Http404(_("This organisation does not exist.")) from error
    if not user.has_perm(perm, organisation):
        raise PermissionDenied(_("You are not a member of this organisation."))
    return organisation


def memberships_of(user):
    """The user's memberships with their organisations, for the dashboard."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("organisation")


def members_of(organisation):
    return Membership.objects.filter(organisation=organisation).select_related("user")


def pending_invitations_of(organisation):
    return Invitation.objects.filter(
        organisation=organisation, accepted_at__isnull=True, revoked_at__isnull=True
    ).select_related("invited_by")


def participant_by_id(participant_id) -> Participant | None:
    try:
        return Participant.objects.filter(pk=participant_id).select_related("user").first()
    except (ValidationError, ValueError):
        return None


def invitation_from_token(token: str) -> Invitation:
    """The pending invitation a link names; InvitationLinkError says why a link is unusable."""
    invitation_id = invitation_id_from_token(token)
    invitation = Invitation.objects.filter(pk=invitation_id).select_related("organisation").first()
    if invitation is None:
        raise InvitationLinkError("invalid")
    if invitation.revoked_at is not None:
        raise InvitationLinkError("revoked")
    if invitation.accepted_at is not None:
        raise InvitationLinkError("used")
    return invitation


def current_participant(request) -> Participant | None:
    """The participant behind the request's signed cookie (see ParticipantMiddleware)."""
    if not hasattr(request, "_participant"):
        participant_id = getattr(request, "participant_id", None)
        request._participant = participant_by_id(participant_id) if participant_id else None
    return request._participant


def user_exists(email: str) -> bool:
    return User.objects.filter(email__iexact=email).exists()

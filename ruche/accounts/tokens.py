"""Signed tokens for invitation links (nothing secret is stored in the database)."""

from django.conf import settings
from django.core import signing

INVITATION_SALT = "ruche.accounts.invitation"


class InvitationLinkError(Exception):
    """The link is malformed, tampered with or expired; `reason` says which."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def invitation_token(invitation_id) -> str:
    return signing.dumps({"invitation": str(invitation_id)}, salt=INVITATION_SALT, compress=True)


def invitation_id_from_token(token: str) -> str:
    try:
        data = signing.loads(
            token, salt=INVITATION_SALT, max_age=settings.INVITATION_MAX_AGE_DAYS * 86400
        )
    except signing.SignatureExpired as error:
        raise InvitationLinkError("expired") from error
    except signing.BadSignature as error:
        raise InvitationLinkError("invalid") from error
    if not isinstance(data, dict) or "invitation" not in data:
        raise InvitationLinkError("invalid")
    return data["invitation"]

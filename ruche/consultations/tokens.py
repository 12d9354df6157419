"""Signed links that let an address of an allowed domain take part (the "magic link")."""

from django.conf import settings
from django.core import signing

SALT = "ruche.consultations.access"


class AccessLinkError(Exception):
    """Why a link cannot be used: "expired" or "invalid"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def access_token(consultation_id, email: str) -> str:
    return signing.dumps({"c": str(consultation_id), "e": email}, salt=SALT, compress=True)


def read_access_token(token: str, consultation_id) -> str:
    """The email address the link was sent to, if it is valid for this consultation."""
    max_age = settings.RUCHE_ACCESS_LINK_MAX_AGE_HOURS * 3600
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired as error:
        raise AccessLinkError("expired") from error
    except signing.BadSignature as error:
        raise AccessLinkError("invalid") from error
    if data.get("c") != str(consultation_id) or not data.get("e"):
        raise AccessLinkError("invalid")
    return data["e"]

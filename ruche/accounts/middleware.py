"""Read the pseudonymous participant's signed cookie; reject it when tampered with."""

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

PARTICIPANT_SALT = "ruche.accounts.participant"


def set_participant_cookie(response, participant) -> None:
    response.set_signed_cookie(
        settings.PARTICIPANT_COOKIE_NAME,
        str(participant.pk),
        salt=PARTICIPANT_SALT,
        max_age=settings.PARTICIPANT_COOKIE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def read_participant_cookie(request) -> tuple[str | None, bool]:
    """(participant id or None, whether a cookie was present but failed its signature)."""
    name = settings.PARTICIPANT_COOKIE_NAME
    if name not in request.COOKIES:
        return None, False
    try:
        return request.get_signed_cookie(name, salt=PARTICIPANT_SALT), False
    except signing.BadSignature:
        return None, True


def participant_cookie_value(participant_id) -> str:
    """The signed cookie value naming this participant (for clients that are not browsers:
    benchmarks, tests)."""
    response = HttpResponse()
    response.set_signed_cookie(
        settings.PARTICIPANT_COOKIE_NAME, str(participant_id), salt=PARTICIPANT_SALT
    )
    return response.cookies[settings.PARTICIPANT_COOKIE_NAME].value


def participant_id_from_cookies(cookies: dict) -> str | None:
    """The participant id in a cookie dict (a WebSocket's scope), or None if absent or forged.

    Read through Django's own `get_signed_cookie`, so the signature scheme (its salt
    derivation changes between Django releases) is always the one `set_signed_cookie` used.
    """
    request = HttpRequest()
    request.COOKIES = cookies
    return request.get_signed_cookie(
        settings.PARTICIPANT_COOKIE_NAME, default=None, salt=PARTICIPANT_SALT
    )


class ParticipantMiddleware:
    """Sets `request.participant_id` (a trusted id string, or None).

    `queries.current_participant(request)` turns it into a Participant when a view needs one.

    A cookie whose signature does not match (tampered with, or signed with an old key) is
    never trusted: it is deleted and the person is told their identity was reset, instead
    of silently acting under someone else's pseudonym.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        participant_id, tampered = read_participant_cookie(request)
        request.participant_id = participant_id
        if tampered:
            messages.warning(
                request,
                _(
                    "Your participant cookie was not valid (modified or expired), so it was "
                    "ignored. A new pseudonymous identity will be created when you take part."
                ),
            )
        response = self.get_response(request)
        if tampered:
            response.delete_cookie(settings.PARTICIPANT_COOKIE_NAME)
        return response

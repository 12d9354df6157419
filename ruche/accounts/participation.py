"""Who is taking part in a request, for every app where people act without an account.

A person takes part as an `accounts.Participant`, remembered in this browser by a signed
cookie (`middleware.set_participant_cookie`). Consultations and workshops share these
helpers so that one browser is one voice everywhere:

- `participant_of(request)`: the participant acting, or None (nothing is created);
- `ensure_participant(request)`: the same, created on the first action (rate-limited per
  client address);
- `finish(request, response)`: sets the cookie when this request created or switched the
  participant. Call it on the response of every view that called `ensure_participant`.
"""

from django.conf import settings
from django.utils.translation import gettext as _

from ruche.accounts.actions import do_create_participant, do_link_participant
from ruche.accounts.middleware import set_participant_cookie
from ruche.accounts.models import Participant
from ruche.accounts.queries import current_participant
from ruche.core.ratelimit import allow


class RateLimited(Exception):
    """Too many requests from one participant or one address."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message
        self.status = 429


def own_participant(user) -> Participant | None:
    """The signed-in user's own participant identity: their first one, always the same.

    A user may own several (each browser's cookie identity is linked at sign-in); acting
    always as the first keeps one voice per account.
    """
    if not user.is_authenticated:
        return None
    return Participant.objects.filter(user=user).order_by("created_at", "pk").first()


def participant_of(request):
    """The person taking part.

    Signed in: the account's own participant (always the same one, whichever browser), or
    else this browser's cookie identity if it is not someone else's. Signed out: the
    cookie's identity unless it belongs to an account (someone signed out on this computer:
    the next person must not act as them).
    """
    participant = current_participant(request)
    user = request.user
    if user.is_authenticated:
        own = own_participant(user)
        if own is not None:
            participant = own
        elif participant is not None and participant.user_id not in (None, user.pk):
            participant = None
        elif participant is not None and participant.user_id is None:
            # Normally linked at sign-in (accounts.signals); a cookie set after signing in
            # is linked here, so the account keeps this one identity from now on.
            participant = do_link_participant(participant, user)
    elif participant is not None and participant.user_id is not None:
        participant = None
    request._participant = participant
    return participant


def client_address(request) -> str:
    # uvicorn sets the client from X-Forwarded-For only for trusted proxies
    # (FORWARDED_ALLOW_IPS), so this is the real client behind the deployment's proxy.
    return request.META.get("REMOTE_ADDR", "")


def ensure_participant(request):
    """The participant, created (and remembered by cookie, see `finish`) on first action.

    New identities are rate-limited per client address: without it, a script that drops
    its cookie would get a fresh participant, and a fresh vote quota, on every request.
    The limit is generous because a whole administration may share one outgoing address.
    """
    participant = participant_of(request)
    if participant is None:
        if not allow(
            f"new-participant:{client_address(request)}",
            settings.RUCHE_NEW_PARTICIPANTS_PER_MINUTE,
            60,
        ):
            raise RateLimited(_("Too many new participants from your network: wait a minute."))
        user = request.user if request.user.is_authenticated else None
        participant = do_create_participant(user=user)
        request._participant = participant
        request._new_participant = True
    return participant


def finish(request, response):
    """Set the participant cookie when this request created or switched the participant."""
    if getattr(request, "_new_participant", False):
        set_participant_cookie(response, request._participant)
    return response

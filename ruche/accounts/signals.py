"""Keep a participant's contributions with them when they sign in."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from ruche.accounts import actions
from ruche.accounts.queries import current_participant


@receiver(user_logged_in, dispatch_uid="ruche.accounts.link_participant_on_login")
def link_participant_on_login(sender, request, user, **kwargs):
    """Someone who took part under a pseudonym, then signs in: link that identity."""
    if request is None:
        return
    participant = current_participant(request)
    if participant is not None:
        actions.do_link_participant(participant, user)

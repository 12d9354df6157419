"""Background work for accounts. Tasks take ids and strings, never model instances."""

from urllib.parse import urljoin

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from ruche.accounts.models import Invitation
from ruche.accounts.tokens import invitation_token


@task()
def send_invitation_email(invitation_id: str, site_root: str) -> str:
    invitation = Invitation.objects.select_related("organisation", "invited_by").get(
        pk=invitation_id
    )
    if not invitation.is_pending:
        return "skipped"
    context = {
        "invitation": invitation,
        "accept_url": urljoin(
            site_root, reverse("accounts:invitation", args=[invitation_token(invitation.pk)])
        ),
        "max_age_days": settings.INVITATION_MAX_AGE_DAYS,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/email/invitation_body.txt", context)
    send_mail(subject, body, None, [invitation.email])
    return "sent"

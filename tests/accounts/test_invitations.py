"""Invitations by signed email link: sending, accepting, and every way a link goes bad."""

import re

import pytest
from django.core import mail
from django.http import HttpRequest
from django.urls import reverse

from ruche.accounts.models import Invitation, Membership, User
from ruche.accounts.tokens import invitation_token
from tests.factories import DEFAULT_PASSWORD, InvitationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def invite(client, django_capture_on_commit_callbacks):
    """POST the invite form; the email task is enqueued after commit, so run commit hooks."""

    def post(organisation, email="nouvelle@example.gouv.fr", role="facilitator"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("accounts:invite", args=[organisation.pk]), {"email": email, "role": role}
            )

    return post


def link_from_last_email() -> str:
    return re.search(r"https?://\S+/invitation/\S+/", mail.outbox[-1].body).group(0)


def test_admin_invites_by_email_with_a_signed_link(client, make_member, organisation, invite):
    """An admin's invitation sends one email whose link names the organisation's invitation."""
    client.force_login(make_member("admin"))
    response = invite(organisation)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nouvelle@example.gouv.fr"]
    assert organisation.name in mail.outbox[0].subject
    assert link_from_last_email().startswith("http://testserver/invitation/")


def test_inviting_twice_keeps_one_pending_invitation(client, make_member, organisation, invite):
    """Re-inviting the same address updates the pending invitation (safe to retry)."""
    client.force_login(make_member("admin"))
    invite(organisation, role="member")
    invite(organisation, email="Nouvelle@Example.gouv.fr", role="facilitator")
    invitations = Invitation.objects.filter(organisation=organisation)
    assert invitations.count() == 1
    assert invitations.get().role == "facilitator"
    assert len(mail.outbox) == 2


@pytest.mark.parametrize("role", ["member", "facilitator"])
def test_non_admins_cannot_invite(client, make_member, organisation, role, invite):
    """Only administrators invite; others get a 403 and nothing is sent."""
    client.force_login(make_member(role))
    response = invite(organisation)
    assert response.status_code == 403
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_invalid_email_is_a_form_error(client, make_member, organisation, invite):
    """A malformed address re-shows the form with an error and creates nothing."""
    client.force_login(make_member("admin"))
    response = invite(organisation, email="pas-une-adresse")
    assert response.status_code == 400
    assert "Saisissez une adresse de courriel valide" in response.content.decode()
    assert not Invitation.objects.exists()


def test_newcomer_creates_an_account_from_the_link(client, make_member, organisation, invite):
    """Someone without an account signs up from the link and joins with the invited role."""
    client.force_login(make_member("admin"))
    invite(organisation)
    client.logout()
    link = link_from_last_email()
    assert client.get(link).status_code == 200
    response = client.post(
        link,
        {
            "full_name": "Nora Nouvelle",
            "password1": "ruche-2026-ok!",
            "password2": "ruche-2026-ok!",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="nouvelle@example.gouv.fr")
    assert Membership.objects.get(user=user, organisation=organisation).role == "facilitator"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_signup_password_mismatch_is_a_form_error(client, organisation):
    """Two different passwords re-show the form; no account is created."""
    invitation = InvitationFactory(organisation=organisation)
    link = reverse("accounts:invitation", args=[invitation_token(invitation.pk)])
    response = client.post(
        link, {"full_name": "N", "password1": "ruche-2026-ok!", "password2": "autre-chose-2026"}
    )
    assert response.status_code == 400
    assert "Les deux mots de passe ne correspondent pas" in response.content.decode()
    assert not User.objects.filter(email=invitation.email).exists()


def test_existing_user_accepts_after_login(client, organisation):
    """A person who already has an account logs in and accepts; the membership is created."""
    user = UserFactory(email="deja@example.gouv.fr")
    invitation = InvitationFactory(organisation=organisation, email="deja@example.gouv.fr")
    link = reverse("accounts:invitation", args=[invitation_token(invitation.pk)])
    assert "Se connecter" in client.get(link).content.decode()
    assert client.login(
        request=HttpRequest(), username="deja@example.gouv.fr", password=DEFAULT_PASSWORD
    )
    response = client.post(link)
    assert response.status_code == 302
    assert Membership.objects.filter(user=user, organisation=organisation).exists()


def test_signed_in_user_with_another_email_cannot_accept(client, organisation):
    """An invitation is for its address: someone signed in with another one gets a 403."""
    invitation = InvitationFactory(organisation=organisation)
    client.force_login(UserFactory())
    response = client.post(reverse("accounts:invitation", args=[invitation_token(invitation.pk)]))
    assert response.status_code == 403
    assert not Membership.objects.filter(organisation=organisation).exists()


def test_a_link_works_only_once(client, organisation):
    """A used link shows a clear 'already used' page (410) and changes nothing."""
    invitation = InvitationFactory(organisation=organisation)
    link = reverse("accounts:invitation", args=[invitation_token(invitation.pk)])
    data = {"full_name": "N", "password1": "ruche-2026-ok!", "password2": "ruche-2026-ok!"}
    assert client.post(link, data).status_code == 302
    client.logout()
    response = client.post(link, data)
    assert response.status_code == 410
    assert 'data-reason="used"' in response.content.decode()
    assert "déjà été utilisé" in response.content.decode()
    assert Membership.objects.filter(organisation=organisation).count() == 1


def test_expired_link_is_refused(client, organisation, settings):
    """A link older than INVITATION_MAX_AGE_DAYS shows an 'expired' page (410)."""
    invitation = InvitationFactory(organisation=organisation)
    link = reverse("accounts:invitation", args=[invitation_token(invitation.pk)])
    settings.INVITATION_MAX_AGE_DAYS = -1
    response = client.get(link)
    assert response.status_code == 410
    assert 'data-reason="expired"' in response.content.decode()
    assert "a expiré" in response.content.decode()


def test_tampered_link_is_refused(client, organisation):
    """A token that does not verify shows an 'invalid link' page (400)."""
    invitation = InvitationFactory(organisation=organisation)
    token = invitation_token(invitation.pk)
    response = client.get(reverse("accounts:invitation", args=[token[:-3] + "abc"]))
    assert response.status_code == 400
    assert 'data-reason="invalid"' in response.content.decode()


def test_revoked_invitation_is_refused(client, organisation):
    """A withdrawn invitation cannot be accepted any more."""
    from ruche.accounts.actions import do_revoke_invitation

    invitation = InvitationFactory(organisation=organisation)
    do_revoke_invitation(invitation)
    response = client.get(reverse("accounts:invitation", args=[invitation_token(invitation.pk)]))
    assert response.status_code == 410
    assert 'data-reason="revoked"' in response.content.decode()


def test_accepting_never_lowers_an_existing_role(organisation):
    """A member invited again with a lower role keeps the higher one."""
    from ruche.accounts.actions import do_accept_invitation, do_set_membership

    user = UserFactory()
    do_set_membership(user=user, organisation=organisation, role="admin")
    invitation = InvitationFactory(organisation=organisation, email=user.email, role="member")
    membership = do_accept_invitation(invitation, user)
    assert membership.role == "admin"

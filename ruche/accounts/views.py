from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ruche.accounts import actions, queries
from ruche.accounts.forms import (
    InvitationSignupForm,
    InviteForm,
    LoginForm,
    PasswordResetForm,
    PseudonymForm,
    SetPasswordForm,
)
from ruche.accounts.middleware import set_participant_cookie
from ruche.accounts.oidc import proconnect_logout_url
from ruche.accounts.rules import organisation_abilities
from ruche.accounts.tokens import InvitationLinkError
from ruche.processes.queries import processes_of

# --- Login, logout, password reset: Django's views with DSFR templates and forms ----------


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        """Also end the ProConnect session when the user signed in with it."""
        end_session_url = None
        if settings.OIDC_ENABLED and request.session.get("oidc_id_token"):
            end_session_url = proconnect_logout_url(request)  # before the session is flushed
        response = super().post(request, *args, **kwargs)
        response = redirect(end_session_url) if end_session_url else response
        # The participant identity now belongs to the account: the next person on this
        # computer must not take part under it.
        response.delete_cookie(settings.PARTICIPANT_COOKIE_NAME)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset_body.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


# --- Dashboard and organisations -------------------------------------------------------------


@login_required
def dashboard(request):
    memberships = list(queries.memberships_of(request.user))
    for membership in memberships:
        membership.processes = processes_of(membership.organisation, request.user)
        membership.can_add_process = request.user.has_perm(
            "processes.add_process", membership.organisation
        )
    return render(request, "accounts/dashboard.html", {"memberships": memberships})


def render_organisation_page(request, organisation, invite_form=None, status=200):
    request.organisation = organisation  # the DSFR header shows its name
    abilities = organisation_abilities(request.user, organisation)
    context = {
        "organisation": organisation,
        "abilities": abilities,
        "members": queries.members_of(organisation),
        "invite_form": invite_form or InviteForm(),
    }
    if abilities["invite"]:
        context["invitations"] = queries.pending_invitations_of(organisation)
    return render(request, "accounts/organisation_detail.html", context, status=status)


@login_required
def organisation_detail(request, organisation_id):
    organisation = queries.access_organisation(request.user, organisation_id)
    return render_organisation_page(request, organisation)


@login_required
@require_POST
def invite(request, organisation_id):
    organisation = queries.access_organisation(
        request.user, organisation_id, "accounts.invite_member"
    )
    form = InviteForm(request.POST)
    if not form.is_valid():
        return render_organisation_page(request, organisation, form, status=400)
    invitation = actions.do_invite(
        organisation=organisation,
        email=form.cleaned_data["email"],
        role=form.cleaned_data["role"],
        invited_by=request.user,
        site_root=request.build_absolute_uri("/"),
    )
    messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
    return redirect("accounts:organisation", organisation_id=organisation.pk)


INVITATION_LINK_ERRORS = {
    "expired": (
        _("This invitation link has expired."),
        _("Ask the person who invited you to send a new invitation."),
    ),
    "used": (
        _("This invitation link has already been used."),
        _("If it was you, log in to reach the organisation; otherwise ask for a new invitation."),
    ),
    "revoked": (
        _("This invitation has been withdrawn."),
        _("Ask the organisation's administrators for a new invitation if needed."),
    ),
    "invalid": (
        _("This invitation link is not valid."),
        _("Check that you copied the whole link from the email, or ask for a new invitation."),
    ),
}


@require_http_methods(["GET", "POST"])
def invitation(request, token):
    """Accept an invitation: signed-in users confirm; newcomers create their account here."""
    try:
        invitation = queries.invitation_from_token(token)
    except InvitationLinkError as error:
        title, text = INVITATION_LINK_ERRORS[error.reason]
        return render(
            request,
            "accounts/invitation_error.html",
            {"title": title, "text": text, "reason": error.reason},
            status=410 if error.reason in ("expired", "used", "revoked") else 400,
        )
    request.organisation = invitation.organisation
    user = request.user
    signup_form = None
    email_matches = user.is_authenticated and user.email == invitation.email
    if user.is_authenticated:
        if request.method == "POST" and not email_matches:
            raise PermissionDenied(
                _("This invitation was sent to another email address than your account's.")
            )
        if request.method == "POST":
            try:
                actions.do_accept_invitation(invitation, user)
            except actions.InvitationAlreadyUsed:
                return redirect("accounts:invitation", token=token)
            messages.success(
                request,
                _("You have joined %(organisation)s.")
                % {"organisation": invitation.organisation.name},
            )
            return redirect("accounts:organisation", organisation_id=invitation.organisation_id)
    elif not queries.user_exists(invitation.email):
        signup_form = InvitationSignupForm(
            request.POST if request.method == "POST" else None, email=invitation.email
        )
        if request.method == "POST" and signup_form.is_valid():
            try:
                new_user, _membership = actions.do_register_with_invitation(
                    invitation,
                    full_name=signup_form.cleaned_data["full_name"],
                    password=signup_form.cleaned_data["password1"],
                )
            except (actions.InvitationAlreadyUsed, IntegrityError):
                # Used meanwhile, or the account was created by a concurrent request: the
                # page shown again says which (already used / log in to accept).
                return redirect("accounts:invitation", token=token)
            login(request, new_user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("Welcome! You have joined %(organisation)s.")
                % {"organisation": invitation.organisation.name},
            )
            return redirect("accounts:organisation", organisation_id=invitation.organisation_id)
    return render(
        request,
        "accounts/invitation.html",
        {
            "invitation": invitation,
            "signup_form": signup_form,
            "email_matches": email_matches,
        },
        status=400 if signup_form is not None and signup_form.is_bound else 200,
    )


# --- Participants without an account ---------------------------------------------------------


@require_http_methods(["GET", "POST"])
def participant(request):
    """See, create or rename one's pseudonymous identity (bound to a signed cookie)."""
    current = queries.current_participant(request)
    form = PseudonymForm(request.POST or None, instance=current)
    if request.method == "POST":
        if form.is_valid():
            if current is None:
                current = actions.do_create_participant(
                    user=request.user if request.user.is_authenticated else None,
                    pseudonym=form.cleaned_data["pseudonym"],
                )
            else:
                current = actions.do_rename_participant(current, form.cleaned_data["pseudonym"])
            if request.user.is_authenticated:
                current = actions.do_link_participant(current, request.user)
            messages.success(
                request, _("You take part as “%(pseudonym)s”.") % {"pseudonym": current.pseudonym}
            )
            response = redirect("accounts:participant")
            set_participant_cookie(response, current)
            return response
        status = 400
    else:
        status = 200
        if current is None:
            form = PseudonymForm(initial={"pseudonym": actions.random_pseudonym()})
    return render(
        request,
        "accounts/participant.html",
        {
            "participant": current,
            "form": form,
            "cookie_days": settings.PARTICIPANT_COOKIE_MAX_AGE // 86400,
        },
        status=status,
    )

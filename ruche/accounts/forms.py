from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from ruche.accounts.models import Participant, Role, User
from ruche.core.forms import DsfrFormMixin


class LoginForm(DsfrFormMixin, auth_forms.AuthenticationForm):
    username = forms.EmailField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    error_messages = {
        "invalid_login": _(
            "Email address or password incorrect. Check both and try again; after several "
            "failed attempts, logging in is blocked for a while."
        ),
        "inactive": _("This account is inactive."),
    }


class PasswordResetForm(DsfrFormMixin, auth_forms.PasswordResetForm):
    pass


class SetPasswordForm(DsfrFormMixin, auth_forms.SetPasswordForm):
    pass


class InviteForm(DsfrFormMixin, forms.Form):
    email = forms.EmailField(label=_("Email address of the person to invite"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MEMBER)


class InvitationSignupForm(DsfrFormMixin, forms.Form):
    """Create an account for an invited person; the email comes from the invitation."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password confirmation"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords do not match."))
        elif password1:
            try:
                password_validation.validate_password(
                    password1, User(email=self.email, full_name=cleaned.get("full_name", ""))
                )
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class PseudonymForm(DsfrFormMixin, forms.ModelForm):
    class Meta:
        model = Participant
        fields = ["pseudonym"]
        help_texts = {"pseudonym": _("Shown next to what you write. Avoid your real name.")}

    def clean_pseudonym(self):
        pseudonym = " ".join(self.cleaned_data["pseudonym"].split())
        if len(pseudonym) < 2:
            raise forms.ValidationError(_("A pseudonym needs at least two characters."))
        return pseudonym

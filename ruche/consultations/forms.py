from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ruche.consultations.models import (
    ANSWER_MAX_LENGTH,
    STATEMENT_MAX_LENGTH,
    Consultation,
    ProfileQuestion,
)
from ruche.core.forms import DsfrFormMixin


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class ConsultationForm(DsfrFormMixin, forms.ModelForm):
    class Meta:
        model = Consultation
        fields = [
            "title",
            "description",
            "moderation",
            "access",
            "email_domains",
            "allow_statements",
            "opens_at",
            "closes_at",
            "results_public",
        ]
        widgets = {
            "opens_at": DateTimeInput(),
            "closes_at": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }


class StatementForm(DsfrFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Your statement"),
        max_length=STATEMENT_MAX_LENGTH,
        help_text=_("One idea, in a sentence others can agree or disagree with (280 characters)."),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": STATEMENT_MAX_LENGTH}),
    )

    def clean_text(self):
        text = " ".join(self.cleaned_data["text"].split())
        if not text:
            raise forms.ValidationError(_("Write your statement."))
        return text


class SeedStatementsForm(DsfrFormMixin, forms.Form):
    texts = forms.CharField(
        label=_("Statements to add"),
        help_text=_("One statement per line, 280 characters at most each."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def clean_texts(self):
        lines = [" ".join(line.split()) for line in self.cleaned_data["texts"].splitlines()]
        lines = [line for line in lines if line]
        too_long = [n for n, line in enumerate(lines, 1) if len(line) > STATEMENT_MAX_LENGTH]
        if too_long:
            raise forms.ValidationError(
                ngettext(
                    "Line %(lines)s exceeds 280 characters.",
                    "Lines %(lines)s exceed 280 characters.",
                    len(too_long),
                )
                % {"lines": ", ".join(str(n) for n in too_long)}
            )
        if not lines:
            raise forms.ValidationError(_("Write at least one statement."))
        return lines


class AnswerForm(DsfrFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Your answer"),
        max_length=ANSWER_MAX_LENGTH,
        help_text=_("2,000 characters at most."),
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": ANSWER_MAX_LENGTH}),
    )


class VoteForm(forms.Form):
    statement = forms.UUIDField()
    vote = forms.ChoiceField(
        choices=[("agree", "agree"), ("disagree", "disagree"), ("pass", "pass")]
    )


class EmailForm(DsfrFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("Your professional email address"),
        help_text=_("We send you a link to take part; your address is not shown to anyone."),
    )

    def __init__(self, *args, consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.consultation = consultation

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        domain = email.rsplit("@", 1)[-1]
        allowed = self.consultation.domain_list()
        if domain not in allowed:
            raise forms.ValidationError(
                _("This consultation is open to addresses ending in %(domains)s.")
                % {"domains": ", ".join(f"@{d}" for d in allowed)}
            )
        return email


class ProfileForm(DsfrFormMixin, forms.Form):
    """One optional choice per profile question; answers are only used in aggregate."""

    def __init__(self, *args, questions: list[ProfileQuestion], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[str(question.pk)] = forms.ChoiceField(
                label=question.label,
                required=False,
                choices=[("", _("I prefer not to say")), *[(c, c) for c in question.choices]],
            )


class ModerationForm(DsfrFormMixin, forms.Form):
    statements = forms.MultipleChoiceField(label=_("Statements"), choices=[])
    decision = forms.ChoiceField(
        choices=[("accept", _("Publish")), ("reject", _("Reject"))], widget=forms.HiddenInput
    )
    reason = forms.CharField(
        label=_("Reason (shown to the author)"), max_length=500, required=False
    )

    def __init__(self, *args, statement_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["statements"].choices = [(str(pk), str(pk)) for pk in statement_ids]
        self.fields["statements"].error_messages["required"] = _("Tick at least one statement.")

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not data.get("reason"):
            self.add_error("reason", _("Say why the statements are rejected."))
        return data


class OpenQuestionForm(DsfrFormMixin, forms.Form):
    text = forms.CharField(label=_("Open question"), max_length=500)


class ProfileQuestionForm(DsfrFormMixin, forms.Form):
    label = forms.CharField(label=_("Profile question"), max_length=200)
    choices = forms.CharField(
        label=_("Choices"),
        help_text=_("One per line, at least two."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_choices(self):
        choices = [line.strip() for line in self.cleaned_data["choices"].splitlines()]
        choices = list(dict.fromkeys(c for c in choices if c))
        if len(choices) < 2:
            raise forms.ValidationError(_("Give at least two choices."))
        return choices

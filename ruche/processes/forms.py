from django import forms
from django.utils.translation import gettext_lazy as _

from ruche.core.forms import DsfrFormMixin
from ruche.processes.models import Phase, Process


class ProcessForm(DsfrFormMixin, forms.ModelForm):
    class Meta:
        model = Process
        fields = ["title", "question", "context", "visibility"]
        labels = {
            "title": _("Title"),
            "question": _("Question asked"),
            "context": _("Context"),
            "visibility": _("Who can see it once opened"),
        }
        help_texts = {
            "question": _("The question the process puts to participants."),
            "context": _(
                "Markdown: headings (##), lists (-), links ([text](https://…)), **bold**."
            ),
        }
        widgets = {"question": forms.Textarea(attrs={"rows": 2})}


class StatusForm(DsfrFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Process.Status.choices)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class PhaseForm(DsfrFormMixin, forms.ModelForm):
    class Meta:
        model = Phase
        fields = ["title", "description", "starts_on", "ends_on"]
        labels = {
            "title": _("Title"),
            "description": _("Description"),
            "starts_on": _("Start date"),
            "ends_on": _("End date"),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "starts_on": DateInput(),
            "ends_on": DateInput(),
        }

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            raise forms.ValidationError(_("The end date must be on or after the start date."))
        return cleaned

    def _post_clean(self):
        # The form's own clean() reports dates as a form error; skip the model's
        # field-attached one so it is not shown twice.
        if not self.non_field_errors():
            super()._post_clean()

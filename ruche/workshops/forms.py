"""Forms of the workshop pages: the workshop, its activities, joining with a code."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ruche.core.forms import DsfrFormMixin
from ruche.workshops.activities import KINDS
from ruche.workshops.activities.grouping import WHO
from ruche.workshops.activities.ideation import SIGNING
from ruche.workshops.models import CODE_LENGTH, Prompt, Workshop, WorkshopParticipant

PROMPT_MAX_LENGTH = Prompt._meta.get_field("text").max_length
DISPLAY_NAME_MAX_LENGTH = WorkshopParticipant._meta.get_field("display_name").max_length
MAX_PROMPTS = 12
# Kinds whose activity may have no source: an action plan's chantiers can be written freely.
SOURCE_OPTIONAL_KINDS = frozenset({"actionplan"})

SIGNING_LABELS = {
    "choice": _("Each participant chooses to sign or not"),
    "anonymous": _("Always anonymous"),
    "signed": _("Always signed (with the pseudonym)"),
}
WHO_LABELS = {
    "facilitator": _("The facilitator only"),
    "everyone": _("Everyone in the room"),
}


class WorkshopForm(DsfrFormMixin, forms.ModelForm):
    class Meta:
        model = Workshop
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "description": _("What the workshop is for; participants see it when they join."),
        }


class ActivityForm(DsfrFormMixin, forms.Form):
    """An activity of one kind: common fields, then the kind's own settings.

    `cleaned_data` ends with ready arguments for `actions.do_add_activity` and
    `do_update_activity`: title, instructions, source (an Activity or None), config, and
    prompts (a list of texts, or None for kinds without prompts).
    """

    title = forms.CharField(label=_("Title"), max_length=200)
    instructions = forms.CharField(
        label=_("Instructions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to participants and on the projection during the activity."),
    )

    def __init__(self, *args, kind: str, workshop: Workshop, activity=None, **kwargs):
        if activity is not None and "initial" not in kwargs:
            kwargs["initial"] = _initial_for(activity)
        super().__init__(*args, **kwargs)
        self.kind, self.workshop, self.activity = kind, workshop, activity
        source_kinds = KINDS[kind].source_kinds
        self.sources = {}
        self.needs_earlier_activity = False
        if source_kinds:
            earlier = workshop.activities.filter(kind__in=source_kinds)
            if activity is not None:
                earlier = earlier.filter(position__lt=activity.position)
            self.sources = {str(a.pk): a for a in earlier}
            required = kind not in SOURCE_OPTIONAL_KINDS
            # Nothing to choose from yet: the page says to add the earlier activity first.
            self.needs_earlier_activity = required and not self.sources
            choices = [("", _("— Choose an activity —"))] if required else [("", _("None"))]
            choices += [(pk, f"{a.position}. {a.title}") for pk, a in self.sources.items()]
            self.fields["source"] = forms.ChoiceField(
                label=_("Items come from"),
                choices=choices,
                required=required,
                help_text=_("An earlier activity: its notes or its clusters are worked on here."),
            )
        if kind == "ideation":
            self.fields["prompts"] = forms.CharField(
                label=_("Prompts (columns)"),
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=_("One per line, for example “What works” and “What is missing”."),
            )
            self.fields["signing"] = forms.ChoiceField(
                label=_("Signing notes"),
                choices=[(value, SIGNING_LABELS[value]) for value in SIGNING],
                initial="choice",
            )
        elif kind == "grouping":
            self.fields["who"] = forms.ChoiceField(
                label=_("Who groups the notes"),
                choices=[(value, WHO_LABELS[value]) for value in WHO],
                initial="facilitator",
            )
        elif kind == "dotvote":
            self.fields["dots"] = forms.IntegerField(
                label=_("Dots per person"), min_value=1, max_value=20, initial=5
            )
            self.fields["cap"] = forms.IntegerField(
                label=_("At most this many dots on one item"), min_value=1, max_value=20, initial=3
            )

    def clean_source(self):
        value = self.cleaned_data.get("source")
        if not value:
            return None
        if value not in self.sources:
            raise forms.ValidationError(_("Choose an earlier activity of a suitable kind."))
        return self.sources[value]

    def clean_prompts(self):
        lines = [" ".join(line.split()) for line in self.cleaned_data["prompts"].splitlines()]
        lines = [line for line in lines if line]
        if not lines:
            raise forms.ValidationError(_("Write at least one prompt."))
        if len(lines) > MAX_PROMPTS:
            raise forms.ValidationError(_("At most %(max)d prompts.") % {"max": MAX_PROMPTS})
        for line in lines:
            if len(line) > PROMPT_MAX_LENGTH:
                raise forms.ValidationError(
                    _("Each prompt has at most %(max)d characters.") % {"max": PROMPT_MAX_LENGTH}
                )
        return lines

    def clean(self):
        data = super().clean()
        if self.kind == "dotvote":
            dots, cap = data.get("dots"), data.get("cap")
            if dots is not None and cap is not None and cap > dots:
                self.add_error("cap", _("The cap cannot be more than the dots per person."))
        config = {}
        if self.kind == "ideation":
            config = {"signing": data.get("signing", "choice")}
        elif self.kind == "grouping":
            config = {"who": data.get("who", "facilitator")}
        elif self.kind == "dotvote":
            config = {"dots": data.get("dots"), "cap": data.get("cap")}
        data["config"] = config
        data.setdefault("source", None)
        data.setdefault("prompts", None)
        return data

    def action_arguments(self) -> dict:
        data = self.cleaned_data
        arguments = {
            "title": data["title"],
            "instructions": data["instructions"],
            "source": data["source"],
            "config": data["config"],
        }
        if self.kind == "ideation":
            arguments["prompts"] = data["prompts"]
        return arguments


def _initial_for(activity) -> dict:
    initial = {
        "title": activity.title,
        "instructions": activity.instructions,
        "source": str(activity.source_id) if activity.source_id else "",
        **activity.config,
    }
    if activity.kind == "ideation":
        initial["prompts"] = "\n".join(p.text for p in activity.prompts.all())
    return initial


class StateForm(forms.Form):
    state = forms.ChoiceField(choices=Workshop.State.choices)


class CodeForm(DsfrFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Workshop code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "inputmode": "text",
                "class": "ruche-code-input",
            }
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = _(
            "The %(length)d characters shown on the screen in the room."
        ) % {"length": CODE_LENGTH}

    def clean_code(self):
        code = "".join(ch for ch in self.cleaned_data["code"].upper() if ch.isalnum())
        if len(code) != CODE_LENGTH:
            raise forms.ValidationError(
                _("A workshop code has %(length)d characters.") % {"length": CODE_LENGTH}
            )
        return code


class JoinForm(DsfrFormMixin, forms.Form):
    display_name = forms.CharField(
        label=_("Your pseudonym"),
        max_length=DISPLAY_NAME_MAX_LENGTH,
        required=False,
        help_text=_("Shown on the notes you choose to sign. Leave it empty to stay anonymous."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )

    def clean_display_name(self):
        return " ".join(self.cleaned_data["display_name"].split())

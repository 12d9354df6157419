"""The organisation's chantiers after the workshops: a list to follow them up, and an edit
form for the facilitators."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from ruche.accounts.queries import access_organisation
from ruche.core.forms import DsfrFormMixin
from ruche.workshops.chantier_actions import do_update_chantier
from ruche.workshops.chantier_queries import access_chantier, chantiers_of
from ruche.workshops.models import Chantier, ChantierStatus


class ChantierFollowUpForm(DsfrFormMixin, forms.ModelForm):
    class Meta:
        model = Chantier
        fields = ["title", "status", "pilot", "contributors", "due_on", "first_steps", "follow_up"]
        widgets = {
            "due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "first_steps": forms.Textarea(attrs={"rows": 3}),
            "follow_up": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "follow_up": gettext_lazy("Where it stands, decisions, next meeting…"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The page carries the values it showed, so that `changed_data` is what this person
        # changed: a field edited meanwhile elsewhere (live, in the console) is kept.
        for field in self.fields.values():
            field.show_hidden_initial = True


@login_required
def chantier_list(request, organisation_id):
    organisation = access_organisation(request.user, organisation_id)
    request.organisation = organisation
    status = request.GET.get("statut", "")
    if status not in ChantierStatus.values:
        status = ""
    chantiers = list(chantiers_of(organisation, status))
    return render(
        request,
        "workshops/chantier_list.html",
        {
            "organisation": organisation,
            "chantiers": chantiers,
            "status": status,
            "statuses": ChantierStatus.choices,
            "can_edit": request.user.has_perm("workshops.add_workshop", organisation),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def chantier_edit(request, chantier_id):
    chantier = access_chantier(request.user, chantier_id)
    workshop = chantier.activity.workshop
    request.organisation = workshop.organisation
    form = ChantierFollowUpForm(request.POST or None, instance=chantier)
    if request.method == "POST" and form.is_valid():
        if form.changed_data:  # nothing changed: no write, no event for the room
            do_update_chantier(
                chantier, **{name: form.cleaned_data[name] for name in form.changed_data}
            )
        messages.success(request, _("The chantier is saved."))
        return redirect("workshops_chantiers:list", organisation_id=workshop.organisation_id)
    return render(
        request,
        "workshops/chantier_edit.html",
        {"chantier": chantier, "workshop": workshop, "form": form},
        status=400 if form.errors else 200,
    )

from django import template
from django.utils.translation import gettext as _

from ruche.consultations.models import Consultation

register = template.Library()

BADGES = {
    Consultation.State.DRAFT: "fr-badge--info",
    Consultation.State.UPCOMING: "fr-badge--new",
    Consultation.State.OPEN: "fr-badge--success",
    Consultation.State.CLOSED: "",
}


@register.inclusion_tag("consultations/components/state_badge.html")
def consultation_state_badge(consultation):
    state = consultation.state()
    return {"state": state, "label": Consultation.State(state).label, "css": BADGES[state]}


@register.inclusion_tag("consultations/components/dates.html")
def consultation_dates(consultation):
    return {"consultation": consultation}


@register.inclusion_tag("consultations/components/closed_notice.html")
def consultation_closed_notice(consultation):
    state = consultation.state()
    if state == Consultation.State.CLOSED:
        message = _("This consultation is closed: its contents can be read, no longer changed.")
    else:
        message = _("This consultation is not open yet.")
    return {"state": state, "message": message}


@register.inclusion_tag("consultations/components/freshness.html")
def analysis_freshness(result):
    """ "Computed at … on N votes" under every result."""
    return {"result": result}

"""Ruche's own interface components. Each is shown on /styleguide/."""

from django import template

register = template.Library()

ROLE_BADGE_CLASSES = {
    "admin": "fr-badge--purple-glycine",
    "facilitator": "fr-badge--blue-ecume",
    "member": "fr-badge--green-menthe",
}


@register.inclusion_tag("ruche/components/role_badge.html")
def role_badge(role: str, label: str):
    """A membership role as a coloured badge whose text names it (colour is never alone).

    Usage: ``{% role_badge membership.role membership.get_role_display %}``
    """
    return {"label": label, "css": ROLE_BADGE_CLASSES.get(role, "")}


@register.inclusion_tag("ruche/components/empty_state.html")
def empty_state(text: str, action_url: str = "", action_label: str = ""):
    """What a section shows before it has content, with an optional next step.

    Usage: ``{% empty_state _("No process yet.") url label %}``
    """
    return {"text": text, "action_url": action_url, "action_label": action_label}


@register.inclusion_tag("ruche/components/pseudonym.html")
def pseudonym(participant):
    """A participant's pseudonym with an icon, marked as a pseudonym for screen readers.

    Usage: ``{% pseudonym participant %}``
    """
    return {"participant": participant}


@register.inclusion_tag("ruche/components/live_status.html")
def live_status(element_id: str = "live-status"):
    """The connection indicator of live pages, updated by ruche/live.js (role=status).

    Usage: ``{% live_status %}``
    """
    return {"element_id": element_id}

"""Template tags of the workshop pages."""

import segno
from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def qr_code(url: str, css_class: str = ""):
    """A QR code of `url` as inline SVG, drawn on the server (no script, no image request).

    The picture is one element with role="img" whose accessible name says what it opens;
    the SVG inside is hidden from assistive technologies. Its size comes from CSS (the SVG
    only has a viewBox), with the standard quiet zone of 4 modules around it.

    Usage: ``{% qr_code join_url "ruche-qr--large" %}``
    """
    svg = segno.make(url, error="m").svg_inline(
        scale=1, border=4, omitsize=True, dark="#000", light="#fff", svgclass="ruche-qr__svg"
    )
    svg = svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
    return format_html(
        '<div class="ruche-qr {}" role="img" aria-label="{}" data-testid="join-qr">{}</div>',
        css_class,
        _("QR code to join the workshop: %(url)s") % {"url": url},
        mark_safe(svg),  # noqa: S308 (segno draws paths only; the URL is not in the SVG)
    )


@register.filter
def spaced_code(code: str) -> str:
    """A join code split in two halves (ABC DEF), easier to read aloud and to copy."""
    code = code or ""
    half = len(code) // 2
    return f"{code[:half]} {code[half:]}" if half else code


@register.inclusion_tag("workshops/components/dashboard_workshops.html", takes_context=True)
def dashboard_workshops(context, organisation, limit: int = 5):
    """The dashboard's "Live workshops" block for one organisation: the latest workshops
    (live ones first) with a link to all of them, and "new workshop" for facilitators.

    Usage: ``{% dashboard_workshops organisation %}`` (in the dashboard's organisation loop)
    """
    from ruche.workshops.queries import dashboard_workshops_of

    user = context["request"].user
    return {
        "organisation": organisation,
        "workshops": dashboard_workshops_of(organisation, user, limit),
        "can_add": user.has_perm("workshops.add_workshop", organisation),
    }

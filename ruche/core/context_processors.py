"""Site-wide template context: the DSFR header/footer configuration, without a database hit."""

from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _


def site(request):
    organisation = getattr(request, "organisation", None)
    nonce = getattr(request, "csp_nonce", None)
    if nonce is not None:
        # django-csp's lazy nonce reads as false until evaluated, and django-dsfr's script
        # tags test it with {% if %}: evaluate it so the scripts carry it and the header
        # lists it.
        str(nonce)
    return {
        "SITE_CONFIG": {
            "site_title": organisation.name if organisation else settings.RUCHE_SITE_NAME,
            "site_tagline": settings.RUCHE_SITE_TAGLINE
            or _("Collective intelligence for public innovation labs"),
            "footer_description": _(
                "Ruche is free software for public innovation labs: requests, participatory "
                "processes, consultations, live workshops and their synthesis."
            ),
            "accessibility_status": _("not compliant"),
            # The State's block mark, as the DSFR footer expects it (the words are fixed).
            "footer_brand": "République française",
            "footer_brand_html": mark_safe("République<br>française"),
        },
        "OIDC_ENABLED": settings.OIDC_ENABLED,
        "skiplinks": [
            {"link": "#content", "label": _("Content")},
            {"link": "#fr-navigation", "label": _("Menu")},
            {"link": "#footer", "label": _("Footer")},
        ],
    }

"""Reading chantiers across an organisation's workshops, with permission."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _

from ruche.workshops.models import Chantier, Commitment


def chantiers_of(organisation, status: str = ""):
    """Every chantier decided in the organisation's workshops, with who signed up."""
    chantiers = (
        Chantier.objects.filter(activity__workshop__organisation=organisation)
        .select_related("activity__workshop")
        .prefetch_related(
            Prefetch(
                "commitments",
                queryset=Commitment.objects.select_related("attendee").order_by("role"),
            )
        )
        .order_by("due_on", "activity__workshop__created_at", "position")
    )
    if status:
        chantiers = chantiers.filter(status=status)
    return chantiers


def access_chantier(user, chantier_id, perm: str = "workshops.run_workshop") -> Chantier:
    """The chantier if `user` holds `perm` on its workshop; 404 unknown, 403 otherwise."""
    try:
        chantier = Chantier.objects.select_related("activity__workshop__organisation").get(
            pk=chantier_id
        )
    except (Chantier.DoesNotExist, ValidationError, ValueError) as error:
        raise Http404(_("This chantier does not exist.")) from error
    if not user.has_perm(perm, chantier.activity.workshop):
        raise PermissionDenied(_("You may not follow this chantier up."))
    return chantier

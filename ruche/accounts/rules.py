"""Who may do what with an organisation, as `rules` predicates.

Roles are ordered: an admin can do everything a facilitator can, who can do everything a
member can. Staff users (Django admin) are not implicitly members: they manage through the
admin site.
"""

import rules

from ruche.accounts.models import Membership, Role

ROLE_RANK = {Role.MEMBER: 1, Role.FACILITATOR: 2, Role.ADMIN: 3}


def role_in(user, organisation) -> str | None:
    """The user's role in the organisation, cached on the user for the request."""
    if user is None or not user.is_authenticated or organisation is None:
        return None
    cache = user.__dict__.setdefault("_ruche_roles", {})
    if organisation.pk not in cache:
        cache[organisation.pk] = (
            Membership.objects.filter(user=user, organisation=organisation)
            .values_list("role", flat=True)
            .first()
        )
    return cache[organisation.pk]


def has_role_at_least(minimum: str):
    @rules.predicate(name=f"has_role_at_least_{minimum}")
    def predicate(user, organisation) -> bool:
        role = role_in(user, organisation)
        return role is not None and ROLE_RANK[role] >= ROLE_RANK[minimum]

    return predicate


is_member = has_role_at_least(Role.MEMBER)
is_facilitator = has_role_at_least(Role.FACILITATOR)
is_org_admin = has_role_at_least(Role.ADMIN)

rules.add_perm("accounts.view_organisation", is_member)
rules.add_perm("accounts.view_members", is_member)
rules.add_perm("accounts.invite_member", is_org_admin)
rules.add_perm("accounts.change_organisation", is_org_admin)
rules.add_perm("accounts.follow_organisation_live", is_member)


def organisation_abilities(user, organisation) -> dict[str, bool]:
    """What the interface may offer this user on this organisation (templates read this)."""
    return {
        "view": user.has_perm("accounts.view_organisation", organisation),
        "view_members": user.has_perm("accounts.view_members", organisation),
        "invite": user.has_perm("accounts.invite_member", organisation),
        "update": user.has_perm("accounts.change_organisation", organisation),
    }

"""Filters for the synthesis report's templates."""

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def percent(share) -> str:
    """A share in [0, 1] as a whole percentage ("42 %"); "—" when unknown.

    Usage: ``{{ item.share_in_group|percent }}``.
    """
    if share is None or share == "":
        return "—"
    return f"{formats.number_format(round(float(share) * 100))}\u00a0%"


@register.filter
def at(sequence, index):
    """The item at `index` of a list, or None.

    Usage: ``{{ row.group_agree|at:group.position }}``.
    """
    try:
        return sequence[int(index)]
    except (IndexError, TypeError, ValueError):
        return None


@register.filter
def coordinate(value) -> str:
    """A map coordinate with two decimals, in the current locale. Usage: ``{{ x|coordinate }}``."""
    return formats.number_format(value, 2)


@register.filter
def get_item(mapping, key):
    """mapping[key], or an empty list. Usage: ``{{ quote_candidates|get_item:theme.key }}``."""
    try:
        return mapping.get(key, [])
    except AttributeError:
        return []


@register.filter
def grouped(number) -> str:
    """A count with the locale's thousands separator ("29 188" in French)."""
    return formats.number_format(number, force_grouping=True)

"""Template filters for processes."""

import markdown as markdown_lib
import nh3
from django import template
from django.utils.safestring import mark_safe

register = template.Library()

ALLOWED_TAGS = {
    "p", "a", "em", "strong", "ul", "ol", "li", "h2", "h3", "h4", "blockquote", "code", "pre",
    "br",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


@register.filter
def markdown(text: str) -> str:
    """Markdown written by facilitators, as HTML with only a small set of safe tags.

    Usage: ``{{ process.context|markdown }}``. Scripts, event attributes and
    `javascript:` links are removed by nh3 before the result is marked safe.
    """
    html = markdown_lib.markdown(text or "")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308 (sanitised by nh3 just above)


STATUS_BADGE_CLASSES = {
    "draft": "",
    "open": "fr-badge--success",
    "closed": "fr-badge--info",
    "archived": "fr-badge--purple-glycine",
}


@register.inclusion_tag("processes/components/status_badge.html")
def process_status_badge(process):
    """A process's status as a badge whose text names it (colour is never alone).

    Usage: ``{% process_status_badge process %}``
    """
    return {
        "label": process.get_status_display(),
        "css": STATUS_BADGE_CLASSES.get(process.status, ""),
    }

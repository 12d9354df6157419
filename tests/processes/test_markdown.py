"""A process's context is Markdown rendered to a small set of safe HTML tags."""

from ruche.processes.templatetags.processes_tags import markdown


def test_markdown_is_rendered():
    """Emphasis, lists and links become HTML."""
    html = markdown("Un **mot**\n\n- un\n- deux\n\n[lien](https://example.org)")
    assert "<strong>mot</strong>" in html
    assert "<li>un</li>" in html
    assert 'href="https://example.org"' in html


def test_scripts_event_handlers_and_javascript_links_are_removed():
    """<script>, on* attributes and javascript: links never reach the page."""
    html = markdown(
        "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n"
        '[clic](javascript:alert(1)) <a href="javascript:alert(2)">b</a>'
    )
    assert "<script" not in html
    assert "onerror" not in html
    assert "javascript:" not in html
    assert "<img" not in html


def test_empty_context_renders_nothing():
    """No context, no HTML."""
    assert markdown("") == ""

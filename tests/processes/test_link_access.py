"""Link-only processes open to whoever holds their link, once they are no longer drafts."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from ruche.processes.queries import access_process
from tests.factories import ProcessFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", ["open", "closed", "archived"])
def test_token_opens_a_link_only_process(status):
    """With the right token, an anonymous visitor may view a link-only process."""
    process = ProcessFactory(visibility="link", status=status)
    assert access_process(AnonymousUser(), process.pk, token=process.link_token) == process


def test_token_does_not_open_a_draft():
    """A draft stays closed to link holders."""
    process = ProcessFactory(visibility="link", status="draft")
    with pytest.raises(PermissionDenied):
        access_process(AnonymousUser(), process.pk, token=process.link_token)


def test_wrong_token_or_no_token_is_refused():
    """Without the process's own token, a link-only process is refused."""
    process = ProcessFactory(visibility="link", status="open")
    other = ProcessFactory(visibility="link", status="open")
    for token in (None, "", other.link_token):
        with pytest.raises(PermissionDenied):
            access_process(AnonymousUser(), process.pk, token=token)


def test_token_only_grants_viewing(make_member):
    """The token never grants changing the process."""
    process = ProcessFactory(visibility="link", status="open")
    with pytest.raises(PermissionDenied):
        access_process(
            AnonymousUser(), process.pk, "processes.change_process", token=process.link_token
        )

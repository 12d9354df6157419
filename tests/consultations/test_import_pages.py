"""Facilitators import data through the consultation's data page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ruche.consultations import queries
from ruche.consultations.models import Statement, Vote

pytestmark = pytest.mark.django_db

COMMENTS = (
    b"timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
    b"1568101622999,x,10,1,0,0,1,Plus de haies\n"
)
VOTES = b"timestamp,datetime,comment-id,voter-id,vote\n1568101622999,x,10,1,1\n"


def url(consultation):
    return reverse("consultation_data:importer", args=[consultation.pk])


def polis_post(client, consultation, comments=COMMENTS, votes=VOTES):
    return client.post(
        url(consultation),
        {
            "kind": "polis",
            "polis-comments": SimpleUploadedFile("comments.csv", comments),
            "polis-votes": SimpleUploadedFile("votes.csv", votes),
        },
    )


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("outsider", 403), ("member", 403), ("facilitator", 200)],
)
def test_only_facilitators_reach_the_data_page(client, user_for_role, consultation, role, status):
    """Anonymous people are sent to log in; members and outsiders get 403; facilitators of
    the organisation see the page with its two import forms."""
    user = user_for_role(role, consultation.organisation)
    if role != "anonymous":
        client.force_login(user)
    response = client.get(url(consultation))
    assert response.status_code == status
    if role == "anonymous":
        assert response.url.startswith(reverse("accounts:login"))
    if status == 200:
        page = response.content.decode()
        assert 'data-testid="polis-import-form"' in page
        assert 'data-testid="statements-import-form"' in page


def test_member_cannot_import(client, make_member, consultation):
    """A member's POST is refused and writes nothing."""
    client.force_login(make_member("member"))
    assert polis_post(client, consultation).status_code == 403
    assert not Vote.objects.exists()


def test_facilitator_imports_a_polis_export(
    client, make_member, consultation, django_capture_on_commit_callbacks
):
    """A valid export is imported, the analysis is requested, and the page redirects back
    with a message."""
    client.force_login(make_member("facilitator"))
    with django_capture_on_commit_callbacks(execute=True):
        response = polis_post(client, consultation)
    assert response.status_code == 302
    assert response.url == url(consultation)
    assert consultation.statements.filter(number=10, text="Plus de haies").exists()
    assert Vote.objects.filter(consultation=consultation).count() == 1
    assert queries.latest_result(consultation, "opinions").n_votes == 1  # analysis requested


def test_errors_are_listed_per_line_with_status_400(client, make_member, consultation):
    """A faulty export gets status 400 and its errors listed with file and line."""
    client.force_login(make_member("facilitator"))
    response = polis_post(client, consultation, votes=VOTES + b"1,x,99,2,1\n1,x,10,3,5\n")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="import-errors"' in page
    assert page.count('data-testid="import-error"') == 2
    assert 'data-file="votes.csv" data-line="3"' in page
    assert 'data-file="votes.csv" data-line="4"' in page
    assert not consultation.statements.filter(number=10).exists()


def test_facilitator_imports_statements_from_csv(client, make_member, consultation):
    """The CSV form adds the chosen column's texts as published seeds."""
    client.force_login(make_member("facilitator"))
    response = client.post(
        url(consultation),
        {
            "kind": "statements",
            "statements-file": SimpleUploadedFile("idees.csv", "n,idée\n1,Des bancs\n".encode()),
            "statements-column": "idée",
        },
    )
    assert response.status_code == 302
    assert Statement.objects.get(consultation=consultation, text="Des bancs").status == "accepted"


def test_missing_file_is_a_form_error(client, make_member, consultation):
    """Sending the form without its files is answered 400, nothing imported."""
    client.force_login(make_member("facilitator"))
    response = client.post(url(consultation), {"kind": "polis"})
    assert response.status_code == 400
    assert consultation.statements.count() == 3

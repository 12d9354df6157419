"""Facilitators download a consultation's data; nobody else does."""

import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db

DOWNLOADS = ["consultation_data:polis_zip", "consultation_data:data_xlsx"]


@pytest.mark.parametrize("name", DOWNLOADS)
@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("outsider", 403), ("member", 403), ("facilitator", 200)],
)
def test_downloads_are_for_facilitators(client, user_for_role, consultation, name, role, status):
    """Anonymous people are sent to log in, members and outsiders get 403, facilitators
    get the file as an attachment."""
    user = user_for_role(role, consultation.organisation)
    if role != "anonymous":
        client.force_login(user)
    response = client.get(reverse(name, args=[consultation.pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Disposition"].startswith("attachment;")


def test_downloaded_files_open(client, make_member, consultation):
    """The ZIP holds the Pol.is files and the XLSX opens with its sheets."""
    client.force_login(make_member("facilitator"))
    archive = client.get(reverse(DOWNLOADS[0], args=[consultation.pk])).content
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        assert "comments.csv" in opened.namelist()
    workbook = client.get(reverse(DOWNLOADS[1], args=[consultation.pk])).content
    assert load_workbook(io.BytesIO(workbook)).sheetnames == ["statements", "votes", "answers"]


def test_unknown_consultation_is_404(client, make_member):
    """A malformed or unknown id is a 404."""
    client.force_login(make_member("facilitator"))
    assert client.get(reverse(DOWNLOADS[0], args=["nope"])).status_code == 404

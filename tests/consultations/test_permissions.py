"""Consultation permissions as matrices, role × state, checked through HTTP.

Roles: an anonymous visitor, a participant (anonymous with a participant cookie), a
member of another organisation, a plain member, a facilitator of the organisation.
States: the process is a draft, the consultation is open, it is closed (by its dates).
"""

import datetime

import pytest
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from ruche.accounts.middleware import set_participant_cookie
from ruche.consultations.models import Consultation
from ruche.core.testing import assert_permission_matrix, parse_matrix
from tests.consultations.helpers import vote_json
from tests.consultations.test_moderation import login
from tests.factories import (
    ConsultationFactory,
    MembershipFactory,
    ParticipantFactory,
    PhaseFactory,
    ProcessFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "participant", "outsider", "member", "facilitator")


def consultation_in(state: str) -> Consultation:
    process = ProcessFactory(status="draft" if state == "draft" else "open")
    consultation = ConsultationFactory(phase=PhaseFactory(process=process))
    if state == "closed":
        consultation.opens_at = timezone.now() - datetime.timedelta(days=3)
        consultation.closes_at = timezone.now() - datetime.timedelta(days=1)
        consultation.save()
    StatementFactory(consultation=consultation)
    return consultation


def client_for(role: str, consultation: Consultation) -> Client:
    client = Client()
    organisation = consultation.organisation
    if role == "participant":
        response = HttpResponse()
        set_participant_cookie(response, ParticipantFactory())
        client.cookies.update(response.cookies)
    elif role == "outsider":
        login(client, MembershipFactory(role="admin").user)
    elif role in ("member", "facilitator"):
        login(client, MembershipFactory(organisation=organisation, role=role).user)
    return client


def check_http(table: str, request) -> None:
    """Each cell: `request(client, consultation)` succeeds exactly when 'yes'.

    Success is a 2xx or a redirect other than to the login page (which is a refusal).
    """
    mismatches = []
    for (role, state), allowed in parse_matrix(table).items():
        consultation = consultation_in(state)
        response = request(client_for(role, consultation), consultation)
        status = response.status_code
        to_login = status == 302 and response.url.startswith("/connexion/")
        if (status < 400 and not to_login) != allowed:
            mismatches.append(
                f"{role} × {state}: expected {'ok' if allowed else 'refused'}, got {status}"
            )
    assert not mismatches, "\n".join(mismatches)


def test_viewing_the_consultation():
    """Drafts are for facilitators; once open or closed, a public process shows it to all."""
    check_http(
        """
                     draft  open  closed
        anonymous    no     yes   yes
        participant  no     yes   yes
        outsider     no     yes   yes
        member       no     yes   yes
        facilitator  yes    yes   yes
        """,
        lambda client, c: client.get(f"/consultations/{c.pk}/"),
    )


def test_voting():
    """Anyone who sees it votes while it is open; nobody votes on a draft or closed one."""
    check_http(
        """
                     draft  open  closed
        anonymous    no     yes   no
        participant  no     yes   no
        outsider     no     yes   no
        member       no     yes   no
        facilitator  no     yes   no
        """,
        lambda client, c: vote_json(client, c, c.statements.first()),
    )


def test_proposing_a_statement():
    """Proposing follows voting."""
    check_http(
        """
                     draft  open  closed
        anonymous    no     yes   no
        participant  no     yes   no
        outsider     no     yes   no
        member       no     yes   no
        facilitator  no     yes   no
        """,
        lambda client, c: client.post(
            f"/consultations/{c.pk}/proposer/", {"text": "Une idée neuve", "confirm": "1"}
        ),
    )


def test_moderating():
    """Only the organisation's facilitators moderate, in every state."""
    check_http(
        """
                     draft  open  closed
        anonymous    no     no    no
        participant  no     no    no
        outsider     no     no    no
        member       no     no    no
        facilitator  yes    yes   yes
        """,
        lambda client, c: client.get(f"/consultations/{c.pk}/moderation/"),
    )


def test_changing_the_settings():
    """Only the organisation's facilitators change settings, statements and questions."""
    check_http(
        """
                     draft  open  closed
        anonymous    no     no    no
        participant  no     no    no
        outsider     no     no    no
        member       no     no    no
        facilitator  yes    yes   yes
        """,
        lambda client, c: client.post(
            f"/consultations/{c.pk}/gerer/propositions/", {"texts": "Une proposition de plus"}
        ),
    )


@pytest.mark.parametrize("public", [False, True])
def test_reading_the_synthesis(user_for_role, public):
    """Facilitators always; others only once the synthesis is public and they see the page."""
    viewers = "no     yes   yes" if public else "no     no    no"
    assert_permission_matrix(
        "consultations.view_report",
        f"""
                     draft  open  closed
        anonymous    {viewers}
        outsider     {viewers}
        member       {viewers}
        facilitator  yes    yes   yes
        """,
        user_for_role=lambda role, c: user_for_role(role, c.organisation),
        object_for_state=lambda state: _with_results(consultation_in(state), public),
    )


def _with_results(consultation, public):
    consultation.results_public = public
    consultation.save()
    return consultation


def test_members_only_process_hides_its_consultation_from_outsiders():
    """Visibility "members": outsiders and anonymous visitors get 403, members see it."""
    consultation = consultation_in("open")
    process = consultation.process
    process.visibility = "members"
    process.save()
    assert (
        client_for("anonymous", consultation).get(f"/consultations/{consultation.pk}/").status_code
        == 403
    )
    assert (
        client_for("outsider", consultation).get(f"/consultations/{consultation.pk}/").status_code
        == 403
    )
    assert (
        client_for("member", consultation).get(f"/consultations/{consultation.pk}/").status_code
        == 200
    )


def test_link_only_process_opens_its_consultation_after_the_link():
    """Visibility "link": the consultation opens to whoever opened the process's link."""
    consultation = consultation_in("open")
    process = consultation.process
    process.visibility = "link"
    process.save()
    client = Client()
    assert client.get(f"/consultations/{consultation.pk}/").status_code == 403
    assert client.get(f"/demarches/lien/{process.link_token}/").status_code == 200
    assert client.get(f"/consultations/{consultation.pk}/").status_code == 200
    assert vote_json(client, consultation, consultation.statements.first()).status_code == 200

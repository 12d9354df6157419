"""The synthesis on real votes: Pol.is's open "biodiversity" conversation (Scoop Hivemind,
New Zealand, 2019, CC BY 4.0), loaded straight into the tables."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ruche.accounts.models import Participant
from ruche.consultations import analysis
from ruche.consultations.models import Statement, Vote
from ruche.consultations.report import build_report
from tests.datasets import dataset
from tests.factories import ConsultationFactory, MembershipFactory, PhaseFactory, ProcessFactory

pytestmark = pytest.mark.django_db

FOLDER = "polis-scoop-hivemind-biodiversity"
VOTERS = 250  # a sample: the first voters by id, with all their votes


def load_biodiversity():
    comments_path = dataset(f"{FOLDER}/comments.csv")
    votes_path = dataset(f"{FOLDER}/votes.csv")
    consultation = ConsultationFactory(
        phase=PhaseFactory(process=ProcessFactory(status="open")),
        title="Protecting and Restoring NZ’s Biodiversity",
        attribution="Pol.is open data, Scoop Hivemind (2019), CC BY 4.0",
    )
    with comments_path.open(encoding="utf-8") as file:
        comments = list(csv.DictReader(file))
    statements = Statement.objects.bulk_create(
        Statement(
            consultation=consultation,
            number=int(row["comment-id"]),
            text=" ".join(row["comment-body"].split())[:280],
            status=Statement.Status.REJECTED
            if row["moderated"] == "-1"
            else Statement.Status.ACCEPTED,
        )
        for row in comments
    )
    by_number = {statement.number: statement for statement in statements}
    with votes_path.open(encoding="utf-8") as file:
        rows = [row for row in csv.DictReader(file) if int(row["voter-id"]) < VOTERS]
    # Pol.is keeps every vote; the last one per (voter, comment) is the current vote.
    rows.sort(key=lambda row: int(row["timestamp"]))
    current = {(row["voter-id"], int(row["comment-id"])): row for row in rows}
    voter_ids = sorted({voter for voter, _comment in current}, key=int)
    people = Participant.objects.bulk_create(
        Participant(pseudonym=f"Votant {voter}") for voter in voter_ids
    )
    person = dict(zip(voter_ids, people, strict=True))
    votes = []
    for (voter, comment), row in current.items():
        if comment not in by_number:
            continue
        moment = datetime.datetime.fromtimestamp(int(row["timestamp"]) / 1000, tz=datetime.UTC)
        votes.append(
            Vote(
                consultation=consultation,
                statement=by_number[comment],
                participant=person[voter],
                value=int(row["vote"]),
                created_at=moment,
                updated_at=moment,
            )
        )
    Vote.objects.bulk_create(votes, batch_size=5000)
    counted = sum(1 for vote in votes if vote.statement.status == Statement.Status.ACCEPTED)
    return consultation, counted  # votes on rejected statements are not analysed


def test_biodiversity_conversation_has_opinion_groups(client):
    """On real votes the report shows at least two groups, each with representative
    statements, participation spread over the conversation's days, and exports that
    hold the statements' texts."""
    consultation, n_votes = load_biodiversity()
    analysis.compute_opinions(consultation)
    report = build_report(consultation)

    assert len(report.groups) >= 2
    assert report.figures.votes == n_votes
    assert sum(group.size for group in report.groups) == report.included
    assert all(group.representative for group in report.groups)
    assert len(report.per_day) > 1
    assert sum(day.votes for day in report.per_day) == n_votes
    assert report.map.points and not report.map.sampled

    client.force_login(
        MembershipFactory(organisation=consultation.organisation, role="facilitator").user
    )
    html = client.get(reverse("consultation_report:report", args=[consultation.pk])).content
    assert html.decode().count('data-testid="group"') == len(report.groups)
    workbook = load_workbook(
        io.BytesIO(
            client.get(
                reverse("consultation_report:export", args=[consultation.pk, "xlsx"])
            ).content
        )
    )
    texts = {row[1] for row in workbook["Propositions"].iter_rows(min_row=2, values_only=True)}
    assert {row.statement.text for row in report.statements} <= texts

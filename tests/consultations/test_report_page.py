"""The synthesis page: key figures, opinion groups with their sizes and statements."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from ruche.consultations import analysis
from tests.consultations.report_data import add_camp_votes, two_camps, with_opinions, with_themes
from tests.factories import (
    ConsultationFactory,
    MembershipFactory,
    ParticipantFactory,
    PhaseFactory,
    ProcessFactory,
)

pytestmark = pytest.mark.django_db


def facilitator_client(client, consultation):
    client.force_login(
        MembershipFactory(organisation=consultation.organisation, role="facilitator").user
    )
    return client


def report_html(client, consultation) -> str:
    response = client.get(reverse("consultation_report:report", args=[consultation.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_groups_with_sizes_and_representative_statements(client):
    """Each opinion group is shown with its size and the statements that set it apart,
    each with the share of the group on its side."""
    consultation, statements, _camp_a, _camp_b = with_opinions(per_camp=12)
    html = report_html(facilitator_client(client, consultation), consultation)
    assert html.count('data-testid="group"') == 2
    sizes = re.findall(r'data-testid="group-size">(\d+)<', html)
    assert sorted(int(size) for size in sizes) == [12, 12]
    representative = re.findall(
        r'data-testid="representative" data-statement="([^"]+)" '
        r'data-direction="(agree|disagree)" data-share="([0-9.]+)"',
        html,
    )
    assert representative
    assert {item[0] for item in representative} <= {str(s.pk) for s in statements}
    # Camps vote unanimously: (12 + 1) / (12 + 2) of the group on the statement's side.
    assert all(float(share) == pytest.approx(13 / 14, abs=0.001) for *_i, share in representative)
    assert escape(statements[0].text) in html
    assert 'data-testid="report-not-computed"' not in html
    assert 'data-testid="report-computed"' in html


def test_key_figures_come_from_the_analysis(client):
    """Participants and votes are those the analysis counted; statements and answers are
    the published statements and visible answers."""
    consultation, statements, _camp_a, _camp_b = with_opinions(per_camp=10)
    with_themes(consultation)
    html = report_html(facilitator_client(client, consultation), consultation)
    assert 'data-testid="figure-participants">20<' in html
    assert f'data-testid="figure-votes">{20 * len(statements)}<' in html
    assert f'data-testid="figure-statements">{len(statements)}<' in html
    assert 'data-testid="figure-answers">8<' in html


def test_not_computed_yet(client):
    """Before any analysis the page says so, shows live key figures, and no group."""
    consultation, _statements, _camp_a, _camp_b = two_camps(per_camp=3)
    html = report_html(facilitator_client(client, consultation), consultation)
    assert 'data-testid="report-not-computed"' in html
    assert 'data-testid="report-computed"' not in html
    assert 'data-testid="group"' not in html
    assert 'data-testid="figure-participants">6<' in html


def test_empty_consultation_is_not_computed_yet(client):
    """A consultation without votes or statements shows the same state, with zeros."""
    consultation = ConsultationFactory(phase=PhaseFactory(process=ProcessFactory(status="open")))
    html = report_html(facilitator_client(client, consultation), consultation)
    assert 'data-testid="report-not-computed"' in html
    assert 'data-testid="figure-votes">0<' in html


def test_failed_analysis_falls_back_to_the_last_good_one(client):
    """A failed run (an error row) does not hide the last successful result."""
    consultation, _statements, _camp_a, _camp_b = with_opinions(per_camp=10)
    consultation.analysis_results.create(kind="opinions", data={"failed": True}, error="boom")
    html = report_html(facilitator_client(client, consultation), consultation)
    assert html.count('data-testid="group"') == 2


def test_user_text_is_inert(client):
    """A statement or answer with markup is shown as text, never as HTML."""
    consultation, _statements, _camp_a, _camp_b = with_opinions(
        per_camp=10, texts=["<script>alert(1)</script>", "<b>gras</b>"]
    )
    with_themes(
        consultation,
        texts=["<script>alert(2)</script> télétravail", "<img src=x onerror=alert(3)>"],
    )
    client = facilitator_client(client, consultation)
    for name in ("report", "print"):
        html = client.get(
            reverse(f"consultation_report:{name}", args=[consultation.pk])
        ).content.decode()
        assert "<script>alert(" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<b>gras</b>" not in html
        assert "<img src=x" not in html


def test_recomputed_report_reads_the_latest_result(client):
    """After a new analysis the page shows the new counts."""
    consultation, statements, _camp_a, _camp_b = with_opinions(per_camp=10)
    add_camp_votes(consultation, statements, [ParticipantFactory(), ParticipantFactory()], [])
    analysis.compute_opinions(consultation)
    html = report_html(facilitator_client(client, consultation), consultation)
    assert 'data-testid="figure-participants">22<' in html


def test_themes_with_sizes_and_quotes(client):
    """Each open question lists its themes with their size and up to three quotes."""
    consultation, _question, answers, result = with_themes()
    themes = result.data["questions"][0]["themes"]
    html = report_html(facilitator_client(client, consultation), consultation)
    sizes = re.findall(r'data-testid="theme-size" data-size="(\d+)"', html)
    assert sorted(int(n) for n in sizes) == sorted(theme["size"] for theme in themes)
    quoted = re.findall(r'data-testid="quote" data-answer="([^"]+)"', html)
    assert quoted and set(quoted) <= {str(answer.pk) for answer in answers}
    for theme in themes:
        assert f'data-theme-key="{theme["key"]}"' in html


def test_analysis_without_votes_shows_no_group(client):
    """An analysis run before any vote is "computed" but has no group, map or chart."""
    consultation = ConsultationFactory(phase=PhaseFactory(process=ProcessFactory(status="open")))
    analysis.compute_opinions(consultation)
    analysis.compute_themes(consultation)
    html = report_html(facilitator_client(client, consultation), consultation)
    assert 'data-testid="report-computed"' in html
    assert 'data-testid="group"' not in html
    assert 'data-testid="chart-map"' not in html
    assert 'data-testid="chart-per-day"' not in html

"""The report's charts: server-drawn SVG with a caption and a table of the same numbers."""

import re

import pytest
from django.urls import reverse

from ruche.consultations.report import build_report
from ruche.consultations.report_charts import opinion_map_chart, per_day_chart, series
from tests.consultations.report_data import with_opinions
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def report_page(client):
    consultation, *_rest = with_opinions(per_camp=10)
    client.force_login(
        MembershipFactory(organisation=consultation.organisation, role="facilitator").user
    )
    html = client.get(reverse("consultation_report:report", args=[consultation.pk])).content
    return consultation, html.decode()


@pytest.mark.parametrize("chart", ["chart-per-day", "chart-map"])
def test_charts_are_images_named_by_their_caption(report_page, chart):
    """Each chart is an SVG with role="img", labelled by a caption present on the page."""
    _consultation, html = report_page
    svg = re.search(rf'<svg role="img" aria-labelledby="([^"]+)"[^>]*data-testid="{chart}"', html)
    assert svg
    assert f'id="{svg.group(1)}"' in html


def test_per_day_table_has_the_chart_numbers(report_page):
    """The table under the bar chart lists each day's votes, as the bars do."""
    consultation, html = report_page
    report = build_report(consultation)
    table = html.split('data-testid="table-per-day"')[1].split("</table>")[0]
    assert [int(n) for n in re.findall(r"<td>(\d+)</td>\s*<td>\d+</td>", table)] == [
        day.votes for day in report.per_day
    ]
    assert sum(day.votes for day in report.per_day) == report.figures.votes


def test_map_groups_differ_by_colour_and_shape(report_page):
    """Each group's marks have their own colour and their own shape, named in the table."""
    _consultation, html = report_page
    drawn = re.findall(
        r'fill="(#[0-9a-f]{6})"[^>]*data-testid="map-series" data-shape="(\w+)"', html
    )
    assert len(drawn) == 2
    assert len({colour for colour, _shape in drawn}) == 2
    assert len({shape for _colour, shape in drawn}) == 2
    table = html.split('data-testid="table-groups"')[1].split("</table>")[0]
    assert table.count('data-testid="group-row"') == 2
    assert re.findall(r'data-testid="group-row-size">(\d+)<', table) == ["10", "10"]


def test_map_points_are_all_drawn():
    """Below the sampling limit every placed participant is a mark on the map."""
    consultation, *_rest = with_opinions(per_camp=10)
    report = build_report(consultation)
    chart = opinion_map_chart(report.map, len(report.groups))
    assert sum(item.count for item in chart.series) == len(report.map.points) == 20


def test_no_chart_without_data():
    """Nothing to draw: no chart (the page shows the not-computed state instead)."""
    assert per_day_chart([]) is None
    assert opinion_map_chart(None, 0) is None


def test_series_cycle_through_distinct_styles():
    """Five groups at most: five distinct colour and shape pairs."""
    styles = [series(i) for i in range(5)]
    assert len({s.colour for s in styles}) == 5
    assert len({s.shape for s in styles}) == 5

"""Rule: the synthesis lists every published statement with its votes and each group's
agree share (the table a sponsor checks a figure against)."""

from tests.consultations.report_data import with_opinions


def test_every_statement_is_listed_with_its_votes(client, db):
    """One row per published statement, with its vote count."""
    consultation, statements, camp_a, camp_b = with_opinions(results_public=True)
    page = client.get(f"/consultations/{consultation.pk}/synthese/").content.decode()
    assert page.count('data-testid="statement-row"') == len(statements)
    for statement in statements:
        assert statement.text in page
    voters = len(camp_a) + len(camp_b)
    assert f"<td>{voters}</td>" in page


def test_key_figures_are_grouped_by_thousands():
    """Large counts read as "1 234" in French (a no-break space between thousands)."""
    from ruche.consultations.templatetags.report_tags import grouped

    assert grouped(29188) == "29\xa0188"
    assert grouped(7) == "7"

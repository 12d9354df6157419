"""Rule: HTML or script written by anyone (statement, answer, title, pseudonym) is shown as
text on every consultation page, never run."""

from pathlib import Path

from ruche.accounts.models import Role
from tests.consultations.helpers import vote_json
from tests.consultations.test_moderation import login
from tests.factories import ParticipantFactory, StatementFactory

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_statement_on_the_card_and_my_votes(client, consultation):
    """A statement's markup is escaped on the voting card and on the "my votes" page."""
    consultation.statements.all().delete()
    statement = StatementFactory(consultation=consultation, text=SCRIPT)
    card = client.get(f"/consultations/{consultation.pk}/voter/").content.decode()
    assert SCRIPT not in card
    assert ESCAPED in card
    vote_json(client, consultation, statement)
    mine = client.get(f"/consultations/{consultation.pk}/mes-votes/").content.decode()
    assert SCRIPT not in mine
    assert ESCAPED in mine


def test_vote_json_carries_text_not_markup(client, consultation):
    """The JSON answer holds the raw text; the card's script inserts it as text."""
    consultation.statements.all().delete()
    first = StatementFactory(consultation=consultation, text="Première")
    StatementFactory(consultation=consultation, text=SCRIPT)
    body = vote_json(client, consultation, first, next=True).json()
    assert body["next"]["text"] == SCRIPT
    script = (ROOT / "ruche/consultations/static/consultations/vote_card.js").read_text()
    assert "statementText.textContent = body.next.text" in script
    assert "innerHTML" not in script


def test_title_and_description(client, consultation):
    """The title is escaped; the Markdown description drops raw HTML."""
    consultation.title = SCRIPT
    consultation.description = f"Texte {SCRIPT} et **gras**"
    consultation.save()
    page = client.get(f"/consultations/{consultation.pk}/").content.decode()
    assert SCRIPT not in page
    assert "<strong>gras</strong>" in page


def test_pseudonym_in_the_moderation_queue(client, consultation, make_member):
    """An author's pseudonym is escaped for the facilitators too."""
    login(client, make_member(Role.FACILITATOR))
    author = ParticipantFactory(pseudonym=SCRIPT)
    StatementFactory(consultation=consultation, status="pending", author=author, is_seed=False)
    page = client.get(f"/consultations/{consultation.pk}/moderation/").content.decode()
    assert SCRIPT not in page
    assert ESCAPED in page

"""Small helpers shared by the consultation tests."""

import json

from django.urls import reverse


def vote_json(client, consultation, statement, value="agree", **extra):
    """POST a vote as the voting card's script does; returns the response."""
    body = {"statement": str(getattr(statement, "pk", statement)), "vote": value, **extra}
    return client.post(
        reverse("consultations:vote", args=[consultation.pk]),
        json.dumps(body),
        content_type="application/json",
    )

"""Rule: the vote fast path (consultations.fastvote) answers an eligible anonymous JSON
vote exactly as the Django view would, and hands every other request to Django."""

import asyncio
import json

import httpx
import pytest
from django.conf import settings
from django.core.asgi import get_asgi_application
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret
from django.test import override_settings

from ruche.accounts.middleware import set_participant_cookie
from ruche.consultations import fastvote
from ruche.consultations.models import Consultation, Statement, Vote
from ruche.processes.models import Process
from tests.factories import (
    ParticipantFactory,
    ProfileQuestionFactory,
    StatementFactory,
    UserFactory,
)

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the fast path runs on PostgreSQL only"
)

HOST = "localhost"


class Django:
    """The wrapped Django app, counting the requests it gets."""

    def __init__(self):
        self.app = get_asgi_application()
        self.calls = 0

    async def __call__(self, scope, receive, send):
        self.calls += 1
        await self.app(scope, receive, send)


@pytest.fixture(autouse=True)
def _close_django_pool():
    """Django's views ran in other threads, whose pooled connections would outlive the
    test database: close the pool after each test."""
    yield
    from django.db import connections

    close_pool = getattr(connections["default"], "close_pool", None)
    if close_pool is not None:
        close_pool()


@pytest.fixture
def django_app():
    return Django()


@pytest.fixture
def app(django_app):
    return fastvote.FastVoteApp(django_app, enabled=True)


def signed_participant(participant) -> str:
    """The participant cookie's value, as `set_participant_cookie` writes it."""
    response = HttpResponse()
    set_participant_cookie(response, participant)
    return response.cookies[settings.PARTICIPANT_COOKIE_NAME].value


def csrf_pair() -> tuple[str, str]:
    """(csrftoken cookie, X-CSRFToken header) as the voting page's script sends them."""
    secret = _get_new_csrf_string()
    return secret, _mask_cipher_secret(secret)


def request_for(consultation, participant, body, *, cookies=None, headers=None):
    """(url, content, headers) of a vote as the voting card's script sends it."""
    cookie, token = csrf_pair()
    jar = {"csrftoken": cookie}
    if participant is not None:
        jar[settings.PARTICIPANT_COOKIE_NAME] = signed_participant(participant)
    jar.update(cookies or {})
    all_headers = {
        "Content-Type": "application/json",
        "X-CSRFToken": token,
        "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items() if v is not None),
    }
    all_headers.update(headers or {})
    all_headers = {k: v for k, v in all_headers.items() if v is not None}
    content = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return f"/consultations/{consultation.pk}/votes/", content, all_headers


def send(app, *requests, scheme="http"):
    """Send the requests one after the other through `app`; their responses."""

    async def go():
        transport = httpx.ASGITransport(app=app)
        responses = []
        async with httpx.AsyncClient(transport=transport, base_url=f"{scheme}://{HOST}") as c:
            for url, content, headers in requests:
                responses.append(await c.post(url, content=content, headers=headers))
        if isinstance(app, fastvote.FastVoteApp):
            await app.close()
        return responses

    return asyncio.run(go())


def vote_body(statement, value="agree", **extra):
    return {"statement": str(getattr(statement, "pk", statement)), "vote": value, **extra}


def comparable_headers(response) -> dict:
    headers = dict(response.headers)
    headers.pop("content-length", None)
    return headers


@pytest.fixture
def participant(transactional_db):
    return ParticipantFactory()


@pytest.fixture
def statement(consultation):
    return consultation.statements.order_by("number").first()


def test_eligible_vote_is_answered_by_the_fast_path_and_stored(
    transactional_db, app, django_app, consultation, participant, statement
):
    [response] = send(app, request_for(consultation, participant, vote_body(statement)))
    assert response.status_code == 200
    assert response.json() == {"statement": str(statement.pk), "vote": "agree"}
    assert (app.served, django_app.calls) == (1, 0)
    vote = Vote.objects.get()
    assert (vote.participant, vote.statement, vote.value) == (participant, statement, 1)
    assert vote.consultation == consultation


def test_same_vote_twice_keeps_one_row_last_value_wins(
    transactional_db, app, consultation, participant, statement
):
    first = request_for(consultation, participant, vote_body(statement, "agree"))
    second = request_for(consultation, participant, vote_body(statement, "disagree"))
    responses = send(app, first, second)
    assert [r.status_code for r in responses] == [200, 200]
    assert app.served == 2
    assert list(Vote.objects.values_list("value", flat=True)) == [Vote.Value.DISAGREE]


def _django_then_fast(app, django_app, consultation, participant, body, reset=None):
    """The same request answered by Django, then (state reset) by the fast path."""
    by_django = send(django_app, request_for(consultation, participant, body))[0]
    assert django_app.calls == 1
    if reset:
        reset()
    by_fast = send(app, request_for(consultation, participant, body))[0]
    assert (app.served, django_app.calls) == (1, 1), "the fast path did not answer"
    return by_django, by_fast


def test_success_with_next_card_is_identical_to_django(
    transactional_db, app, django_app, consultation, participant, statement
):
    by_django, by_fast = _django_then_fast(
        app,
        django_app,
        consultation,
        participant,
        vote_body(statement, "pass", next=True),
        reset=lambda: Vote.objects.all().delete(),
    )
    assert by_django.status_code == by_fast.status_code == 200
    assert by_fast.json()["next"] is not None
    assert by_fast.json()["total"] == 3
    assert by_fast.content == by_django.content
    assert comparable_headers(by_fast) == comparable_headers(by_django)
    assert Vote.objects.count() == 1


def test_next_card_is_none_once_all_are_voted(transactional_db, app, consultation, participant):
    requests = [
        request_for(consultation, participant, vote_body(s, next=True))
        for s in consultation.statements.order_by("number")
    ]
    last = send(app, *requests)[-1]
    assert last.json()["next"] is None
    assert (last.json()["voted"], last.json()["total"]) == (3, 3)


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"{nope", 400),
        (b"[1, 2]", 400),
        ({"vote": "yes"}, 400),
        ({"vote": "agree"}, 400),
        ({"vote": "agree", "statement": "not-a-uuid"}, 404),
        ({"vote": "agree", "statement": "7b0c2f44-8a6b-4c55-9f0e-3d4b1f2b7d11"}, 404),
    ],
)
def test_errors_are_identical_to_django(
    transactional_db, app, django_app, consultation, participant, body, status
):
    if isinstance(body, dict) and "statement" not in body and body["vote"] == "yes":
        body = {**body, "statement": str(consultation.statements.first().pk)}
    by_django, by_fast = _django_then_fast(app, django_app, consultation, participant, body)
    assert by_django.status_code == by_fast.status_code == status
    assert by_fast.content == by_django.content
    assert comparable_headers(by_fast) == comparable_headers(by_django)
    assert not Vote.objects.exists()


def test_error_messages_follow_the_language_switch(
    transactional_db, app, django_app, consultation, participant
):
    request = request_for(
        consultation, participant, b"[1]", cookies={settings.LANGUAGE_COOKIE_NAME: "en"}
    )
    by_django = send(django_app, request)[0]
    by_fast = send(
        app,
        request_for(
            consultation, participant, b"[1]", cookies={settings.LANGUAGE_COOKIE_NAME: "en"}
        ),
    )[0]
    assert app.served == 1
    assert (
        by_fast.json()
        == by_django.json()
        == {"error": "Send a JSON object with “statement” and “vote”."}
    )
    assert comparable_headers(by_fast) == comparable_headers(by_django)


def test_statement_of_another_consultation_is_404_like_django(
    transactional_db, app, django_app, consultation, participant
):
    other = StatementFactory()
    by_django, by_fast = _django_then_fast(
        app, django_app, consultation, participant, vote_body(other)
    )
    assert by_django.status_code == by_fast.status_code == 404
    assert by_fast.content == by_django.content


@pytest.mark.parametrize("status", [Statement.Status.PENDING, Statement.Status.REJECTED])
def test_unpublished_statement_is_409_like_django(
    transactional_db, app, django_app, consultation, participant, status
):
    pending = StatementFactory(consultation=consultation, status=status)
    by_django, by_fast = _django_then_fast(
        app, django_app, consultation, participant, vote_body(pending)
    )
    assert by_django.status_code == by_fast.status_code == 409
    assert by_fast.content == by_django.content
    assert not Vote.objects.exists()


def test_newly_published_statement_is_voted(
    transactional_db, app, consultation, participant, statement
):
    """A statement published after the facts were cached is looked up, not refused."""

    async def go():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=f"http://{HOST}") as c:
            first = await post(c, (request_for(consultation, participant, vote_body(statement))))
            await asyncio.to_thread(closing(publish))
            second = await post(
                c, (request_for(consultation, participant, vote_body(new, next=True)))
            )
        await app.close()
        return first, second

    new = StatementFactory(consultation=consultation, status=Statement.Status.PENDING)

    def publish():
        Statement.objects.filter(pk=new.pk).update(status=Statement.Status.ACCEPTED)

    first, second = asyncio.run(go())
    assert (first.status_code, second.status_code) == (200, 200)
    assert second.json()["total"] == 4
    assert app.served == 2


def closing(function):
    """`function` for asyncio.to_thread: its thread's database connection is closed after."""

    def run():
        from django.db import connections

        try:
            return function()
        finally:
            connections.close_all()

    return run


async def post(client, request):
    url, content, headers = request
    return await client.post(url, content=content, headers=headers)


@override_settings(RUCHE_VOTE_RATE_LIMIT=2, RUCHE_VOTE_RATE_WINDOW=3600)
def test_rate_limit_is_shared_with_django_and_429_is_identical(
    transactional_db, app, django_app, consultation, participant
):
    statements = list(consultation.statements.order_by("number"))
    requests = [request_for(consultation, participant, vote_body(s)) for s in statements]
    by_django = send(django_app, *requests[:2])  # counts 2 in the shared counter
    assert [r.status_code for r in by_django] == [200, 200]
    [by_fast] = send(app, requests[2])
    assert app.served == 1
    assert by_fast.status_code == 429
    [django_429] = send(
        django_app, request_for(consultation, participant, vote_body(statements[2]))
    )
    assert by_fast.content == django_429.content
    assert comparable_headers(by_fast) == comparable_headers(django_429)
    assert Vote.objects.count() == 2


# --- what goes to Django ---------------------------------------------------------------------


def _fallback(app, django_app, request, scheme="http"):
    [response] = send(app, request, scheme=scheme)
    assert app.served == 0
    assert django_app.calls == 1
    return response


def test_missing_csrf_header_goes_to_django_403(
    transactional_db, app, django_app, consultation, participant, statement
):
    request = request_for(
        consultation, participant, vote_body(statement), headers={"X-CSRFToken": None}
    )
    assert _fallback(app, django_app, request).status_code == 403
    assert not Vote.objects.exists()


def test_wrong_csrf_token_goes_to_django_403(
    transactional_db, app, django_app, consultation, participant, statement
):
    _cookie, other_token = csrf_pair()
    request = request_for(
        consultation, participant, vote_body(statement), headers={"X-CSRFToken": other_token}
    )
    assert _fallback(app, django_app, request).status_code == 403
    assert not Vote.objects.exists()


def test_missing_csrf_cookie_goes_to_django_403(
    transactional_db, app, django_app, consultation, participant, statement
):
    request = request_for(
        consultation, participant, vote_body(statement), cookies={"csrftoken": None}
    )
    assert _fallback(app, django_app, request).status_code == 403


def test_bad_origin_on_https_goes_to_django_403(
    transactional_db, app, django_app, consultation, participant, statement
):
    request = request_for(
        consultation,
        participant,
        vote_body(statement),
        headers={"Origin": "https://evil.example", "Referer": f"https://{HOST}/"},
    )
    assert _fallback(app, django_app, request, scheme="https").status_code == 403
    assert not Vote.objects.exists()


def test_https_without_origin_or_referer_goes_to_django_403(
    transactional_db, app, django_app, consultation, participant, statement
):
    request = request_for(consultation, participant, vote_body(statement))
    assert _fallback(app, django_app, request, scheme="https").status_code == 403


def test_https_with_good_origin_is_fast(
    transactional_db, app, django_app, consultation, participant, statement
):
    request = request_for(
        consultation, participant, vote_body(statement), headers={"Origin": f"https://{HOST}"}
    )
    [response] = send(app, request, scheme="https")
    assert response.status_code == 200
    assert (app.served, django_app.calls) == (1, 0)
    assert "strict-transport-security" in response.headers or not settings.SECURE_HSTS_SECONDS


def test_unknown_host_goes_to_django(
    transactional_db, app, django_app, consultation, participant, statement
):
    request = request_for(
        consultation, participant, vote_body(statement), headers={"Host": "evil.example"}
    )
    assert _fallback(app, django_app, request).status_code == 400


def test_no_participant_cookie_goes_to_django(
    transactional_db, app, django_app, consultation, statement
):
    response = _fallback(app, django_app, request_for(consultation, None, vote_body(statement)))
    assert response.status_code == 200  # Django created the participant
    assert settings.PARTICIPANT_COOKIE_NAME in response.cookies
    assert Vote.objects.count() == 1


def test_tampered_participant_cookie_goes_to_django(
    transactional_db, app, django_app, consultation, participant, statement
):
    tampered = signed_participant(participant)[:-2] + "xx"
    request = request_for(
        consultation,
        None,
        vote_body(statement),
        cookies={settings.PARTICIPANT_COOKIE_NAME: tampered},
    )
    response = _fallback(app, django_app, request)
    assert response.status_code == 200
    assert Vote.objects.get().participant != participant


def test_participant_with_an_account_goes_to_django(
    transactional_db, app, django_app, consultation, statement
):
    owned = ParticipantFactory(user=UserFactory())
    response = _fallback(app, django_app, request_for(consultation, owned, vote_body(statement)))
    assert response.status_code == 200
    assert Vote.objects.get().participant != owned


def test_session_cookie_goes_to_django(
    transactional_db, app, django_app, consultation, participant, statement
):
    request = request_for(
        consultation, participant, vote_body(statement), cookies={"sessionid": "abc"}
    )
    assert _fallback(app, django_app, request).status_code == 200


def test_profile_questions_go_to_django(
    transactional_db, app, django_app, consultation, participant, statement
):
    ProfileQuestionFactory(consultation=consultation)
    response = _fallback(
        app, django_app, request_for(consultation, participant, vote_body(statement))
    )
    assert response.status_code == 403
    assert not Vote.objects.exists()


def test_closed_process_goes_to_django(
    transactional_db, app, django_app, consultation, participant, statement
):
    Process.objects.update(status=Process.Status.CLOSED)
    response = _fallback(
        app, django_app, request_for(consultation, participant, vote_body(statement))
    )
    assert response.status_code == 403


def test_closing_date_passed_goes_to_django(
    transactional_db, app, django_app, consultation, participant, statement
):
    import datetime

    from django.utils import timezone

    Consultation.objects.update(closes_at=timezone.now() - datetime.timedelta(minutes=1))
    response = _fallback(
        app, django_app, request_for(consultation, participant, vote_body(statement))
    )
    assert response.status_code == 403


def test_members_only_process_goes_to_django(
    transactional_db, app, django_app, consultation, participant, statement
):
    Process.objects.update(visibility=Process.Visibility.MEMBERS)
    response = _fallback(
        app, django_app, request_for(consultation, participant, vote_body(statement))
    )
    assert response.status_code == 403


def test_account_mode_goes_to_django(
    transactional_db, app, django_app, consultation, participant, statement
):
    Consultation.objects.update(access=Consultation.Access.ACCOUNT)
    response = _fallback(
        app, django_app, request_for(consultation, participant, vote_body(statement))
    )
    assert response.status_code == 403
    assert not Vote.objects.exists()


def test_unknown_consultation_goes_to_django(transactional_db, app, django_app, participant):
    class Unknown:
        pk = "7b0c2f44-8a6b-4c55-9f0e-3d4b1f2b7d11"

    request = request_for(Unknown, participant, vote_body("7b0c2f44-8a6b-4c55-9f0e-3d4b1f2b7d12"))
    assert _fallback(app, django_app, request).status_code == 404


def test_form_post_goes_to_django(
    transactional_db, app, django_app, consultation, participant, statement
):
    url, _content, headers = request_for(consultation, participant, {})
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    request = (url, f"statement={statement.pk}&vote=agree", headers)
    assert _fallback(app, django_app, request).status_code == 302
    assert Vote.objects.count() == 1


def test_disabled_is_a_pass_through(
    transactional_db, django_app, consultation, participant, statement
):
    app = fastvote.FastVoteApp(django_app, enabled=False)
    [response] = send(app, request_for(consultation, participant, vote_body(statement)))
    assert response.status_code == 200
    assert (app.served, django_app.calls) == (0, 1)


def test_consultation_facts_are_refreshed_after_the_cache_time(
    transactional_db, app, django_app, consultation, participant, statement, monkeypatch
):
    """Closed after being cached: the fast path keeps answering at most CACHE_SECONDS."""
    clock = [1000.0]
    monkeypatch.setattr(fastvote.time, "monotonic", lambda: clock[0])

    async def go():
        transport = httpx.ASGITransport(app=app)
        statuses = []
        async with httpx.AsyncClient(transport=transport, base_url=f"http://{HOST}") as c:
            for step in ("before", "cached", "expired"):
                if step == "cached":
                    await asyncio.to_thread(
                        closing(lambda: Process.objects.update(status=Process.Status.CLOSED))
                    )
                if step == "expired":
                    clock[0] += fastvote.CACHE_SECONDS + 0.1
                r = await post(c, (request_for(consultation, participant, vote_body(statement))))
                statuses.append((r.status_code, app.served, django_app.calls))
        await app.close()
        return statuses

    assert asyncio.run(go()) == [(200, 1, 0), (200, 2, 0), (403, 2, 1)]
    app.clear_cache()


def test_a_browser_journey_behind_the_https_proxy_is_fast_after_the_first_vote(
    transactional_db, app, django_app, consultation, settings
):
    """Page (csrftoken cookie), first vote through Django (creates the participant and its
    cookie), then the next votes on the fast path with the cookies Django set."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    statements = list(consultation.statements.order_by("number"))

    async def go():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=f"http://{HOST}") as c:
            proxy = {"X-Forwarded-Proto": "https"}
            page = await c.get(f"/consultations/{consultation.pk}/voter/", headers=proxy)
            headers = {
                **proxy,
                "Origin": f"https://{HOST}",
                "X-CSRFToken": page.cookies["csrftoken"],
                "Content-Type": "application/json",
            }
            answers = []
            for statement in statements:
                body = json.dumps(vote_body(statement, next=True))
                r = await c.post(
                    f"/consultations/{consultation.pk}/votes/", content=body, headers=headers
                )
                answers.append((r.status_code, app.served))
        await app.close()
        return answers

    assert asyncio.run(go()) == [(200, 0), (200, 1), (200, 2)]
    assert Vote.objects.count() == 3
    assert django_app.calls == 2  # the page and the first vote

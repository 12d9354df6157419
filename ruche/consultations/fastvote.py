"""A lean ASGI fast path for the busiest request: an anonymous participant's JSON vote.

Why: through Django (middleware, sync/async thread hops, ORM, 9 queries) a vote costs
~17 ms of CPU, so two server processes top out far below the 500 votes/s a large
consultation needs. This wrapper answers the common case itself with 3–4 SQL round trips
on an async psycopg pool and one Redis round trip, and hands everything else to Django.

What it answers: POST /consultations/<uuid>/votes/ with Content-Type application/json,
when all of these hold (otherwise Django gets the request untouched, body replayed):

- PostgreSQL is the database (else the wrapper is a pure pass-through);
- the Host is in ALLOWED_HOSTS, no HTTPS redirect is due, no session cookie (signed-in
  people go through Django: permissions per user);
- CSRF passes as CsrfViewMiddleware would check it (cookie + X-CSRFToken header matched
  with Django's own helpers; Origin equal to this site, or on HTTPS without Origin a
  same-host Referer); any doubt goes to Django, which gives its 403;
- a valid signed participant cookie whose participant exists and has no account (no or a
  tampered cookie: Django creates the participant or reports the tampering);
- the consultation (facts cached per process for at most CACHE_SECONDS) exists, belongs
  to a public, open process, is open by its dates (`Consultation.state`), lets anyone take
  part without an account (access "anonymous") and asks no profile questions.

What it guarantees: the same observable answer as `views.vote` for those requests — same
status codes and JSON bodies (400 malformed / not an object / bad value / no statement,
404 unknown statement, 409 unpublished, 429 rate limit, in the same order of checks),
the same messages in the person's language, the same rate-limit counter (shared with
Django's `ratelimit.allow`), the same single-row upsert (last value wins), the same next
card (`queries.choose_next` on the same rows) and the same analysis throttle
(`tasks.request_analysis`'s per-process memo, then the rare scheduling in a thread). The
published statements and their counts may be up to CACHE_SECONDS old (a statement
published or unpublished just now; a statement missing from the cache is looked up).
"""

import asyncio
import datetime
import json
import logging
import re
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.serializers.json import DjangoJSONEncoder
from django.http.cookie import parse_cookie
from django.http.request import split_domain_port, validate_host
from django.middleware.csrf import (
    CSRF_TOKEN_LENGTH,
    InvalidTokenFormat,
    _check_token_format,
    _does_token_match,
    _unmask_cipher_token,
)
from django.utils import translation
from django.utils.http import is_same_domain
from django.utils.translation import gettext

logger = logging.getLogger(__name__)

CACHE_SECONDS = 2.0
MAX_BODY = 16 * 1024  # a vote is ~100 bytes; anything bigger is Django's business
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_PATH = re.compile(rf"^/consultations/({_UUID})/votes/$")
_VARY = b"Accept-Language, Cookie"  # the view reads the session: Vary Cookie
_VOTE_VALUES = {"agree": 1, "disagree": -1, "pass": 0}

# The msgids of views._read_vote / _vote, queries.statement_of and actions.do_vote.
MSG_NOT_JSON = "The request body is not valid JSON."
MSG_NOT_OBJECT = "Send a JSON object with “statement” and “vote”."
MSG_BAD_VALUE = "The vote must be “agree”, “disagree” or “pass”."
MSG_NO_STATEMENT = "Say which statement the vote is on (“statement”)."
MSG_TOO_MANY = "Too many votes in a short time: wait a few seconds."
MSG_UNKNOWN_STATEMENT = "This statement does not exist."
MSG_UNPUBLISHED = "This statement is not published: it cannot be voted on."

_FACTS_SQL = """
SELECT c.access, c.opens_at, c.closes_at, p.visibility, p.status,
       EXISTS (SELECT 1 FROM consultations_profilequestion q WHERE q.consultation_id = c.id),
       (SELECT coalesce(json_agg(json_build_array(
                    s.id, s.number, s.text, s.n_agree, s.n_disagree, s.n_pass, s.extremity)
                ORDER BY s.number), '[]'::json)
          FROM consultations_statement s
         WHERE s.consultation_id = c.id AND s.status = 'accepted')
  FROM consultations_consultation c
  JOIN processes_phase ph ON ph.id = c.phase_id
  JOIN processes_process p ON p.id = ph.process_id
 WHERE c.id = %s
"""
_PARTICIPANT_SQL = "SELECT user_id IS NULL FROM accounts_participant WHERE id = %s"
_STATEMENT_SQL = "SELECT consultation_id, status FROM consultations_statement WHERE id = %s"
_UPSERT_SQL = """
INSERT INTO consultations_vote
    (consultation_id, statement_id, participant_id, value, created_at, updated_at)
VALUES (%s, %s, %s, %s, %s, %s)
ON CONFLICT (statement_id, participant_id)
DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at
"""
_VOTED_SQL = (
    "SELECT statement_id FROM consultations_vote WHERE consultation_id = %s AND participant_id = %s"
)
# ratelimit.allow's cache.add + cache.incr, atomically in one round trip.
_RATE_LUA = """
if redis.call('SET', KEYS[1], 1, 'EX', ARGV[1], 'NX') then return 1 end
return redis.call('INCR', KEYS[1])
"""


@dataclass(frozen=True)
class _Facts:
    eligible: bool  # public open process, anonymous access, no profile questions
    opens_at: datetime.datetime | None
    closes_at: datetime.datetime | None
    rows: list  # published statements (id, n_agree, n_disagree, n_pass, extremity)
    cards: dict  # id → (number, text)

    def is_open(self, now) -> bool:
        """`Consultation.state() == "open"` for a process whose status is open."""
        if self.closes_at is not None and now >= self.closes_at:
            return False
        return not (self.opens_at is not None and now < self.opens_at)


class _Fallback(Exception):
    """Not for the fast path: let Django answer."""


class _Answer(Exception):
    """An error answer. `early`: raised where views._read_vote raises, before the view
    reads the session, so Django's answer does not vary on Cookie."""

    def __init__(self, status: int, msgid: str, early: bool = False):
        super().__init__(msgid)
        self.status = status
        self.msgid = msgid
        self.early = early


def _is_postgresql() -> bool:
    from django.db import connections

    return connections["default"].vendor == "postgresql"


class FastVoteApp:
    """ASGI wrapper: answers eligible votes itself, passes everything else to `app`."""

    def __init__(self, app, enabled: bool | None = None):
        self.app = app
        self.enabled = _is_postgresql() if enabled is None else enabled
        self.served = 0  # votes answered here (tests, monitoring)
        self._facts: dict[str, tuple[float, _Facts | None]] = {}
        self._loading: dict[str, asyncio.Future] = {}
        self._loop = None
        self._pool = None
        self._redis = None
        self._rate_script = None
        self._background: set[asyncio.Task] = set()
        self._make_key = None

    # --- ASGI ---------------------------------------------------------------------------

    async def __call__(self, scope, receive, send):
        if (
            not self.enabled
            or scope["type"] != "http"
            or scope["method"] != "POST"
            or scope.get("root_path")
        ):
            return await self.app(scope, receive, send)
        match = _PATH.match(scope["path"])
        if match is None:
            return await self.app(scope, receive, send)
        meta = _meta(scope)
        if _content_type(meta) != "application/json":
            return await self.app(scope, receive, send)
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # disconnected: nobody to answer
                return
            chunk = message.get("body", b"")
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_BODY:
                return await self.app(
                    scope, _replay(chunks, message.get("more_body", False), receive), send
                )
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        try:
            status, payload, language, vary = await self._vote(scope, meta, match[1], body)
        except _Fallback:
            return await self.app(scope, _replay([body], False, receive), send)
        self.served += 1
        await _respond(send, status, payload, language, vary, _secure(scope, meta))

    # --- the vote -----------------------------------------------------------------------

    async def _vote(self, scope, meta, consultation_id, body):
        """(status, JSON payload, language, Vary header), or _Fallback."""
        cookies = parse_cookie(meta.get("HTTP_COOKIE", ""))
        secure = _secure(scope, meta)
        _check_request(meta, cookies, secure)
        participant_id = _participant_id(cookies)
        language = _language(cookies)
        self._bind_loop()
        facts = await self._consultation_facts(consultation_id)
        if facts is None or not facts.eligible:
            raise _Fallback
        now = datetime.datetime.now(datetime.UTC)
        if not facts.is_open(now):
            raise _Fallback
        pool = await self._get_pool()
        async with pool.connection() as conn:
            row = await (await conn.execute(_PARTICIPANT_SQL, (participant_id,))).fetchone()
            if row is None or not row[0]:
                raise _Fallback  # deleted participant or one with an account
            try:
                statement_id, name, wants_next = _read_vote(body)
                if not await self._allow(participant_id):
                    raise _Answer(429, MSG_TOO_MANY)
                statement_uuid = _statement_uuid(statement_id)
                if statement_uuid not in facts.cards:
                    facts = await self._check_statement(conn, consultation_id, statement_uuid)
                await conn.execute(
                    _UPSERT_SQL,
                    (
                        consultation_id,
                        statement_uuid,
                        participant_id,
                        _VOTE_VALUES[name],
                        now,
                        now,
                    ),
                )
                self._request_analysis(consultation_id)
                payload = {"statement": str(statement_uuid), "vote": name}
                if wants_next:
                    cursor = await conn.execute(_VOTED_SQL, (consultation_id, participant_id))
                    voted = {r[0] for r in await cursor.fetchall()}
                    payload.update(_card_json(facts, voted, participant_id))
            except _Answer as answer:
                vary = b"Accept-Language" if answer.early else _VARY
                error = {"error": _translate(language, answer.msgid)}
                return answer.status, error, language, vary
        return 200, payload, language, _VARY

    async def _check_statement(self, conn, consultation_id, statement_uuid) -> _Facts:
        """A statement missing from the cache: 404, 409, or published since (reload)."""
        cursor = await conn.execute(_STATEMENT_SQL, (statement_uuid,))
        row = await cursor.fetchone()
        if row is None or str(row[0]) != consultation_id:
            raise _Answer(404, MSG_UNKNOWN_STATEMENT)
        if row[1] != "accepted":
            raise _Answer(409, MSG_UNPUBLISHED)
        self._facts.pop(consultation_id, None)
        facts = await self._consultation_facts(consultation_id)
        if facts is None or statement_uuid not in facts.cards:  # changed meanwhile
            raise _Answer(409, MSG_UNPUBLISHED)
        return facts

    def _request_analysis(self, consultation_id: str) -> None:
        """`tasks.request_analysis`: the per-process memo here, the rest in a thread."""
        from ruche.consultations import tasks

        window = settings.RUCHE_ANALYSIS_THROTTLE_SECONDS
        now = time.monotonic()
        if tasks._scheduled_until.get(consultation_id, 0) > now:
            return
        tasks._scheduled_until[consultation_id] = now + window
        task = asyncio.get_running_loop().create_task(
            asyncio.to_thread(_schedule_analysis, consultation_id, window)
        )
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _allow(self, participant_id: str) -> bool:
        """`ratelimit.allow(f"vote:{participant}", limit, window)`, same counter."""
        from ruche.core import ratelimit

        limit, window = settings.RUCHE_VOTE_RATE_LIMIT, settings.RUCHE_VOTE_RATE_WINDOW
        key = f"vote:{participant_id}"
        if not settings.REDIS_URL:
            return ratelimit.allow(key, limit, window)  # this process's memory, no I/O
        bucket = int(time.time() // window)
        if self._make_key is None:
            from django.core.cache import caches

            self._make_key = caches.create_connection("default").make_key
        if self._redis is None:
            import redis.asyncio

            self._redis = redis.asyncio.Redis.from_url(settings.REDIS_URL)
            self._rate_script = self._redis.register_script(_RATE_LUA)
        count = await self._rate_script(
            keys=[self._make_key(f"ratelimit:{key}:{bucket}")], args=[window * 2]
        )
        return int(count) <= limit

    # --- per-process state ----------------------------------------------------------------

    def _bind_loop(self) -> None:
        """Pools belong to one event loop (tests run several): start afresh on a new one."""
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            self._loop = loop
            self._pool = self._redis = self._rate_script = None
            self._loading.clear()

    async def _get_pool(self):
        if self._pool is None:
            from psycopg_pool import AsyncConnectionPool

            pool = AsyncConnectionPool(
                kwargs=_connection_params(),
                min_size=1,
                max_size=settings.RUCHE_FASTVOTE_POOL_SIZE
                if hasattr(settings, "RUCHE_FASTVOTE_POOL_SIZE")
                else 8,
                open=False,
                timeout=10,
            )
            self._pool = pool
            await pool.open()
        return self._pool

    async def _consultation_facts(self, consultation_id: str) -> _Facts | None:
        cached = self._facts.get(consultation_id)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        pending = self._loading.get(consultation_id)
        if pending is not None:
            return await asyncio.shield(pending)
        future = asyncio.get_running_loop().create_future()
        self._loading[consultation_id] = future
        try:
            facts = await self._load_facts(consultation_id)
        except BaseException as error:
            future.set_exception(error)
            future.exception()  # consumed: waiters re-raise it
            raise
        finally:
            self._loading.pop(consultation_id, None)
        self._facts[consultation_id] = (time.monotonic() + CACHE_SECONDS, facts)
        future.set_result(facts)
        return facts

    async def _load_facts(self, consultation_id: str) -> _Facts | None:
        pool = await self._get_pool()
        async with pool.connection() as conn:
            row = await (await conn.execute(_FACTS_SQL, (consultation_id,))).fetchone()
        if row is None:
            return None
        access, opens_at, closes_at, visibility, status, has_profile, statements = row
        if isinstance(statements, str):
            statements = json.loads(statements)
        rows, cards = [], {}
        for sid, number, text, n_agree, n_disagree, n_pass, extremity in statements:
            sid = uuid.UUID(sid)
            rows.append((sid, n_agree, n_disagree, n_pass, float(extremity)))
            cards[sid] = (number, text)
        return _Facts(
            eligible=(
                visibility == "public"
                and status == "open"
                and access == "anonymous"
                and not has_profile
            ),
            opens_at=opens_at,
            closes_at=closes_at,
            rows=rows,
            cards=cards,
        )

    def clear_cache(self) -> None:
        """Forget the cached consultation facts (tests)."""
        self._facts.clear()

    async def drain(self) -> None:
        """Wait for the analysis scheduling started by votes (tests)."""
        while self._background:
            await asyncio.gather(*list(self._background), return_exceptions=True)

    async def close(self) -> None:
        """Close this loop's pools (tests: the test database must be droppable)."""
        await self.drain()
        if self._pool is not None:
            await self._pool.close()
        if self._redis is not None:
            await self._redis.aclose()
        self._pool = self._redis = self._rate_script = None
        self._loop = None


# --- helpers --------------------------------------------------------------------------------


def _meta(scope) -> dict:
    """The request headers as Django's ASGIRequest.META names and joins them."""
    headers: dict[str, list[str]] = {}
    for raw_name, raw_value in scope.get("headers", ()):
        name = raw_name.decode("latin1").lower()
        if name == "content-length":
            key = "CONTENT_LENGTH"
        elif name == "content-type":
            key = "CONTENT_TYPE"
        else:
            key = "HTTP_" + name.upper().replace("-", "_")
        value = raw_value.decode("latin1")
        if key == "HTTP_COOKIE":
            value = value.rstrip("; ")
            if key in headers:
                headers[key] = [headers[key][0] + "; " + value]
                continue
        headers.setdefault(key, []).append(value)
    return {key: ",".join(values) for key, values in headers.items()}


def _content_type(meta) -> str:
    from django.utils.http import parse_header_parameters

    return parse_header_parameters(meta.get("CONTENT_TYPE", ""))[0]


def _secure(scope, meta) -> bool:
    """`request.is_secure()`: SECURE_PROXY_SSL_HEADER when the proxy sent it, else the
    scheme (uvicorn sets it from X-Forwarded-Proto for trusted proxies)."""
    if settings.SECURE_PROXY_SSL_HEADER:
        header, secure_value = settings.SECURE_PROXY_SSL_HEADER
        value = meta.get(header)
        if value is not None:
            return value.split(",", 1)[0].strip() == secure_value
    return scope.get("scheme") == "https"


def _check_request(meta, cookies, secure) -> None:
    """Host, HTTPS redirect, session and CSRF as Django's middleware: doubt → _Fallback."""
    if settings.SESSION_COOKIE_NAME in cookies:
        raise _Fallback  # signed in (or was): per-user permissions
    if settings.USE_X_FORWARDED_HOST or settings.USE_X_FORWARDED_PORT:
        raise _Fallback
    if settings.CSRF_USE_SESSIONS or settings.CSRF_COOKIE_DOMAIN:
        raise _Fallback
    if settings.PREPEND_WWW or settings.DISALLOWED_USER_AGENTS:
        raise _Fallback  # CommonMiddleware's redirect or 403
    if settings.SECURE_SSL_REDIRECT and not secure:
        raise _Fallback  # Django redirects to HTTPS
    host = meta.get("HTTP_HOST")
    if not host or (settings.DEBUG and not settings.ALLOWED_HOSTS):
        raise _Fallback
    domain, _port = split_domain_port(host)
    if not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
        raise _Fallback  # Django answers 400 DisallowedHost
    origin = meta.get("HTTP_ORIGIN")
    if origin is not None:
        if origin != f"{'https' if secure else 'http'}://{host}":
            raise _Fallback  # maybe a trusted origin, maybe a forgery: Django decides
    elif secure:
        from urllib.parse import urlsplit

        referer = meta.get("HTTP_REFERER")
        if referer is None:
            raise _Fallback
        try:
            parts = urlsplit(referer)
        except ValueError as error:
            raise _Fallback from error
        if parts.scheme != "https" or not parts.netloc or not is_same_domain(parts.netloc, host):
            raise _Fallback
    secret = cookies.get(settings.CSRF_COOKIE_NAME)
    token = meta.get(settings.CSRF_HEADER_NAME)
    if secret is None or token is None:
        raise _Fallback
    try:
        _check_token_format(secret)
        _check_token_format(token)
    except InvalidTokenFormat as error:
        raise _Fallback from error
    if len(secret) == CSRF_TOKEN_LENGTH:
        secret = _unmask_cipher_token(secret)
    if not _does_token_match(token, secret):
        raise _Fallback


def _participant_id(cookies) -> str:
    """The signed participant cookie's id, as ParticipantMiddleware reads it."""
    from ruche.accounts.middleware import PARTICIPANT_SALT

    name = settings.PARTICIPANT_COOKIE_NAME
    value = cookies.get(name)
    if value is None:
        raise _Fallback  # Django creates the participant
    try:
        participant_id = _unsign_cookie(value, name, PARTICIPANT_SALT)
        return str(uuid.UUID(participant_id))
    except (signing.BadSignature, ValueError) as error:
        raise _Fallback from error  # Django reports the tampering


def _unsign_cookie(value: str, name: str, salt: str) -> str:
    """`request.get_signed_cookie(name, salt=salt)` (no max_age, as the middleware)."""
    if hasattr(signing, "_unsign_cookie"):  # Django with versioned cookie salts
        return signing._unsign_cookie(value, cookie_name=name, salt=salt)
    return signing.get_cookie_signer(salt=name + salt).unsign(value)


def _language(cookies) -> str:
    """FrenchFirstLocaleMiddleware's choice: the language switch's cookie, else French."""
    chosen = cookies.get(settings.LANGUAGE_COOKIE_NAME)
    supported = {code for code, _name in settings.LANGUAGES}
    return chosen if chosen in supported else settings.LANGUAGE_CODE


def _translate(language: str, msgid: str) -> str:
    with translation.override(language):
        return gettext(msgid)


def _read_vote(body: bytes) -> tuple[str, str, bool]:
    """views._read_vote for a JSON body."""
    try:
        data = json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError) as error:
        raise _Answer(400, MSG_NOT_JSON, early=True) from error
    if not isinstance(data, dict):
        raise _Answer(400, MSG_NOT_OBJECT, early=True)
    statement, vote, wants_next = data.get("statement"), data.get("vote"), bool(data.get("next"))
    if not isinstance(vote, str) or vote not in _VOTE_VALUES:
        raise _Answer(400, MSG_BAD_VALUE, early=True)
    if not isinstance(statement, str) or not statement:
        raise _Answer(400, MSG_NO_STATEMENT, early=True)
    return statement, vote, wants_next


def _statement_uuid(statement_id: str) -> uuid.UUID:
    try:
        return uuid.UUID(statement_id)  # as UUIDField.to_python
    except (AttributeError, ValueError) as error:
        raise _Answer(404, MSG_UNKNOWN_STATEMENT) from error


def _card_json(facts: _Facts, voted: set, participant_id: str) -> dict:
    """views._card_json(queries.next_card(...)) from the cached published statements."""
    from ruche.consultations.queries import choose_next

    chosen, n_voted, total = choose_next(facts.rows, voted, participant_id)
    if chosen is None:
        card = None
    else:
        number, text = facts.cards[chosen]
        card = {"id": str(chosen), "number": number, "text": text}
    return {"next": card, "voted": n_voted, "total": total}


def _schedule_analysis(consultation_id: str, window: float) -> None:
    """The rest of `tasks.request_analysis`, in a worker thread (no transaction here)."""
    from django.core.cache import cache
    from django.db import connections

    from ruche.consultations import tasks

    try:
        if cache.add(f"consultations:analysis-due:{consultation_id}", 1, timeout=window):
            tasks._enqueue(consultation_id, window)
    except Exception:
        logger.exception("could not schedule the analysis of consultation %s", consultation_id)
        tasks._scheduled_until.pop(consultation_id, None)
    finally:
        connections.close_all()  # this thread's connections only


def _connection_params() -> dict:
    """Django's own connection parameters for the default database, for psycopg directly."""
    from django.db import connections

    params = connections["default"].get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params["autocommit"] = True
    return params


def _replay(chunks, more_body, receive):
    """A receive callable giving Django the body already read, then the real channel."""
    pending = [{"type": "http.request", "body": b"".join(chunks), "more_body": more_body}]

    async def replay():
        if pending:
            return pending.pop()
        return await receive()

    return replay


async def _respond(send, status, payload, language, vary, secure) -> None:
    body = json.dumps(payload, cls=DjangoJSONEncoder).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"vary", vary),
        *_static_headers(secure),
        (b"content-language", language.encode()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _static_headers(secure) -> list:
    """The headers Django's middleware adds to this JSON answer (see the tests)."""
    headers = []
    if settings.X_FRAME_OPTIONS:
        headers.append((b"x-frame-options", settings.X_FRAME_OPTIONS.encode()))
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        headers.append((b"x-content-type-options", b"nosniff"))
    if settings.SECURE_REFERRER_POLICY:
        headers.append((b"referrer-policy", settings.SECURE_REFERRER_POLICY.encode()))
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        headers.append(
            (b"cross-origin-opener-policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY.encode())
        )
    if secure and settings.SECURE_HSTS_SECONDS:
        sts = f"max-age={settings.SECURE_HSTS_SECONDS}"
        if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
            sts += "; includeSubDomains"
        if settings.SECURE_HSTS_PRELOAD:
            sts += "; preload"
        headers.append((b"strict-transport-security", sts.encode()))
    headers.extend(_csp_headers())
    return headers


def _csp_headers() -> list:
    """CSPMiddleware's headers for a view without CSP decorators (no nonce in JSON)."""
    from csp.constants import HEADER, HEADER_REPORT_ONLY
    from csp.utils import build_policy

    headers = []
    for name, setting, report_only in (
        (HEADER, "CONTENT_SECURITY_POLICY", False),
        (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", True),
    ):
        policy = build_policy(report_only=report_only)
        prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
        if policy and not "/consultations/".startswith(tuple(prefixes)):
            headers.append((name.lower().encode(), policy.encode()))
    return headers

"""A real, local OpenID Connect provider shaped like ProConnect, for tests.

It listens on 127.0.0.1 (random free port) in a thread and speaks plain HTTP:

- GET  /.well-known/openid-configuration  discovery document
- GET  /jwks                               the public RSA key generated at start (kid, RS256)
- GET  /authorize                          "signs the agent in" at once: redirects to the
                                           redirect_uri with a code and the state
- POST /token                              code → access token + RS256 ID token (iss, aud,
                                           nonce from the authorize request, exp, iat)
- GET  /userinfo                           the agent's claims as an RS256 JWT,
                                           Content-Type application/jwt
- GET  /session/end                        end-session: back to post_logout_redirect_uri

Every request is recorded in `provider.requests` so tests can check what the client sent.
Knobs to misbehave: `id_token_overrides`, `id_token_signing_key`, `userinfo_overrides`,
`userinfo_signing_key`, `userinfo_content_type` (a claim overridden with None is left out).

    with FakeOIDCProvider() as provider:
        settings.OIDC_OP_TOKEN_ENDPOINT = provider.token_endpoint  # or provider.django_settings()
"""

import json
import secrets
import threading
import time
from base64 import b64decode
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm


def generate_rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: dict[str, str]
    form: dict[str, str]
    headers: dict[str, str]


@dataclass
class _Grant:
    """What the provider remembers between /authorize, /token and /userinfo."""

    client_id: str
    redirect_uri: str
    nonce: str | None
    claims: dict
    access_token: str = field(default_factory=lambda: secrets.token_urlsafe(24))


class FakeOIDCProvider:
    def __init__(
        self,
        *,
        client_id: str = "ruche-test-client",
        client_secret: str = "ruche-test-secret",  # noqa: S107
        kid: str = "fake-proconnect-key",
    ):
        self.client_id = client_id
        self.client_secret = client_secret
        self.kid = kid
        self.key = generate_rsa_key()
        # Claims of the agent who signs in next (the userinfo; `sub` also goes in the ID token).
        self.user_claims = {
            "sub": "f3b1c8e2-proconnect-sub",
            "email": "camille.dupont@beta.gouv.fr",
            "given_name": "Camille",
            "usual_name": "Dupont",
            "uid": "camille-dupont",
            "siret": "13002526500013",
        }
        self.id_token_overrides: dict = {}  # claims replaced in the next ID tokens
        self.id_token_signing_key: rsa.RSAPrivateKey | None = None  # None: the JWKS key
        self.userinfo_overrides: dict = {}  # claims replaced in the next userinfo JWTs
        self.userinfo_signing_key: rsa.RSAPrivateKey | None = None  # None: the JWKS key
        self.userinfo_content_type = "application/jwt"
        self.requests: list[RecordedRequest] = []
        self.issued_id_tokens: list[str] = []
        self._codes: dict[str, _Grant] = {}
        self._access_tokens: dict[str, _Grant] = {}
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- Life cycle -------------------------------------------------------------------------

    def start(self) -> "FakeOIDCProvider":
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = None

    def __enter__(self) -> "FakeOIDCProvider":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    # --- Addresses ------------------------------------------------------------------------

    @property
    def issuer(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/api/v2"

    @property
    def authorization_endpoint(self) -> str:
        return f"{self.issuer}/authorize"

    @property
    def token_endpoint(self) -> str:
        return f"{self.issuer}/token"

    @property
    def userinfo_endpoint(self) -> str:
        return f"{self.issuer}/userinfo"

    @property
    def jwks_uri(self) -> str:
        return f"{self.issuer}/jwks"

    @property
    def end_session_endpoint(self) -> str:
        return f"{self.issuer}/session/end"

    def django_settings(self) -> dict:
        """The OIDC_* settings a Ruche deployment would use against this provider."""
        return {
            "OIDC_RP_CLIENT_ID": self.client_id,
            "OIDC_RP_CLIENT_SECRET": self.client_secret,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": self.authorization_endpoint,
            "OIDC_OP_TOKEN_ENDPOINT": self.token_endpoint,
            "OIDC_OP_USER_ENDPOINT": self.userinfo_endpoint,
            "OIDC_OP_JWKS_ENDPOINT": self.jwks_uri,
            "OIDC_OP_LOGOUT_ENDPOINT": self.end_session_endpoint,
            "OIDC_OP_ISSUER": self.issuer,
        }

    def requests_to(self, endpoint: str) -> list[RecordedRequest]:
        """Recorded requests to one endpoint, given by its URL or its last path segment."""
        path = urlsplit(endpoint).path if "://" in endpoint else f"/api/v2/{endpoint}"
        with self._lock:
            return [request for request in self.requests if request.path == path]

    # --- Tokens ---------------------------------------------------------------------------

    def public_jwk(self) -> dict:
        jwk = RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}

    def sign(self, claims: dict, key: rsa.RSAPrivateKey | None = None) -> str:
        return jwt.encode(claims, key or self.key, algorithm="RS256", headers={"kid": self.kid})

    def issue_code(self, *, nonce: str | None, redirect_uri: str, client_id: str = "") -> str:
        """What /authorize does once the agent has signed in: a one-time code."""
        code = secrets.token_urlsafe(16)
        grant = _Grant(
            client_id=client_id or self.client_id,
            redirect_uri=redirect_uri,
            nonce=nonce,
            claims=dict(self.user_claims),
        )
        with self._lock:
            self._codes[code] = grant
        return code

    def _id_token(self, grant: _Grant) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": grant.claims["sub"],
            "aud": grant.client_id,
            "exp": now + 60,
            "iat": now,
            "nonce": grant.nonce,
            "acr": "eidas1",
            "amr": ["pwd"],
            "idp_id": "fake-idp",
        }
        claims.update(self.id_token_overrides)
        return self.sign(_without_none(claims), self.id_token_signing_key)

    def _userinfo_jwt(self, grant: _Grant) -> str:
        claims = {**grant.claims, "iss": self.issuer, "aud": grant.client_id}
        claims.update(self.userinfo_overrides)
        return self.sign(_without_none(claims), self.userinfo_signing_key)

    # --- HTTP -----------------------------------------------------------------------------

    def _handler_class(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format, *args):  # keep test output quiet
                pass

            def do_GET(self):
                provider._dispatch(self, "GET")

            def do_POST(self):
                provider._dispatch(self, "POST")

        return Handler

    def _dispatch(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        url = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length).decode() if length else ""
        request = RecordedRequest(
            method=method,
            path=url.path,
            query=_single_values(parse_qs(url.query)),
            form=_single_values(parse_qs(body)),
            headers=dict(handler.headers.items()),
        )
        with self._lock:
            self.requests.append(request)
        route = {
            ("GET", "/api/v2/.well-known/openid-configuration"): self._discovery,
            ("GET", "/api/v2/jwks"): self._jwks,
            ("GET", "/api/v2/authorize"): self._authorize,
            ("POST", "/api/v2/token"): self._token,
            ("GET", "/api/v2/userinfo"): self._userinfo,
            ("GET", "/api/v2/session/end"): self._end_session,
        }.get((method, url.path))
        if route is None:
            status, headers, payload = 404, {}, b"not found"
        else:
            status, headers, payload = route(request)
        if isinstance(payload, dict):
            headers = {"Content-Type": "application/json", **headers}
            payload = json.dumps(payload).encode()
        elif isinstance(payload, str):
            payload = payload.encode()
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)

    def _discovery(self, request):
        return 200, {}, {
            "issuer": self.issuer,
            "authorization_endpoint": self.authorization_endpoint,
            "token_endpoint": self.token_endpoint,
            "userinfo_endpoint": self.userinfo_endpoint,
            "jwks_uri": self.jwks_uri,
            "end_session_endpoint": self.end_session_endpoint,
            "id_token_signing_alg_values_supported": ["RS256"],
            "userinfo_signing_alg_values_supported": ["RS256"],
        }  # fmt: skip

    def _jwks(self, request):
        return 200, {}, {"keys": [self.public_jwk()]}

    def _authorize(self, request):
        query = request.query
        if query.get("client_id") != self.client_id or query.get("response_type") != "code":
            return 400, {}, {"error": "invalid_request"}
        code = self.issue_code(
            nonce=query.get("nonce"), redirect_uri=query["redirect_uri"], client_id=self.client_id
        )
        back = urlencode({"code": code, "state": query.get("state", "")})
        return 302, {"Location": f"{query['redirect_uri']}?{back}"}, b""

    def _token(self, request):
        form = request.form
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        authorization = request.headers.get("Authorization", "")
        if authorization.startswith("Basic "):
            client_id, _, client_secret = b64decode(authorization[6:]).decode().partition(":")
        if client_id != self.client_id or client_secret != self.client_secret:
            return 401, {}, {"error": "invalid_client"}
        if form.get("grant_type") != "authorization_code":
            return 400, {}, {"error": "unsupported_grant_type"}
        with self._lock:
            grant = self._codes.pop(form.get("code", ""), None)  # a code works once
        if grant is None or grant.redirect_uri != form.get("redirect_uri"):
            return 400, {}, {"error": "invalid_grant"}
        id_token = self._id_token(grant)
        with self._lock:
            self._access_tokens[grant.access_token] = grant
            self.issued_id_tokens.append(id_token)
        return 200, {"Cache-Control": "no-store"}, {
            "access_token": grant.access_token,
            "token_type": "Bearer",
            "expires_in": 60,
            "id_token": id_token,
        }  # fmt: skip

    def _userinfo(self, request):
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        with self._lock:
            grant = self._access_tokens.get(token)
        if grant is None:
            return 401, {"WWW-Authenticate": 'Bearer error="invalid_token"'}, b""
        if self.userinfo_content_type == "application/json":
            return 200, {}, {**grant.claims, **self.userinfo_overrides}
        return 200, {"Content-Type": self.userinfo_content_type}, self._userinfo_jwt(grant)

    def _end_session(self, request):
        target = request.query.get("post_logout_redirect_uri")
        if not target or not request.query.get("id_token_hint"):
            return 400, {}, {"error": "invalid_request"}
        back = urlencode({"state": request.query.get("state", "")})
        return 302, {"Location": f"{target}?{back}"}, b""


def _single_values(parsed: dict[str, list[str]]) -> dict[str, str]:
    return {name: values[-1] for name, values in parsed.items()}


def _without_none(claims: dict) -> dict:
    return {name: value for name, value in claims.items() if value is not None}

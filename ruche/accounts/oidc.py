"""ProConnect sign-in (OpenID Connect) through mozilla-django-oidc.

ProConnect is the State's identity federation for public agents. What differs from the
generic flow mozilla-django-oidc implements:

- ID tokens are RS256-signed, with the key picked by `kid` from the provider's JWKS. The
  signature, expiry, audience (our client id), issuer (OIDC_OP_ISSUER, when set) and nonce
  are all checked.
- The userinfo endpoint answers with a signed JWT (`application/jwt`), not JSON: its signature
  is checked against the same JWKS, and its `sub` must be the ID token's. Anything else is
  refused.
- Agents are matched on their email, lower-cased; the first sign-in creates an account with no
  usable password, and the `sub` is kept in `User.oidc_sub`.
- Logging out goes through the provider's end-session endpoint with `id_token_hint`
  (`proconnect_logout_url`, the OIDC_OP_LOGOUT_URL_METHOD).

A refused sign-in (bad signature, wrong nonce, provider unreachable…) is logged and ends on the
login page, never as a server error.
"""

import logging
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.shortcuts import resolve_url
from django.utils.crypto import constant_time_compare, get_random_string
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

from ruche.accounts.actions import do_create_oidc_user, do_update_oidc_user

LOGGER = logging.getLogger(__name__)

# Tolerated clock difference between the provider and us when checking exp/iat.
CLOCK_SKEW_SECONDS = 30
ID_TOKEN_REQUIRED_CLAIMS = ("iss", "sub", "aud", "exp", "iat")


class ProConnectBackend(OIDCAuthenticationBackend):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.OIDC_OP_ISSUER = self.get_settings("OIDC_OP_ISSUER", "")

    def authenticate(self, request, **kwargs):
        try:
            return super().authenticate(request, **kwargs)
        except SuspiciousOperation as error:
            LOGGER.warning("ProConnect sign-in refused: %s", error)
        except requests.RequestException as error:
            LOGGER.warning("ProConnect sign-in failed, the provider did not answer: %s", error)
        return None

    # --- Tokens --------------------------------------------------------------------------

    def verify_token(self, token, **kwargs):
        """Check the ID token (signature, expiry, audience, issuer, nonce); return its claims."""
        claims = self._decode_signed_jwt(token, required=ID_TOKEN_REQUIRED_CLAIMS)
        self._check_audience_and_issuer(claims, required=True)
        if self.get_settings("OIDC_USE_NONCE", True):
            expected = kwargs.get("nonce") or ""
            received = claims.get("nonce")
            if not (expected and isinstance(received, str)) or not constant_time_compare(
                received, expected
            ):
                raise SuspiciousOperation("the ID token's nonce is not the one we sent")
        return claims

    def get_userinfo(self, access_token, id_token, payload):
        """Fetch the agent's claims: a JWT signed by the provider, about the ID token's `sub`."""
        response = requests.get(
            self.OIDC_OP_USER_ENDPOINT,
            headers={"Authorization": f"Bearer {access_token}"},
            verify=self.get_settings("OIDC_VERIFY_SSL", True),
            timeout=self.get_settings("OIDC_TIMEOUT", None),
            proxies=self.get_settings("OIDC_PROXY", None),
        )
        response.raise_for_status()
        media_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if media_type != "application/jwt":
            raise SuspiciousOperation(f"userinfo is not a signed JWT but {media_type!r}")
        claims = self._decode_signed_jwt(response.text.strip(), required=("sub",))
        self._check_audience_and_issuer(claims, required=False)
        if claims["sub"] != payload.get("sub"):
            raise SuspiciousOperation("userinfo is about another `sub` than the ID token")
        if isinstance(claims.get("email"), str):
            claims["email"] = claims["email"].strip().lower()
        return claims

    def _decode_signed_jwt(self, token, *, required):
        """Verify a JWS with the provider's key (JWKS) and return its payload as a dict."""
        if not isinstance(token, str) or not token:
            raise SuspiciousOperation("the provider sent no token")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError as error:
            raise SuspiciousOperation(f"malformed JWT: {error}") from error
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            alg, expected = header.get("alg"), self.OIDC_RP_SIGN_ALGO
            raise SuspiciousOperation(f"JWT signed with {alg!r} instead of {expected!r}")
        if self.OIDC_RP_IDP_SIGN_KEY is not None:
            key = self.OIDC_RP_IDP_SIGN_KEY
        else:
            if self.get_settings("OIDC_VERIFY_KID", True) and not header.get("kid"):
                raise SuspiciousOperation("JWT without a key id (kid)")
            try:
                key = self.retrieve_matching_jwk(token)
            except jwt.PyJWKError as error:
                raise SuspiciousOperation(f"unusable key in the JWKS: {error}") from error
        try:
            return jwt.decode(
                token,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                leeway=CLOCK_SKEW_SECONDS,
                # Audience and issuer are checked by _check_audience_and_issuer.
                options={"require": list(required), "verify_aud": False, "verify_iss": False},
            )
        except jwt.InvalidTokenError as error:
            raise SuspiciousOperation(f"JWT refused: {error}") from error

    def _check_audience_and_issuer(self, claims, *, required):
        """`aud` must include our client id and `iss` be the provider (when configured).

        The ID token must carry both; for userinfo they are checked when present.
        """
        audience = claims.get("aud")
        if audience is not None or required:
            audiences = [audience] if isinstance(audience, str) else audience or []
            if self.OIDC_RP_CLIENT_ID not in audiences:
                raise SuspiciousOperation(f"JWT meant for {audience!r}, not for us")
        issuer = claims.get("iss")
        checked = self.OIDC_OP_ISSUER and (issuer is not None or required)
        if checked and issuer != self.OIDC_OP_ISSUER:
            raise SuspiciousOperation(f"JWT issued by {issuer!r}, not by the provider")

    # --- Accounts ------------------------------------------------------------------------

    def verify_claims(self, claims):
        email = claims.get("email")
        sub = claims.get("sub")
        return isinstance(email, str) and "@" in email and isinstance(sub, str) and bool(sub)

    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or "").strip().lower()
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email)

    def create_user(self, claims):
        return do_create_oidc_user(claims)

    def update_user(self, user, claims):
        return do_update_oidc_user(user, claims)


class ProConnectCallbackView(OIDCAuthenticationCallbackView):
    """The provider's redirect back to us; a refused or cancelled sign-in goes to LOGIN_URL."""

    @property
    def failure_url(self):
        return resolve_url(settings.LOGIN_URL)

    def login_failure(self):
        messages.error(
            self.request,
            _(
                "Signing in with ProConnect did not succeed. Try again, or log in with your "
                "email address."
            ),
        )
        return super().login_failure()


def proconnect_logout_url(request) -> str:
    """Where to send someone logging out: ProConnect's end-session endpoint, then back home.

    Used as OIDC_OP_LOGOUT_URL_METHOD by mozilla-django-oidc's logout view, before the local
    session is closed. Without an ID token (password sign-in) or an end-session endpoint,
    only the local logout happens.
    """
    home = resolve_url(settings.LOGOUT_REDIRECT_URL or "/")
    endpoint = getattr(settings, "OIDC_OP_LOGOUT_ENDPOINT", "")
    id_token = request.session.get("oidc_id_token")
    if not (endpoint and id_token):
        return home
    query = urlencode(
        {
            "id_token_hint": id_token,
            "state": get_random_string(32),
            "post_logout_redirect_uri": request.build_absolute_uri(home),
        }
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"

"""ProConnect sign-in (OpenID Connect) through mozilla-django-oidc.

ProConnect returns its userinfo as a signed JWT (application/jwt) rather than JSON, and
identifies agents by email; accounts are matched on the email, and the `sub` is kept.
"""

import json

from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend


class ProConnectBackend(OIDCAuthenticationBackend):
    def get_userinfo(self, access_token, id_token, payload):
        response = self.get_userinfo_response(access_token)
        content_type = response.headers.get("Content-Type", "")
        if content_type.startswith("application/jwt"):
            verified = self.verify_token(response.text)
            return json.loads(verified) if isinstance(verified, (bytes, str)) else verified
        return response.json()

    def get_userinfo_response(self, access_token):
        import requests

        response = requests.get(
            self.OIDC_OP_USER_ENDPOINT,
            headers={"Authorization": f"Bearer {access_token}"},
            verify=self.get_settings("OIDC_VERIFY_SSL", True),
            timeout=self.get_settings("OIDC_TIMEOUT", None),
            proxies=self.get_settings("OIDC_PROXY", None),
        )
        response.raise_for_status()
        return response

    def verify_claims(self, claims):
        return bool(claims.get("email")) and bool(claims.get("sub"))

    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or "").strip().lower()
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email)

    def create_user(self, claims):
        from ruche.accounts.actions import do_create_oidc_user

        return do_create_oidc_user(claims)

    def update_user(self, user, claims):
        from ruche.accounts.actions import do_update_oidc_user

        return do_update_oidc_user(user, claims)

    def authenticate(self, request, **kwargs):
        try:
            return super().authenticate(request, **kwargs)
        except SuspiciousOperation:
            return None

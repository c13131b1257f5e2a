"""`Authorization: Bearer <token>` for programs; browsers use the session (with CSRF) instead."""

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from tokens.selectors import api_token_for_plaintext
from tokens.services import api_token_mark_used


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "Send the token as “Authorization: Bearer <token>”, with nothing after the token."
            )
        try:
            plaintext = header[1].decode()
        except UnicodeError as error:
            raise exceptions.AuthenticationFailed("The token contains characters a token never has.") from error
        token = api_token_for_plaintext(plaintext=plaintext)
        if token is None:
            raise exceptions.AuthenticationFailed("This API token is not valid; check that you copied all of it.")
        now = timezone.now()
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed("This API token was revoked; make a new one in the portal.")
        if now >= token.expires_at:
            raise exceptions.AuthenticationFailed("This API token has expired; make a new one in the portal.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("The account this API token belongs to is deactivated.")
        api_token_mark_used(token=token, now=now)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token made in the portal (Account → API tokens): "
            "read tokens may only GET; write tokens may change what their owner may change.",
        }

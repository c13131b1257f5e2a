"""Reads of the tokens app: a person's own tokens, and the token a request presents."""

import hmac

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from tokens.models import ApiToken
from tokens.services import TOKEN_MARK, secret_digest


def api_token_list_for_user(*, user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def api_token_for_user(*, user, pk: int) -> ApiToken:
    """One of the person's own tokens; anyone else's is a 404."""
    return get_object_or_404(ApiToken, user=user, pk=pk)


def api_token_for_plaintext(*, plaintext: str) -> ApiToken | None:
    """The token row whose secret matches, whatever its state (the caller decides about expiry and revocation);
    None when the text is not one of our tokens."""
    mark, _, rest = (plaintext or "").partition("_")
    prefix, _, secret = rest.partition("_")
    if mark != TOKEN_MARK or not prefix or not secret:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    # Compared in constant time, so response timing does not tell how much of a guessed secret was right.
    if token is None or not hmac.compare_digest(token.secret_sha256, secret_digest(secret)):
        return None
    return token

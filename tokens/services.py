"""Writes of the tokens app: personal API tokens, made and revoked by their owner (or a program lead).

A token is `rfpi_<prefix>_<secret>`; only the SHA-256 of the secret is kept, so the whole token is shown once.
Every token expires; a revoked or expired token is refused by api.authentication with a 401.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from tokens.enums import TokenScope
from tokens.models import ApiToken

TOKEN_MARK = "rfpi"  # noqa: S105 - the prefix every token starts with, not a secret
# The lifetimes a person may choose, in days; no token lives for ever.
TOKEN_LIFETIMES_DAYS = (7, 30, 90, 365)
# A token's last use is written at most this often, so a busy client does not write a row on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    plaintext: str  # shown once, never stored


def secret_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user, name: str, scope: str, lifetime_days: int) -> IssuedToken:
    name = (name or "").strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = ["Name the token after what will use it, for example “ERP export”."]
    elif len(name) > 100:
        errors["name"] = [f"Keep the name to 100 characters; it has {len(name)}."]
    if scope not in TokenScope.values:
        errors["scope"] = [f"{scope!r} is not a scope; choose read or write."]
    if lifetime_days not in TOKEN_LIFETIMES_DAYS:
        days = ", ".join(str(days) for days in TOKEN_LIFETIMES_DAYS)
        errors["lifetime_days"] = [f"A token lives {days} days; choose one of these."]
    if errors:
        raise ValidationError(errors)
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name,
        prefix=prefix,
        secret_sha256=secret_digest(secret),
        scope=scope,
        expires_at=timezone.now() + timedelta(days=lifetime_days),
    )
    token.full_clean()
    token.save()
    audit_record(
        action="api_token.created",
        target=token,
        actor=user,
        summary=f"{user.email} made API token {token.prefix} ({token.get_scope_display().lower()})",
        data={"name": name, "prefix": prefix, "scope": scope, "expires_at": token.expires_at.isoformat()},
    )
    return IssuedToken(token=token, plaintext=f"{TOKEN_MARK}_{prefix}_{secret}")


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor) -> ApiToken:
    """Revoke a token at once: its owner, or a program lead (a leaked token); revoking twice changes nothing."""
    token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    if token.user_id != actor.pk and not actor.is_program_lead:
        raise ValidationError(
            "Only the person who made a token, or a program lead, can revoke it.", code="not_your_token"
        )
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        action="api_token.revoked",
        target=token,
        actor=actor,
        summary=f"{actor.email} revoked API token {token.prefix} of {token.user.email}",
        data={"prefix": token.prefix, "owner": token.user.email},
    )
    return token


def api_token_mark_used(*, token: ApiToken, now) -> None:
    """Remember when the token was last used (to the minute); not audited: the request log says the rest."""
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now

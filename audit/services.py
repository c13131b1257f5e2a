"""The audit trail: append-only events, each hash-chained to the one before it."""

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from audit.models import AuditEvent

# Any 64-bit constant: serialises writers of the chain in PostgreSQL so two events never share a predecessor.
_CHAIN_LOCK_KEY = 0x5246504155444954


def _event_hash(*, previous_hash: str, fields: dict[str, Any]) -> str:
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{previous_hash}|{canonical}".encode()).hexdigest()


def _hashed_fields(event: AuditEvent) -> dict[str, Any]:
    return {
        "occurred_at": event.occurred_at.isoformat(),
        "actor_id": event.actor_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "summary": event.summary,
        "data": event.data,
    }


@transaction.atomic
def audit_record(
    *,
    action: str,
    target: models.Model,
    actor=None,
    summary: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
    previous = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or ""
    event = AuditEvent(
        occurred_at=timezone.now(),
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=target._meta.label_lower,
        object_id=str(target.pk),
        summary=summary[:300],
        data=json.loads(json.dumps(data or {}, default=str)),
        previous_hash=previous,
    )
    event.hash = _event_hash(previous_hash=previous, fields=_hashed_fields(event))
    event.save()
    return event


def audit_chain_verify() -> list[int]:
    """Ids of events whose hash does not follow from their fields and predecessor; empty when intact."""
    broken: list[int] = []
    previous = ""
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        expected = _event_hash(previous_hash=previous, fields=_hashed_fields(event))
        if event.previous_hash != previous or event.hash != expected:
            broken.append(event.id)
        previous = event.hash
    return broken


@dataclass(frozen=True)
class ChainBreak:
    event: AuditEvent
    reason: str


def audit_chain_first_break() -> tuple[int, ChainBreak | None]:
    """How many events were checked, and the first whose link is broken (None when the chain is intact)."""
    previous: AuditEvent | None = None
    checked = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        checked += 1
        previous_hash = previous.hash if previous is not None else ""
        if event.previous_hash != previous_hash:
            before = f"event #{previous.id}" if previous is not None else "the start of the chain"
            return checked, ChainBreak(
                event, f"it does not follow {before}: an event between them was removed, or that one was rewritten"
            )
        if event.hash != _event_hash(previous_hash=previous_hash, fields=_hashed_fields(event)):
            return checked, ChainBreak(event, "its content no longer matches its hash: the row was edited")
        previous = event
    return checked, None

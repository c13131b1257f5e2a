"""The audit trail: append-only events, each hash-chained to the one before it."""

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
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


# Events recorded inside `audit_chain_deferred()`, waiting to be linked into the chain when the block ends.
_deferred_events: ContextVar[list[AuditEvent] | None] = ContextVar("audit_deferred_events", default=None)


def _append_to_chain(events: list[AuditEvent]) -> None:
    """Link the events after the newest one, in order, and insert them. The chain's lock is held from here to the
    end of the caller's transaction, so the less work a transaction does after this, the more writers run at once."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
        previous = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or ""
        now = timezone.now()  # taken under the lock: the chain's order is the order of time
        for event in events:
            event.occurred_at = now
            event.previous_hash = previous
            event.hash = previous = _event_hash(previous_hash=previous, fields=_hashed_fields(event))
        if len(events) == 1:
            events[0].save()
        else:
            AuditEvent.objects.bulk_create(events)


@contextmanager
def audit_chain_deferred() -> Iterator[None]:
    """Inside a transaction: the events `audit_record` makes in this block join the chain together when it ends,
    instead of one by one, so the chain's lock (which every writer of the chain waits for) is taken only then.
    The returned events get their time, hash and id at the end of the block."""
    if _deferred_events.get() is not None:  # an enclosing block links them
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("audit_chain_deferred() links the events at the end of the block: open a transaction.")
    pending: list[AuditEvent] = []
    token = _deferred_events.set(pending)
    try:
        yield
    finally:
        _deferred_events.reset(token)
    if pending:
        _append_to_chain(pending)


def audit_record(
    *,
    action: str,
    target: models.Model,
    actor=None,
    summary: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    event = AuditEvent(
        occurred_at=timezone.now(),
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=target._meta.label_lower,
        object_id=str(target.pk),
        summary=summary[:300],
        data=json.loads(json.dumps(data or {}, default=str)),
    )
    pending = _deferred_events.get()
    if pending is not None:
        pending.append(event)
    else:
        _append_to_chain([event])
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

"""Keyset ("cursor") pages over a queue ordered by (submitted_at, pk): stable while proposals keep arriving."""

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet

PAGE_SIZE = 50


@dataclass
class CursorPage:
    rows: list
    next_cursor: str | None


def encode_cursor(submitted_at: datetime, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{submitted_at.isoformat()}|{pk}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int] | None:
    """None for a cursor that is not ours (edited by hand, say): the queue then starts at its first page."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        moment, pk = raw.rsplit("|", 1)
        return datetime.fromisoformat(moment), int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None


def cursor_page(queryset: QuerySet, *, cursor: str = "", size: int | None = None) -> CursorPage:
    size = size or PAGE_SIZE
    position = decode_cursor(cursor) if cursor else None
    if position is not None:
        submitted_at, pk = position
        # The redundant `>=` lets the index on (submitted_at, id) start at the cursor instead of at the first row.
        after = Q(submitted_at__gt=submitted_at) | Q(submitted_at=submitted_at, pk__gt=pk)
        queryset = queryset.filter(after, submitted_at__gte=submitted_at)
    rows = list(queryset[: size + 1])
    next_cursor = None
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        next_cursor = encode_cursor(last.submitted_at, last.pk)
    return CursorPage(rows=rows, next_cursor=next_cursor)

"""The request id of the work in hand: an HTTP request's, or the one a Celery task inherited from its publisher."""

import re
import uuid
from contextvars import ContextVar

request_id_var: ContextVar[str] = ContextVar("request_id", default="")

# A proxy's id is kept when it looks like one (letters, digits, dots, dashes, underscores), so logs join up across hops.
_ACCEPTED = re.compile(r"^[A-Za-z0-9._-]{8,128}$")


def request_id_from(incoming: str | None) -> str:
    if incoming and _ACCEPTED.match(incoming):
        return incoming
    return uuid.uuid4().hex


def current_request_id() -> str:
    return request_id_var.get()

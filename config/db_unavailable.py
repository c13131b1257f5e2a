"""When the database connection is lost in the middle of a request, the answer is a clear 503, not a 500.

The request's transaction was rolled back by PostgreSQL with the connection, so nothing of it was kept; the
client may simply try again. Django drops the broken connection at the end of the request and the next one
reconnects (CONN_HEALTH_CHECKS). A cache server (Redis: sign-in rate limits) that does not answer within its
socket timeout gets the same 503, with its own message.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views import defaults
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
MESSAGE = (
    "The service lost its connection to the database while handling this request, so nothing was saved. "
    "Please try again in a minute."
)
CACHE_MESSAGE = (
    "The service could not reach its cache server in time, so this request was not completed and nothing was "
    "changed. Please try again in a minute."
)


def _wants_json(request) -> bool:
    accept = request.headers.get("Accept", "")
    return request.path_info.startswith("/api/") or ("application/json" in accept and "text/html" not in accept)


def _is_unavailable(error) -> bool:
    return isinstance(error, OperationalError | InterfaceError | RedisConnectionError | RedisTimeoutError)


def database_unavailable_response(request, error=None) -> HttpResponse:
    cache = isinstance(error, RedisConnectionError | RedisTimeoutError)
    message, kind = (CACHE_MESSAGE, "cache_unavailable") if cache else (MESSAGE, "database_unavailable")
    if _wants_json(request):
        response = JsonResponse(
            {"type": kind, "title": "Service unavailable", "status": 503, "detail": message},
            status=503,
            content_type="application/problem+json",
        )
    else:
        # A page of its own, not base.html: rendering it must not need the database (no user, no session).
        response = HttpResponse(render_to_string("503.html", {"message": message}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not _is_unavailable(exception):
            return None
        logger.error("unavailable during %s %s: %s", request.method, request.path, exception)
        return database_unavailable_response(request, exception)


def server_error(request):
    """handler500: a database error raised outside a view (say, saving the session) still answers 503."""
    error = sys.exc_info()[1]
    if _is_unavailable(error):
        return database_unavailable_response(request, error)
    return defaults.server_error(request)

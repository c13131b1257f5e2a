"""Each request gets an id (a proxy's X-Request-ID is kept when sane), is counted and timed by view, and logged."""

import logging
import time

from django.conf import settings

from operations.context import request_id_from, request_id_var
from operations.metrics import observe_request

access_logger = logging.getLogger("rfp.access")

_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def _view_label(request) -> str:
    match = getattr(request, "resolver_match", None)
    # Unrouted paths (404s, scanners) share one label: a label per path would grow without bound.
    return match.view_name if match is not None else "unmatched"


class RequestTelemetryMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.headers.get("X-Request-ID"))
        token = request_id_var.set(request_id)
        request.request_id = request_id
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            seconds = time.perf_counter() - started
            view = _view_label(request)
            method = request.method if request.method in _METHODS else "other"
            observe_request(view=view, method=method, status=response.status_code, seconds=seconds)
            response.headers.setdefault("X-Request-ID", request_id)
            if settings.ACCESS_LOG:
                access_logger.info(
                    "%s %s %s",
                    method,
                    request.path,
                    response.status_code,
                    extra={
                        "method": method,
                        "path": request.path,
                        "status": response.status_code,
                        "duration_ms": round(seconds * 1000, 1),
                        "view": view,
                    },
                )
            return response
        finally:
            request_id_var.reset(token)

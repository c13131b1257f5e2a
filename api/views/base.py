"""Any path under /api/v1/ that names no endpoint answers in the problem shape."""

from django.http import JsonResponse

from api.problems import PROBLEM_CONTENT_TYPE


def not_found(request, *args, **kwargs):
    """Any path under /api/v1/ that names no endpoint: a 404 in the problem shape."""
    body = {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": "No endpoint has this path; the schema at /api/v1/schema/ lists them.",
        "code": "not_found",
        "errors": {},
    }
    return JsonResponse(body, status=404, content_type=PROBLEM_CONTENT_TYPE)

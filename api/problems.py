"""Every error the API returns has one shape, RFC 9457 problem details (`application/problem+json`):

    {"type": URI, "title": str, "status": int, "detail": str, "code": str, "errors": {field: [messages]}}

`errors` names the fields at fault (empty when the refusal concerns no single field). The messages are the ones
the portal shows: they come from the same forms, validators and services.
"""

import math
from http import HTTPStatus

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

from rfp.exceptions import DeadlinePassed, DomainError, ProposalIncomplete, TransitionNotAllowed

PROBLEM_CONTENT_TYPE = "application/problem+json"
_TYPE = "urn:rfp-intake:problem:"
NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details, as every error response of this API carries them."""

    type = serializers.CharField(help_text="A URI naming the kind of problem; about:blank for plain HTTP errors.")
    title = serializers.CharField(help_text="A short summary of the kind of problem.")
    status = serializers.IntegerField(help_text="The HTTP status code.")
    detail = serializers.CharField(help_text="What went wrong this time, written for the person who caused it.")
    code = serializers.CharField(help_text="A machine-readable code, e.g. deadline_passed or not_found.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages by input field (dotted paths for nested input); non_field_errors for the whole input.",
    )
    missing = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="With an incomplete proposal: the answers it still needs before it can be submitted.",
    )


def problem(
    status: int,
    *,
    detail: str,
    code: str,
    type_: str = "about:blank",
    title: str = "",
    errors: dict | None = None,
    headers: dict | None = None,
    **extensions,
) -> Response:
    body = {
        "type": type_,
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "code": code,
        "errors": errors or {},
        **extensions,
    }
    return Response(body, status=status, headers=headers, content_type=PROBLEM_CONTENT_TYPE)


def _flatten(detail, path: str = "") -> dict[str, list[str]]:
    """DRF's nested error structures as {"field": [...], "scores.quality": [...], "items.0.name": [...]}."""
    flat: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = NON_FIELD if key in (NON_FIELD_ERRORS, NON_FIELD) else str(key)
            for field, messages in _flatten(value, f"{path}.{name}" if path else name).items():
                flat.setdefault(field, []).extend(messages)
    elif isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            flat[path or NON_FIELD] = [str(item) for item in detail]
        else:
            for index, item in enumerate(detail):
                if item:
                    for field, messages in _flatten(item, f"{path}.{index}" if path else str(index)).items():
                        flat.setdefault(field, []).extend(messages)
    else:
        flat[path or NON_FIELD] = [str(detail)]
    return flat


def django_errors(error: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            NON_FIELD if field == NON_FIELD_ERRORS else field: [message for item in items for message in item.messages]
            for field, items in error.error_dict.items()
        }
    return {NON_FIELD: error.messages}


def validation_problem(errors: dict[str, list[str]]) -> Response:
    messages = [message for field_messages in errors.values() for message in field_messages]
    if len(messages) == 1:
        detail = messages[0]
    else:
        fields = ", ".join(field for field in errors if field != NON_FIELD)
        detail = f"The input has {len(messages)} errors" + (f", in {fields}" if fields else "") + "."
    return problem(400, type_=f"{_TYPE}validation", title="Invalid input", detail=detail, code="invalid", errors=errors)


def _domain_problem(error: DomainError) -> Response:
    if isinstance(error, ProposalIncomplete):
        return problem(
            400,
            type_=f"{_TYPE}incomplete",
            title="Proposal incomplete",
            detail=error.message,
            code=error.code,
            missing=error.missing,
        )
    if isinstance(error, DeadlinePassed):
        return problem(
            409, type_=f"{_TYPE}deadline", title="Outside the round's dates", detail=error.message, code=error.code
        )
    if isinstance(error, TransitionNotAllowed):
        return problem(
            409,
            type_=f"{_TYPE}state",
            title="Not allowed in the current state",
            detail=error.message,
            code=error.code,
        )
    return problem(400, type_=f"{_TYPE}refused", title="Request refused", detail=error.message, code=error.code)


def problem_exception_handler(exc, context) -> Response | None:
    """DRF's EXCEPTION_HANDLER: the project's domain errors and Django's, and DRF's own, as problem details."""
    set_rollback()
    if isinstance(exc, DomainError):
        return _domain_problem(exc)
    if isinstance(exc, DjangoValidationError):
        return validation_problem(django_errors(exc))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(*exc.args)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    if isinstance(exc, exceptions.ValidationError):
        return validation_problem(_flatten(exc.detail))
    if not isinstance(exc, exceptions.APIException):
        return None  # a bug: Django's 500 handling and logging take over
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(math.ceil(exc.wait))
    detail = exc.detail if isinstance(exc.detail, str) else " ".join(_flatten(exc.detail).get(NON_FIELD, []))
    code = getattr(exc.detail, "code", None) or exc.default_code
    return problem(exc.status_code, detail=str(detail), code=str(code), headers=headers)

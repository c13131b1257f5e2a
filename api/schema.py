"""How the OpenAPI document describes the API's views (drf-spectacular's AutoSchema, adapted to our style).

Each API class declares nested `InputSerializer` and `OutputSerializer`; they are the operation's request and
response bodies unless `@extend_schema` says otherwise, named after the class (`ProposalCreateInput`). Every
operation lists the problem-details responses it can give, so clients and schemathesis know their shape, and has
a summary: `@extend_schema(summary=...)`, else the first sentence of its API class's docstring.
"""

import re

from drf_spectacular.openapi import AutoSchema

from api.problems import PROBLEM_CONTENT_TYPE, ProblemSerializer

_UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
_ERROR_DESCRIPTIONS = {
    "400": "The input was refused; `errors` names each field at fault.",
    "401": "No valid credentials: sign in, or send a valid, unexpired API token.",
    "403": "Signed in, but not allowed to do this (for example a read-only token, or a viewer changing data).",
    "404": "No such object, or not one the caller may see.",
    "409": "Not possible in the object's current state or outside the round's dates.",
    "429": "Too many requests; wait for the seconds in the Retry-After header.",
}


class ApiAutoSchema(AutoSchema):
    def get_request_serializer(self):
        serializer = getattr(self.view, "InputSerializer", None)
        if self.method in ("POST", "PUT", "PATCH") and serializer is not None:
            return serializer()
        return super().get_request_serializer()

    def get_response_serializers(self):
        serializer = getattr(self.view, "OutputSerializer", None)
        if serializer is not None:
            return serializer(many=getattr(self.view, "output_many", False))
        return super().get_response_serializers()

    def get_serializer_name(self, serializer, direction):
        # "ProposalCreateApi.InputSerializer" -> "ProposalCreateInput"; top-level serializers keep their names.
        outer, _, inner = type(serializer).__qualname__.rpartition(".")
        if outer:
            return outer.removesuffix("Api") + inner.removesuffix("Serializer")
        return super().get_serializer_name(serializer, direction)

    def _is_create_operation(self) -> bool:
        # An API class that makes something says so (`creates = True`) and answers 201 Created.
        return (self.method == "POST" and getattr(self.view, "creates", False)) or super()._is_create_operation()

    def get_summary(self) -> str | None:
        explicit = super().get_summary()
        if explicit:
            return explicit
        doc = " ".join((type(self.view).__doc__ or "").split())
        # The first sentence: up to a full stop, colon or semicolon followed by a space, or the end.
        first = re.split(r"(?<=[.:;])\s", doc, maxsplit=1)[0]
        return first.rstrip(".:;") or None

    def get_tags(self) -> list[str]:
        return list(getattr(self.view, "tags", None) or super().get_tags())

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = ["400", "401", "403", "404", "429"] + (["409"] if self.method in _UNSAFE else [])
        for code in codes:
            if code not in responses:
                body = self._get_response_for_code(ProblemSerializer, code, [PROBLEM_CONTENT_TYPE], direction)
                body["description"] = _ERROR_DESCRIPTIONS[code]
                responses[code] = body
        return responses

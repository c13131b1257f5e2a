"""Who may call what: a token's scope, and the buyer's roles. Object-level scoping is done by the selectors."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from rfp import rules
from tokens.models import ApiToken


class TokenScope(BasePermission):
    """A read token may only read; changes need a write token. Session calls are not limited here."""

    message = "This API token is read-only; make a token with the write scope to change data."

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken) or request.method in SAFE_METHODS:
            return True
        return token.allows_writes


class IsBuyer(BasePermission):
    """Reviewers and program leads. Refused with a 404, like anything else the caller may not see."""

    code = "not_found"

    def has_permission(self, request, view) -> bool:
        return rules.is_buyer(request.user)


class IsReviewer(BasePermission):
    code = "not_found"

    def has_permission(self, request, view) -> bool:
        return rules.is_reviewer(request.user)


class IsProgramLead(BasePermission):
    code = "not_found"

    def has_permission(self, request, view) -> bool:
        return rules.is_program_lead(request.user)

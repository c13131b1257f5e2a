"""Reviewers and program leads reach buyer pages only after a second factor (see `accounts.mfa`)."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse

from accounts.mfa import second_factor_required, session_passed_second_factor, totp_enrolled

# Signing in, enrolling and signing out must stay reachable; so must the probes and the static files.
OPEN_PREFIXES = ("/accounts/", "/static/", "/healthz", "/readyz")


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def _redirect(url_name: str, request) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse(url_name)}?{urlencode({'next': request.get_full_path()})}")


class BuyerSecondFactorMiddleware:
    """With BUYER_MFA_REQUIRED, a buyer without an authenticator is sent to enrol one, and a buyer whose session
    has not shown a code is kept out of BUYER_MFA_PROTECTED_PREFIXES (the panel, the review workspace, the API)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refusal = self._refusal(request)
        return refusal if refusal is not None else self.get_response(request)

    def _refusal(self, request):
        user = getattr(request, "user", None)
        if user is None or not second_factor_required(user) or request.path_info.startswith(OPEN_PREFIXES):
            return None
        if not totp_enrolled(user):
            text = "Reviewers and program leads sign in with an authenticator app: set one up to continue."
            if _is_api(request):
                return JsonResponse(
                    {"detail": f"{text} Open {reverse('mfa_activate_totp')} in the browser.", "code": "mfa_enrol"},
                    status=403,
                )
            messages.info(request, text)
            return _redirect("mfa_activate_totp", request)
        if session_passed_second_factor(request, user):
            return None
        if not request.path_info.startswith(tuple(settings.BUYER_MFA_PROTECTED_PREFIXES)):
            return None
        text = "This page needs the code from your authenticator app: enter it to continue."
        if _is_api(request):
            return JsonResponse({"detail": f"{text} Sign in again in the browser.", "code": "mfa_required"}, status=403)
        messages.info(request, text)
        return _redirect("mfa_reauthenticate", request)

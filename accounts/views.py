"""One door for signing in: the panel's own login form would skip the rate limits and the second factor."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse

from config.admin import may_use_review_panel


def panel_login(request):
    """Send /panel/login/ to the site's sign-in (allauth: rate-limited, with TOTP), keeping where to go next.

    A signed-in reviewer is sent to the review workspace instead: signing in again would bring them straight back.
    """
    user = request.user
    if user.is_authenticated and not may_use_review_panel(user):
        if user.is_reviewer:
            messages.info(request, "The review panel is for program leads. Your assignments are in your review queue.")
            return redirect("review:queue")
        return redirect("portal:dashboard")
    target = request.GET.get("next") or reverse("admin:index")
    return HttpResponseRedirect(f"{reverse('account_login')}?{urlencode({'next': target})}")

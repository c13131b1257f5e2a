"""One door for signing in: the panel's own login form would skip the rate limits and the second factor."""

from urllib.parse import urlencode

from django.http import HttpResponseRedirect
from django.urls import reverse


def panel_login(request):
    """Send /panel/login/ to the site's sign-in (allauth: rate-limited, with TOTP), keeping where to go next."""
    target = request.GET.get("next") or reverse("admin:index")
    return HttpResponseRedirect(f"{reverse('account_login')}?{urlencode({'next': target})}")

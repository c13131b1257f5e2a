"""Personal API tokens in the portal: anyone signed in (supplier staff, reviewers, program leads) makes tokens
for their own use of the REST API and revokes them. The whole token is shown once, on the page that made it."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.mfa import second_factor_required, session_passed_second_factor
from portal.api_tokens.forms import ApiTokenForm
from tokens import selectors, services


def _second_factor_redirect(request):
    """Buyer staff make tokens only in a session that showed their authenticator code, since a token outlives it."""
    if second_factor_required(request.user) and not session_passed_second_factor(request, request.user):
        return HttpResponseRedirect(f"{reverse('mfa_reauthenticate')}?{urlencode({'next': request.get_full_path()})}")
    return None


def _page(request, *, form, issued=None, status=200):
    context = {
        "form": form,
        "tokens": selectors.api_token_list_for_user(user=request.user),
        "issued": issued,
        "now": timezone.now(),
        "api_docs_url": reverse("api:docs"),
    }
    return render(request, "portal/api_tokens/list.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    refusal = _second_factor_redirect(request)
    if refusal is not None:
        return refusal
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.api_token_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            # Rendered, not redirected: the whole token exists only in this response.
            return _page(request, form=ApiTokenForm(), issued=issued)
    return _page(request, form=form)


@login_required
@require_POST
def api_token_revoke(request, pk: int):
    token = selectors.api_token_for_user(user=request.user, pk=pk)
    services.api_token_revoke(token=token, actor=request.user)
    messages.success(request, f"The token “{token.name}” ({token.prefix}…) is revoked; programs using it get 401.")
    return redirect("portal:api_tokens")

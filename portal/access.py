"""Who may do what in the portal: every view resolves the signed-in person's company through here; the rules are
`suppliers.rules`, the portal only says no its own way (a redirect to register, a 403 page)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from suppliers.rules import SupplierAccess, supplier_access_for

__all__ = ["SupplierAccess", "member_required", "supplier_access"]


def supplier_access(request) -> SupplierAccess | None:
    """The signed-in person's company and role (`suppliers.rules`), resolved once per request."""
    if not hasattr(request, "_supplier_access"):
        request._supplier_access = supplier_access_for(request.user)
    return request._supplier_access


def member_required(view=None, *, editor: bool = False, owner: bool = False):
    """The view gets `request.access`; people without a company are sent to register one.

    Viewers asking to change something get a 403 page that says their role allows reading only.
    """

    def decorate(view_func):
        @login_required
        @wraps(view_func)
        def wrapped(request, *args, **kwargs):
            access = supplier_access(request)
            if access is None:
                messages.info(request, "Register your company first, or ask its owner for an invitation.")
                return redirect("portal:company_register")
            if owner and not access.is_owner:
                raise PermissionDenied("Only the company's owners can do this.")
            if editor and not access.can_edit:
                raise PermissionDenied("Your role is viewer: you can read your company's data but not change it.")
            request.access = access
            return view_func(request, *args, **kwargs)

        return wrapped

    return decorate(view) if view is not None else decorate

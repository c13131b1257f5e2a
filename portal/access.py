"""Who may do what in the portal: every view resolves the signed-in person's company through here."""

from dataclasses import dataclass
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from suppliers.enums import MemberRole
from suppliers.models import Supplier, SupplierMember
from suppliers.selectors import membership_for_user


@dataclass(frozen=True)
class SupplierAccess:
    membership: SupplierMember

    @property
    def supplier(self) -> Supplier:
        return self.membership.supplier

    @property
    def role(self) -> str:
        return self.membership.role

    @property
    def can_edit(self) -> bool:
        return self.role in (MemberRole.OWNER, MemberRole.EDITOR)

    @property
    def is_owner(self) -> bool:
        return self.role == MemberRole.OWNER


def supplier_access(request) -> SupplierAccess | None:
    if not hasattr(request, "_supplier_access"):
        membership = membership_for_user(user=request.user)
        request._supplier_access = SupplierAccess(membership) if membership else None
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

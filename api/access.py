"""Whose data a caller reaches: a supplier member reaches their own company's (one company per person). Who may do
what is `suppliers.rules`; the API only says no its own way (404, or a 403 that names the role)."""

from rest_framework.exceptions import NotFound, PermissionDenied

from suppliers.rules import SupplierAccess, supplier_access_for
from suppliers.services import OWNER_REFUSAL, VIEWER_REFUSAL

NO_COMPANY = "You do not belong to a supplier: register your company in the portal, or ask its owner for an invitation."

__all__ = ["NO_COMPANY", "SupplierAccess", "supplier_access"]


def supplier_access(request, *, editor: bool = False, owner: bool = False) -> SupplierAccess:
    """The caller's company, or a 404 for someone who has none; a viewer asking to change something gets a 403
    that says so (the same words as the portal)."""
    access = supplier_access_for(request.user)
    if access is None:
        raise NotFound(NO_COMPANY)
    if owner and not access.is_owner:
        raise PermissionDenied(OWNER_REFUSAL)
    if editor and not access.can_edit:
        raise PermissionDenied(VIEWER_REFUSAL)
    return access

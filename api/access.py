"""Whose data a caller reaches: a supplier member reaches their own company's (one company per person)."""

from dataclasses import dataclass

from rest_framework.exceptions import NotFound, PermissionDenied

from suppliers.enums import MemberRole
from suppliers.models import Supplier, SupplierMember
from suppliers.selectors import membership_for_user
from suppliers.services import OWNER_REFUSAL, VIEWER_REFUSAL

NO_COMPANY = "You do not belong to a supplier: register your company in the portal, or ask its owner for an invitation."


@dataclass(frozen=True)
class SupplierAccess:
    membership: SupplierMember

    @property
    def supplier(self) -> Supplier:
        return self.membership.supplier

    @property
    def role(self) -> str:
        return self.membership.role


def supplier_access(request, *, editor: bool = False, owner: bool = False) -> SupplierAccess:
    """The caller's company, or a 404 for someone who has none; a viewer asking to change something gets a 403
    that says so (the same words as the portal)."""
    membership = membership_for_user(user=request.user)
    if membership is None:
        raise NotFound(NO_COMPANY)
    if owner and membership.role != MemberRole.OWNER:
        raise PermissionDenied(OWNER_REFUSAL)
    if editor and not membership.can_edit:
        raise PermissionDenied(VIEWER_REFUSAL)
    return SupplierAccess(membership)

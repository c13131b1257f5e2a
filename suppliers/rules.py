"""Who may see or change a supplier's data: its members, by role. The one home of these rules; the portal, the API
and the rfp rules ask them.

- Every member (owner, editor, viewer) reads the company, its facilities, certifications and proposals.
- Owners and editors change them.
- Owners manage the team (invitations, roles, removals).
"""

from __future__ import annotations

from dataclasses import dataclass

from suppliers.enums import MemberRole
from suppliers.models import Supplier, SupplierMember

EDITING_ROLES = frozenset({MemberRole.OWNER, MemberRole.EDITOR})


def membership_of(user) -> SupplierMember | None:
    """The person's membership of a supplier (one company per person), read once per user object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if "_supplier_membership" not in user.__dict__:
        user.__dict__["_supplier_membership"] = (
            SupplierMember.objects.select_related("supplier").filter(user=user).order_by("id").first()
        )
    return user.__dict__["_supplier_membership"]


def _role_in(user, supplier) -> str | None:
    membership = membership_of(user)
    supplier_id = supplier.pk if isinstance(supplier, Supplier) else supplier
    if membership is None or membership.supplier_id != supplier_id:
        return None
    return membership.role


def is_member(user, supplier) -> bool:
    """`supplier` is a Supplier or its id."""
    return _role_in(user, supplier) is not None


def may_edit_company(user, supplier) -> bool:
    return _role_in(user, supplier) in EDITING_ROLES


@dataclass(frozen=True)
class SupplierAccess:
    """The signed-in person's company and what their role lets them do there; portal and API resolve it alike."""

    membership: SupplierMember

    @property
    def supplier(self) -> Supplier:
        return self.membership.supplier

    @property
    def role(self) -> str:
        return self.membership.role

    @property
    def can_edit(self) -> bool:
        return self.role in EDITING_ROLES

    @property
    def is_owner(self) -> bool:
        return self.role == MemberRole.OWNER


def supplier_access_for(user) -> SupplierAccess | None:
    membership = membership_of(user)
    return SupplierAccess(membership) if membership else None

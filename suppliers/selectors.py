"""Reads of suppliers: who belongs to which company, scoped to the person asking."""

from django.db.models import QuerySet

from suppliers.models import Certification, Facility, SupplierMember


def membership_for_user(*, user) -> SupplierMember | None:
    """The person's membership of a supplier (one company per person), or None."""
    if not user.is_authenticated:
        return None
    return SupplierMember.objects.select_related("supplier").filter(user=user).order_by("id").first()


def facility_list_for_supplier(*, supplier) -> QuerySet[Facility]:
    return Facility.objects.filter(supplier=supplier).order_by("name")


def certification_list_for_supplier(*, supplier) -> QuerySet[Certification]:
    return Certification.objects.filter(supplier=supplier).select_related("facility").order_by("kind", "expires_on")

"""Reads of suppliers: who belongs to which company, scoped to the person asking."""

from datetime import timedelta

import filetype
from django.db.models import Case, CharField, Count, IntegerField, Q, QuerySet, Sum, Value, When
from django.shortcuts import get_object_or_404
from django.utils.text import slugify

from suppliers.enums import MemberRole
from suppliers.models import WORKFORCE_TRADES, Certification, Facility, Invitation, Supplier, SupplierMember


def membership_for_user(*, user) -> SupplierMember | None:
    """The person's membership of a supplier (one company per person), or None."""
    if not user.is_authenticated:
        return None
    return SupplierMember.objects.select_related("supplier").filter(user=user).order_by("id").first()


def facility_list_for_supplier(*, supplier) -> QuerySet[Facility]:
    return Facility.objects.filter(supplier=supplier).order_by("name")


def certification_list_for_supplier(*, supplier) -> QuerySet[Certification]:
    return Certification.objects.filter(supplier=supplier).select_related("facility").order_by("kind", "expires_on")


# The company area of the portal: each read below is scoped to one supplier; another supplier's row is a 404.

EXPIRY_WARNING_DAYS = 90


def supplier_identifiers_taken(*, ein: str, uei: str, cage: str = "", exclude=None) -> list[str]:
    """Which of the identifiers (field names "ein", "uei", "cage") another registered company already holds."""
    condition = Q(ein=ein) | Q(uei=uei)
    if cage:
        condition |= Q(cage=cage)
    others = Supplier.objects.filter(condition)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    taken = []
    for other_ein, other_uei, other_cage in others.values_list("ein", "uei", "cage"):
        taken += [name for name, mine, theirs in (("ein", ein, other_ein), ("uei", uei, other_uei)) if mine == theirs]
        if cage and cage == other_cage:
            taken.append("cage")
    return sorted(set(taken))


def member_list_for_supplier(*, supplier) -> QuerySet[SupplierMember]:
    rank = Case(
        *(When(role=role, then=Value(position)) for position, role in enumerate(MemberRole.values)),
        output_field=IntegerField(),
    )
    return (
        SupplierMember.objects.filter(supplier=supplier)
        .select_related("user")
        .annotate(role_rank=rank)
        .order_by("role_rank", "user__email")
    )


def member_for_supplier(*, supplier, pk: int) -> SupplierMember:
    return get_object_or_404(SupplierMember.objects.select_related("user", "supplier"), supplier=supplier, pk=pk)


def invitation_list_open(*, supplier) -> QuerySet[Invitation]:
    """Invitations not yet accepted or revoked, newest first; expired ones are listed too, marked by `expires_at`."""
    return (
        Invitation.objects.filter(supplier=supplier, accepted_at__isnull=True, revoked_at__isnull=True)
        .select_related("invited_by")
        .order_by("-created_at")
    )


def invitation_for_supplier(*, supplier, pk: int) -> Invitation:
    return get_object_or_404(Invitation.objects.select_related("supplier"), supplier=supplier, pk=pk)


def invitation_for_token(*, token: str) -> Invitation | None:
    """The invitation a link carries, or None; its holder may see which company invites them."""
    if not token:
        return None
    return Invitation.objects.select_related("supplier", "invited_by").filter(token=token).first()


def facility_for_supplier(*, supplier, pk: int) -> Facility:
    return get_object_or_404(Facility.objects.select_related("supplier"), supplier=supplier, pk=pk)


def facility_totals(*, supplier) -> dict:
    """Head count by trade, total workforce, site power and number of sites, over the supplier's facilities."""
    totals = Facility.objects.filter(supplier=supplier).aggregate(
        count=Count("id"), site_power_mw=Sum("site_power_mw"), **{trade: Sum(trade) for trade in WORKFORCE_TRADES}
    )
    for trade in WORKFORCE_TRADES:
        totals[trade] = totals[trade] or 0
    totals["site_power_mw"] = totals["site_power_mw"] or 0
    totals["workforce"] = sum(totals[trade] for trade in WORKFORCE_TRADES)
    return totals


def certification_list_with_expiry(*, supplier, today) -> QuerySet[Certification]:
    """The supplier's certificates, each annotated `expiry_state`: "expired", "expiring" (within 90 days), "valid"
    or "none" (no expiry date)."""
    state = Case(
        When(expires_on__isnull=True, then=Value("none")),
        When(expires_on__lt=today, then=Value("expired")),
        When(expires_on__lte=today + timedelta(days=EXPIRY_WARNING_DAYS), then=Value("expiring")),
        default=Value("valid"),
        output_field=CharField(),
    )
    return certification_list_for_supplier(supplier=supplier).annotate(expiry_state=state)


def certification_for_supplier(*, supplier, pk: int) -> Certification:
    return get_object_or_404(Certification.objects.select_related("facility"), supplier=supplier, pk=pk)


def certification_summary(*, supplier, today) -> dict:
    """How many certificates the supplier holds, and how many have expired or expire within 90 days."""
    return Certification.objects.filter(supplier=supplier).aggregate(
        count=Count("id"),
        expired=Count("id", filter=Q(expires_on__lt=today)),
        expiring=Count(
            "id", filter=Q(expires_on__gte=today, expires_on__lte=today + timedelta(days=EXPIRY_WARNING_DAYS))
        ),
    )


# Sniffed when served, since the row keeps no type: (detected kind -> MIME type, file name extension).
_DOCUMENT_TYPES = {"pdf": ("application/pdf", ".pdf"), "png": ("image/png", ".png"), "jpg": ("image/jpeg", ".jpg")}


def certification_document_file(*, certification: Certification) -> tuple:
    """The certificate's stored file, the name to download it under, and its MIME type (read from its first bytes).
    Raises FileNotFoundError when storage has lost the file."""
    document = certification.document
    with document.open("rb"):
        head = document.read(8192)
    guess = filetype.guess(head)
    content_type, extension = _DOCUMENT_TYPES.get(guess.extension if guess else "", ("application/octet-stream", ""))
    label = slugify(f"{certification.get_kind_display()} {certification.number or certification.name}") or "certificate"
    return document, f"{label}{extension}", content_type

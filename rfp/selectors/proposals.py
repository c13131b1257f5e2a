"""Reads of the supplier's proposals: their answers, what is missing, the round pages, addenda, clarifications,
versions, receipts, attachments and checks."""

import zoneinfo
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from rfp.enums import AssignmentStatus
from rfp.formatting import answer_figure, answer_label
from rfp.models import (
    SECTOR_DETAIL_MODELS,
    Addendum,
    AddendumAcknowledgement,
    Attachment,
    Category,
    Clarification,
    InformationRequest,
    Proposal,
    ProposalCheck,
    ProposalVersion,
    ReviewAssignment,
    Rfp,
    Sector,
)
from suppliers.models import WORKFORCE_TRADES

# The sector's own questions a proposal must answer before it can be submitted.
REQUIRED_SECTOR_ANSWERS: dict[str, tuple[str, ...]] = {
    "datacenter": ("rack_power_density_kw", "cooling_type", "annual_units"),
    "consumer-electronics": ("smt_lines", "final_assembly_units_per_month", "ipc_class"),
    "robotics": ("component_type", "power_device_technology"),
}
# The "capacity & facilities" answers of a proposal, in the order the supplier gives them.
PROPOSAL_CAPACITY_FIELDS: tuple[str, ...] = (
    "current_annual_capacity_units",
    "annual_capacity_units",
    "capacity_ramp",
    "lead_time_weeks",
    "site_power_mw",
    "domestic_content_pct",
    "countries_of_origin",
    "sub_suppliers",
    *WORKFORCE_TRADES,
)
# Answers listed one per line in the summary: the names in them may hold commas.
LISTS_ONE_PER_LINE = frozenset({"sub_suppliers"})
REQUIRED_PROPOSAL_FIELDS: tuple[str, ...] = (
    "title",
    "technical_narrative",
    "annual_capacity_units",
    "lead_time_weeks",
    "domestic_content_pct",
    "site_power_mw",
)


def rfp_list_open(*, now) -> QuerySet[Rfp]:
    sectors = Prefetch("sectors", queryset=Sector.objects.order_by("position"))
    return Rfp.objects.filter(opens_at__lte=now, closes_at__gt=now).prefetch_related(sectors).order_by("closes_at")


def rfp_list_newest_first() -> QuerySet[Rfp]:
    """Every round, the latest deadline first: what program leads pick a round from."""
    return Rfp.objects.order_by("-closes_at")


def proposal_sector_details(*, proposal: Proposal):
    """The proposal's typed answers for its sector, or None when it has none yet."""
    model = SECTOR_DETAIL_MODELS[proposal.sector.code]
    return model.objects.filter(proposal=proposal).first()


def proposal_missing_answers(*, proposal: Proposal) -> list[str]:
    """Human labels of what the proposal still lacks before it can be submitted; empty when complete."""
    missing = [
        str(Proposal._meta.get_field(name).verbose_name)
        for name in REQUIRED_PROPOSAL_FIELDS
        if getattr(proposal, name) in (None, "")
    ]
    if not proposal.categories.exists():
        missing.append("at least one category")
    if not proposal.facilities.exists():
        missing.append("at least one US facility")
    details = proposal_sector_details(proposal=proposal)
    model = SECTOR_DETAIL_MODELS[proposal.sector.code]
    for name in REQUIRED_SECTOR_ANSWERS[proposal.sector.code]:
        if details is None or getattr(details, name) in (None, ""):
            missing.append(str(model._meta.get_field(name).verbose_name))
    return missing


def proposal_list_for_supplier(*, supplier) -> QuerySet[Proposal]:
    return Proposal.objects.filter(supplier=supplier).select_related("rfp", "sector").order_by("-created_at")


def proposal_for_supplier(*, supplier, reference: str) -> Proposal:
    """One of the supplier's own proposals; anyone else's is a 404, never a hint that it exists."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        Proposal.objects.select_related("rfp", "sector", "supplier"), supplier=supplier, reference=reference
    )


# --- The supplier portal: the round's page, addenda, clarifications, versions and receipts -----------------------


def rfp_for_supplier(*, reference: str, now) -> Rfp:
    """A round a supplier may read: any round that has opened (closed rounds stay readable); others are a 404."""
    from django.shortcuts import get_object_or_404

    sectors = Prefetch(
        "sectors",
        queryset=Sector.objects.order_by("position", "name").prefetch_related(
            Prefetch("categories", queryset=Category.objects.order_by("position", "name"))
        ),
    )
    return get_object_or_404(Rfp.objects.prefetch_related(sectors), reference=reference, opens_at__lte=now)


def addendum_list_published(*, rfp: Rfp, supplier, now) -> QuerySet[Addendum]:
    """The round's published addenda, each with `acknowledged_at` set when the supplier acknowledged it."""
    acknowledgement = AddendumAcknowledgement.objects.filter(addendum=OuterRef("pk"), supplier=supplier)
    return (
        Addendum.objects.filter(rfp=rfp, published_at__lte=now)
        .annotate(acknowledged_at=Subquery(acknowledgement.values("acknowledged_at")[:1]))
        .order_by("number")
    )


def addendum_published_for_rfp(*, rfp: Rfp, number: int, now) -> Addendum:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Addendum.objects.select_related("rfp"), rfp=rfp, number=number, published_at__lte=now)


def proposal_unacknowledged_addenda(*, proposal: Proposal, now=None) -> list[Addendum]:
    """Published addenda of the proposal's round that its supplier has not acknowledged yet, by number."""
    from django.utils import timezone

    now = now or timezone.now()
    acknowledged = AddendumAcknowledgement.objects.filter(addendum=OuterRef("pk"), supplier_id=proposal.supplier_id)
    return list(
        Addendum.objects.filter(rfp_id=proposal.rfp_id, published_at__lte=now)
        .exclude(Exists(acknowledged))
        .order_by("number")
    )


def clarification_list_published(*, rfp: Rfp) -> QuerySet[Clarification]:
    """Answered and published questions; only the question and answer, never who asked."""
    return (
        Clarification.objects.filter(rfp=rfp, is_published=True)
        .exclude(answer="")
        .only("id", "rfp_id", "question", "answer", "answered_at", "asked_at")
        .order_by("answered_at", "asked_at")
    )


def clarification_list_awaiting_for_supplier(*, rfp: Rfp, supplier) -> QuerySet[Clarification]:
    """The supplier's own questions that have no published answer yet; no one else sees them."""
    published = Q(is_published=True) & ~Q(answer="")
    return (
        Clarification.objects.filter(rfp=rfp, supplier=supplier)
        .exclude(published)
        .only("id", "rfp_id", "supplier_id", "question", "asked_at")
        .order_by("asked_at")
    )


def proposal_map_for_supplier(*, supplier, rfps) -> dict[tuple[int, int], Proposal]:
    """The supplier's proposals in these rounds, keyed by (rfp id, sector id): one per sector and round."""
    proposals = Proposal.objects.filter(supplier=supplier, rfp__in=list(rfps)).only(
        "id", "rfp_id", "sector_id", "reference", "status", "title"
    )
    return {(proposal.rfp_id, proposal.sector_id): proposal for proposal in proposals}


def proposal_attachment_list(*, proposal: Proposal) -> QuerySet[Attachment]:
    return Attachment.objects.filter(proposal=proposal).order_by("uploaded_at", "id")


def proposal_version_list(*, proposal: Proposal) -> QuerySet[ProposalVersion]:
    return (
        ProposalVersion.objects.filter(proposal=proposal)
        .select_related("submitted_by")
        .defer("snapshot")
        .order_by("-number")
    )


def proposal_version_for_supplier(*, proposal: Proposal, number: int) -> ProposalVersion:
    """A version of one of the supplier's own proposals (the proposal already checked by proposal_for_supplier)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        ProposalVersion.objects.select_related("proposal__rfp", "submitted_by"), proposal=proposal, number=number
    )


def proposal_information_requests(*, proposal: Proposal) -> QuerySet[InformationRequest]:
    """The reviewers' questions to the supplier, oldest first, without who asked."""
    return InformationRequest.objects.filter(proposal=proposal).order_by("requested_at")


def proposal_open_information_request(*, proposal: Proposal) -> InformationRequest | None:
    return (
        InformationRequest.objects.filter(proposal=proposal, responded_at__isnull=True)
        .order_by("-requested_at")
        .first()
    )


@dataclass(frozen=True)
class ReceiptAttachment:
    name: str
    kind: str
    size_bytes: int
    sha256: str


@dataclass(frozen=True)
class ProposalReceipt:
    """What the supplier gets for a submitted version; built from the immutable snapshot, never from live data."""

    reference: str
    title: str
    supplier_name: str
    rfp_reference: str
    version: int
    sha256: str
    submitted_at: datetime
    submitted_at_local: datetime
    submitted_at_utc_text: str
    submitted_at_local_text: str
    time_zone: str
    submitted_by: str
    attachments: list[ReceiptAttachment] = field(default_factory=list)


def proposal_receipt(*, version: ProposalVersion) -> ProposalReceipt:
    from rfp.enums import AttachmentKind

    snapshot = version.snapshot
    # The display time zone is the round's setting, not proposal content, so it is read from the round.
    zone = zoneinfo.ZoneInfo(version.proposal.rfp.display_time_zone)
    utc = version.submitted_at.astimezone(UTC)
    local = version.submitted_at.astimezone(zone)
    kinds = dict(AttachmentKind.choices)
    return ProposalReceipt(
        reference=snapshot.get("reference", ""),
        title=snapshot.get("title", ""),
        supplier_name=(snapshot.get("supplier") or {}).get("legal_name", ""),
        rfp_reference=snapshot.get("rfp", ""),
        version=version.number,
        sha256=version.sha256,
        submitted_at=utc,
        submitted_at_local=local,
        submitted_at_utc_text=f"{utc:%Y-%m-%d %H:%M:%S} UTC",
        submitted_at_local_text=f"{local:%B %-d, %Y, %-I:%M:%S %p} {local.tzname()} ({zone.key})",
        time_zone=zone.key,
        submitted_by=version.submitted_by.email if version.submitted_by else "",
        attachments=[
            ReceiptAttachment(
                name=item.get("name", ""),
                kind=str(kinds.get(item.get("kind"), item.get("kind", ""))),
                size_bytes=int(item.get("size_bytes") or 0),
                sha256=item.get("sha256", ""),
            )
            for item in snapshot.get("attachments", [])
        ],
    )


def proposal_receipt_recipients(*, version: ProposalVersion) -> tuple[list[str], list[str]]:
    """(to, cc) of a version's receipt: the person who submitted it, copied to the company's owners."""
    from suppliers.enums import MemberRole
    from suppliers.models import SupplierMember

    to = [version.submitted_by.email] if version.submitted_by and version.submitted_by.email else []
    owners = (
        SupplierMember.objects.filter(
            supplier_id=version.proposal.supplier_id, role=MemberRole.OWNER, user__is_active=True
        )
        .order_by("user__email")
        .values_list("user__email", flat=True)
    )
    cc = [email for email in owners if email and email not in to]
    return to, cc


def attachment_for_supplier(*, supplier, proposal_reference: str, attachment_id: int) -> Attachment:
    """One file of one of the supplier's own proposals; anything else is a 404."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        Attachment.objects.select_related("proposal"),
        pk=attachment_id,
        proposal__reference=proposal_reference,
        proposal__supplier=supplier,
    )


def attachment_for_download(*, user, proposal_reference: str, attachment_id: int) -> Attachment:
    """A file the person may download: a member of the proposal's supplier (`rules.may_read_as_supplier`), or whoever
    may read the proposal for review (`rules.may_read_for_review`: a program lead, a reviewer who holds it and
    declared no conflict). Anyone else gets a 404, never a 403, so nobody learns that the file exists."""
    from django.shortcuts import get_object_or_404

    from rfp import rules
    from suppliers import rules as supplier_rules

    attachments = Attachment.objects.select_related("proposal").filter(
        pk=attachment_id, proposal__reference=proposal_reference
    )
    membership = supplier_rules.membership_of(user)
    own = Q(proposal__supplier_id=membership.supplier_id) if membership else Q(pk__in=[])
    return get_object_or_404(attachments.filter(own | rules.proposals_readable_for_review_q(user, prefix="proposal__")))


def proposal_decision(*, proposal: Proposal):
    """The program lead's decision on the proposal, or None while there is none."""
    from rfp.models import Decision

    return (
        Decision.objects.filter(proposal=proposal)
        .only("id", "proposal_id", "outcome", "rationale", "internal_note", "decided_at")
        .first()
    )


def proposal_open_review_count(*, proposal: Proposal) -> int:
    """Reviews still open on the proposal: assignments neither completed nor released."""
    return ReviewAssignment.objects.filter(proposal=proposal, status=AssignmentStatus.ASSIGNED).count()


def proposal_check_list(*, proposal: Proposal, version: int | None = None) -> QuerySet[ProposalCheck]:
    """The automated checks of one submitted version (the latest by default), in the order they were run."""
    number = proposal.version if version is None else version
    return ProposalCheck.objects.filter(proposal=proposal, version=number).order_by("id")


def _field_rows(instance, names) -> list[tuple[str, object]]:
    from django.utils.text import capfirst

    rows = []
    for name in names:
        field = instance._meta.get_field(name)
        display = getattr(instance, f"get_{name}_display", None)
        raw = getattr(instance, name)
        if field.choices:
            value = display()
        elif isinstance(raw, list):
            # Names may hold commas ("Timken Bearings, Canton OH"): one per line, as the supplier entered them.
            value = ("\n" if name in LISTS_ONE_PER_LINE else ", ").join(str(item) for item in raw)
        elif isinstance(raw, int | Decimal) and not isinstance(raw, bool):
            value = answer_figure(name, raw)
        else:
            value = raw
        label = answer_label(name, capfirst(str(field.verbose_name)))
        rows.append((label, "—" if value in (None, "") else value))
    return rows


def _facility_names(proposal: Proposal, *, blind: bool) -> str:
    facilities = proposal.facilities.all()
    if blind:
        return "; ".join(f"A facility in {f.state}" for f in facilities) or "—"
    return "; ".join(f"{f.name}, {f.city} {f.state}" for f in facilities) or "—"


def proposal_answer_summary(
    *, proposal: Proposal, with_commercial_terms: bool = True, blind: bool = False
) -> list[tuple[str, list[tuple[str, object]]]]:
    """The supplier's answers as sections of (label, value) rows, for a last look before submitting and for review.

    Reviewers get it without the sealed commercial terms (opened apart, audited) and, in a blind round, with the
    facilities named only by their state and whatever names the supplier masked in the supplier's own text.
    """
    from rfp.models import CommercialTerms

    sections = [
        (
            "Overview",
            [
                *_field_rows(proposal, ["title", "technical_narrative"]),
                ("Categories", ", ".join(c.name for c in proposal.categories.all()) or "—"),
            ],
        ),
    ]
    details = proposal_sector_details(proposal=proposal)
    if details is not None:
        names = [f.name for f in details._meta.concrete_fields if f.name not in ("id", "proposal")]
        sections.append((f"{proposal.sector.name} questions", _field_rows(details, names)))
    sections.append(
        (
            "Capacity & facilities",
            [
                ("Facilities", _facility_names(proposal, blind=blind)),
                *_field_rows(proposal, PROPOSAL_CAPACITY_FIELDS),
            ],
        )
    )
    terms = CommercialTerms.objects.filter(proposal=proposal).first() if with_commercial_terms else None
    asks = _field_rows(proposal, ["asks_offtake_units", "asks_co_investment_usd", "asks_prepayment_pct", "asks_notes"])
    if terms is not None:
        asks += _field_rows(terms, [f.name for f in terms._meta.concrete_fields if f.name not in ("id", "proposal")])
    sections.append(("Asks & commercial terms", asks))
    if blind:
        from rfp.selectors.identity import identity_redacted, supplier_identity_terms

        terms = supplier_identity_terms(proposal.supplier, facilities=proposal.facilities.all())
        masked = lambda value: identity_redacted(value, terms) if isinstance(value, str) else value  # noqa: E731
        sections = [(title, [(label, masked(value)) for label, value in rows]) for title, rows in sections]
    return sections

"""Reads of RFPs and proposals: every queryset a face shows is built here, scoped to who asks."""

import statistics
import zoneinfo
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.db.models import Avg, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from rfp.enums import AssignmentStatus, ProposalStatus
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
    """A file the person may download: a member of the proposal's supplier, a reviewer holding an open assignment
    on the proposal (not released, no declared conflict), or a program lead. Anyone else gets a 404, never a 403,
    so nobody learns that the file exists."""
    from django.http import Http404
    from django.shortcuts import get_object_or_404

    from rfp.enums import AssignmentStatus, ConflictDeclaration
    from rfp.models import ReviewAssignment
    from suppliers.models import SupplierMember

    if not user.is_authenticated:
        raise Http404("No such file.")
    attachments = Attachment.objects.select_related("proposal").filter(
        pk=attachment_id, proposal__reference=proposal_reference
    )
    if not user.is_program_lead:
        member = SupplierMember.objects.filter(supplier=OuterRef("proposal__supplier"), user=user)
        reviewer = (
            ReviewAssignment.objects.filter(proposal=OuterRef("proposal"), reviewer=user)
            .exclude(status=AssignmentStatus.RELEASED)
            .exclude(conflict_declaration=ConflictDeclaration.CONFLICT)
        )
        attachments = attachments.filter(Exists(member) | Exists(reviewer))
    return get_object_or_404(attachments)


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
    facilities named only by their state.
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
    return sections


# --- Assignment: which reviewers may take a proposal, which proposals wait for reviewers ------------------------

# A proposal in one of these statuses holds reviewers; with fewer than its round asks for, it waits for more.
ASSIGNABLE_STATUSES = (ProposalStatus.SUBMITTED, ProposalStatus.IN_REVIEW, ProposalStatus.INFO_REQUESTED)


def _held_assignment_count(proposal_ref) -> Coalesce:
    """Assignments a proposal holds: open or completed ones; a released assignment no longer counts."""
    held = (
        ReviewAssignment.objects.filter(proposal=proposal_ref)
        .exclude(status=AssignmentStatus.RELEASED)
        .values("proposal")
        .annotate(count=Count("id"))
        .values("count")
    )
    return Coalesce(Subquery(held), 0)


def proposal_held_assignment_count(*, proposal: Proposal) -> int:
    return ReviewAssignment.objects.filter(proposal=proposal).exclude(status=AssignmentStatus.RELEASED).count()


def proposal_list_unassigned(*, now) -> QuerySet[Proposal]:
    """The unassigned lane: proposals under review that hold fewer reviewers than their round asks for, the longest
    waiting first; each carries `assigned_count`, `required_count` and `missing_count`."""
    return (
        Proposal.objects.filter(status__in=ASSIGNABLE_STATUSES, submitted_at__lte=now)
        .annotate(
            assigned_count=_held_assignment_count(OuterRef("pk")), required_count=F("rfp__reviewers_per_proposal")
        )
        .filter(assigned_count__lt=F("required_count"))
        .annotate(missing_count=F("required_count") - F("assigned_count"))
        .select_related("rfp", "sector", "supplier")
        .order_by("submitted_at", "id")
    )


def website_domain(website: str) -> str:
    """The host of a website address, lower case and without "www.": "https://www.Acme.com/x" gives "acme.com"."""
    text = website.strip()
    if not text:
        return ""
    host = urlsplit(text if "://" in text else f"//{text}").hostname or ""
    return host.rstrip(".").removeprefix("www.")


def supplier_conflict_domains(*, supplier) -> set[str]:
    """Email domains that put a reviewer in conflict with the supplier: its members' and its website's."""
    members = get_user_model().objects.filter(supplier_memberships__supplier=supplier).only("id", "email")
    domains = {member.email_domain for member in members if "@" in member.email}
    if supplier.website:
        domains.add(website_domain(supplier.website))
    return domains - {""}


def reviewer_list_candidates(*, proposal: Proposal) -> QuerySet:
    """Reviewers who may take the proposal now, the least loaded first.

    Active reviewers of the proposal's sector, below their limit of open assignments, never one who declared a
    conflict with the supplier or shares an email domain with it (see `supplier_conflict_domains`), nor one who
    already had an assignment on the proposal, whatever became of it. Ordered by open assignments, then by the
    longest since their last assignment (never assigned first), then by id; each row carries
    `open_assignments`, `last_assigned_at` and `max_open_assignments`.
    """
    user_model = get_user_model()
    open_assignments = (
        ReviewAssignment.objects.filter(reviewer=OuterRef("pk"), status=AssignmentStatus.ASSIGNED)
        .values("reviewer")
        .annotate(count=Count("id"))
        .values("count")
    )
    last_assigned = (
        ReviewAssignment.objects.filter(reviewer=OuterRef("pk")).order_by("-assigned_at").values("assigned_at")[:1]
    )
    same_domain = Q()
    for domain in sorted(supplier_conflict_domains(supplier=proposal.supplier)):
        same_domain |= Q(email__iendswith=f"@{domain}")
    candidates = user_model.objects.filter(
        is_active=True,
        buyer_role=user_model.BuyerRole.REVIEWER,
        reviewer_profile__is_active=True,
        reviewer_profile__sectors=proposal.sector_id,
    )
    if same_domain:
        candidates = candidates.exclude(same_domain)
    return (
        candidates.exclude(declared_conflicts__supplier=proposal.supplier_id)
        .exclude(review_assignments__proposal=proposal)
        .annotate(
            open_assignments=Coalesce(Subquery(open_assignments), 0),
            last_assigned_at=Subquery(last_assigned),
            max_open_assignments=F("reviewer_profile__max_open_assignments"),
        )
        .filter(open_assignments__lt=F("max_open_assignments"))
        .order_by("open_assignments", F("last_assigned_at").asc(nulls_first=True), "id")
    )


@dataclass(frozen=True)
class ReviewerPool:
    """Why a proposal has too few reviewers: its sector's active reviewers, each counted once, in this order."""

    in_sector: int
    already_on_proposal: int
    conflicted: int
    at_limit: int
    free: int


def proposal_reviewer_pool(*, proposal: Proposal) -> ReviewerPool:
    from rfp.models import ReviewerConflict

    user_model = get_user_model()
    open_assignments = (
        ReviewAssignment.objects.filter(reviewer=OuterRef("pk"), status=AssignmentStatus.ASSIGNED)
        .values("reviewer")
        .annotate(count=Count("id"))
        .values("count")
    )
    reviewers = list(
        user_model.objects.filter(
            is_active=True,
            buyer_role=user_model.BuyerRole.REVIEWER,
            reviewer_profile__is_active=True,
            reviewer_profile__sectors=proposal.sector_id,
        )
        .annotate(
            open_assignments=Coalesce(Subquery(open_assignments), 0),
            max_open_assignments=F("reviewer_profile__max_open_assignments"),
        )
        .only("id", "email")
    )
    domains = supplier_conflict_domains(supplier=proposal.supplier)
    declared = set(
        ReviewerConflict.objects.filter(supplier_id=proposal.supplier_id).values_list("reviewer_id", flat=True)
    )
    on_proposal = set(ReviewAssignment.objects.filter(proposal=proposal).values_list("reviewer_id", flat=True))
    already = conflicted = at_limit = free = 0
    for reviewer in reviewers:
        if reviewer.pk in on_proposal:
            already += 1
        elif reviewer.pk in declared or reviewer.email_domain in domains:
            conflicted += 1
        elif reviewer.open_assignments >= reviewer.max_open_assignments:
            at_limit += 1
        else:
            free += 1
    return ReviewerPool(
        in_sector=len(reviewers), already_on_proposal=already, conflicted=conflicted, at_limit=at_limit, free=free
    )


def program_lead_recipients() -> list[str]:
    """Who hears about the review pipeline: active program leads, then settings.PROGRAM_LEAD_EMAILS, each once."""
    from django.conf import settings

    user_model = get_user_model()
    leads = (
        user_model.objects.filter(is_active=True, buyer_role=user_model.BuyerRole.PROGRAM_LEAD)
        .order_by("email")
        .values_list("email", flat=True)
    )
    recipients: dict[str, str] = {}
    for email in [*leads, *settings.PROGRAM_LEAD_EMAILS]:
        address = email.strip()
        if address:
            recipients.setdefault(address.lower(), address)
    return list(recipients.values())


# --- Scores, ranking and sealed commercial terms (rolling review) ----------------------------------------------


def rubric_for_proposal(*, proposal: Proposal):
    """The rubric a proposal is scored on: its round's own rubric for the sector, else the sector's default."""
    from rfp.models import Rubric

    return (
        Rubric.objects.filter(sector_id=proposal.sector_id)
        .filter(Q(rfp_id=proposal.rfp_id) | Q(rfp__isnull=True))
        .order_by(F("rfp_id").asc(nulls_last=True))
        .prefetch_related("criteria")
        .first()
    )


@dataclass(frozen=True)
class ScoreSummary:
    """The submitted reviews' weighted scores (0-100) of one proposal; the figures are None until one is submitted."""

    count: int
    mean: Decimal | None
    median: Decimal | None
    spread: Decimal | None
    disagreement: bool


def _submitted_scores(**filters) -> QuerySet:
    """(proposal id, weighted score) of submitted reviews: a completed assignment and a score."""
    from rfp.models import Review

    return Review.objects.filter(
        assignment__status=AssignmentStatus.COMPLETED, weighted_score__isnull=False, **filters
    ).values_list("assignment__proposal_id", "weighted_score")


def proposal_score_summary(*, proposal: Proposal) -> ScoreSummary:
    return score_summary_of(scores=[score for _, score in _submitted_scores(assignment__proposal=proposal)])


def proposal_score_summaries(*, proposals: QuerySet[Proposal]) -> dict[int, ScoreSummary]:
    """`proposal_score_summary` of many proposals in one query (exports), keyed by proposal id; a proposal
    without a submitted review is absent."""
    scores: dict[int, list[Decimal]] = {}
    for proposal_id, score in _submitted_scores(assignment__proposal__in=proposals.values("pk")):
        scores.setdefault(proposal_id, []).append(score)
    return {proposal_id: score_summary_of(scores=values) for proposal_id, values in scores.items()}


def score_summary_of(*, scores: list[Decimal]) -> ScoreSummary:
    from django.conf import settings

    scores = sorted(scores)
    if not scores:
        return ScoreSummary(count=0, mean=None, median=None, spread=None, disagreement=False)
    cent = Decimal("0.01")
    mean = (sum(scores) / len(scores)).quantize(cent, rounding=ROUND_HALF_UP)
    median = Decimal(statistics.median(scores)).quantize(cent, rounding=ROUND_HALF_UP)
    spread = scores[-1] - scores[0]
    threshold = Decimal(str(settings.REVIEW_DISAGREEMENT_THRESHOLD))
    return ScoreSummary(count=len(scores), mean=mean, median=median, spread=spread, disagreement=spread > threshold)


RANKED_STATUSES = (
    ProposalStatus.IN_REVIEW,
    ProposalStatus.INFO_REQUESTED,
    ProposalStatus.SHORTLISTED,
    ProposalStatus.DECLINED,
)


def proposal_ranking_for_sector(*, rfp: Rfp, sector) -> QuerySet[Proposal]:
    """A round's proposals of one sector in review or decided, best mean of submitted reviews first.

    Each carries `score_mean` (None without a submitted review, ranked last) and `review_count`; ties go to the
    proposal submitted first.
    """
    submitted = Q(assignments__status=AssignmentStatus.COMPLETED, assignments__review__weighted_score__isnull=False)
    return (
        Proposal.objects.filter(rfp=rfp, sector=sector, status__in=RANKED_STATUSES)
        .select_related("supplier", "sector")
        .annotate(
            score_mean=Avg("assignments__review__weighted_score", filter=submitted),
            review_count=Count("assignments__review", filter=submitted),
        )
        .order_by(F("score_mean").desc(nulls_last=True), F("submitted_at").asc(nulls_last=True), "pk")
    )


def commercial_terms_open_to_role(*, buyer_role: str, rfp: Rfp, now) -> bool:
    """The rule of the sealed prices by role: program leads always; reviewers once the round has closed."""
    user_model = get_user_model()
    if buyer_role == user_model.BuyerRole.PROGRAM_LEAD:
        return True
    return buyer_role == user_model.BuyerRole.REVIEWER and now >= rfp.closes_at


def commercial_terms_visible_to(*, user, proposal: Proposal, now):
    """The sealed prices: program leads always; a reviewer holding the proposal only once the round has closed."""
    from rfp.models import CommercialTerms

    if user is None or not user.is_authenticated:
        return None
    if not commercial_terms_open_to_role(buyer_role=user.buyer_role, rfp=proposal.rfp, now=now):
        return None
    if not user.is_program_lead:
        holds = ReviewAssignment.objects.filter(proposal=proposal, reviewer=user).exclude(
            status=AssignmentStatus.RELEASED
        )
        if not holds.exists():
            return None
    if Proposal.commercial_terms.is_cached(proposal):  # loaded by select_related: no query per row of an export
        return getattr(proposal, "commercial_terms", None)
    return CommercialTerms.objects.filter(proposal=proposal).first()


def proposal_decision_recipients(*, proposal: Proposal) -> list[str]:
    """Who hears of a decision: the supplier's active owners and editors, each once."""
    from suppliers.enums import MemberRole
    from suppliers.models import SupplierMember

    emails = (
        SupplierMember.objects.filter(
            supplier_id=proposal.supplier_id,
            role__in=(MemberRole.OWNER, MemberRole.EDITOR),
            user__is_active=True,
        )
        .order_by("user__email")
        .values_list("user__email", flat=True)
    )
    return list(dict.fromkeys(email for email in emails if email))


# --- The review workspace: queues, one proposal as a reviewer or program lead sees it, SLA --------------------------


@dataclass(frozen=True)
class ProposalQueueFilters:
    """What a program lead narrows the queue by; every field is optional."""

    rfp_id: int | None = None
    sector: str = ""  # Sector.code
    category: str = ""  # Category.code
    state: str = ""  # US state of a facility the proposal names, or of the supplier's headquarters
    status: str = ""
    checks: str = ""  # "fail": any failed check; "warning": warnings but no failure; "pass": all passed
    score_min: Decimal | None = None
    score_max: Decimal | None = None
    overdue: bool = False
    search: str = ""  # supplier name, reference, title or narrative


QUEUE_CHECK_FILTERS = ("fail", "warning", "pass")
# What the queue's faces (the review page and the API) show of each proposal besides the figures, for `.only()`:
# a page of the queue then reads a few columns of four tables instead of every answer of every row.
QUEUE_ROW_FIELDS = (
    "reference",
    "title",
    "status",
    "submitted_at",
    "status_changed_at",
    "rfp__reference",
    "rfp__display_time_zone",
    "sector__code",
    "sector__name",
    "supplier__legal_name",
)


def _count_of(queryset, *, group_by: str) -> Coalesce:
    counted = queryset.order_by().values(group_by).annotate(count=Count("pk")).values("count")
    return Coalesce(Subquery(counted), 0)


def _open_assignments_of(proposal_ref) -> QuerySet[ReviewAssignment]:
    return ReviewAssignment.objects.filter(proposal=proposal_ref, status=AssignmentStatus.ASSIGNED)


def _submitted_reviews_of(proposal_ref) -> QuerySet:
    from rfp.models import Review

    return Review.objects.filter(
        assignment__proposal=proposal_ref, assignment__status=AssignmentStatus.COMPLETED, weighted_score__isnull=False
    ).order_by()


def _with_queue_figures(proposals: QuerySet[Proposal], *, now) -> QuerySet[Proposal]:
    """Annotate what the queue shows of each proposal, in subqueries so the query count does not grow with rows:
    `checks_failed`, `checks_warned`, `checks_total` (latest version), `score_mean` and `review_count` (submitted
    reviews), `open_review_count`, `overdue_review_count` and `next_due_at` (open assignments)."""
    from django.db.models import Min

    from rfp.enums import CheckOutcome

    current_checks = ProposalCheck.objects.filter(proposal=OuterRef("pk"), version=OuterRef("version"))
    open_assignments = _open_assignments_of(OuterRef("pk"))
    submitted_reviews = _submitted_reviews_of(OuterRef("pk"))
    return proposals.annotate(
        checks_failed=_count_of(current_checks.filter(outcome=CheckOutcome.FAIL), group_by="proposal"),
        checks_warned=_count_of(current_checks.filter(outcome=CheckOutcome.WARNING), group_by="proposal"),
        checks_total=_count_of(current_checks, group_by="proposal"),
        score_mean=Subquery(
            submitted_reviews.values("assignment__proposal").annotate(mean=Avg("weighted_score")).values("mean")
        ),
        review_count=_count_of(submitted_reviews, group_by="assignment__proposal"),
        open_review_count=_count_of(open_assignments, group_by="proposal"),
        overdue_review_count=_count_of(open_assignments.filter(due_at__lt=now), group_by="proposal"),
        next_due_at=Subquery(open_assignments.order_by().values("proposal").annotate(due=Min("due_at")).values("due")),
    )


def proposal_queue_for_lead(*, filters: ProposalQueueFilters, now) -> QuerySet[Proposal]:
    """Every submitted proposal (drafts are the supplier's own business), oldest submission first, with the
    figures of `_with_queue_figures`, narrowed by `filters`."""
    from rfp.enums import CheckOutcome
    from suppliers.models import Facility

    proposals = Proposal.objects.exclude(status=ProposalStatus.DRAFT).filter(submitted_at__isnull=False)
    if filters.rfp_id:
        proposals = proposals.filter(rfp_id=filters.rfp_id)
    if filters.sector:
        proposals = proposals.filter(sector__code=filters.sector)
    if filters.category:
        proposals = proposals.filter(
            Exists(Proposal.categories.through.objects.filter(proposal=OuterRef("pk"), category__code=filters.category))
        )
    if filters.state:
        named_facility = Proposal.facilities.through.objects.filter(
            proposal=OuterRef("pk"), facility__in=Facility.objects.filter(state=filters.state)
        )
        proposals = proposals.filter(Exists(named_facility) | Q(supplier__hq_state=filters.state))
    if filters.status:
        proposals = proposals.filter(status=filters.status)
    if filters.search:
        term = filters.search.strip()
        proposals = proposals.filter(
            Q(reference__icontains=term)
            | Q(supplier__legal_name__icontains=term)
            | Q(supplier__dba__icontains=term)
            | Q(title__icontains=term)
            | Q(technical_narrative__icontains=term)
        )
    # Filters on the figures test for a matching row (EXISTS) rather than compare the figures' counts: the planner
    # estimates an EXISTS well and stops at the first row, where a compared count subquery is guessed at 1 row.
    current_checks = ProposalCheck.objects.filter(proposal=OuterRef("pk"), version=OuterRef("version"))
    failed = Exists(current_checks.filter(outcome=CheckOutcome.FAIL))
    if filters.checks == "fail":
        proposals = proposals.filter(failed)
    elif filters.checks == "warning":
        proposals = proposals.filter(~failed, Exists(current_checks.filter(outcome=CheckOutcome.WARNING)))
    elif filters.checks == "pass":
        not_passed = current_checks.filter(outcome__in=(CheckOutcome.FAIL, CheckOutcome.WARNING))
        proposals = proposals.filter(Exists(current_checks), ~Exists(not_passed))
    if filters.score_min is not None or filters.score_max is not None:
        proposals = proposals.filter(Exists(_submitted_reviews_of(OuterRef("pk"))))  # no review, no mean score
    if filters.overdue:
        proposals = proposals.filter(Exists(_open_assignments_of(OuterRef("pk")).filter(due_at__lt=now)))
    proposals = _with_queue_figures(proposals, now=now)
    if filters.score_min is not None:
        proposals = proposals.filter(score_mean__gte=filters.score_min)
    if filters.score_max is not None:
        proposals = proposals.filter(score_mean__lte=filters.score_max)
    return proposals.select_related("rfp", "sector", "supplier").order_by("submitted_at", "pk")


def review_queue_for_reviewer(*, reviewer, now, include_finished: bool = False) -> QuerySet[ReviewAssignment]:
    """A reviewer's assignments, the longest-waiting proposal first; released ones are gone. Each carries the
    proposal's check counts (`checks_failed`, `checks_warned`, `checks_total`) and `is_overdue`."""
    from django.db.models import BooleanField, ExpressionWrapper

    from rfp.enums import CheckOutcome

    assignments = ReviewAssignment.objects.filter(reviewer=reviewer)
    if include_finished:
        assignments = assignments.exclude(status=AssignmentStatus.RELEASED)
    else:
        assignments = assignments.filter(status=AssignmentStatus.ASSIGNED)
    current_checks = ProposalCheck.objects.filter(
        proposal=OuterRef("proposal_id"), version=OuterRef("proposal__version")
    )
    return (
        assignments.select_related("proposal__rfp", "proposal__sector", "proposal__supplier", "review")
        .annotate(
            checks_failed=_count_of(current_checks.filter(outcome=CheckOutcome.FAIL), group_by="proposal"),
            checks_warned=_count_of(current_checks.filter(outcome=CheckOutcome.WARNING), group_by="proposal"),
            checks_total=_count_of(current_checks, group_by="proposal"),
            is_overdue=ExpressionWrapper(
                Q(status=AssignmentStatus.ASSIGNED, due_at__lt=now), output_field=BooleanField()
            ),
        )
        .order_by("proposal__submitted_at", "assigned_at", "pk")
    )


def proposal_for_review(*, user, reference: str) -> Proposal:
    """A proposal as the review workspace may show it: any submitted one to a program lead; to a reviewer only
    while they hold an assignment on it that was not released. Anyone else gets a 404."""
    from django.http import Http404
    from django.shortcuts import get_object_or_404

    if not user.is_authenticated or not (user.is_program_lead or user.is_reviewer):
        raise Http404("No such proposal.")
    proposals = Proposal.objects.select_related("rfp", "sector", "supplier").exclude(status=ProposalStatus.DRAFT)
    if not user.is_program_lead:
        held = ReviewAssignment.objects.filter(proposal=OuterRef("pk"), reviewer=user).exclude(
            status=AssignmentStatus.RELEASED
        )
        proposals = proposals.filter(Exists(held))
    return get_object_or_404(proposals, reference=reference)


def assignment_for_reviewer(*, reviewer, proposal: Proposal) -> ReviewAssignment | None:
    """The reviewer's assignment on the proposal that was not released (open or completed), with its review."""
    return (
        ReviewAssignment.objects.filter(proposal=proposal, reviewer=reviewer)
        .exclude(status=AssignmentStatus.RELEASED)
        .select_related("review", "reviewer")
        .first()
    )


def proposal_assignment_list(*, proposal: Proposal) -> QuerySet[ReviewAssignment]:
    """Every assignment of a proposal, released ones included, with its review and scores (program leads)."""
    from rfp.models import Score

    return (
        ReviewAssignment.objects.filter(proposal=proposal)
        .select_related("reviewer", "review")
        .prefetch_related(Prefetch("review__scores", queryset=Score.objects.select_related("criterion")))
        .order_by("assigned_at", "pk")
    )


def supplier_hidden_from(*, user, proposal: Proposal) -> bool:
    """Blind review: a reviewer of a blind round does not see who the supplier is; program leads always do."""
    return bool(proposal.rfp.blind_review) and not user.is_program_lead


@dataclass(frozen=True)
class StatusPeriod:
    status: str
    label: str
    started_at: datetime
    ended_at: datetime | None
    days: float


def proposal_status_history(*, proposal: Proposal, now) -> list[StatusPeriod]:
    """How long the proposal spent in each status since its first submit, read from its audited transitions."""
    from audit.models import AuditEvent

    events = AuditEvent.objects.filter(
        object_type=proposal._meta.label_lower, object_id=str(proposal.pk), action__startswith="proposal."
    ).order_by("occurred_at", "pk")
    # Only status moves ("from" and "to" statuses); other proposal events carry "to" as email recipients.
    changes = [
        (event.occurred_at, event.data["to"])
        for event in events
        if isinstance(event.data, dict) and "from" in event.data and event.data.get("to") in ProposalStatus.values
    ]
    periods = []
    for index, (started_at, status) in enumerate(changes):
        if status == ProposalStatus.DRAFT:
            continue
        ended_at = changes[index + 1][0] if index + 1 < len(changes) else None
        seconds = ((ended_at or now) - started_at).total_seconds()
        label = ProposalStatus(status).label
        periods.append(StatusPeriod(status, label, started_at, ended_at, round(seconds / 86400, 1)))
    return periods


def review_assignments_open() -> QuerySet[ReviewAssignment]:
    """Every open assignment, the earliest due first (program leads' SLA view)."""
    return (
        ReviewAssignment.objects.filter(status=AssignmentStatus.ASSIGNED)
        .select_related("reviewer", "proposal__rfp", "proposal__sector", "proposal__supplier")
        .order_by("due_at", "pk")
    )


def days_since(moment: datetime | None, now: datetime) -> float | None:
    """Whole days and tenths, as the queues and service levels show ages."""
    return None if moment is None else round((now - moment).total_seconds() / 86400, 1)


@dataclass(frozen=True)
class ServiceLevels:
    """Each open review carries `days_open` and `days_overdue` (None when not overdue); each proposal under review
    `days_waiting` (since submit) and `days_in_status`."""

    open_reviews: list[ReviewAssignment]
    waiting: list[Proposal]

    @property
    def overdue_count(self) -> int:
        return sum(1 for assignment in self.open_reviews if assignment.days_overdue is not None)


def review_service_levels(*, now: datetime) -> ServiceLevels:
    """Rolling-review service levels for program leads: open reviews, the earliest due first, and the proposals
    under review, the longest waiting first."""
    open_reviews = list(review_assignments_open())
    for assignment in open_reviews:
        assignment.days_open = days_since(assignment.assigned_at, now)
        assignment.days_overdue = days_since(assignment.due_at, now) if assignment.due_at < now else None
    waiting = list(
        proposal_queue_for_lead(filters=ProposalQueueFilters(), now=now).filter(status__in=ASSIGNABLE_STATUSES)
    )
    for proposal in waiting:
        proposal.days_waiting = days_since(proposal.submitted_at, now)
        proposal.days_in_status = days_since(proposal.status_changed_at, now)
    return ServiceLevels(open_reviews=open_reviews, waiting=waiting)

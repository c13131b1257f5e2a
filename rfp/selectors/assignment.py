"""Reads for assignment: which reviewers may take a proposal, which proposals wait for reviewers."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from rfp.enums import AssignmentStatus, ProposalStatus
from rfp.models import (
    Proposal,
    ReviewAssignment,
)

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

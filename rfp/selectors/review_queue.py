"""Reads of the review workspace: the lead's queue with its filters, the reviewer's queue, one proposal as the
workspace shows it, assignments and status history."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db.models import Avg, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from rfp import rules
from rfp.enums import AssignmentStatus, ProposalStatus
from rfp.models import (
    Proposal,
    ProposalCheck,
    ReviewAssignment,
)


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


def proposal_queue_for(*, user, filters: ProposalQueueFilters, now) -> QuerySet[Proposal]:
    """The lead's queue as this person may see it (`rfp.rules.may_decide`): every submitted proposal to a program
    lead, nothing to anyone else."""
    queue = proposal_queue_for_lead(filters=filters, now=now)
    return queue if rules.is_program_lead(user) else queue.none()


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

    if not rules.is_reviewer(reviewer):
        return ReviewAssignment.objects.none()
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


def proposal_list_for_review(*, user) -> QuerySet[Proposal]:
    """The proposals the person reaches in the review workspace (`rules.may_enter_review`): every submitted one for
    a program lead, those a reviewer holds (not released) for a reviewer, none for anyone else."""
    return Proposal.objects.select_related("rfp", "sector", "supplier").filter(rules.proposals_for_review_q(user))


def proposal_for_review(*, user, reference: str) -> Proposal:
    """One proposal of `proposal_list_for_review`; anyone else gets a 404. What the person may then read of it is
    for `rules.may_read_for_review` (a reviewer who has not declared conflicts sees only the declaration)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(proposal_list_for_review(user=user), reference=reference)


def proposal_readable_for_review(*, user, proposal_id: int) -> Proposal:
    """A proposal whose content (answers, checks, attachments, PDF summary) the person may read for review
    (`rules.may_read_for_review`); a 404 for anyone else, a reviewer who has not declared conflicts included."""
    from django.shortcuts import get_object_or_404

    readable = Proposal.objects.select_related("rfp", "sector", "supplier").filter(
        rules.proposals_readable_for_review_q(user)
    )
    return get_object_or_404(readable, pk=proposal_id)


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

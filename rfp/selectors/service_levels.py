"""Reads of the service levels: open reviews by due date, days since submit and in the current status."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from rfp.enums import AssignmentStatus
from rfp.models import (
    Proposal,
    ReviewAssignment,
)
from rfp.selectors.assignment import ASSIGNABLE_STATUSES
from rfp.selectors.review_queue import ProposalQueueFilters, proposal_queue_for_lead


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

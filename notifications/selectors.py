"""The figures of the review reports, computed in the database: the program report of a round and a reviewer's digest.

Definitions (the report's footnotes say the same):
- A *submitted proposal* is one submitted at least once and neither withdrawn nor back in draft: submitted, in
  review, information requested, shortlisted or declined.
- *Submissions over time*: submitted versions by week (Monday to Sunday in the round's time zone); a proposal's
  first version is a new submission, later versions are resubmissions (answers to requests for information).
- *Capacity offered* of a proposal: its proposed US capacity (units per year), the site power it needs (MW) and its
  jobs (the sum of its workforce by trade). By *facility state*, each proposal's offer is shared equally among the
  US facilities it names, so the states of a sector add up to the sector's total; a proposal is counted once in
  each state where it names a facility. By *supplier state* (headquarters), each proposal counts once, wholly.
- *Scores*: the weighted scores (0-100) of submitted reviews. *Days to first review*: from a proposal's first
  submit to its first submitted review; the median is over the proposals reviewed so far. An *overdue* review is
  an open assignment past its due date.
"""

import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import (
    Aggregate,
    Avg,
    Count,
    DecimalField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, TruncWeek

from rfp.enums import AssignmentStatus, DecisionOutcome, ProposalStatus, Recommendation
from rfp.models import Decision, Proposal, ProposalVersion, Review, ReviewAssignment, Rfp, Sector
from rfp.rules import supplier_hidden_from_reviewers
from rfp.selectors import proposal_title_shown
from suppliers.enums import UsState
from suppliers.models import WORKFORCE_TRADES

SUBMITTED_STATUSES = (
    ProposalStatus.SUBMITTED,
    ProposalStatus.IN_REVIEW,
    ProposalStatus.INFO_REQUESTED,
    ProposalStatus.SHORTLISTED,
    ProposalStatus.DECLINED,
)
UNDECIDED_STATUSES = (ProposalStatus.SUBMITTED, ProposalStatus.IN_REVIEW, ProposalStatus.INFO_REQUESTED)
# A digest flags an open review due within this many hours.
DUE_SOON = timedelta(hours=48)

_NUMBER = DecimalField(max_digits=20, decimal_places=4)
_ZERO = Value(Decimal(0), output_field=_NUMBER)


class Median(Aggregate):
    """PostgreSQL's exact median (percentile_cont); works on numbers and intervals."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"


def _number(expression) -> Cast:
    return Cast(expression, output_field=_NUMBER)


def _jobs(prefix: str = ""):
    """A proposal's jobs: the sum of its workforce by trade."""
    total = F(f"{prefix}{WORKFORCE_TRADES[0]}")
    for trade in WORKFORCE_TRADES[1:]:
        total = total + F(f"{prefix}{trade}")
    return total


def _offer(prefix: str = "") -> dict:
    """Sums of what the proposals offer: units per year, MW of site power, jobs."""
    return {
        "units": Coalesce(Sum(_number(Coalesce(F(f"{prefix}annual_capacity_units"), 0))), _ZERO),
        "site_power_mw": Coalesce(Sum(_number(Coalesce(F(f"{prefix}site_power_mw"), _ZERO))), _ZERO),
        "jobs": Coalesce(Sum(_number(_jobs(prefix))), _ZERO),
    }


def proposals_submitted(*, rfp: Rfp) -> QuerySet[Proposal]:
    return Proposal.objects.filter(rfp=rfp, status__in=SUBMITTED_STATUSES, version__gte=1)


@dataclass(frozen=True)
class WeekRow:
    week_start: date
    new: int
    resubmitted: int


@dataclass(frozen=True)
class OfferRow:
    """Proposals and the capacity they offer, for one sector (and one state, unless it is a sector total)."""

    sector: str
    state: str
    state_name: str
    proposals: int
    units: Decimal
    site_power_mw: Decimal
    jobs: Decimal


@dataclass(frozen=True)
class ScoreRow:
    sector: str
    submitted: int
    reviewed: int
    reviews: int
    score_mean: Decimal | None
    score_min: Decimal | None
    score_max: Decimal | None
    recommendations: dict[str, int]
    shortlisted: int
    declined: int
    undecided: int


@dataclass(frozen=True)
class ReviewSla:
    reviewed: int
    median_days_to_first_review: Decimal | None
    within_due_days: int
    review_due_days: int
    waiting_for_first_review: int
    open_assignments: int
    overdue_assignments: int
    proposals_with_overdue_review: int


@dataclass(frozen=True)
class ProgramReportFigures:
    rfp: Rfp
    generated_at: datetime
    status_counts: list[tuple[str, int]]
    submitted: int
    weeks: list[WeekRow]
    by_sector: list[OfferRow]
    by_facility_state: list[OfferRow]
    by_supplier_state: list[OfferRow]
    scores: list[ScoreRow]
    sla: ReviewSla
    totals: OfferRow


def _sector_names() -> dict[int, str]:
    return dict(Sector.objects.order_by("position", "name").values_list("pk", "name"))


def _offer_row(row: dict, sectors: dict[int, str]) -> OfferRow:
    state = row.get("state", "")
    return OfferRow(
        sector=sectors.get(row.get("sector_pk"), "All sectors"),
        state=state,
        state_name=dict(UsState.choices).get(state, state),
        proposals=row["proposals"],
        units=Decimal(row["units"]).quantize(Decimal("0.01")),
        site_power_mw=Decimal(row["site_power_mw"]).quantize(Decimal("0.01")),
        jobs=Decimal(row["jobs"]).quantize(Decimal("0.01")),
    )


def submissions_by_week(*, rfp: Rfp) -> list[WeekRow]:
    rows = (
        ProposalVersion.objects.filter(proposal__rfp=rfp)
        .annotate(week=TruncWeek("submitted_at", tzinfo=rfp.tz))
        .values("week")
        .annotate(new=Count("pk", filter=Q(number=1)), resubmitted=Count("pk", filter=Q(number__gt=1)))
        .order_by("week")
    )
    return [WeekRow(week_start=row["week"].date(), new=row["new"], resubmitted=row["resubmitted"]) for row in rows]


def _offer_rows(rows) -> list[OfferRow]:
    """Rows of (sector id, state, figures) in the sectors' order, then by state."""
    sectors = _sector_names()
    order = {pk: index for index, pk in enumerate(sectors)}
    rows = sorted(rows, key=lambda row: (order.get(row["sector_pk"], len(order)), row.get("state", "")))
    return [_offer_row(row, sectors) for row in rows]


def offer_by_sector(*, rfp: Rfp) -> tuple[list[OfferRow], OfferRow]:
    """Each sector's submitted proposals and what they offer, and the round's total."""
    proposals = proposals_submitted(rfp=rfp)
    rows = proposals.values(sector_pk=F("sector_id")).annotate(proposals=Count("pk"), **_offer()).order_by()
    total = proposals.aggregate(proposals=Count("pk"), **_offer())
    return _offer_rows(rows), _offer_row(total, {})


def offer_by_facility_state(*, rfp: Rfp) -> list[OfferRow]:
    """By sector and facility state: proposals naming a facility there, and their offer shared among the facilities
    they name (see the module's definitions)."""
    named = Proposal.facilities.through.objects
    facility_count = Subquery(
        named.filter(proposal_id=OuterRef("proposal_id"))
        .order_by()
        .values("proposal_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    share = _number(facility_count)
    rows = (
        named.filter(proposal__in=proposals_submitted(rfp=rfp))
        .values(sector_pk=F("proposal__sector_id"), state=F("facility__state"))
        .annotate(
            proposals=Count("proposal_id", distinct=True),
            units=Coalesce(Sum(_number(Coalesce(F("proposal__annual_capacity_units"), 0)) / share), _ZERO),
            site_power_mw=Coalesce(Sum(_number(Coalesce(F("proposal__site_power_mw"), _ZERO)) / share), _ZERO),
            jobs=Coalesce(Sum(_number(_jobs("proposal__")) / share), _ZERO),
        )
        .order_by()
    )
    return _offer_rows(rows)


def offer_by_supplier_state(*, rfp: Rfp) -> list[OfferRow]:
    """By sector and the state of the supplier's headquarters: each proposal once, with its whole offer."""
    rows = (
        proposals_submitted(rfp=rfp)
        .values(sector_pk=F("sector_id"), state=F("supplier__hq_state"))
        .annotate(proposals=Count("pk"), **_offer())
        .order_by()
    )
    return _offer_rows(rows)


def scores_by_sector(*, rfp: Rfp) -> list[ScoreRow]:
    """Per sector: submitted proposals, submitted reviews and their weighted scores, recommendations, decisions."""
    sectors = _sector_names()
    submitted = dict(
        proposals_submitted(rfp=rfp).values("sector_id").annotate(count=Count("pk")).values_list("sector_id", "count")
    )
    undecided = dict(
        Proposal.objects.filter(rfp=rfp, status__in=UNDECIDED_STATUSES, version__gte=1)
        .values("sector_id")
        .annotate(count=Count("pk"))
        .values_list("sector_id", "count")
    )
    reviews = {
        row["sector_pk"]: row
        for row in Review.objects.filter(
            assignment__proposal__rfp=rfp,
            assignment__proposal__status__in=SUBMITTED_STATUSES,
            assignment__status=AssignmentStatus.COMPLETED,
            weighted_score__isnull=False,
        )
        .values(sector_pk=F("assignment__proposal__sector_id"))
        .annotate(
            reviews=Count("pk"),
            reviewed=Count("assignment__proposal_id", distinct=True),
            score_mean=Avg("weighted_score"),
            score_min=Min("weighted_score"),
            score_max=Max("weighted_score"),
            **{f"recommend_{choice}": Count("pk", filter=Q(recommendation=choice)) for choice in Recommendation.values},
        )
        .order_by()
    }
    decisions: dict[tuple[int, str], int] = {
        (row["sector_pk"], row["outcome"]): row["count"]
        for row in Decision.objects.filter(proposal__rfp=rfp)
        .values("outcome", sector_pk=F("proposal__sector_id"))
        .annotate(count=Count("pk"))
        .order_by()
    }
    rows = []
    cent = Decimal("0.01")
    for sector_id, name in sectors.items():
        review = reviews.get(sector_id, {})
        if not submitted.get(sector_id) and not review:
            continue
        mean = review.get("score_mean")
        rows.append(
            ScoreRow(
                sector=name,
                submitted=submitted.get(sector_id, 0),
                reviewed=review.get("reviewed", 0),
                reviews=review.get("reviews", 0),
                score_mean=Decimal(mean).quantize(cent) if mean is not None else None,
                score_min=review.get("score_min"),
                score_max=review.get("score_max"),
                recommendations={label: review.get(f"recommend_{value}", 0) for value, label in Recommendation.choices},
                shortlisted=decisions.get((sector_id, DecisionOutcome.SHORTLISTED), 0),
                declined=decisions.get((sector_id, DecisionOutcome.DECLINED), 0),
                undecided=undecided.get(sector_id, 0),
            )
        )
    return rows


def _days(duration: timedelta | None) -> Decimal | None:
    if duration is None:
        return None
    return (Decimal(duration.total_seconds()) / Decimal(86400)).quantize(Decimal("0.1"))


def review_sla(*, rfp: Rfp, now) -> ReviewSla:
    """Rolling review: how fast submitted proposals get their first review, and which reviews are overdue."""
    first_submit = ProposalVersion.objects.filter(proposal=OuterRef("pk"), number=1).values("submitted_at")[:1]
    first_review = (
        Review.objects.filter(assignment__proposal=OuterRef("pk"), assignment__status=AssignmentStatus.COMPLETED)
        .order_by("submitted_at")
        .values("submitted_at")[:1]
    )
    proposals = proposals_submitted(rfp=rfp).annotate(
        first_submit_at=Subquery(first_submit), first_review_at=Subquery(first_review)
    )
    reviewed = proposals.filter(first_review_at__isnull=False, first_submit_at__isnull=False).annotate(
        wait=ExpressionWrapper(F("first_review_at") - F("first_submit_at"), output_field=DurationField())
    )
    due = timedelta(days=rfp.review_due_days)
    if connection.vendor == "postgresql":
        figures = reviewed.aggregate(
            count=Count("pk"),
            median=Median("wait", output_field=DurationField()),
            within=Count("pk", filter=Q(wait__lte=due)),
        )
        count, median, within = figures["count"], figures["median"], figures["within"]
    else:  # SQLite (the embedded default) has no percentile function; the durations come from the database.
        waits = sorted(reviewed.values_list("wait", flat=True))
        count, within = len(waits), sum(1 for wait in waits if wait <= due)
        median = statistics.median(waits) if waits else None
    open_assignments = ReviewAssignment.objects.filter(
        proposal__rfp=rfp, proposal__status__in=UNDECIDED_STATUSES, status=AssignmentStatus.ASSIGNED
    )
    overdue = open_assignments.filter(due_at__lt=now).aggregate(
        assignments=Count("pk"), proposals=Count("proposal_id", distinct=True)
    )
    return ReviewSla(
        reviewed=count,
        median_days_to_first_review=_days(median),
        within_due_days=within,
        review_due_days=rfp.review_due_days,
        waiting_for_first_review=proposals.filter(status__in=UNDECIDED_STATUSES, first_review_at__isnull=True).count(),
        open_assignments=open_assignments.count(),
        overdue_assignments=overdue["assignments"],
        proposals_with_overdue_review=overdue["proposals"],
    )


def proposal_status_counts(*, rfp: Rfp) -> list[tuple[str, int]]:
    """Proposals of the round by status, drafts included, in the order of the proposal's life."""
    counts = dict(
        Proposal.objects.filter(rfp=rfp).values("status").annotate(count=Count("pk")).values_list("status", "count")
    )
    return [(label, counts[value]) for value, label in ProposalStatus.choices if counts.get(value)]


def program_report_figures(*, rfp: Rfp, now) -> ProgramReportFigures:
    by_sector, totals = offer_by_sector(rfp=rfp)
    return ProgramReportFigures(
        rfp=rfp,
        generated_at=now,
        status_counts=proposal_status_counts(rfp=rfp),
        submitted=totals.proposals,
        weeks=submissions_by_week(rfp=rfp),
        by_sector=by_sector,
        by_facility_state=offer_by_facility_state(rfp=rfp),
        by_supplier_state=offer_by_supplier_state(rfp=rfp),
        scores=scores_by_sector(rfp=rfp),
        sla=review_sla(rfp=rfp, now=now),
        totals=totals,
    )


# --- Reviewer digest -------------------------------------------------------------------------------------------


def rfp_list_reporting(*, now) -> QuerySet[Rfp]:
    """Rounds worth a report: opened, and either still open or with proposals still awaiting a decision."""
    waiting = Proposal.objects.filter(rfp=OuterRef("pk"), status__in=UNDECIDED_STATUSES)
    return (
        Rfp.objects.filter(opens_at__lte=now)
        .filter(Q(closes_at__gt=now) | Exists(waiting))
        .select_related("report_settings")
        .order_by("pk")
    )


def reviewer_list_for_digest(*, rfp: Rfp) -> QuerySet:
    """Active reviewers who know one of the round's sectors, or hold an open assignment in it."""
    user_model = get_user_model()
    holds = ReviewAssignment.objects.filter(
        reviewer=OuterRef("pk"), proposal__rfp=rfp, status=AssignmentStatus.ASSIGNED
    )
    knows = Q(reviewer_profile__is_active=True, reviewer_profile__sectors__in=rfp.sectors.all())
    return (
        user_model.objects.filter(is_active=True, buyer_role=user_model.BuyerRole.REVIEWER)
        .filter(knows | Exists(holds))
        .distinct()
        .order_by("email")
    )


@dataclass(frozen=True)
class DigestAssignment:
    reference: str
    title: str
    sector: str
    due_at: datetime
    overdue: bool
    due_soon: bool


@dataclass(frozen=True)
class DigestProposal:
    reference: str
    title: str
    sector: str
    submitted_at: datetime


@dataclass(frozen=True)
class ReviewerDigestFigures:
    """What one reviewer hears about one round: supplier names are left out (the round may be blind)."""

    since: datetime
    until: datetime
    assignments: list[DigestAssignment]
    new_proposals: list[DigestProposal]

    @property
    def overdue(self) -> int:
        return sum(1 for assignment in self.assignments if assignment.overdue)

    @property
    def due_soon(self) -> int:
        return sum(1 for assignment in self.assignments if assignment.due_soon)

    @property
    def has_news(self) -> bool:
        return bool(self.assignments or self.new_proposals)


def reviewer_digest_figures(*, rfp: Rfp, reviewer, since: datetime, now: datetime) -> ReviewerDigestFigures:
    """The reviewer's open assignments in the round (most urgent first) and the proposals of their sectors first
    submitted in [since, now)."""
    assignments = (
        ReviewAssignment.objects.filter(
            reviewer=reviewer,
            proposal__rfp=rfp,
            proposal__status__in=UNDECIDED_STATUSES,
            status=AssignmentStatus.ASSIGNED,
        )
        .select_related("proposal__sector", "proposal__supplier")
        .order_by("due_at", "pk")
    )
    first_submitted = ProposalVersion.objects.filter(proposal=OuterRef("pk"), number=1)
    blind = supplier_hidden_from_reviewers(rfp)
    new_proposals = (
        proposals_submitted(rfp=rfp)
        .filter(
            sector__reviewers__user=reviewer,
            sector__reviewers__is_active=True,
        )
        .filter(Exists(first_submitted.filter(submitted_at__gte=since, submitted_at__lt=now)))
        .annotate(first_submitted_at=Subquery(first_submitted.values("submitted_at")[:1]))
        .select_related("sector", "supplier")
        .order_by("first_submitted_at", "pk")
    )
    return ReviewerDigestFigures(
        since=since,
        until=now,
        assignments=[
            DigestAssignment(
                reference=assignment.proposal.reference,
                title=proposal_title_shown(assignment.proposal, supplier_hidden=blind),
                sector=assignment.proposal.sector.name,
                due_at=assignment.due_at,
                overdue=assignment.due_at < now,
                due_soon=now <= assignment.due_at < now + DUE_SOON,
            )
            for assignment in assignments
        ],
        new_proposals=[
            DigestProposal(
                reference=proposal.reference,
                title=proposal_title_shown(proposal, supplier_hidden=blind),
                sector=proposal.sector.name,
                submitted_at=proposal.first_submitted_at,
            )
            for proposal in new_proposals
        ],
    )

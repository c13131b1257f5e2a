"""Reads of scores: rubric, score summaries, ranking, sealed commercial terms and decision recipients."""

import statistics
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, F, Q, QuerySet

from rfp import rules
from rfp.enums import AssignmentStatus, ProposalStatus
from rfp.models import (
    Proposal,
    Rfp,
)


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


def commercial_terms_visible_to(*, user, proposal: Proposal, now, opening: bool = False):
    """The commercial terms if the person may see them now, else None: under `rules.may_see_commercial_terms`
    (lists, exports, PDFs, pages); with `opening=True` (the audited opening, `services.commercial_terms_open`) also
    under `rules.may_open_sealed_commercial_terms`."""
    from rfp.models import CommercialTerms

    allowed = rules.may_see_commercial_terms(user, proposal, now=now) or (
        opening and rules.may_open_sealed_commercial_terms(user, proposal, now=now)
    )
    if not allowed:
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

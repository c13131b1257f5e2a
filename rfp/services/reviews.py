"""Scoring a proposal, deciding many at once, and opening the sealed commercial terms.

A reviewer first declares they have no conflict with the supplier (`assignment_declare_no_conflict`), then scores
the proposal against its rubric (`review_save`): a draft can be saved as often as needed and holds any subset of the
criteria; submitting needs every criterion and completes the assignment. A draft is the Review of an assignment still
open; its `submitted_at` holds when it was last saved, and the submit sets it to the moment of submission. Only
submitted reviews (assignment completed) count in `rfp.selectors.proposal_score_summary` and the ranking.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from jobs.services import job_enqueue
from rfp.enums import AssignmentStatus, ConflictDeclaration, Recommendation
from rfp.exceptions import DomainError, TransitionNotAllowed
from rfp.formatting import counted
from rfp.job_names import DECISION_NOTICE_TASK
from rfp.models import Decision, Proposal, Review, ReviewAssignment, ReviewerConflict, Score
from rfp.selectors import (
    commercial_terms_visible_to,
    proposal_open_review_count,
    rubric_for_proposal,
)
from rfp.services.proposals import proposal_decide, proposal_request_information
from rfp.services.summaries import summary_pdfs_enqueue


def _locked_assignment(assignment: ReviewAssignment) -> ReviewAssignment:
    return (
        ReviewAssignment.objects.select_for_update(of=("self",))
        .select_related("reviewer", "proposal__rfp", "proposal__sector", "proposal__supplier")
        .get(pk=assignment.pk)
    )


def _ensure_own_open_assignment(assignment: ReviewAssignment, *, actor, doing: str) -> None:
    proposal = assignment.proposal
    if actor is None or actor.pk != assignment.reviewer_id:
        raise DomainError(
            f"Only {assignment.reviewer}, the reviewer assigned to {proposal.reference}, can {doing}.",
            code="not_your_assignment",
        )
    if assignment.status != AssignmentStatus.ASSIGNED:
        raise TransitionNotAllowed(
            f"Your assignment to {proposal.reference} is {assignment.get_status_display().lower()}; "
            f"you can only {doing} while the assignment is open.",
            code="assignment_not_open",
        )


@transaction.atomic
def assignment_declare_no_conflict(*, assignment: ReviewAssignment, actor) -> ReviewAssignment:
    """The assigned reviewer confirms they have no conflict with the supplier; this unlocks scoring."""
    assignment = _locked_assignment(assignment)
    proposal = assignment.proposal
    _ensure_own_open_assignment(assignment, actor=actor, doing="declare having no conflict of interest")
    if assignment.conflict_declaration == ConflictDeclaration.NO_CONFLICT:
        return assignment
    if ReviewerConflict.objects.filter(reviewer_id=assignment.reviewer_id, supplier_id=proposal.supplier_id).exists():
        raise DomainError(
            f"You declared a conflict with the supplier of {proposal.reference} earlier; declare the conflict on "
            f"{proposal.reference} too, so the assignment goes to another reviewer.",
            code="conflict_on_record",
        )
    now = timezone.now()
    assignment.conflict_declaration = ConflictDeclaration.NO_CONFLICT
    assignment.conflict_declared_at = now
    assignment.full_clean()
    assignment.save(update_fields=["conflict_declaration", "conflict_declared_at"])
    audit_record(
        action="review.no_conflict_declared",
        target=proposal,
        actor=actor,
        summary=f"{proposal.reference}: {assignment.reviewer} declared no conflict with {proposal.supplier}",
        data={"assignment": assignment.pk, "reviewer": assignment.reviewer_id, "at": now.isoformat()},
    )
    return assignment


def review_weighted_score(*, values: dict, criteria) -> Decimal:
    """sum(weight * score / max score) / sum(weight) * 100, to the cent; `values` maps criterion ids to scores."""
    total_weight = sum((criterion.weight for criterion in criteria), Decimal(0))
    earned = sum(
        (criterion.weight * Decimal(values[criterion.pk]) / Decimal(criterion.max_score) for criterion in criteria),
        Decimal(0),
    )
    return (earned / total_weight * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _validated_scores(scores: dict, *, criteria, proposal: Proposal) -> dict:
    by_code = {criterion.code: criterion for criterion in criteria}
    unknown = sorted(str(code) for code in scores if code not in by_code)
    if unknown:
        raise DomainError(
            f"The rubric for {proposal.reference} has no criterion {', '.join(unknown)}; "
            f"score these criteria: {', '.join(by_code)}.",
            code="unknown_criterion",
        )
    problems = []
    for code, value in scores.items():
        criterion = by_code[code]
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= criterion.max_score:
            problems.append(f"{criterion.name} must be a whole number from 0 to {criterion.max_score}, not {value!r}")
    if problems:
        raise DomainError("; ".join(problems) + ".", code="score_out_of_range")
    return {by_code[code].pk: value for code, value in scores.items()}


def _recommendation_labels() -> str:
    labels = [str(label) for label in Recommendation.labels]
    return f"{', '.join(labels[:-1])} or {labels[-1]}"


def _ensure_complete(scores: dict, *, criteria, recommendation: str) -> None:
    """A review is submitted with every criterion scored and a recommendation; say everything still missing."""
    missing = [criterion.name for criterion in criteria if criterion.code not in scores]
    problems = []
    if missing:
        problems.append(f"Score every criterion before submitting: {', '.join(missing)}.")
    if not recommendation:
        problems.append(f"Choose a recommendation: {_recommendation_labels()}.")
    if problems:
        raise DomainError(" ".join(problems), code="scores_missing" if missing else "recommendation_required")


@transaction.atomic
def review_save(
    *,
    assignment: ReviewAssignment,
    actor,
    scores: dict[str, int],
    comments: str,
    recommendation: str,
    submit: bool,
) -> Review:
    """Save the reviewer's draft scores, or submit them (every criterion and a recommendation needed)."""
    assignment = _locked_assignment(assignment)
    proposal = assignment.proposal
    _ensure_own_open_assignment(assignment, actor=actor, doing="score this proposal")
    if assignment.conflict_declaration != ConflictDeclaration.NO_CONFLICT:
        raise DomainError(
            f"Declare that you have no conflict of interest with the supplier before scoring {proposal.reference}; "
            "if you do have one, declare the conflict and the proposal goes to another reviewer.",
            code="conflict_undeclared",
        )
    if recommendation and recommendation not in Recommendation.values:
        raise DomainError(
            f"That is not a recommendation; choose {_recommendation_labels()}.", code="bad_recommendation"
        )
    rubric = rubric_for_proposal(proposal=proposal)
    if rubric is None:
        raise DomainError(
            f"No rubric is set up for {proposal.sector.name} proposals; ask a program lead to add one.",
            code="no_rubric",
        )
    criteria = list(rubric.criteria.all())
    values = _validated_scores(scores, criteria=criteria, proposal=proposal)
    if submit:
        _ensure_complete(scores, criteria=criteria, recommendation=recommendation)
    now = timezone.now()
    review = Review.objects.select_for_update().filter(assignment=assignment).first() or Review(assignment=assignment)
    review.rubric = rubric
    review.recommendation = recommendation
    review.comments = comments.strip()
    complete = len(values) == len(criteria)
    review.weighted_score = review_weighted_score(values=values, criteria=criteria) if complete else None
    review.submitted_at = now
    # A draft may not have a recommendation yet; a submitted review always has one (checked above).
    review.full_clean(exclude=[] if recommendation else ["recommendation"])
    review.save()
    review.scores.exclude(criterion_id__in=values).delete()
    for criterion in criteria:
        if criterion.pk not in values:
            continue
        score = Score.objects.filter(review=review, criterion=criterion).first() or Score(
            review=review, criterion=criterion
        )
        score.value = values[criterion.pk]
        score.full_clean()
        score.save()
    if submit:
        assignment.status = AssignmentStatus.COMPLETED
        assignment.full_clean()
        assignment.save(update_fields=["status"])
        summary_pdfs_enqueue(proposal=proposal, reason="reviewed", event=str(review.pk))
    state = "submitted" if submit else "saved"
    audit_record(
        action=f"review.{state}",
        target=proposal,
        actor=actor,
        summary=f"{proposal.reference}: {assignment.reviewer} {state} a review"
        + (f", weighted score {review.weighted_score}" if review.weighted_score is not None else ""),
        data={
            "assignment": assignment.pk,
            "review": review.pk,
            "rubric": rubric.pk,
            "scores": {code: scores[code] for code in sorted(scores)},
            "weighted_score": review.weighted_score,
            "recommendation": recommendation,
        },
    )
    return review


# --- Decisions ----------------------------------------------------------------------------------------------------


@dataclass
class BulkDecision:
    decided: list[Decision] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)  # proposal reference -> what went wrong


def _ensure_reviews_in(proposal: Proposal) -> None:
    still_open = proposal_open_review_count(proposal=proposal)
    if still_open:
        raise DomainError(
            f"{counted(still_open, 'review')} {'is' if still_open == 1 else 'are'} still open. Decide anyway? "
            "Confirm to decide before they are in.",
            code="reviews_open",
        )


def proposal_decide_or_request(
    *,
    proposal: Proposal,
    actor,
    outcome: str,
    message: str,
    internal_note: str = "",
    open_reviews_confirmed: bool = False,
) -> None:
    """A program lead's answer on one proposal: a request for information (`message` is the question), or a
    shortlist or decline (`message` goes to the supplier, `internal_note` stays with the buyer)."""
    if outcome == "request_info":
        proposal_request_information(proposal=proposal, actor=actor, question=message)
        return
    result = proposal_decide_many(
        proposals=[proposal],
        actor=actor,
        outcome=outcome,
        rationale=message,
        internal_note=internal_note,
        open_reviews_confirmed=open_reviews_confirmed,
    )
    if result.errors:
        raise TransitionNotAllowed(result.errors[proposal.reference], code="decision_refused")


def proposal_decide_many(
    *,
    proposals,
    actor,
    outcome: str,
    rationale: str,
    internal_note: str = "",
    open_reviews_confirmed: bool = False,
) -> BulkDecision:
    """A program lead shortlists or declines several proposals; each is decided (or refused) on its own. A proposal
    with reviews still open is decided only when the lead confirmed deciding anyway."""
    if actor is None or not actor.is_program_lead:
        raise DomainError("Only a program lead can decide proposals.", code="not_program_lead")
    result = BulkDecision()
    for proposal in proposals:
        try:
            with transaction.atomic():
                if not open_reviews_confirmed:
                    _ensure_reviews_in(proposal)
                decision = proposal_decide(
                    proposal=proposal, actor=actor, outcome=outcome, rationale=rationale, internal_note=internal_note
                )
                job_enqueue(
                    task_name=DECISION_NOTICE_TASK,
                    arguments={"decision_id": decision.pk},
                    dedupe_key=f"{DECISION_NOTICE_TASK}:{proposal.pk}:{decision.pk}",
                )
        except DomainError as error:
            result.errors[proposal.reference] = error.message
        else:
            result.decided.append(decision)
    return result


# --- Sealed commercial terms --------------------------------------------------------------------------------------


def commercial_terms_open(*, user, proposal: Proposal):
    """The commercial terms if this user may see or open them now (None otherwise); each showing is audited."""
    now = timezone.now()
    terms = commercial_terms_visible_to(user=user, proposal=proposal, now=now, opening=True)
    if terms is None:
        return None
    sealed = now < proposal.rfp.closes_at
    audit_record(
        action="commercial_terms.opened",
        target=proposal,
        actor=user,
        summary=f"{proposal.reference}: commercial terms opened by {user}"
        + (" before the round closed" if sealed else ""),
        data={"terms": terms.pk, "before_close": sealed, "role": user.buyer_role, "at": now.isoformat()},
    )
    return terms

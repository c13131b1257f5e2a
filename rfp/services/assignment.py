"""Reviewers for each submitted version, and the emails that tell them (and the program leads).

`proposal_assign_reviewers` tops a proposal up to its round's `reviewers_per_proposal` from
`rfp.selectors.reviewer_list_candidates`: reviewers of the proposal's sector, the least loaded first, never one with
a declared or detected conflict, never one at their limit of open assignments. It locks the proposal, then the
chosen reviewers' profiles, and counts their open assignments again under that lock, so proposals assigned at the
same time never push a reviewer past their limit. It is idempotent per version: once the proposal holds its
reviewers, running it again assigns nobody, and a resubmit keeps the reviewers it has. A proposal it cannot fill
waits in the unassigned lane (`rfp.selectors.proposal_list_unassigned`) and the program leads are emailed once per
version. Every email goes out through a job on the "mail" queue, published once the assignment commits, so a mail
outage is retried and loses nothing.
"""

import logging
from dataclasses import asdict, dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from audit.changes import record_save
from audit.selectors import audit_events_for
from audit.services import audit_record
from jobs.services import job_enqueue
from rfp.enums import AssignmentStatus, ConflictDeclaration, ProposalStatus
from rfp.exceptions import DomainError, TransitionNotAllowed
from rfp.formatting import counted
from rfp.job_names import ASSIGNMENT_EMAIL_TASK, UNASSIGNED_NOTICE_TASK
from rfp.models import Proposal, ReviewAssignment, ReviewerConflict, ReviewerProfile
from rfp.selectors import (
    ASSIGNABLE_STATUSES,
    proposal_held_assignment_count,
    proposal_list_unassigned,
    proposal_reviewer_pool,
    reviewer_list_candidates,
)
from rfp.services.proposals import proposal_start_review

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AssignmentResult:
    proposal: Proposal | None
    created: list[ReviewAssignment]
    held: int  # assignments the proposal holds now (open or completed)
    required: int

    @property
    def missing(self) -> int:
        return max(self.required - self.held, 0)


@dataclass(frozen=True)
class ConflictRelease:
    assignment: ReviewAssignment
    replacement: AssignmentResult


def _locked_proposal(proposal_id: int) -> Proposal | None:
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("rfp", "sector", "supplier")
        .filter(pk=proposal_id)
        .first()
    )


def _open_assignment_counts(reviewer_ids: list[int]) -> dict[int, int]:
    rows = (
        ReviewAssignment.objects.filter(reviewer_id__in=reviewer_ids, status=AssignmentStatus.ASSIGNED)
        .values("reviewer")
        .annotate(count=Count("id"))
        .values_list("reviewer", "count")
    )
    return dict(rows)


def _pick_reviewers(proposal: Proposal, *, needed: int, now) -> list[ReviewAssignment]:
    created: list[ReviewAssignment] = []
    passed_over: set[int] = set()
    while len(created) < needed:
        chosen = list(reviewer_list_candidates(proposal=proposal).exclude(pk__in=passed_over)[: needed - len(created)])
        if not chosen:
            break
        ids = [reviewer.pk for reviewer in chosen]
        # Locked in one order so concurrent assignments queue behind each other; counted again once locked.
        limits = dict(
            ReviewerProfile.objects.select_for_update()
            .filter(user_id__in=ids, is_active=True)
            .order_by("pk")
            .values_list("user_id", "max_open_assignments")
        )
        counts = _open_assignment_counts(ids)
        for reviewer in chosen:
            if reviewer.pk not in limits or counts.get(reviewer.pk, 0) >= limits[reviewer.pk]:
                passed_over.add(reviewer.pk)
                continue
            assignment = ReviewAssignment(
                proposal=proposal,
                reviewer=reviewer,
                status=AssignmentStatus.ASSIGNED,
                assigned_at=now,
                due_at=now + timedelta(days=proposal.rfp.review_due_days),
            )
            assignment.full_clean()
            assignment.save()
            created.append(assignment)
    return created


def assignment_due_text(assignment: ReviewAssignment, rfp) -> str:
    """When the review is due, in the round's time zone and named with it."""
    local = timezone.localtime(assignment.due_at, rfp.tz)
    return f"{local:%A, %B %-d, %Y at %-I:%M %p} {local.tzname()}"


@transaction.atomic
def assignment_change_due_date(*, assignment: ReviewAssignment, due_at, actor) -> ReviewAssignment:
    """Move a review's due date (the panel): audited on the assignment and in the proposal's own history, where
    program leads read it, with the new date in the round's time zone."""
    # The row as it is now, not as the page loaded it: a release or a declaration meanwhile must not be undone.
    assignment = ReviewAssignment.objects.select_for_update().select_related("proposal__rfp").get(pk=assignment.pk)
    previous, assignment.due_at = assignment.due_at, due_at
    assignment.full_clean()
    moved = previous != due_at
    record_save(instance=assignment, actor=actor, created=False, changed=["due_at"] if moved else [])
    if moved:
        proposal = assignment.proposal
        audit_record(
            action="review.due_date_changed",
            target=proposal,
            actor=actor,
            summary=f"{proposal.reference}: {assignment.reviewer}'s review now due "
            f"{assignment_due_text(assignment, proposal.rfp)}",
            data={"assignment": assignment.pk, "due_at": due_at.isoformat(), "was": previous.isoformat()},
        )
    return assignment


def _report_unassigned(proposal: Proposal, *, held: int, required: int) -> None:
    """Audit the shortfall and tell the program leads, once per submitted version."""
    told = audit_events_for(target=proposal).filter(action="proposal.unassigned", data__version=proposal.version)
    if told.exists():
        return
    pool = proposal_reviewer_pool(proposal=proposal)
    audit_record(
        action="proposal.unassigned",
        target=proposal,
        summary=f"{proposal.reference} v{proposal.version} has {held} of {counted(required, 'reviewer')}; "
        "it waits in the unassigned lane",
        data={"version": proposal.version, "assigned": held, "required": required, "pool": asdict(pool)},
    )
    job_enqueue(
        task_name=UNASSIGNED_NOTICE_TASK,
        arguments={"proposal_id": proposal.pk, "version": proposal.version},
        dedupe_key=f"{UNASSIGNED_NOTICE_TASK}:{proposal.pk}:v{proposal.version}",
    )


def _assign(proposal: Proposal, *, now) -> AssignmentResult:
    """Top the locked proposal up to its round's number of reviewers."""
    required = proposal.rfp.reviewers_per_proposal
    held = proposal_held_assignment_count(proposal=proposal)
    if proposal.status not in ASSIGNABLE_STATUSES:
        return AssignmentResult(proposal=proposal, created=[], held=held, required=required)
    created = _pick_reviewers(proposal, needed=required - held, now=now) if held < required else []
    for assignment in created:
        audit_record(
            action="review.assigned",
            target=proposal,
            summary=f"{proposal.reference}: {assignment.reviewer} assigned, review due "
            f"{assignment_due_text(assignment, proposal.rfp)}",
            data={
                "assignment": assignment.pk,
                "reviewer": assignment.reviewer_id,
                "reviewer_email": assignment.reviewer.email,
                "version": proposal.version,
                "due_at": assignment.due_at.isoformat(),
            },
        )
        job_enqueue(
            task_name=ASSIGNMENT_EMAIL_TASK,
            arguments={"assignment_id": assignment.pk},
            dedupe_key=f"{ASSIGNMENT_EMAIL_TASK}:{assignment.pk}",
        )
    held += len(created)
    if held < required:
        _report_unassigned(proposal, held=held, required=required)
    elif proposal.status == ProposalStatus.SUBMITTED:
        proposal = proposal_start_review(proposal=proposal, actor=None)
    return AssignmentResult(proposal=proposal, created=created, held=held, required=required)


@transaction.atomic
def proposal_assign_reviewers(*, proposal_id: int, version: int) -> AssignmentResult:
    """Worker side of the pipeline, after the checks: give a submitted version its reviewers."""
    proposal = _locked_proposal(proposal_id)
    if proposal is None:
        return AssignmentResult(proposal=None, created=[], held=0, required=0)
    if proposal.version != version:
        # A newer submit superseded this version; its own assignment job tops the proposal up.
        return AssignmentResult(
            proposal=proposal,
            created=[],
            held=proposal_held_assignment_count(proposal=proposal),
            required=proposal.rfp.reviewers_per_proposal,
        )
    return _assign(proposal, now=timezone.now())


@transaction.atomic
def proposal_assign_now(*, proposal: Proposal, actor) -> AssignmentResult:
    """A program lead tries the unassigned lane again for one proposal, say after adding reviewers."""
    if actor is None or not actor.is_program_lead:
        raise DomainError("Only a program lead can assign reviewers.", code="not_program_lead")
    proposal = _locked_proposal(proposal.pk)
    if proposal.status not in ASSIGNABLE_STATUSES:
        raise TransitionNotAllowed(
            f"{proposal.reference} is {proposal.get_status_display().lower()}; only a proposal under review "
            "takes reviewers.",
            code="not_assignable",
        )
    result = _assign(proposal, now=timezone.now())
    audit_record(
        action="review.assignment_retried",
        target=proposal,
        actor=actor,
        summary=f"{proposal.reference}: assignment tried again by {actor}, {result.held} of {result.required} "
        f"reviewers ({len(result.created)} new)",
        data={"created": [assignment.pk for assignment in result.created], "held": result.held},
    )
    return result


def proposals_assign_waiting(*, limit: int = 200) -> int:
    """Periodic: top up the proposals waiting in the unassigned lane; returns how many gained a reviewer."""
    now = timezone.now()
    topped_up = 0
    for proposal_id in proposal_list_unassigned(now=now).values_list("pk", flat=True)[:limit]:
        with transaction.atomic():
            proposal = _locked_proposal(proposal_id)
            if proposal is not None and _assign(proposal, now=now).created:
                topped_up += 1
    if topped_up:
        logger.info("unassigned lane: %d proposal(s) gained reviewers", topped_up)
    return topped_up


@transaction.atomic
def assignment_release_for_conflict(*, assignment: ReviewAssignment, actor, note: str) -> ConflictRelease:
    """A reviewer declares a conflict: the assignment is released, the conflict kept, a replacement assigned."""
    proposal = _locked_proposal(assignment.proposal_id)
    assignment = (
        ReviewAssignment.objects.select_for_update(of=("self",)).select_related("reviewer").get(pk=assignment.pk)
    )
    reviewer = assignment.reviewer
    if actor is not None and actor.pk != reviewer.pk and not actor.is_program_lead:
        raise DomainError(
            f"Only {reviewer} or a program lead can declare {reviewer}'s conflict on {proposal.reference}.",
            code="not_your_assignment",
        )
    if assignment.status != AssignmentStatus.ASSIGNED:
        raise TransitionNotAllowed(
            f"{reviewer}'s assignment to {proposal.reference} is {assignment.get_status_display().lower()}; "
            "only an open assignment can be released for a conflict.",
            code="assignment_not_open",
        )
    now = timezone.now()
    note = note.strip()
    assignment.status = AssignmentStatus.RELEASED
    assignment.released_at = now
    assignment.conflict_declaration = ConflictDeclaration.CONFLICT
    assignment.conflict_declared_at = now
    assignment.conflict_note = note
    assignment.full_clean()
    assignment.save(
        update_fields=["status", "released_at", "conflict_declaration", "conflict_declared_at", "conflict_note"]
    )
    conflict = ReviewerConflict.objects.filter(reviewer=reviewer, supplier_id=proposal.supplier_id).first()
    if conflict is None:
        conflict = ReviewerConflict(reviewer=reviewer, supplier=proposal.supplier, reason=note)
        conflict.full_clean()
        conflict.save()
    audit_record(
        action="review.released_for_conflict",
        target=proposal,
        actor=actor,
        summary=f"{proposal.reference}: {reviewer} declared a conflict with {proposal.supplier}; assignment released",
        data={"assignment": assignment.pk, "reviewer": reviewer.pk, "conflict": conflict.pk, "note": note},
    )
    return ConflictRelease(assignment=assignment, replacement=_assign(proposal, now=now))

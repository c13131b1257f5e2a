"""Who may see or change what in a round: the one home of these rules.

Every face (portal, review workspace, API, documents, exports, the panel, emails, PDFs, error messages) asks these
predicates; none derives access itself. A caller who may not see a thing gets a 404 from the face, never a hint.

The rules, in the buyer's words:
- A reviewer reaches a proposal only through an assignment they hold (not released). Before they declare "no
  conflict" they see the declaration page alone: no answers, checks, attachments or PDF summary.
- A program lead reads every proposal that was submitted.
- In a blind round nothing a reviewer reaches names the supplier; program leads and the supplier's members see it.
- Commercial terms are sealed until the round's `closes_at`. Before it nobody but the supplier sees them, except a
  program lead through an explicit opening of one proposal's terms, which is audited and shown once. After the close
  program leads, and reviewers who may read the proposal, see them.
- A supplier's members read their proposals; owners and editors change a draft while the round accepts submissions
  and answer the buyer's request for information (also after the close), submit along the state table before the
  close, and withdraw a proposal that is not decided.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Exists, OuterRef, Q

from rfp.enums import AssignmentStatus, ConflictDeclaration, ProposalStatus
from rfp.models import Proposal, ReviewAssignment, Rfp
from rfp.states import TRANSITIONS
from suppliers import rules as supplier_rules

# --- The buyer's people ---------------------------------------------------------------------------------------------


def is_program_lead(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_program_lead)


def is_reviewer(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_reviewer)


def is_buyer(user) -> bool:
    return is_program_lead(user) or is_reviewer(user)


# --- Reviewers and the proposals they hold -------------------------------------------------------------------------


def held_assignment(user, proposal: Proposal) -> ReviewAssignment | None:
    """The reviewer's assignment on the proposal that was not released (open or completed), once per request."""
    if not is_reviewer(user):
        return None
    cache = proposal.__dict__.setdefault("_held_assignments", {})
    if user.pk not in cache:
        cache[user.pk] = (
            ReviewAssignment.objects.filter(proposal=proposal, reviewer=user)
            .exclude(status=AssignmentStatus.RELEASED)
            .select_related("reviewer")
            .first()
        )
    return cache[user.pk]


def held_assignments_known(assignments) -> None:
    """Lists of a reviewer's own assignments (the queue) already hold what `held_assignment` would read for each
    proposal: remember it, so the rules ask no query per row."""
    for assignment in assignments:
        if assignment.status != AssignmentStatus.RELEASED:
            cache = assignment.proposal.__dict__.setdefault("_held_assignments", {})
            cache.setdefault(assignment.reviewer_id, assignment)


def _sent(proposal: Proposal) -> bool:
    return proposal.status != ProposalStatus.DRAFT


def may_enter_review(user, proposal: Proposal) -> bool:
    """Reach the proposal in the review workspace at all: a reviewer then sees only the conflict declaration."""
    return _sent(proposal) and (is_program_lead(user) or held_assignment(user, proposal) is not None)


def may_read_for_review(user, proposal: Proposal) -> bool:
    """Read what the supplier sent (answers, checks, attachments, the PDF summary): a program lead; a reviewer who
    holds the proposal and declared no conflict."""
    if not _sent(proposal):
        return False
    if is_program_lead(user):
        return True
    assignment = held_assignment(user, proposal)
    return assignment is not None and assignment.conflict_declaration == ConflictDeclaration.NO_CONFLICT


def must_declare_conflicts(user, proposal: Proposal) -> bool:
    """The reviewer holds the proposal and has not declared yet: the declaration comes before anything else."""
    assignment = held_assignment(user, proposal)
    return assignment is not None and assignment.conflict_declaration == ConflictDeclaration.UNDECLARED


def may_decide(user, proposal: Proposal) -> bool:
    """Request information, shortlist or decline: program leads."""
    return _sent(proposal) and is_program_lead(user)


def may_see_all_reviews(user, proposal: Proposal) -> bool:
    """Every reviewer's scores, the spread and the history: program leads."""
    return is_program_lead(user)


def supplier_hidden_from_reviewers(rfp: Rfp) -> bool:
    """A blind round hides who the supplier is from every reviewer: on pages, in the API, the reviewer's PDF copy,
    checks, refusals, emails and file names."""
    return bool(rfp.blind_review)


def supplier_hidden_from(user, proposal: Proposal) -> bool:
    """Blind review: a reviewer of a blind round never learns who the supplier is."""
    return not may_see_supplier_identity(user, proposal)


def may_see_supplier_identity(user, proposal: Proposal) -> bool:
    """Who the supplier is (name, identifiers, addresses, domain): its own members and program leads always; a
    reviewer holding the proposal unless the round is blind."""
    if is_program_lead(user) or supplier_rules.is_member(user, proposal.supplier_id):
        return True
    return not supplier_hidden_from_reviewers(proposal.rfp) and held_assignment(user, proposal) is not None


def proposals_for_review_q(user) -> Q:
    """The proposals `may_enter_review` lets through, as a filter on Proposal for lists."""
    if is_program_lead(user):
        return ~Q(status=ProposalStatus.DRAFT)
    if not is_reviewer(user):
        return Q(pk__in=[])
    held = ReviewAssignment.objects.filter(proposal=OuterRef("pk"), reviewer=user).exclude(
        status=AssignmentStatus.RELEASED
    )
    return ~Q(status=ProposalStatus.DRAFT) & Q(Exists(held))


def proposals_readable_for_review_q(user, *, prefix: str = "") -> Q:
    """The proposals `may_read_for_review` lets through, as a filter (with `prefix` from a related model)."""
    if is_program_lead(user):
        return ~Q(**{f"{prefix}status": ProposalStatus.DRAFT})
    if not is_reviewer(user):
        return Q(pk__in=[])
    held = ReviewAssignment.objects.filter(
        proposal=OuterRef(f"{prefix}pk" if prefix else "pk"),
        reviewer=user,
        conflict_declaration=ConflictDeclaration.NO_CONFLICT,
    ).exclude(status=AssignmentStatus.RELEASED)
    return ~Q(**{f"{prefix}status": ProposalStatus.DRAFT}) & Q(Exists(held))


# --- Sealed commercial terms -----------------------------------------------------------------------------------------


def commercial_terms_sealed(rfp: Rfp, *, now: datetime) -> bool:
    return now < rfp.closes_at


def may_see_commercial_terms(user, proposal: Proposal, *, now: datetime) -> bool:
    """Shown without an explicit opening: to the supplier's members always; after the close to program leads and to
    reviewers who may read the proposal. Lists, exports, PDFs and the panel show prices only under this rule."""
    if supplier_rules.is_member(user, proposal.supplier_id):
        return True
    if commercial_terms_sealed(proposal.rfp, now=now):
        return False
    return may_read_for_review(user, proposal)


def may_open_sealed_commercial_terms(user, proposal: Proposal, *, now: datetime) -> bool:
    """Before the close a program lead may open one proposal's terms; the opening is audited and shown once."""
    return commercial_terms_sealed(proposal.rfp, now=now) and may_decide(user, proposal)


# --- The supplier's side ---------------------------------------------------------------------------------------------


def may_read_as_supplier(user, proposal: Proposal) -> bool:
    return supplier_rules.is_member(user, proposal.supplier_id)


def may_edit_proposal(user, proposal: Proposal, *, now: datetime) -> bool:
    """Change answers: an owner or editor, on a draft while the round accepts submissions, or on a proposal whose
    request for information is open (answers are taken after the close too)."""
    if not supplier_rules.may_edit_company(user, proposal.supplier_id):
        return False
    if proposal.status == ProposalStatus.DRAFT:
        return proposal.rfp.accepts_submissions_at(now)
    return proposal.status == ProposalStatus.INFO_REQUESTED


def may_submit_proposal(user, proposal: Proposal, *, now: datetime) -> bool:
    return (
        supplier_rules.may_edit_company(user, proposal.supplier_id)
        and proposal.status in TRANSITIONS["submit"].sources
        and proposal.rfp.accepts_submissions_at(now)
    )


def may_withdraw_proposal(user, proposal: Proposal) -> bool:
    return (
        supplier_rules.may_edit_company(user, proposal.supplier_id)
        and proposal.status in TRANSITIONS["withdraw"].sources
    )


def may_answer_information_request(user, proposal: Proposal) -> bool:
    return (
        supplier_rules.may_edit_company(user, proposal.supplier_id) and proposal.status == ProposalStatus.INFO_REQUESTED
    )

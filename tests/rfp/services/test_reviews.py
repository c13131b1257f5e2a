"""Rolling review: the conflict declaration, scoring against the rubric, the score summary and ranking,
the sealed commercial terms, and bulk decisions with one notice per supplier."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from accounts.factories import ProgramLeadFactory, ReviewerUserFactory, UserFactory
from audit.models import AuditEvent
from jobs.models import Job
from jobs.services import job_run
from notifications import tasks as notification_tasks
from rfp import services
from rfp.enums import AssignmentStatus, ConflictDeclaration, ProposalStatus
from rfp.exceptions import DomainError, TransitionNotAllowed
from rfp.factories import RfpFactory, draft_proposal
from rfp.models import Criterion, Proposal, Review, ReviewAssignment, ReviewerConflict, Rubric, Score, Sector
from rfp.selectors import (
    commercial_terms_visible_to,
    proposal_ranking_for_sector,
    proposal_score_summary,
    rubric_for_proposal,
)
from suppliers.enums import MemberRole
from suppliers.factories import SupplierFactory, SupplierMemberFactory
from tests.support.outbox import deliver_outbox

pytestmark = pytest.mark.django_db


def _in_review(**kwargs) -> Proposal:
    actor = UserFactory()
    proposal = draft_proposal(actor=actor, **kwargs)
    proposal = services.proposal_submit(proposal=proposal, actor=actor)
    return services.proposal_start_review(proposal=proposal)


def _assignment(proposal: Proposal, reviewer=None, *, status=AssignmentStatus.ASSIGNED) -> ReviewAssignment:
    now = timezone.now()
    return ReviewAssignment.objects.create(
        proposal=proposal,
        reviewer=reviewer or ReviewerUserFactory(),
        status=status,
        assigned_at=now,
        due_at=now + timedelta(days=10),
    )


def _round_rubric(rfp) -> Rubric:
    """Weights 3, 2 and 1; maximum scores 5, 10 and 3."""
    rubric = Rubric.objects.create(sector=Sector.objects.get(code="datacenter"), rfp=rfp, name="Round rubric")
    Criterion.objects.create(rubric=rubric, code="capacity", name="Capacity", weight=Decimal(3), max_score=5)
    Criterion.objects.create(rubric=rubric, code="quality", name="Quality", weight=Decimal(2), max_score=10, position=1)
    Criterion.objects.create(
        rubric=rubric, code="price", name="Price realism", weight=Decimal(1), max_score=3, position=2
    )
    return rubric


def _events(proposal: Proposal, action: str):
    return AuditEvent.objects.filter(object_type="rfp.proposal", object_id=str(proposal.pk), action=action)


FULL = {"capacity": 4, "quality": 7, "price": 2}


@pytest.fixture
def scoring():
    """A proposal in review with its round's own rubric, and a reviewer who declared no conflict."""
    rfp = RfpFactory()
    rubric = _round_rubric(rfp)
    proposal = _in_review(rfp=rfp)
    assignment = _assignment(proposal)
    assignment = services.assignment_declare_no_conflict(assignment=assignment, actor=assignment.reviewer)
    return proposal, rubric, assignment


# --- Conflict declaration -----------------------------------------------------------------------------------------


def test_the_assigned_reviewer_declares_no_conflict_once_and_it_is_audited():
    proposal = _in_review()
    assignment = _assignment(proposal)

    with pytest.raises(DomainError, match=r"Only .* the reviewer assigned"):
        services.assignment_declare_no_conflict(assignment=assignment, actor=ReviewerUserFactory())
    assignment = services.assignment_declare_no_conflict(assignment=assignment, actor=assignment.reviewer)
    services.assignment_declare_no_conflict(assignment=assignment, actor=assignment.reviewer)

    assignment.refresh_from_db()
    assert assignment.conflict_declaration == ConflictDeclaration.NO_CONFLICT
    assert assignment.conflict_declared_at is not None
    event = _events(proposal, "review.no_conflict_declared").get()
    assert (event.actor, event.data["assignment"]) == (assignment.reviewer, assignment.pk)


def test_no_conflict_cannot_be_declared_on_a_released_assignment_or_over_a_conflict_on_record():
    proposal = _in_review()
    released = _assignment(proposal, status=AssignmentStatus.RELEASED)
    with pytest.raises(TransitionNotAllowed, match="is released; you can only"):
        services.assignment_declare_no_conflict(assignment=released, actor=released.reviewer)

    assignment = _assignment(proposal)
    ReviewerConflict.objects.create(reviewer=assignment.reviewer, supplier=proposal.supplier, reason="Former employer")
    with pytest.raises(DomainError, match="You declared a conflict with"):
        services.assignment_declare_no_conflict(assignment=assignment, actor=assignment.reviewer)
    assignment.refresh_from_db()
    assert assignment.conflict_declaration == ConflictDeclaration.UNDECLARED
    assert not _events(proposal, "review.no_conflict_declared").exists()


# --- Scoring ------------------------------------------------------------------------------------------------------


def test_scoring_is_refused_before_the_conflict_declaration():
    rfp = RfpFactory()
    _round_rubric(rfp)
    assignment = _assignment(_in_review(rfp=rfp))

    with pytest.raises(DomainError, match="Declare that you have no conflict of interest") as refused:
        services.review_save(
            assignment=assignment, actor=assignment.reviewer, scores=FULL, comments="", recommendation="", submit=False
        )

    assert refused.value.code == "conflict_undeclared"
    assert not Review.objects.exists()


def test_another_reviewer_cannot_score_someone_elses_assignment(scoring):
    proposal, _, assignment = scoring
    other = ReviewerUserFactory()
    _assignment(proposal, other)

    with pytest.raises(DomainError, match=r"Only .* the reviewer assigned to") as refused:
        services.review_save(
            assignment=assignment, actor=other, scores=FULL, comments="", recommendation="shortlist", submit=True
        )

    assert refused.value.code == "not_your_assignment"
    assert not Review.objects.exists()


def test_a_score_above_the_criterion_maximum_is_refused_and_nothing_is_saved(scoring):
    _, _, assignment = scoring

    with pytest.raises(DomainError, match=r"Quality must be a whole number from 0 to 10, not 11"):
        services.review_save(
            assignment=assignment,
            actor=assignment.reviewer,
            scores={**FULL, "quality": 11},
            comments="",
            recommendation="",
            submit=False,
        )
    with pytest.raises(DomainError, match="has no criterion speed"):
        services.review_save(
            assignment=assignment,
            actor=assignment.reviewer,
            scores={"speed": 1},
            comments="",
            recommendation="",
            submit=False,
        )

    assert not Review.objects.exists()
    assert not Score.objects.exists()


def test_submitting_needs_every_criterion_and_a_recommendation(scoring):
    _, _, assignment = scoring
    partial = {"capacity": 4, "quality": 7}

    with pytest.raises(DomainError, match="Score every criterion before submitting: Price realism") as refused:
        services.review_save(
            assignment=assignment,
            actor=assignment.reviewer,
            scores=partial,
            comments="",
            recommendation="shortlist",
            submit=True,
        )
    assert refused.value.code == "scores_missing"
    with pytest.raises(DomainError, match="Choose a recommendation"):
        services.review_save(
            assignment=assignment, actor=assignment.reviewer, scores=FULL, comments="", recommendation="", submit=True
        )

    assert not Review.objects.exists()
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ASSIGNED


def test_a_draft_is_saved_then_submitted_with_the_exact_weighted_score(scoring):
    proposal, rubric, assignment = scoring
    reviewer = assignment.reviewer

    draft = services.review_save(
        assignment=assignment,
        actor=reviewer,
        scores={"capacity": 5, "quality": 1},
        comments="  first pass ",
        recommendation="",
        submit=False,
    )
    assert draft.rubric == rubric
    assert draft.weighted_score is None, "a partial draft has no weighted score"
    assert dict(draft.scores.values_list("criterion__code", "value")) == {"capacity": 5, "quality": 1}
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ASSIGNED
    assert proposal_score_summary(proposal=proposal).count == 0, "a draft does not count"

    review = services.review_save(
        assignment=assignment,
        actor=reviewer,
        scores=FULL,
        comments="Strong Texas capacity.",
        recommendation="shortlist",
        submit=True,
    )

    # By hand: (3 * 4/5 + 2 * 7/10 + 1 * 2/3) / (3 + 2 + 1) * 100 = (2.4 + 1.4 + 0.6667) / 6 * 100 = 74.44
    review.refresh_from_db()
    assert review.weighted_score == Decimal("74.44")
    assert (review.recommendation, review.comments) == ("shortlist", "Strong Texas capacity.")
    assert dict(review.scores.values_list("criterion__code", "value")) == FULL
    assert Review.objects.count() == 1
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.COMPLETED
    saved = _events(proposal, "review.saved").get()
    assert saved.data["scores"] == {"capacity": 5, "quality": 1}
    submitted = _events(proposal, "review.submitted").get()
    assert (submitted.actor, submitted.data["scores"], submitted.data["weighted_score"]) == (reviewer, FULL, "74.44")

    with pytest.raises(TransitionNotAllowed, match="is review submitted"):
        services.review_save(
            assignment=assignment, actor=reviewer, scores=FULL, comments="", recommendation="decline", submit=True
        )


def test_the_sector_default_rubric_is_used_when_the_round_has_none():
    proposal = _in_review()
    default = Rubric.objects.get(sector__code="datacenter", rfp=None)

    assert rubric_for_proposal(proposal=proposal) == default
    _round_rubric(proposal.rfp)
    assert rubric_for_proposal(proposal=proposal).rfp == proposal.rfp


# --- Summary and ranking ------------------------------------------------------------------------------------------


def _reviewed(proposal: Proposal, score: str, *, submitted=True) -> Review:
    status = AssignmentStatus.COMPLETED if submitted else AssignmentStatus.ASSIGNED
    assignment = _assignment(proposal, status=status)
    return Review.objects.create(
        assignment=assignment,
        rubric=Rubric.objects.get(sector=proposal.sector, rfp=None),
        recommendation="shortlist",
        weighted_score=Decimal(score),
        submitted_at=timezone.now(),
    )


def test_the_summary_counts_submitted_reviews_only_and_flags_a_spread_above_the_threshold():
    proposal = _in_review()
    for score in ("60", "70", "90"):
        _reviewed(proposal, score)
    _reviewed(proposal, "5", submitted=False)

    summary = proposal_score_summary(proposal=proposal)

    # mean (60 + 70 + 90) / 3 = 73.33, median 70, spread 90 - 60 = 30 > 20
    assert (summary.count, summary.mean, summary.median, summary.spread) == (
        3,
        Decimal("73.33"),
        Decimal("70.00"),
        Decimal("30"),
    )
    assert summary.disagreement is True
    with override_settings(REVIEW_DISAGREEMENT_THRESHOLD=30):
        assert proposal_score_summary(proposal=proposal).disagreement is False, "a spread equal to it is agreement"


def test_the_summary_of_an_even_count_takes_the_middle_two_and_is_empty_without_reviews():
    proposal = _in_review()
    assert proposal_score_summary(proposal=proposal).count == 0
    assert proposal_score_summary(proposal=proposal).mean is None

    _reviewed(proposal, "61.50")
    _reviewed(proposal, "70.25")

    summary = proposal_score_summary(proposal=proposal)
    assert (summary.mean, summary.median, summary.spread, summary.disagreement) == (
        Decimal("65.88"),
        Decimal("65.88"),
        Decimal("8.75"),
        False,
    )


def test_the_ranking_orders_by_mean_then_by_earlier_submission_in_one_query(django_assert_num_queries):
    rfp = RfpFactory()
    tied_late, best, tied_early, unscored = (_in_review(rfp=rfp) for _ in range(4))
    other_sector = _in_review(rfp=rfp, sector_code="robotics")
    _reviewed(other_sector, "99")
    start = timezone.now()
    for minutes, proposal in enumerate([tied_early, tied_late, best, unscored]):
        Proposal.objects.filter(pk=proposal.pk).update(submitted_at=start - timedelta(minutes=10 - minutes))
    for score in ("70", "90"):
        _reviewed(tied_late, score)
    _reviewed(tied_early, "80")
    _reviewed(best, "95")
    _reviewed(best, "10", submitted=False)

    datacenter = Sector.objects.get(code="datacenter")

    with django_assert_num_queries(1):
        ranking = list(proposal_ranking_for_sector(rfp=rfp, sector=datacenter))

    assert [p.pk for p in ranking] == [best.pk, tied_early.pk, tied_late.pk, unscored.pk]
    assert [(p.score_mean, p.review_count) for p in ranking] == [
        (Decimal("95"), 1),
        (Decimal("80"), 1),
        (Decimal("80"), 2),
        (None, 0),
    ]


# --- Sealed commercial terms --------------------------------------------------------------------------------------


def test_sealed_terms_are_hidden_from_a_reviewer_until_the_round_closes():
    proposal = _in_review()
    reviewer = _assignment(proposal).reviewer
    ReviewAssignment.objects.filter(reviewer=reviewer).update(conflict_declaration=ConflictDeclaration.NO_CONFLICT)
    undeclared = _assignment(proposal).reviewer
    outsider = ReviewerUserFactory()
    supplier_staff = UserFactory()

    assert services.commercial_terms_open(user=reviewer, proposal=proposal) is None
    assert commercial_terms_visible_to(user=supplier_staff, proposal=proposal, now=timezone.now()) is None
    assert not _events(proposal, "commercial_terms.opened").exists()

    with time_machine.travel(proposal.rfp.closes_at + timedelta(seconds=1), tick=False):
        terms = services.commercial_terms_open(user=reviewer, proposal=proposal)
        assert terms == proposal.commercial_terms
        assert services.commercial_terms_open(user=outsider, proposal=proposal) is None, "not their proposal"
        assert services.commercial_terms_open(user=undeclared, proposal=proposal) is None, "conflicts not declared"

    event = _events(proposal, "commercial_terms.opened").get()
    assert (event.actor, event.data["before_close"], event.data["role"]) == (reviewer, False, "reviewer")


def test_a_program_lead_sees_sealed_terms_before_the_close_and_each_opening_is_audited():
    proposal = _in_review()
    lead = ProgramLeadFactory()

    first = services.commercial_terms_open(user=lead, proposal=proposal)
    second = services.commercial_terms_open(user=lead, proposal=proposal)

    assert first == second == proposal.commercial_terms
    events = _events(proposal, "commercial_terms.opened")
    assert events.count() == 2
    assert all(event.actor == lead and event.data["before_close"] is True for event in events)


def test_before_the_close_a_program_lead_sees_prices_only_through_the_audited_opening():
    proposal = _in_review()
    lead = ProgramLeadFactory()

    assert commercial_terms_visible_to(user=lead, proposal=proposal, now=timezone.now()) is None
    closed = proposal.rfp.closes_at + timedelta(seconds=1)
    assert commercial_terms_visible_to(user=lead, proposal=proposal, now=closed) == proposal.commercial_terms
    assert not _events(proposal, "commercial_terms.opened").exists(), "reading the rule opens nothing"


# --- Bulk decisions -----------------------------------------------------------------------------------------------


def _supplier_with_staff(name: str):
    supplier = SupplierFactory()
    for role in (MemberRole.OWNER, MemberRole.EDITOR, MemberRole.VIEWER):
        SupplierMemberFactory(supplier=supplier, user=UserFactory(email=f"{role}@{name}.example"), role=role)
    return supplier


def _run_notice_jobs() -> list[bool]:
    return [
        job_run(job_id=job.pk, handler=notification_tasks.send_decision_notice.handler)
        for job in Job.objects.filter(task_name=services.DECISION_NOTICE_TASK).order_by("created_at")
    ]


def test_bulk_decline_reports_the_proposal_not_in_review_and_notifies_each_declined_supplier_once():
    lead = ProgramLeadFactory()
    first = _in_review(supplier=_supplier_with_staff("alpha"))
    second = _in_review(supplier=_supplier_with_staff("beta"))
    actor = UserFactory()
    waiting = services.proposal_submit(
        proposal=draft_proposal(supplier=_supplier_with_staff("gamma"), actor=actor), actor=actor
    )

    result = services.proposal_decide_many(
        proposals=[first, waiting, second], actor=lead, outcome="declined", rationale="Capacity below the need."
    )

    assert [decision.proposal_id for decision in result.decided] == [first.pk, second.pk]
    assert list(result.errors) == [waiting.reference]
    assert "it is submitted" in result.errors[waiting.reference]
    statuses = dict(Proposal.objects.values_list("pk", "status"))
    assert (statuses[first.pk], statuses[second.pk], statuses[waiting.pk]) == (
        ProposalStatus.DECLINED,
        ProposalStatus.DECLINED,
        ProposalStatus.SUBMITTED,
    )
    jobs = Job.objects.filter(task_name=services.DECISION_NOTICE_TASK)
    assert sorted(job.dedupe_key for job in jobs) == sorted(
        f"{services.DECISION_NOTICE_TASK}:{d.proposal_id}:{d.pk}" for d in result.decided
    )

    again = services.proposal_decide_many(proposals=[first], actor=lead, outcome="declined", rationale="Again.")
    assert again.decided == [] and "it is declined" in again.errors[first.reference]
    assert jobs.count() == 2

    assert _run_notice_jobs() == [True, True]
    assert _run_notice_jobs() == [False, False], "a finished job does not send again"
    deliver_outbox()

    assert len(mail.outbox) == 2
    by_recipients = {tuple(message.to): message for message in mail.outbox}
    assert set(by_recipients) == {
        ("editor@alpha.example", "owner@alpha.example"),
        ("editor@beta.example", "owner@beta.example"),
    }
    message = by_recipients[("editor@alpha.example", "owner@alpha.example")]
    assert message.subject == f"Decision on proposal {first.reference}: Declined"
    assert "Capacity below the need." in message.body
    assert f"/portal/proposals/{first.reference}/" in message.body


def test_only_a_program_lead_decides_in_bulk():
    proposal = _in_review()

    with pytest.raises(DomainError, match="Only a program lead") as refused:
        services.proposal_decide_many(
            proposals=[proposal], actor=ReviewerUserFactory(), outcome="declined", rationale="No."
        )

    assert refused.value.code == "not_program_lead"
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.IN_REVIEW
    assert not Job.objects.filter(task_name=services.DECISION_NOTICE_TASK).exists()

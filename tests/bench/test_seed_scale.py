"""seed_scale writes a small programme whose rows keep the services' invariants, once per database."""

import re
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_chain_verify
from bench.seeding import RUSH_REFERENCE, rush_drafts
from rfp.enums import AssignmentStatus, ProposalStatus
from rfp.models import (
    Criterion,
    Decision,
    InformationRequest,
    Proposal,
    ProposalCheck,
    ProposalVersion,
    Review,
    ReviewAssignment,
)
from rfp.selectors import proposal_missing_answers
from rfp.services.reviews import review_weighted_score
from suppliers.models import Facility, Supplier, SupplierMember

S = ProposalStatus
pytestmark = pytest.mark.django_db

PROPOSALS, SUPPLIERS, RUSH = 150, 20, 4


@pytest.fixture
def seeded():
    call_command("seed_scale", proposals=PROPOSALS, suppliers=SUPPLIERS, rush=RUSH, seed=7)


def test_counts(seeded):
    assert Supplier.objects.count() == SUPPLIERS
    assert SupplierMember.objects.filter(role="owner").count() == SUPPLIERS
    assert Facility.objects.values("supplier").distinct().count() == SUPPLIERS
    assert Proposal.objects.exclude(rfp__reference=RUSH_REFERENCE).count() == PROPOSALS
    statuses = Counter(Proposal.objects.exclude(rfp__reference=RUSH_REFERENCE).values_list("status", flat=True))
    assert set(statuses) == set(S.values), statuses
    assert Proposal.objects.values("sector").distinct().count() == 3


def test_status_agrees_with_dates_and_rows(seeded):
    now = timezone.now()
    for proposal in Proposal.objects.annotate(versions_count=Count("versions", distinct=True)):
        where = f"{proposal.reference} ({proposal.status})"
        assert re.fullmatch(rf"{proposal.rfp.reference}-(DC|CE|RB)-{proposal.supplier_id:05d}", proposal.reference)
        if proposal.status == S.DRAFT:
            assert proposal.version == 0 and proposal.submitted_at is None and proposal.queued_at is None, where
            continue
        assert proposal.version >= 1 and proposal.versions_count == proposal.version, where
        assert proposal.submitted_at <= proposal.status_changed_at <= now, where
        numbers = list(proposal.versions.order_by("number").values_list("number", flat=True))
        assert numbers == list(range(1, proposal.version + 1)), where
        decided = proposal.status in (S.SHORTLISTED, S.DECLINED)
        assert (proposal.decided_at is not None) == decided, where
        assert Decision.objects.filter(proposal=proposal).exists() == decided, where
        if decided:
            assert proposal.decision.outcome == proposal.status
        assert (proposal.withdrawn_at is not None) == (proposal.status == S.WITHDRAWN), where
        open_request = InformationRequest.objects.filter(proposal=proposal, responded_at=None).exists()
        assert open_request == (proposal.status == S.INFO_REQUESTED), where
        if proposal.status in (S.IN_REVIEW, S.INFO_REQUESTED, *([S.SHORTLISTED, S.DECLINED])):
            held = proposal.assignments.exclude(status=AssignmentStatus.RELEASED).count()
            assert held == 2, where
            assert ProposalCheck.objects.filter(proposal=proposal, version=proposal.version).exists(), where
        if decided:
            assert proposal.assignments.filter(status=AssignmentStatus.COMPLETED).count() == 2, where


def test_reviews_carry_the_rubric_score(seeded):
    reviews = Review.objects.select_related("assignment", "rubric")
    assert reviews.exists()
    for review in reviews:
        assert review.assignment.status == AssignmentStatus.COMPLETED
        criteria = list(Criterion.objects.filter(rubric=review.rubric))
        values = {score.criterion_id: score.value for score in review.scores.all()}
        assert set(values) == {criterion.pk for criterion in criteria}
        assert review.weighted_score == review_weighted_score(values=values, criteria=criteria)
        assert review.submitted_at >= review.assignment.assigned_at
    assert not ReviewAssignment.objects.filter(status=AssignmentStatus.COMPLETED, review=None).exists()


def test_versions_hash_their_snapshot(seeded):
    import hashlib
    import json

    for version in ProposalVersion.objects.all()[:50]:
        assert version.sha256 == hashlib.sha256(json.dumps(version.snapshot, sort_keys=True).encode()).hexdigest()
        assert version.snapshot["reference"] == version.proposal.reference


def test_audit_events_extend_the_one_chain(seeded):
    assert (
        AuditEvent.objects.filter(action="proposal.submitted").count()
        == Proposal.objects.filter(version__gte=1).count()
    )
    assert audit_chain_verify() == []
    times = list(AuditEvent.objects.order_by("id").values_list("occurred_at", flat=True))
    assert times == sorted(times)


def test_rush_drafts_are_ready_to_submit(seeded):
    drafts = rush_drafts()
    assert len(drafts) == RUSH
    for draft in drafts:
        proposal = Proposal.objects.get(reference=draft["reference"])
        assert proposal.status == S.DRAFT
        assert proposal_missing_answers(proposal=proposal) == []
        assert proposal.rfp.accepts_submissions_at(timezone.now())
        assert proposal.supplier.members.get(user__email=draft["email"]).role == "owner"


def test_a_second_run_is_refused(seeded):
    with pytest.raises(CommandError, match="seed_scale already ran on this database"):
        call_command("seed_scale", proposals=10, suppliers=5)
    assert Supplier.objects.count() == SUPPLIERS

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.factories import ProgramLeadFactory, ReviewerUserFactory, UserFactory
from rfp import services
from rfp.enums import AssignmentStatus
from rfp.factories import RfpFactory, draft_proposal
from rfp.models import Proposal, ReviewAssignment, ReviewerProfile, Sector
from suppliers.enums import MemberRole
from suppliers.factories import SupplierFactory, SupplierMemberFactory


def make_reviewer(*, sectors=("datacenter",), **fields):
    user = ReviewerUserFactory(**fields)
    profile = ReviewerProfile.objects.create(user=user, max_open_assignments=50)
    profile.sectors.set(Sector.objects.filter(code__in=sectors))
    return user


def in_review(*, rfp=None, supplier=None, sector_code="datacenter", **supplier_fields) -> Proposal:
    """A submitted proposal, moved into review, with a supplier owner who hears of decisions."""
    supplier = supplier or SupplierFactory(**supplier_fields)
    owner = UserFactory()
    SupplierMemberFactory(supplier=supplier, user=owner, role=MemberRole.OWNER)
    proposal = draft_proposal(rfp=rfp or RfpFactory(), supplier=supplier, actor=owner, sector_code=sector_code)
    proposal = services.proposal_submit(proposal=proposal, actor=owner)
    return services.proposal_start_review(proposal=proposal)


def assign(proposal: Proposal, reviewer, *, due_in_days=10, status=AssignmentStatus.ASSIGNED) -> ReviewAssignment:
    now = timezone.now()
    return ReviewAssignment.objects.create(
        proposal=proposal, reviewer=reviewer, status=status, assigned_at=now, due_at=now + timedelta(days=due_in_days)
    )


@pytest.fixture
def reviewer():
    return make_reviewer()


@pytest.fixture
def lead():
    return ProgramLeadFactory()

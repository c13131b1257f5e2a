"""Fixtures for the proposal pages: one company with an owner, an editor and a viewer, and an open round."""

import pytest

from accounts.factories import UserFactory
from rfp.factories import RfpFactory, draft_proposal
from suppliers.enums import MemberRole
from suppliers.factories import SupplierFactory, SupplierMemberFactory


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch):
    """Submits enqueue review jobs; running on-commit callbacks here must not publish them to the shared Redis."""
    import jobs.services

    monkeypatch.setattr(jobs.services, "job_publish", lambda **kwargs: False)


@pytest.fixture
def supplier(db):
    return SupplierFactory(legal_name="Lone Star Racks Inc.")


@pytest.fixture
def owner(supplier):
    return SupplierMemberFactory(
        supplier=supplier, user=UserFactory(email="owner@lonestar.example"), role=MemberRole.OWNER
    ).user


@pytest.fixture
def editor(supplier):
    return SupplierMemberFactory(
        supplier=supplier, user=UserFactory(email="editor@lonestar.example"), role=MemberRole.EDITOR
    ).user


@pytest.fixture
def viewer(supplier):
    return SupplierMemberFactory(
        supplier=supplier, user=UserFactory(email="viewer@lonestar.example"), role=MemberRole.VIEWER
    ).user


@pytest.fixture
def rfp(db):
    return RfpFactory(reference="AI-INFRA-TEST", display_time_zone="America/Los_Angeles")


@pytest.fixture
def draft(rfp, supplier, owner):
    """A complete datacenter draft of the company, ready to submit."""
    return draft_proposal(rfp=rfp, supplier=supplier, actor=owner)


@pytest.fixture
def empty_draft(rfp, supplier, owner):
    return draft_proposal(rfp=rfp, supplier=supplier, actor=owner, complete=False)


@pytest.fixture
def other_supplier_draft(rfp):
    return draft_proposal(rfp=rfp, sector_code="robotics")

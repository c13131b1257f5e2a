"""Fixtures for the proposal pages: one company with an owner, an editor and a viewer, and an open round."""

import pytest

from rfp.factories import RfpFactory, draft_proposal


@pytest.fixture(autouse=True)
def _no_broker(jobs_unpublished):
    """Submits enqueue review jobs; running on-commit callbacks here must not publish them to the shared Redis."""


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

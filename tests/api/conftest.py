"""Fixtures for the REST API: two companies (A with an owner, an editor and a viewer; B with an owner), an open
round, and clients that call the API with a personal token, as a program would."""

import pytest
from rest_framework.test import APIClient

from accounts.factories import ProgramLeadFactory, ReviewerUserFactory, UserFactory
from rfp.factories import RfpFactory, draft_proposal
from suppliers.enums import MemberRole
from suppliers.factories import FacilityFactory, SupplierFactory, SupplierMemberFactory
from tests.portal.attachments.files import remove_stored_files
from tokens import services as api_services


@pytest.fixture(autouse=True)
def _no_broker(jobs_unpublished):
    """Submits enqueue review jobs; running on-commit callbacks here must not publish them to the shared Redis."""


@pytest.fixture(autouse=True)
def _clean_storage(db):
    yield
    remove_stored_files()


def token_for(user, *, scope: str = "write", lifetime_days: int = 365) -> str:
    return api_services.api_token_create(user=user, name="tests", scope=scope, lifetime_days=lifetime_days).plaintext


def client_for(user, *, scope: str = "write") -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(user, scope=scope)}")
    return client


@pytest.fixture
def other_supplier(db):
    return SupplierFactory(legal_name="Great Lakes Motors LLC")


@pytest.fixture
def other_owner(other_supplier):
    return SupplierMemberFactory(
        supplier=other_supplier, user=UserFactory(email="owner@greatlakes.example"), role=MemberRole.OWNER
    ).user


@pytest.fixture
def rfp(db):
    return RfpFactory(reference="AI-INFRA-TEST")


@pytest.fixture
def draft(rfp, supplier, owner):
    """A complete datacenter draft of company A, ready to submit."""
    return draft_proposal(rfp=rfp, supplier=supplier, actor=owner)


@pytest.fixture
def facility(supplier):
    return FacilityFactory(supplier=supplier, name="Austin Plant 2")


@pytest.fixture
def api(owner) -> APIClient:
    """Company A's owner, with a write token."""
    return client_for(owner)


@pytest.fixture
def reviewer(db):
    return ReviewerUserFactory(email="hannah@buyer.example")


@pytest.fixture
def lead(db):
    return ProgramLeadFactory(email="jordan@buyer.example")

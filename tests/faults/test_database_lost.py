"""The database connection dies in the middle of a submit: the answer is a clear 503 and nothing half-written stays.

The connection is really terminated, by PostgreSQL (pg_terminate_backend from a second connection), after the
submit has written the new version and the status but before it has committed.
"""

import psycopg
import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from accounts.factories import UserFactory
from audit.models import AuditEvent
from jobs.models import Job
from rfp.enums import ProposalStatus
from rfp.factories import draft_proposal
from rfp.models import Proposal, ProposalVersion
from suppliers.enums import MemberRole
from suppliers.factories import SupplierFactory, SupplierMemberFactory
from tests.support import processes

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _no_broker(jobs_unpublished):
    """Jobs are recorded, not published (see `jobs_unpublished`)."""


@pytest.fixture
def owner_and_draft():
    owner = UserFactory(email="owner@lost-connection.example")
    supplier = SupplierFactory(legal_name="Lost Connection Foundry Inc.")
    SupplierMemberFactory(supplier=supplier, user=owner, role=MemberRole.OWNER)
    return owner, draft_proposal(supplier=supplier, actor=owner)


@pytest.fixture
def connection_killed_mid_submit(monkeypatch):
    """Once the submit has moved the proposal and recorded the version, PostgreSQL drops the request's connection."""
    import rfp.services.proposals as proposals

    real_audit_record = proposals.audit_record
    killed: list[int] = []

    def audit_record_after_losing_the_connection(**kwargs):
        if not killed and kwargs.get("action") == "proposal.submitted":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                [pid] = cursor.fetchone()
                cursor.execute("SELECT count(*) FROM rfp_proposalversion")
                assert cursor.fetchone()[0] == 1, "the version is written, uncommitted, when the connection dies"
            with psycopg.connect(processes.test_database_url(), autocommit=True) as other:
                other.execute("SELECT pg_terminate_backend(%s)", [pid])
            killed.append(pid)
        return real_audit_record(**kwargs)

    monkeypatch.setattr(proposals, "audit_record", audit_record_after_losing_the_connection)
    return killed


def _assert_nothing_half_written(proposal):
    proposal = Proposal.objects.get(pk=proposal.pk)
    assert (proposal.status, proposal.version, proposal.submitted_at) == (ProposalStatus.DRAFT, 0, None)
    assert not ProposalVersion.objects.filter(proposal=proposal).exists()
    assert not AuditEvent.objects.filter(action__in=["proposal.submitted", "proposal.receipt_issued"]).exists()
    assert not Job.objects.exists()
    assert mail.outbox == []


def test_a_portal_submit_that_loses_the_database_answers_503_and_keeps_nothing(
    owner_and_draft, connection_killed_mid_submit
):
    owner, proposal = owner_and_draft
    client = Client()
    client.force_login(owner)

    response = client.post(f"/portal/proposals/{proposal.reference}/submit/")

    assert connection_killed_mid_submit, "the connection was terminated during the request"
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Please try again shortly" in page
    assert "lost its connection to the database while handling this request, so nothing was saved" in page
    _assert_nothing_half_written(proposal)

    # The next request reconnects and the same submit goes through, once.
    response = client.post(f"/portal/proposals/{proposal.reference}/submit/")
    assert response.status_code == 302
    assert response["Location"] == f"/portal/proposals/{proposal.reference}/versions/1/receipt/"
    assert ProposalVersion.objects.filter(proposal=proposal).count() == 1


def test_an_api_submit_that_loses_the_database_answers_a_503_problem(owner_and_draft, connection_killed_mid_submit):
    owner, proposal = owner_and_draft
    client = Client()
    client.force_login(owner)

    response = client.post(f"/api/v1/proposals/{proposal.reference}/submit/", HTTP_ACCEPT="application/json")

    assert connection_killed_mid_submit
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == "database_unavailable"
    assert "nothing was saved" in response.json()["detail"]
    _assert_nothing_half_written(proposal)

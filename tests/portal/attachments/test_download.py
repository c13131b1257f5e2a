"""Downloading a proposal's file: its supplier's members, reviewers assigned to it and program leads; others 404."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.factories import ProgramLeadFactory, ReviewerUserFactory
from rfp import services
from rfp.enums import AssignmentStatus, ConflictDeclaration
from rfp.factories import draft_proposal
from rfp.models import ReviewAssignment
from suppliers.enums import MemberRole
from suppliers.factories import SupplierMemberFactory
from tests.portal.attachments.files import pdf_bytes

pytestmark = pytest.mark.django_db

CONTENT = pdf_bytes(padding=300)


@pytest.fixture
def attachment(proposal, add_file):
    return add_file(proposal, "Capacity offer.pdf", CONTENT)


def _url(attachment, reference=None):
    return reverse("portal:attachment_download", args=[reference or attachment.proposal.reference, attachment.pk])


def _in_review(proposal, owner):
    lead = ProgramLeadFactory()
    services.proposal_submit(proposal=proposal, actor=owner.user)
    services.proposal_start_review(proposal=proposal, actor=lead)


def _assign(proposal, reviewer, **fields):
    now = timezone.now()
    return ReviewAssignment.objects.create(
        proposal=proposal, reviewer=reviewer, assigned_at=now, due_at=now + timedelta(days=10), **fields
    )


def _assert_is_the_file(response):
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CONTENT
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Capacity offer.pdf"'
    assert response["Content-Length"] == str(len(CONTENT))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert "no-store" in response["Cache-Control"]


def test_a_member_downloads_the_file_with_safe_headers(member_client, attachment):
    _assert_is_the_file(member_client.get(_url(attachment)))


def test_a_viewer_of_the_supplier_may_download(client, attachment):
    viewer = SupplierMemberFactory(supplier=attachment.proposal.supplier, role=MemberRole.VIEWER)
    client.force_login(viewer.user)

    _assert_is_the_file(client.get(_url(attachment)))


def test_another_suppliers_member_gets_404(client, attachment):
    client.force_login(SupplierMemberFactory(role=MemberRole.OWNER).user)

    assert client.get(_url(attachment)).status_code == 404


def test_the_file_is_not_found_through_another_proposals_reference(member_client, attachment, owner):
    other = draft_proposal(
        supplier=owner.supplier, actor=owner.user, sector_code="robotics", rfp=attachment.proposal.rfp
    )

    assert member_client.get(_url(attachment, reference=other.reference)).status_code == 404


def test_an_assigned_reviewer_downloads_the_file(client, attachment, owner):
    _in_review(attachment.proposal, owner)
    reviewer = ReviewerUserFactory()
    _assign(attachment.proposal, reviewer, conflict_declaration=ConflictDeclaration.NO_CONFLICT)
    client.force_login(reviewer)

    _assert_is_the_file(client.get(_url(attachment)))


def test_an_unassigned_reviewer_gets_404(client, attachment, owner):
    _in_review(attachment.proposal, owner)
    _assign(attachment.proposal, ReviewerUserFactory())
    client.force_login(ReviewerUserFactory())

    assert client.get(_url(attachment)).status_code == 404


@pytest.mark.parametrize(
    "fields",
    [
        {"status": AssignmentStatus.RELEASED},
        {"conflict_declaration": ConflictDeclaration.CONFLICT},
    ],
    ids=["released", "conflict-declared"],
)
def test_a_reviewer_whose_assignment_is_released_or_conflicted_gets_404(client, attachment, owner, fields):
    _in_review(attachment.proposal, owner)
    reviewer = ReviewerUserFactory()
    _assign(attachment.proposal, reviewer, **fields)
    client.force_login(reviewer)

    assert client.get(_url(attachment)).status_code == 404


def test_a_program_lead_downloads_the_file_of_a_submitted_proposal(client, attachment, owner):
    _in_review(attachment.proposal, owner)
    client.force_login(ProgramLeadFactory())

    _assert_is_the_file(client.get(_url(attachment)))


def test_a_drafts_file_is_the_suppliers_own_even_for_a_program_lead(client, attachment):
    client.force_login(ProgramLeadFactory())

    assert client.get(_url(attachment)).status_code == 404


@pytest.mark.parametrize("route", ["portal", "api"])
def test_an_assigned_reviewer_who_has_not_declared_conflicts_gets_404(client, attachment, owner, route):
    _in_review(attachment.proposal, owner)
    reviewer = ReviewerUserFactory()
    _assign(attachment.proposal, reviewer)  # undeclared: the declaration comes before anything else
    client.force_login(reviewer)
    url = (
        _url(attachment)
        if route == "portal"
        else f"/api/v1/proposals/{attachment.proposal.reference}/attachments/{attachment.pk}/download/"
    )

    response = client.get(url)

    assert response.status_code == 404
    assert CONTENT not in response.content


def test_an_anonymous_visitor_is_sent_to_sign_in(client, attachment):
    response = client.get(_url(attachment))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert "next=" in response.url


def test_an_unknown_file_is_404(member_client, attachment):
    url = reverse("portal:attachment_download", args=[attachment.proposal.reference, attachment.pk + 1000])

    assert member_client.get(url).status_code == 404

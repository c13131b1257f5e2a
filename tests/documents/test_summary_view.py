"""GET /documents/proposals/<id>/summary.pdf: each person gets the copy their role allows; anyone else a 404."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.factories import ReviewerUserFactory, UserFactory
from audit.models import AuditEvent
from documents.models import Audience, SummaryPdf
from documents.services import summary_pdf_render
from jobs.models import Job
from rfp import services
from rfp.enums import AssignmentStatus, ConflictDeclaration
from rfp.factories import draft_proposal
from rfp.job_names import SUMMARY_RENDER_TASK as RENDER_TASK
from rfp.models import ReviewAssignment
from suppliers.enums import MemberRole
from suppliers.factories import SupplierMemberFactory
from tests.documents.conftest import PAYMENT_TERMS, pdf_text

pytestmark = pytest.mark.django_db


def _url(proposal) -> str:
    return reverse("documents:proposal_summary_pdf", args=[proposal.pk])


def _render_every_copy(proposal) -> None:
    for audience in Audience.values:
        summary_pdf_render(proposal_id=proposal.pk, audience=audience, reason="test")


def _get(client, user, proposal):
    client.force_login(user)
    return client.get(_url(proposal))


def _pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    return pdf_text(b"".join(response.streaming_content))


def test_the_url(case):
    assert _url(case.proposal) == f"/documents/proposals/{case.proposal.pk}/summary.pdf"


def test_a_member_of_the_supplier_gets_the_suppliers_copy(client, case):
    _render_every_copy(case.proposal)
    viewer = SupplierMemberFactory(supplier=case.proposal.supplier, role=MemberRole.VIEWER).user

    for user in (case.owner, viewer):
        response = _get(client, user, case.proposal)
        text = _pdf_text(response)
        assert "Supplier's copy" in text
        assert PAYMENT_TERMS in text
        assert "Automated checks" not in text
        assert f'filename="{case.proposal.reference}-v1-summary-supplier.pdf"' in response["Content-Disposition"]


def test_an_assigned_reviewer_gets_the_reviewers_copy_without_the_sealed_terms(client, case):
    _render_every_copy(case.proposal)

    text = _pdf_text(_get(client, case.reviewer, case.proposal))

    assert "Reviewer's copy" in text
    assert PAYMENT_TERMS not in text
    assert not AuditEvent.objects.filter(action="commercial_terms.opened").exists()


def test_a_program_lead_gets_the_leads_copy_with_the_terms_sealed_before_the_close(client, case):
    _render_every_copy(case.proposal)

    text = _pdf_text(_get(client, case.lead, case.proposal))

    assert "Program lead's copy" in text
    assert PAYMENT_TERMS not in text
    assert "Commercial terms stay sealed in this copy until the round closes on" in text
    assert not AuditEvent.objects.filter(action="commercial_terms.opened").exists()


def test_a_program_lead_gets_the_terms_in_the_copy_after_the_close_and_the_showing_is_audited(client, case):
    with time_machine.travel(case.proposal.rfp.closes_at + timedelta(hours=1)):
        _render_every_copy(case.proposal)
        text = _pdf_text(_get(client, case.lead, case.proposal))

    assert PAYMENT_TERMS in text
    event = AuditEvent.objects.get(action="commercial_terms.opened")
    assert event.data["before_close"] is False


def test_a_leads_copy_made_with_the_terms_is_not_served_while_they_are_sealed(client, case):
    with time_machine.travel(case.proposal.rfp.closes_at + timedelta(hours=1)):
        _render_every_copy(case.proposal)
    SummaryPdf.objects.filter(audience=Audience.PROGRAM_LEAD).update(state="an older rule")

    response = _get(client, case.lead, case.proposal)

    assert response.status_code == 404
    assert "The PDF summary is being prepared" in response.content.decode()
    assert not AuditEvent.objects.filter(action="commercial_terms.opened").exists()


def test_an_assigned_reviewer_who_has_not_declared_conflicts_gets_a_404(client, case):
    _render_every_copy(case.proposal)
    ReviewAssignment.objects.filter(pk=case.assignment.pk).update(conflict_declaration=ConflictDeclaration.UNDECLARED)

    response = _get(client, case.reviewer, case.proposal)

    assert response.status_code == 404
    assert "Reviewer's copy" not in response.content.decode(errors="replace")


@pytest.mark.parametrize("who", ["another_supplier", "unassigned_reviewer", "released_reviewer", "conflicted_reviewer"])
def test_anyone_else_gets_a_404(client, case, who):
    _render_every_copy(case.proposal)
    if who == "another_supplier":
        user = SupplierMemberFactory(role=MemberRole.OWNER).user
    elif who == "unassigned_reviewer":
        user = ReviewerUserFactory()
    else:
        user = case.reviewer
        if who == "released_reviewer":
            ReviewAssignment.objects.filter(pk=case.assignment.pk).update(
                status=AssignmentStatus.RELEASED, released_at=timezone.now()
            )
        else:
            ReviewAssignment.objects.filter(pk=case.assignment.pk).update(
                conflict_declaration=ConflictDeclaration.CONFLICT
            )

    response = _get(client, user, case.proposal)

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_person_without_a_company_or_role_and_an_unknown_proposal_get_a_404(client, case):
    _render_every_copy(case.proposal)

    assert _get(client, UserFactory(), case.proposal).status_code == 404
    client.force_login(case.lead)
    assert client.get(reverse("documents:proposal_summary_pdf", args=[case.proposal.pk + 1000])).status_code == 404


def test_a_draft_has_no_summary(client):
    owner = SupplierMemberFactory(role=MemberRole.OWNER)
    proposal = draft_proposal(supplier=owner.supplier, actor=owner.user)

    assert _get(client, owner.user, proposal).status_code == 404


def test_signing_in_comes_first(client, case):
    response = client.get(_url(case.proposal))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_no_pdf_yet_is_a_404_saying_it_is_being_prepared_and_a_render_is_enqueued(client, case):
    response = _get(client, case.owner, case.proposal)

    assert response.status_code == 404
    assert "The PDF summary is being prepared" in response.content.decode()
    job = Job.objects.get(task_name=RENDER_TASK)
    assert job.arguments == {
        "proposal_id": case.proposal.pk,
        "audience": "supplier",
        "reason": "requested",
        "version": 1,
    }

    _get(client, case.owner, case.proposal)
    assert Job.objects.filter(task_name=RENDER_TASK).count() == 1, "asking again does not enqueue it twice"


def test_an_out_of_date_copy_is_served_while_a_new_one_is_enqueued(client, case):
    old = summary_pdf_render(proposal_id=case.proposal.pk, audience=Audience.PROGRAM_LEAD, reason="submitted")
    services.proposal_run_checks(proposal_id=case.proposal.pk, version=1)
    Job.objects.filter(task_name=RENDER_TASK).delete()  # the checks' own render jobs: not what this test is about

    text = _pdf_text(_get(client, case.lead, case.proposal))

    assert "The checks of version 1 have not run yet." in text, f"the copy served is the one stored ({old.pk})"
    job = Job.objects.get(task_name=RENDER_TASK)
    assert (job.arguments["audience"], job.arguments["reason"]) == ("program_lead", "requested")


def test_the_reviewer_copy_after_close_is_refreshed_with_the_terms(client, case):
    summary_pdf_render(proposal_id=case.proposal.pk, audience=Audience.REVIEWER, reason="submitted")
    closed = case.proposal.rfp.closes_at + timedelta(hours=1)

    with time_machine.travel(closed):
        response = _get(client, case.reviewer, case.proposal)

    assert PAYMENT_TERMS not in _pdf_text(response), "the stored copy was made before the close"
    job = Job.objects.get(task_name=RENDER_TASK, arguments__audience="reviewer")
    assert job.arguments["reason"] == "requested"

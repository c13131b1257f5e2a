"""The buyer's own records written in the panel: each write is saved with an audit event naming who and what."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.factories import ProgramLeadFactory, ReviewerUserFactory
from audit.models import AuditEvent
from rfp.factories import RfpFactory, draft_proposal
from rfp.models import Addendum, Clarification, Criterion, ReviewAssignment, Rubric
from rfp.services import proposal_submit
from suppliers.factories import SupplierMemberFactory
from tests.panel.test_every_write import _posted_back


@pytest.fixture
def lead(db):
    return ProgramLeadFactory(is_superuser=True)


@pytest.fixture
def lead_client(client, lead):
    client.force_login(lead)
    return client


def _page_data(client, model, url: str) -> dict:
    return _posted_back(client.get(url).content.decode(), model)


def test_a_criterion_added_on_the_rubric_page_is_audited(lead, lead_client):
    rubric = Rubric.objects.filter(rfp=None).first()
    url = reverse("admin:rfp_rubric_change", args=[rubric.pk])
    data = _page_data(lead_client, Rubric, url)
    total = int(data["criteria-TOTAL_FORMS"])
    data.update(
        {
            "criteria-TOTAL_FORMS": str(total + 1),
            f"criteria-{total}-position": "99",
            f"criteria-{total}-code": "export-compliance",
            f"criteria-{total}-name": "Export compliance",
            f"criteria-{total}-weight": "5",
            f"criteria-{total}-max_score": "5",
            f"criteria-{total}-guidance": "",
        }
    )

    response = lead_client.post(url, data)

    assert response.status_code == 302
    criterion = Criterion.objects.get(rubric=rubric, code="export-compliance")
    event = AuditEvent.objects.get(action="rfp.criterion.created", object_id=str(criterion.pk))
    assert event.actor == lead
    assert "Export compliance" in event.summary


def test_answering_a_question_is_audited_and_the_question_stays_the_suppliers(lead, lead_client):
    member = SupplierMemberFactory()
    question = Clarification.objects.create(
        rfp=RfpFactory(), supplier=member.supplier, asked_by=member.user, question="Are prototypes in scope?"
    )
    url = reverse("admin:rfp_clarification_change", args=[question.pk])
    data = _page_data(lead_client, Clarification, url)
    data.update(answer="Yes, up to ten units.", is_published="on", question="Rewritten by the buyer")

    response = lead_client.post(url, data)

    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.question, question.answer, question.is_published) == (
        "Are prototypes in scope?",
        "Yes, up to ten units.",
        True,
    )
    event = AuditEvent.objects.get(action="rfp.clarification.changed", object_id=str(question.pk))
    assert event.actor == lead
    assert set(event.data["changed"]) == {"answer", "is_published", "answered_at"}


def test_moving_a_review_due_date_is_audited_on_the_assignment_and_in_the_proposals_history(lead, lead_client):
    proposal = proposal_submit(proposal=draft_proposal(), actor=None)
    assignment = ReviewAssignment.objects.create(
        proposal=proposal,
        reviewer=ReviewerUserFactory(),
        assigned_at=timezone.now(),
        due_at=timezone.now() + timedelta(days=10),
    )
    url = reverse("admin:rfp_reviewassignment_change", args=[assignment.pk])
    data = _page_data(lead_client, ReviewAssignment, url)
    data.update({"due_at": "2099-01-15 17:00:00"})  # Pacific: the factory's round is in Los Angeles

    response = lead_client.post(url, data)

    assert response.status_code == 302
    assignment.refresh_from_db()
    assert f"{assignment.due_at:%Y-%m-%d %H:%M}" == "2099-01-16 01:00"
    assert AuditEvent.objects.get(action="rfp.reviewassignment.changed").data["changed"] == ["due_at"]
    assert AuditEvent.objects.get(action="review.due_date_changed", object_id=str(proposal.pk)).actor == lead


def test_deleting_an_addendum_is_audited(lead, lead_client):
    addendum = Addendum.objects.create(
        rfp=RfpFactory(), number=1, title="Scope extended", body="Cabling.", published_at=timezone.now()
    )

    response = lead_client.post(reverse("admin:rfp_addendum_delete", args=[addendum.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not Addendum.objects.filter(pk=addendum.pk).exists()
    event = AuditEvent.objects.get(action="rfp.addendum.deleted", object_id=str(addendum.pk))
    assert event.actor == lead
    assert "Scope extended" in event.summary

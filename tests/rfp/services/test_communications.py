"""Addenda acknowledgements and clarification questions: idempotent, audited, private until published."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from accounts.factories import UserFactory
from audit.models import AuditEvent
from rfp import services
from rfp.exceptions import DeadlinePassed, DomainError
from rfp.factories import RfpFactory
from rfp.models import Addendum, AddendumAcknowledgement, Clarification
from rfp.selectors import clarification_list_awaiting_for_supplier, clarification_list_published
from suppliers.factories import SupplierFactory

pytestmark = pytest.mark.django_db


def test_acknowledging_twice_keeps_the_first_acknowledgement_and_one_audit_event():
    rfp = RfpFactory()
    addendum = Addendum.objects.create(
        rfp=rfp, number=1, title="Revised", body="…", published_at=timezone.now() - timedelta(minutes=5)
    )
    supplier, first, second = SupplierFactory(), UserFactory(), UserFactory()

    one = services.addendum_acknowledge(addendum=addendum, supplier=supplier, actor=first)
    two = services.addendum_acknowledge(addendum=addendum, supplier=supplier, actor=second)

    assert one.pk == two.pk
    assert AddendumAcknowledgement.objects.get().acknowledged_by == first
    event = AuditEvent.objects.get(action="addendum.acknowledged")
    assert event.actor == first
    assert event.data["number"] == 1


def test_an_addendum_not_yet_published_cannot_be_acknowledged():
    addendum = Addendum.objects.create(
        rfp=RfpFactory(), number=1, title="Soon", body="…", published_at=timezone.now() + timedelta(days=1)
    )

    with pytest.raises(DomainError, match="not published yet"):
        services.addendum_acknowledge(addendum=addendum, supplier=SupplierFactory(), actor=UserFactory())

    assert not AddendumAcknowledgement.objects.exists()


def test_a_question_is_private_to_its_supplier_until_published():
    rfp = RfpFactory()
    asker, other = SupplierFactory(), SupplierFactory()

    clarification = services.clarification_ask(rfp=rfp, supplier=asker, actor=UserFactory(), question="  Why?  ")

    assert clarification.question == "Why?"
    assert list(clarification_list_awaiting_for_supplier(rfp=rfp, supplier=asker)) == [clarification]
    assert list(clarification_list_awaiting_for_supplier(rfp=rfp, supplier=other)) == []
    assert list(clarification_list_published(rfp=rfp)) == []
    assert AuditEvent.objects.filter(action="clarification.asked").count() == 1

    Clarification.objects.filter(pk=clarification.pk).update(answer="Because.", is_published=True)
    assert list(clarification_list_published(rfp=rfp)) == [clarification]
    assert list(clarification_list_awaiting_for_supplier(rfp=rfp, supplier=asker)) == []


@pytest.mark.parametrize(("question", "message"), [("   ", "Write your question"), ("x" * 4001, "4000")])
def test_an_empty_or_overlong_question_is_refused(question, message):
    with pytest.raises(DomainError, match=message):
        services.clarification_ask(rfp=RfpFactory(), supplier=SupplierFactory(), actor=UserFactory(), question=question)

    assert not Clarification.objects.exists()


def test_questions_are_refused_after_the_deadline():
    rfp = RfpFactory(reference="AI-INFRA-Q")

    with (
        time_machine.travel(rfp.closes_at + timedelta(seconds=1), tick=False),
        pytest.raises(DeadlinePassed) as refusal,
    ):
        services.clarification_ask(rfp=rfp, supplier=SupplierFactory(), actor=UserFactory(), question="Late?")

    assert "AI-INFRA-Q closed on" in refusal.value.message
    assert "you can no longer ask clarification questions" in refusal.value.message
    assert not Clarification.objects.exists()


def test_publishing_an_answer_stamps_when_and_a_published_answer_appears_to_suppliers():
    rfp = RfpFactory()
    question = Clarification.objects.create(rfp=rfp, supplier=SupplierFactory(), question="Is packaging in scope?")
    lead = UserFactory()

    with time_machine.travel("2026-05-04 18:00:00+00:00", tick=False):
        services.clarification_answer(clarification=question, answer="  No.  ", publish=True, actor=lead)

    question.refresh_from_db()
    assert question.answer == "No."
    assert question.answered_at == datetime(2026, 5, 4, 18, 0, tzinfo=UTC)
    assert list(clarification_list_published(rfp=rfp)) == [question]


def test_an_answer_bypassing_the_panel_form_is_still_refused_and_changes_nothing():
    question = Clarification.objects.create(rfp=RfpFactory(), supplier=SupplierFactory(), question="Scope?")

    with pytest.raises(DomainError, match="Write the answer before publishing it"):
        services.clarification_answer(clarification=question, answer=" ", publish=True, actor=None)
    with pytest.raises(DomainError, match="keep it to 20,000"):
        services.clarification_answer(clarification=question, answer="x" * 20_001, publish=False, actor=None)

    question.refresh_from_db()
    assert (question.answer, question.is_published, question.answered_at) == ("", False, None)
    assert not AuditEvent.objects.filter(action="rfp.clarification.changed").exists()

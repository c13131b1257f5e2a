"""A review's due date is typed and shown in the round's time zone; an answer's publication time is set when the lead
publishes it, never typed, and shown in the round's time zone."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.factories import ProgramLeadFactory, ReviewerUserFactory
from audit.models import AuditEvent
from rfp.enums import AssignmentStatus
from rfp.factories import RfpFactory, draft_proposal
from rfp.models import Clarification, ReviewAssignment, Rfp
from rfp.services import proposal_submit
from suppliers.factories import SupplierMemberFactory
from tests.panel.test_every_write import _posted_back

ORIGINAL_DUE = datetime(2026, 7, 10, 7, 0, tzinfo=UTC)  # 10 July 2026 00:00 PDT


@pytest.fixture
def lead(db):
    return ProgramLeadFactory(is_superuser=True)


@pytest.fixture
def lead_client(client, lead):
    client.force_login(lead)
    return client


@pytest.fixture
def assignment(db):
    proposal = proposal_submit(proposal=draft_proposal(), actor=None)
    assert proposal.rfp.display_time_zone == "America/Los_Angeles"
    return ReviewAssignment.objects.create(
        proposal=proposal, reviewer=ReviewerUserFactory(), assigned_at=timezone.now(), due_at=ORIGINAL_DUE
    )


def _assignment_url(assignment: ReviewAssignment) -> str:
    return reverse("admin:rfp_reviewassignment_change", args=[assignment.pk])


def _post_due(client, assignment: ReviewAssignment, **changes):
    url = _assignment_url(assignment)
    data = _posted_back(client.get(url).content.decode(), ReviewAssignment)
    data.update(changes)
    return client.post(url, data)


def _errors(response) -> str:
    return " ".join(str(error) for errors in response.context["adminform"].form.errors.values() for error in errors)


# --- The due date ---------------------------------------------------------------------------------------------------


def test_the_due_date_is_shown_in_the_rounds_zone_labelled_with_it(lead_client, assignment):
    html = lead_client.get(_assignment_url(assignment)).content.decode()

    assert 'value="2026-07-10 00:00:00"' in html
    assert "2026-07-10 07:00" not in html
    assert "Due at (America/Los_Angeles, PDT/PST)" in html


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("2026-07-20 17:00", datetime(2026, 7, 21, 0, 0, tzinfo=UTC)),  # PDT, UTC-7
        ("2026-12-14 17:00", datetime(2026, 12, 15, 1, 0, tzinfo=UTC)),  # PST, UTC-8
    ],
)
def test_a_due_date_typed_at_five_pm_local_is_stored_as_that_instant(lead, lead_client, assignment, typed, stored):
    response = _post_due(lead_client, assignment, due_at=typed)

    assert response.status_code == 302, _errors(response)
    assignment.refresh_from_db()
    assert assignment.due_at == stored
    history = AuditEvent.objects.get(action="review.due_date_changed", object_id=str(assignment.proposal_id))
    assert history.actor == lead
    assert "5:00 PM P" in history.summary and "UTC" not in history.summary
    assert AuditEvent.objects.get(action="rfp.reviewassignment.changed").data["changed"] == ["due_at"]


def test_a_due_date_the_clocks_skip_is_refused_and_nothing_changes(lead_client, assignment):
    response = _post_due(lead_client, assignment, due_at="2027-03-14 02:30")

    assert response.status_code == 200
    assert "2027-03-14 02:30 does not exist in America/Los_Angeles" in _errors(response)
    assignment.refresh_from_db()
    assert assignment.due_at == ORIGINAL_DUE
    assert not AuditEvent.objects.filter(action__in=["review.due_date_changed", "rfp.reviewassignment.changed"])


def test_a_repeated_due_time_asks_which_and_takes_the_answer(lead_client, assignment):
    asked = _post_due(lead_client, assignment, due_at="2026-11-01 01:30")

    assert asked.status_code == 200
    assert "2026-11-01 01:30 happens twice in America/Los_Angeles" in _errors(asked)
    assert "the second (PST, 2026-11-01 09:30 UTC)" in asked.content.decode()
    assignment.refresh_from_db()
    assert assignment.due_at == ORIGINAL_DUE

    answered = _post_due(lead_client, assignment, due_at="2026-11-01 01:30", due_at_occurrence="first")

    assert answered.status_code == 302, _errors(answered)
    assignment.refresh_from_db()
    assert assignment.due_at == datetime(2026, 11, 1, 8, 30, tzinfo=UTC)


def test_an_unreadable_due_date_is_refused_with_the_expected_format(lead_client, assignment):
    response = _post_due(lead_client, assignment, due_at="next friday" * 50)

    assert response.status_code == 200
    assert "Enter the date and time as YYYY-MM-DD HH:MM" in _errors(response)
    assignment.refresh_from_db()
    assert assignment.due_at == ORIGINAL_DUE


def test_saving_the_page_unchanged_keeps_the_due_date_to_the_second(lead_client, assignment):
    precise = ORIGINAL_DUE + timedelta(microseconds=123456)
    ReviewAssignment.objects.filter(pk=assignment.pk).update(due_at=precise)

    response = _post_due(lead_client, assignment)

    assert response.status_code == 302, _errors(response)
    assignment.refresh_from_db()
    assert assignment.due_at == precise
    assert not AuditEvent.objects.filter(action="review.due_date_changed").exists()


def test_moving_the_due_date_does_not_undo_a_release_made_while_the_page_was_open(lead_client, assignment):
    url = _assignment_url(assignment)
    data = _posted_back(lead_client.get(url).content.decode(), ReviewAssignment)
    ReviewAssignment.objects.filter(pk=assignment.pk).update(status=AssignmentStatus.RELEASED)
    data["due_at"] = "2026-07-20 17:00"

    assert lead_client.post(url, data).status_code == 302

    assignment.refresh_from_db()
    assert (assignment.status, assignment.due_at) == (AssignmentStatus.RELEASED, datetime(2026, 7, 21, tzinfo=UTC))


def test_the_assignment_list_and_the_proposal_page_show_the_due_date_in_the_rounds_zone(lead_client, assignment):
    listed = lead_client.get(reverse("admin:rfp_reviewassignment_changelist")).content.decode()
    proposal_page = lead_client.get(
        reverse("admin:rfp_proposal_change", args=[assignment.proposal_id])
    ).content.decode()

    for html in (listed, proposal_page):
        assert "2026-07-10 00:00:00 PDT (America/Los_Angeles)" in html
        assert "July 10, 2026, 7 a.m." not in html


# --- The answer's publication time ----------------------------------------------------------------------------------


@pytest.fixture
def question(db):
    member = SupplierMemberFactory()
    return Clarification.objects.create(
        rfp=RfpFactory(), supplier=member.supplier, asked_by=member.user, question="Are prototypes in scope?"
    )


def _question_url(question: Clarification) -> str:
    return reverse("admin:rfp_clarification_change", args=[question.pk])


def _post_answer(client, question: Clarification, **changes):
    url = _question_url(question)
    data = _posted_back(client.get(url).content.decode(), Clarification)
    data.update(changes)
    return client.post(url, data)


def test_the_answer_page_offers_no_field_for_when_it_was_answered(lead_client, question):
    html = lead_client.get(_question_url(question)).content.decode()

    assert 'name="answered_at' not in html
    assert "Answer published at (round&#x27;s zone)" in html


def test_publishing_an_answer_sets_when_and_a_typed_time_is_ignored(lead_client, question):
    before = timezone.now()

    response = _post_answer(
        lead_client, question, answer="Yes, up to ten units.", is_published="on", answered_at="2001-01-01 00:00"
    )

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.is_published and question.answer == "Yes, up to ten units."
    assert before <= question.answered_at <= timezone.now()
    local = question.answered_at.astimezone(question.rfp.tz)
    html = lead_client.get(_question_url(question)).content.decode()
    assert f"{local:%Y-%m-%d %H:%M:%S %Z} (America/Los_Angeles)" in html


def test_a_draft_answer_is_not_answered_yet_and_unpublishing_clears_the_time(lead_client, question):
    _post_answer(lead_client, question, answer="Draft: likely yes.")
    question.refresh_from_db()
    assert (question.answer, question.answered_at) == ("Draft: likely yes.", None)

    _post_answer(lead_client, question, answer="Yes.", is_published="on")
    question.refresh_from_db()
    assert question.answered_at is not None

    url = _question_url(question)
    unticked = _posted_back(lead_client.get(url).content.decode(), Clarification)
    del unticked["is_published"]
    assert lead_client.post(url, unticked).status_code == 302
    question.refresh_from_db()
    assert (question.is_published, question.answered_at) == (False, None)


def test_saving_a_published_answer_unchanged_keeps_its_time(lead_client, question):
    _post_answer(lead_client, question, answer="Yes.", is_published="on")
    question.refresh_from_db()
    first = question.answered_at

    _post_answer(lead_client, question)

    question.refresh_from_db()
    assert question.answered_at == first


def test_publishing_an_empty_answer_is_refused_and_nothing_changes(lead_client, question):
    response = _post_answer(lead_client, question, answer="   ", is_published="on")

    assert response.status_code == 200
    assert "Write the answer before publishing it" in _errors(response)
    question.refresh_from_db()
    assert (question.is_published, question.answered_at) == (False, None)
    assert not AuditEvent.objects.filter(action="rfp.clarification.changed").exists()


def test_an_oversized_answer_is_refused_and_nothing_changes(lead_client, question):
    response = _post_answer(lead_client, question, answer="x" * 20_001, is_published="on")

    assert response.status_code == 200
    assert "This field takes up to 20,000 characters; you entered 20,001 characters." in _errors(response)
    question.refresh_from_db()
    assert (question.answer, question.is_published) == ("", False)


def test_publishing_on_the_rounds_page_sets_when_too(lead, lead_client, question):
    url = reverse("admin:rfp_rfp_change", args=[question.rfp_id])
    data = _posted_back(lead_client.get(url).content.decode(), Rfp)
    data.update({"clarifications-0-answer": "Yes, up to ten units.", "clarifications-0-is_published": "on"})
    data["clarifications-0-answered_at"] = "2001-01-01 00:00"
    before = timezone.now()

    response = lead_client.post(url, data)

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    question.refresh_from_db()
    assert question.is_published
    assert before <= question.answered_at <= timezone.now()
    event = AuditEvent.objects.get(action="rfp.clarification.changed", object_id=str(question.pk))
    assert event.actor == lead and "answered_at" in event.data["changed"]

"""One proposal in the review workspace: who may see it, the conflict gate, scoring, sealed terms, decisions."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.factories import UserFactory
from audit.models import AuditEvent
from audit.services import audit_record
from jobs.models import Job
from jobs.services import job_run
from notifications import tasks as notification_tasks
from rfp import services
from rfp.enums import AssignmentStatus, ConflictDeclaration, ProposalStatus
from rfp.models import CommercialTerms, Decision, Proposal, Review, ReviewAssignment, ReviewerConflict, Rfp
from rfp.selectors import rubric_for_proposal
from suppliers.models import SupplierMember
from tests.review.conftest import assign, in_review, make_reviewer
from tests.support.outbox import deliver_outbox

pytestmark = pytest.mark.django_db


def _url(proposal, name="review:proposal"):
    return reverse(name, args=[proposal.reference])


def _events(proposal, action):
    return AuditEvent.objects.filter(object_type="rfp.proposal", object_id=str(proposal.pk), action=action)


def _run_jobs(task_name: str) -> None:
    handlers = {
        services.DECISION_NOTICE_TASK: notification_tasks.send_decision_notice,
        services.INFORMATION_REQUEST_NOTICE_TASK: notification_tasks.send_information_request_notice,
        services.ASSIGNMENT_EMAIL_TASK: notification_tasks.send_review_assignment_email,
    }
    for job in Job.objects.filter(task_name=task_name):
        job_run(job_id=job.pk, handler=handlers[task_name].handler)
    deliver_outbox()


def _full_scores(proposal) -> dict:
    rubric = rubric_for_proposal(proposal=proposal)
    return {f"score_{criterion.code}": str(criterion.max_score - 1) for criterion in rubric.criteria.all()}


@pytest.fixture
def assigned(reviewer):
    proposal = in_review(legal_name="Lone Star Racks LLC")
    return proposal, assign(proposal, reviewer)


# --- Who sees what ------------------------------------------------------------------------------------------------


def test_a_reviewer_of_another_sector_and_a_supplier_get_404(client, assigned):
    proposal, _ = assigned
    for outsider in (make_reviewer(sectors=("robotics",)), UserFactory()):
        client.force_login(outsider)
        assert client.get(_url(proposal)).status_code == 404
        assert client.post(_url(proposal, "review:declare_conflict"), {"declaration": "no_conflict"}).status_code == 404
    assert client.get(reverse("review:queue")).status_code == 404


def test_anonymous_people_are_sent_to_sign_in(client, assigned):
    proposal, _ = assigned
    response = client.get(_url(proposal))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_conflict_declaration_comes_before_the_proposal(client, assigned, reviewer):
    proposal, assignment = assigned
    client.force_login(reviewer)
    page = client.get(_url(proposal)).content.decode()
    assert "Do you have a conflict of interest with this supplier" in page
    assert "Lone Star Racks LLC" in page
    assert "We build it in Texas." not in page  # the narrative waits for the declaration
    assert "Your review" not in page

    response = client.post(_url(proposal, "review:declare_conflict"), {"declaration": "no_conflict"})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.conflict_declaration == ConflictDeclaration.NO_CONFLICT
    page = client.get(_url(proposal)).content.decode()
    assert "We build it in Texas." in page
    assert "Your review" in page


def test_a_conflict_needs_a_note_and_changes_nothing_without_one(client, assigned, reviewer):
    proposal, assignment = assigned
    client.force_login(reviewer)
    response = client.post(_url(proposal, "review:declare_conflict"), {"declaration": "conflict", "note": " "})
    assert response.status_code == 400
    assert "Say briefly what the conflict is" in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ASSIGNED


def test_a_declared_conflict_releases_the_assignment_and_another_reviewer_takes_it(client, assigned, reviewer):
    proposal, assignment = assigned
    replacement = make_reviewer()
    client.force_login(reviewer)
    response = client.post(
        _url(proposal, "review:declare_conflict"), {"declaration": "conflict", "note": "My brother works there."}
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.RELEASED
    assert ReviewerConflict.objects.filter(reviewer=reviewer, supplier=proposal.supplier).exists()
    assert ReviewAssignment.objects.filter(proposal=proposal, reviewer=replacement, status="assigned").exists()
    # The released reviewer no longer sees the proposal at all.
    assert client.get(_url(proposal)).status_code == 404
    assert proposal.reference not in client.get(reverse("review:queue")).content.decode()


# --- Scoring ------------------------------------------------------------------------------------------------------


def test_a_reviewer_saves_a_draft_then_submits_and_the_lead_sees_the_aggregate(client, assigned, reviewer, lead):
    proposal, assignment = assigned
    services.assignment_declare_no_conflict(assignment=assignment, actor=reviewer)
    client.force_login(reviewer)
    scores = _full_scores(proposal)
    first_code = next(iter(scores))
    draft = {first_code: scores[first_code], "comments": "Strong site.", "recommendation": "", "action": "save"}
    assert client.post(_url(proposal, "review:save_review"), draft).status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ASSIGNED
    assert assignment.review.comments == "Strong site."
    page = client.get(_url(proposal)).content.decode()
    assert 'value="Strong site."' in page or "Strong site.</textarea>" in page

    incomplete = {**draft, "action": "submit", "recommendation": "shortlist"}
    response = client.post(_url(proposal, "review:save_review"), incomplete)
    assert response.status_code == 400
    assert "Score every criterion before submitting" in response.content.decode()

    submitted = {**scores, "comments": "Strong site.", "recommendation": "shortlist", "action": "submit"}
    response = client.post(_url(proposal, "review:save_review"), submitted)
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.COMPLETED
    assert _events(proposal, "review.submitted").count() == 1

    client.force_login(lead)
    page = client.get(_url(proposal)).content.decode()
    assert "Weighted mean" in page
    assert str(assignment.review.weighted_score) in page


def test_submitting_with_scores_missing_names_the_criteria_and_the_recommendations_by_label(client, assigned, reviewer):
    proposal, assignment = assigned
    services.assignment_declare_no_conflict(assignment=assignment, actor=reviewer)
    client.force_login(reviewer)
    criteria = list(rubric_for_proposal(proposal=proposal).criteria.all())
    first = criteria[0]

    response = client.post(
        _url(proposal, "review:save_review"), {f"score_{first.code}": "1", "recommendation": "", "action": "submit"}
    )

    assert response.status_code == 400
    page = response.content.decode()
    missing = ", ".join(criterion.name for criterion in criteria[1:])
    assert f"Score every criterion before submitting: {missing}." in page
    assert "Choose a recommendation: Shortlist, Decline or Request more information." in page
    assert "(shortlist, decline, request_info)" not in page
    assert not Review.objects.filter(assignment=assignment).exists()


def test_a_score_above_the_criterion_maximum_is_refused_on_its_field(client, assigned, reviewer):
    proposal, assignment = assigned
    services.assignment_declare_no_conflict(assignment=assignment, actor=reviewer)
    client.force_login(reviewer)
    scores = _full_scores(proposal)
    code = next(iter(scores))
    response = client.post(_url(proposal, "review:save_review"), {**scores, code: "99", "action": "save"})
    assert response.status_code == 400
    assert "Ensure this value is less than or equal to" in response.content.decode()
    assert not Review.objects.filter(assignment=assignment).exists()
    assert not AuditEvent.objects.filter(action="review.saved").exists()


# --- Sealed commercial terms --------------------------------------------------------------------------------------


def test_commercial_terms_are_sealed_for_reviewers_until_close_and_each_opening_is_audited(client, assigned, reviewer):
    proposal, assignment = assigned
    CommercialTerms.objects.update_or_create(proposal=proposal, defaults={"unit_price_usd": "1234.56"})
    services.assignment_declare_no_conflict(assignment=assignment, actor=reviewer)
    client.force_login(reviewer)
    page = client.get(_url(proposal)).content.decode()
    assert "Sealed until the round closes" in page
    assert "1234.56" not in page and "1,234.56" not in page
    assert client.post(_url(proposal, "review:commercial_terms")).status_code == 404
    assert not _events(proposal, "commercial_terms.opened").exists()

    # The round closes (moving the clock instead would also expire the reviewer's session).
    Rfp.objects.filter(pk=proposal.rfp_id).update(closes_at=timezone.now() - timedelta(minutes=1))
    response = client.post(_url(proposal, "review:commercial_terms"))
    assert response.status_code == 200
    assert "$1,234.56" in response.content.decode()
    assert _events(proposal, "commercial_terms.opened").count() == 1


def test_a_program_lead_opens_the_terms_before_close_and_it_is_recorded(client, assigned, lead):
    proposal, _ = assigned
    CommercialTerms.objects.update_or_create(proposal=proposal, defaults={"unit_price_usd": "99.00"})
    client.force_login(lead)
    response = client.post(_url(proposal, "review:commercial_terms"))
    assert "$99" in response.content.decode()
    event = _events(proposal, "commercial_terms.opened").get()
    assert event.data["before_close"] is True


def test_before_the_close_the_lead_s_page_shows_no_price_until_the_audited_opening(client, assigned, lead):
    proposal, _ = assigned
    CommercialTerms.objects.update_or_create(proposal=proposal, defaults={"unit_price_usd": "7777.12"})
    client.force_login(lead)

    page = client.get(_url(proposal)).content.decode()
    assert "7777.12" not in page and "7,777.12" not in page
    assert "Open the commercial terms" in page
    assert not _events(proposal, "commercial_terms.opened").exists()

    opened = client.post(_url(proposal, "review:commercial_terms"))
    assert opened.status_code == 200
    assert "$7,777.12" in opened.content.decode()
    assert _events(proposal, "commercial_terms.opened").get().actor == lead
    assert "7,777.12" not in client.get(_url(proposal)).content.decode(), "shown once, in the opening's answer"


def test_a_reviewer_with_a_declared_conflict_gets_a_404_on_the_page_and_the_terms(client, assigned, reviewer):
    proposal, assignment = assigned
    ReviewAssignment.objects.filter(pk=assignment.pk).update(conflict_declaration=ConflictDeclaration.CONFLICT)
    Rfp.objects.filter(pk=proposal.rfp_id).update(closes_at=timezone.now() - timedelta(minutes=1))
    client.force_login(reviewer)

    assert client.get(_url(proposal)).status_code == 404
    assert client.post(_url(proposal, "review:commercial_terms")).status_code == 404


# --- Blind review -------------------------------------------------------------------------------------------------


def test_blind_review_hides_the_supplier_from_reviewers_but_not_from_leads(client, reviewer, lead):
    proposal = in_review(legal_name="Secret Motors Inc")
    proposal.rfp.blind_review = True
    proposal.rfp.save()
    assignment = assign(proposal, reviewer)
    client.force_login(reviewer)
    assert "Secret Motors" not in client.get(reverse("review:queue")).content.decode()
    assert "Secret Motors" not in client.get(_url(proposal)).content.decode()
    services.assignment_declare_no_conflict(assignment=assignment, actor=reviewer)
    page = client.get(_url(proposal)).content.decode()
    assert "Secret Motors" not in page
    assert proposal.supplier.uei not in page
    assert "Hidden: this round is reviewed blind." in page
    client.force_login(lead)
    assert "Secret Motors" in client.get(_url(proposal)).content.decode()


# --- Decisions ----------------------------------------------------------------------------------------------------


def test_a_lead_declines_with_a_rationale_and_the_supplier_sees_the_outcome(client, assigned, lead):
    proposal, _ = assigned
    client.force_login(lead)
    response = client.post(
        _url(proposal, "review:decide"),
        {"outcome": "declined", "rationale": "Capacity too low.", "open_reviews_confirmed": "on"},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DECLINED
    _run_jobs(services.DECISION_NOTICE_TASK)
    owner = SupplierMember.objects.get(supplier=proposal.supplier).user
    assert [message.to for message in mail.outbox] == [[owner.email]]

    client.force_login(owner)
    page = client.get(reverse("portal:proposal_detail", args=[proposal.reference])).content.decode()
    assert "Decision: Declined" in page
    assert "Capacity too low." in page


def test_the_message_reaches_the_supplier_and_the_internal_note_stays_with_the_buyer(client, lead):
    proposal = in_review(legal_name="Lone Star Racks LLC")
    client.force_login(lead)
    form = client.get(_url(proposal)).content.decode()
    assert "Message to the supplier" in form and "Emailed to the supplier word for word" in form
    assert "Internal note" in form and "never emailed, never shown to the supplier" in form

    message, note = "Your lead time is longer than the round allows.", "Price was 30% above the median; keep quiet."
    response = client.post(
        _url(proposal, "review:decide"), {"outcome": "declined", "rationale": message, "internal_note": note}
    )

    assert response.status_code == 302
    decision = Decision.objects.get(proposal=proposal)
    assert (decision.rationale, decision.internal_note) == (message, note)
    assert note in client.get(_url(proposal)).content.decode()  # the lead reads it back
    _run_jobs(services.DECISION_NOTICE_TASK)
    (email,) = mail.outbox
    owner = SupplierMember.objects.get(supplier=proposal.supplier).user
    assert email.to == [owner.email]
    assert message in email.body and "keep quiet" not in email.body
    assert all("keep quiet" not in content for content, _ in email.alternatives)
    client.force_login(owner)
    page = client.get(reverse("portal:proposal_detail", args=[proposal.reference])).content.decode()
    assert message in page and "keep quiet" not in page


def test_deciding_while_reviews_are_open_warns_and_needs_a_confirmation(client, lead):
    proposal = in_review()
    assign(proposal, make_reviewer())
    assign(proposal, make_reviewer())
    client.force_login(lead)
    page = client.get(_url(proposal)).content.decode()
    assert "2 reviews are still open. Decide anyway?" in page

    refused = client.post(_url(proposal, "review:decide"), {"outcome": "shortlisted", "rationale": "Strong offer."})

    assert refused.status_code == 400
    assert "2 reviews are still open. Decide anyway?" in refused.content.decode()
    assert not Decision.objects.filter(proposal=proposal).exists()
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.IN_REVIEW

    confirmed = client.post(
        _url(proposal, "review:decide"),
        {"outcome": "shortlisted", "rationale": "Strong offer.", "open_reviews_confirmed": "on"},
    )
    assert confirmed.status_code == 302
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.SHORTLISTED


def test_a_request_for_information_refuses_an_internal_note_and_changes_nothing(client, assigned, lead):
    proposal, _ = assigned
    client.force_login(lead)
    response = client.post(
        _url(proposal, "review:decide"),
        {"outcome": "request_info", "rationale": "Which line?", "internal_note": "Suspicious."},
    )
    assert response.status_code == 400
    assert "A request for information sends only its question" in response.content.decode()
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.IN_REVIEW


def test_a_decision_without_a_rationale_is_refused_and_changes_nothing(client, assigned, lead):
    proposal, _ = assigned
    client.force_login(lead)
    response = client.post(_url(proposal, "review:decide"), {"outcome": "shortlisted", "rationale": ""})
    assert response.status_code == 400
    assert "Give the reason" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.IN_REVIEW


def test_a_request_for_information_emails_the_supplier_who_answers_in_the_portal(client, assigned, lead):
    proposal, _ = assigned
    client.force_login(lead)
    question = "What is the cooling capacity of line 2?"
    response = client.post(_url(proposal, "review:decide"), {"outcome": "request_info", "rationale": question})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.INFO_REQUESTED
    _run_jobs(services.INFORMATION_REQUEST_NOTICE_TASK)
    owner = SupplierMember.objects.get(supplier=proposal.supplier).user
    (message,) = mail.outbox
    assert message.to == [owner.email]
    assert question in message.body
    assert reverse("portal:proposal_detail", args=[proposal.reference]) in message.body
    client.force_login(owner)
    page = client.get(reverse("portal:proposal_detail", args=[proposal.reference])).content.decode()
    assert question in page


def test_reviewers_cannot_decide(client, assigned, reviewer):
    proposal, _ = assigned
    client.force_login(reviewer)
    response = client.post(_url(proposal, "review:decide"), {"outcome": "declined", "rationale": "No."})
    assert response.status_code == 404
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.IN_REVIEW


def test_the_lead_sees_the_history_and_time_in_each_status(client, assigned, lead):
    proposal, _ = assigned
    client.force_login(lead)
    page = client.get(_url(proposal)).content.decode()
    assert "Time in each status" in page
    assert "In review:" in page
    assert f"{proposal.reference}: Submitted → In review" in page


def test_status_changed_at_follows_each_transition(assigned, lead):
    proposal, _ = assigned
    before = proposal.status_changed_at
    assert before is not None
    later = timezone.now() + timedelta(days=2)
    with time_machine.travel(later):
        services.proposal_decide(proposal=proposal, actor=lead, outcome="shortlisted", rationale="Good.")
    proposal.refresh_from_db()
    assert proposal.status_changed_at > before + timedelta(days=1)


def test_time_in_each_status_names_each_status_by_its_label_and_nothing_else(client, assigned, lead):
    proposal, _ = assigned
    # A receipt's event names its recipients under "to", as a status move names its new status.
    audit_record(
        action="proposal.receipt_issued",
        target=proposal,
        actor=None,
        summary="Receipt sent",
        data={"version": 1, "to": ["dana.ortiz@lonestar.example"], "cc": []},
    )
    client.force_login(lead)
    page = client.get(_url(proposal)).content.decode()

    section = page[page.index("Time in each status") :].split("</ul>")[0]
    items = [item.split("</li>")[0] for item in section.split("<li>")[1:]]
    assert [item.split(":")[0] for item in items] == ["Submitted", "In review"]
    assert items[-1].endswith("days (now)")
    assert "@" not in section and "[" not in section

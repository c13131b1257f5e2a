"""Every arrow of the proposal state machine, allowed and refused, with its audit event and follow-up job."""

import pytest

from accounts.factories import ProgramLeadFactory, UserFactory
from audit.models import AuditEvent
from jobs.models import Job
from rfp import services
from rfp.enums import DecisionOutcome, ProposalStatus
from rfp.exceptions import DomainError, ProposalIncomplete, TransitionNotAllowed
from rfp.factories import draft_proposal
from rfp.models import Proposal, ProposalVersion

S = ProposalStatus
pytestmark = pytest.mark.django_db


def _submit(proposal, actor):
    return services.proposal_submit(proposal=proposal, actor=actor)


def _start_review(proposal, actor):
    return services.proposal_start_review(proposal=proposal, actor=actor)


def _request_information(proposal, actor):
    return services.proposal_request_information(proposal=proposal, actor=actor, question="Which ZIP is plant 2 in?")


def _resubmit(proposal, actor):
    return services.proposal_resubmit(proposal=proposal, actor=actor, response="78744, updated in the facilities list.")


def _shortlist(proposal, actor):
    return services.proposal_decide(
        proposal=proposal, actor=actor, outcome=DecisionOutcome.SHORTLISTED, rationale="Strong US capacity."
    )


def _decline(proposal, actor):
    return services.proposal_decide(
        proposal=proposal, actor=actor, outcome=DecisionOutcome.DECLINED, rationale="Lead time too long."
    )


def _withdraw(proposal, actor):
    return services.proposal_withdraw(proposal=proposal, actor=actor, reason="Capacity committed elsewhere.")


ACTIONS = {
    "submit": _submit,
    "start_review": _start_review,
    "request_information": _request_information,
    "resubmit": _resubmit,
    "shortlist": _shortlist,
    "decline": _decline,
    "withdraw": _withdraw,
}

# How to bring a fresh draft into each status, through the services only.
PATHS = {
    S.DRAFT: [],
    S.SUBMITTED: ["submit"],
    S.IN_REVIEW: ["submit", "start_review"],
    S.INFO_REQUESTED: ["submit", "start_review", "request_information"],
    S.SHORTLISTED: ["submit", "start_review", "shortlist"],
    S.DECLINED: ["submit", "start_review", "decline"],
    S.WITHDRAWN: ["submit", "withdraw"],
}


def proposal_in(status: str) -> tuple[Proposal, object]:
    actor = ProgramLeadFactory()
    proposal = draft_proposal()
    for action in PATHS[status]:
        ACTIONS[action](proposal, actor)
    proposal.refresh_from_db()
    assert proposal.status == status
    return proposal, actor


CASES = [(action, status) for action in ACTIONS for status in S.values]


def test_the_table_covers_every_action():
    assert set(ACTIONS) == set(services.TRANSITIONS)


@pytest.mark.parametrize(("action", "status"), [c for c in CASES if c[1] in services.TRANSITIONS[c[0]].sources])
def test_allowed_transition_moves_the_proposal_and_audits_it(action, status):
    proposal, actor = proposal_in(status)
    events_before = AuditEvent.objects.filter(object_id=str(proposal.pk)).count()

    ACTIONS[action](proposal, actor)

    proposal.refresh_from_db()
    assert proposal.status == services.TRANSITIONS[action].target
    event = AuditEvent.objects.filter(object_type="rfp.proposal", object_id=str(proposal.pk)).last()
    assert AuditEvent.objects.filter(object_id=str(proposal.pk)).count() == events_before + 1
    assert event.data["from"] == status
    assert event.data["to"] == services.TRANSITIONS[action].target
    assert event.actor == actor


@pytest.mark.parametrize(("action", "status"), [c for c in CASES if c[1] not in services.TRANSITIONS[c[0]].sources])
def test_refused_transition_says_why_and_changes_nothing(action, status):
    proposal, actor = proposal_in(status)
    events_before = AuditEvent.objects.count()
    jobs_before = Job.objects.count()

    with pytest.raises(TransitionNotAllowed) as refusal:
        ACTIONS[action](proposal, actor)

    assert proposal.reference in refusal.value.message
    assert S(status).label.lower() in refusal.value.message
    proposal.refresh_from_db()
    assert proposal.status == status
    assert AuditEvent.objects.count() == events_before
    assert Job.objects.count() == jobs_before


def test_submit_records_a_version_and_enqueues_the_review_pipeline_on_commit(
    django_capture_on_commit_callbacks,
):
    proposal = draft_proposal()
    supplier_user = UserFactory()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.proposal_submit(proposal=proposal, actor=supplier_user)

    proposal.refresh_from_db()
    version = ProposalVersion.objects.get(proposal=proposal)
    assert (proposal.version, version.number) == (1, 1)
    assert version.snapshot["reference"] == proposal.reference
    assert version.snapshot["sector_details"]["cooling_type"] == "dtc_single_phase"
    assert len(version.sha256) == 64
    job = Job.objects.get(task_name=services.QUEUE_TASK)
    assert job.arguments == {"proposal_id": proposal.pk, "version": 1}
    assert job.status == Job.Status.PENDING
    assert len(callbacks) == 1, "the job is published only once the submit commits"


def test_resubmit_after_information_request_makes_a_second_version_and_job():
    proposal, actor = proposal_in(S.INFO_REQUESTED)

    services.proposal_resubmit(proposal=proposal, actor=actor, response="Here is the answer.")

    proposal.refresh_from_db()
    assert proposal.version == 2
    assert proposal.information_requests.get().response == "Here is the answer."
    assert Job.objects.filter(task_name=services.QUEUE_TASK).count() == 2


def test_withdrawn_proposal_can_be_submitted_again_before_the_deadline():
    proposal, actor = proposal_in(S.WITHDRAWN)

    services.proposal_submit(proposal=proposal, actor=actor)

    proposal.refresh_from_db()
    assert proposal.status == S.SUBMITTED
    assert proposal.version == 2
    assert proposal.withdrawn_at is None


def test_incomplete_draft_is_refused_with_the_missing_answers_named():
    proposal = draft_proposal(complete=False)

    with pytest.raises(ProposalIncomplete) as refusal:
        services.proposal_submit(proposal=proposal, actor=UserFactory())

    assert "lead time (weeks)" in refusal.value.message
    assert "at least one US facility" in refusal.value.missing
    assert "rack power density (kW/rack)" in refusal.value.missing
    proposal.refresh_from_db()
    assert proposal.status == S.DRAFT
    assert not ProposalVersion.objects.exists()


def test_decision_needs_a_rationale():
    proposal, actor = proposal_in(S.IN_REVIEW)

    with pytest.raises(DomainError, match="reason for the decision"):
        services.proposal_decide(proposal=proposal, actor=actor, outcome=DecisionOutcome.SHORTLISTED, rationale=" ")

    proposal.refresh_from_db()
    assert proposal.status == S.IN_REVIEW


def test_submitted_proposal_cannot_be_edited():
    proposal, actor = proposal_in(S.SUBMITTED)

    with pytest.raises(TransitionNotAllowed, match="can no longer be edited"):
        services.proposal_update(proposal=proposal, actor=actor, fields={"title": "Changed"})

    proposal.refresh_from_db()
    assert proposal.title != "Changed"


def test_queue_entry_is_recorded_once_per_version():
    proposal, _ = proposal_in(S.SUBMITTED)

    assert services.proposal_record_queue_entry(proposal_id=proposal.pk, version=1) is True
    assert services.proposal_record_queue_entry(proposal_id=proposal.pk, version=1) is False

    proposal.refresh_from_db()
    assert proposal.queued_at is not None
    assert AuditEvent.objects.filter(action="proposal.queued", object_id=str(proposal.pk)).count() == 1


def test_the_answer_to_a_request_for_information_is_part_of_the_new_version():
    proposal, actor = proposal_in(S.INFO_REQUESTED)

    services.proposal_resubmit(proposal=proposal, actor=actor, response="Plant 2 is in 78744.")

    first, second = ProposalVersion.objects.filter(proposal=proposal).order_by("number")
    assert second.snapshot["information_requests"][0]["response"] == "Plant 2 is in 78744."
    assert first.sha256 != second.sha256


def test_unacknowledged_addenda_block_submit_and_are_named():
    from django.utils import timezone

    from rfp.models import Addendum, AddendumAcknowledgement

    proposal = draft_proposal()
    actor = UserFactory()
    for number in (1, 2):
        Addendum.objects.create(
            rfp=proposal.rfp, number=number, title=f"Change {number}", body="...", published_at=timezone.now()
        )

    with pytest.raises(DomainError, match="Acknowledge addenda 1 and 2") as refusal:
        services.proposal_submit(proposal=proposal, actor=actor)
    assert refusal.value.code == "addenda_unacknowledged"
    proposal.refresh_from_db()
    assert proposal.status == S.DRAFT

    for addendum in Addendum.objects.all():
        AddendumAcknowledgement.objects.create(addendum=addendum, supplier=proposal.supplier, acknowledged_by=actor)
    services.proposal_submit(proposal=proposal, actor=actor)
    proposal.refresh_from_db()
    assert proposal.status == S.SUBMITTED

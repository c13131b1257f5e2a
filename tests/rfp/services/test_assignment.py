"""Reviewer assignment after the checks: sector, load and conflicts respected, the unassigned lane, the emails."""

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from accounts.factories import ProgramLeadFactory, ReviewerUserFactory, UserFactory
from audit.models import AuditEvent
from jobs.models import Job
from jobs.services import job_run
from notifications import tasks as notification_tasks
from rfp import services, tasks
from rfp.enums import AssignmentStatus, ConflictDeclaration, ProposalStatus
from rfp.exceptions import DomainError, TransitionNotAllowed
from rfp.factories import RfpFactory, draft_proposal
from rfp.models import Proposal, ReviewAssignment, ReviewerConflict, ReviewerProfile, Sector
from rfp.selectors import proposal_list_unassigned
from suppliers.factories import SupplierFactory, SupplierMemberFactory
from tests.support.outbox import deliver_outbox

pytestmark = pytest.mark.django_db


def _reviewer(email=None, *, sectors=("datacenter",), max_open=20, active=True, **fields):
    user = ReviewerUserFactory(**({"email": email} if email else {}), **fields)
    profile = ReviewerProfile.objects.create(user=user, max_open_assignments=max_open, is_active=active)
    profile.sectors.set(Sector.objects.filter(code__in=sectors))
    return user


def _submitted(*, supplier=None, rfp=None) -> Proposal:
    actor = UserFactory()
    proposal = draft_proposal(rfp=rfp, supplier=supplier, actor=actor)
    return services.proposal_submit(proposal=proposal, actor=actor)


def _assign(proposal: Proposal) -> services.AssignmentResult:
    proposal.refresh_from_db()
    return services.proposal_assign_reviewers(proposal_id=proposal.pk, version=proposal.version)


def _give_load(reviewer, count: int, *, status=AssignmentStatus.ASSIGNED, assigned_at=None) -> None:
    """`count` assignments on other proposals, so the reviewer carries that load."""
    now = timezone.now()
    for _ in range(count):
        ReviewAssignment.objects.create(
            proposal=draft_proposal(complete=False),
            reviewer=reviewer,
            status=status,
            assigned_at=assigned_at or now - timedelta(days=3),
            due_at=now + timedelta(days=7),
        )


def _reviewers_of(proposal: Proposal, *, status=AssignmentStatus.ASSIGNED) -> set[str]:
    return set(
        ReviewAssignment.objects.filter(proposal=proposal, status=status).values_list("reviewer__email", flat=True)
    )


def _events(proposal: Proposal, action: str):
    return AuditEvent.objects.filter(object_type="rfp.proposal", object_id=str(proposal.pk), action=action)


def _run_job(task_name: str, **arguments) -> bool:
    job = Job.objects.get(task_name=task_name, arguments=arguments)
    handler = {
        services.ASSIGN_TASK: tasks.proposal_assign_reviewers,
        services.ASSIGNMENT_EMAIL_TASK: notification_tasks.send_review_assignment_email,
        services.UNASSIGNED_NOTICE_TASK: notification_tasks.send_unassigned_notice,
    }[task_name].handler
    return job_run(job_id=job.pk, handler=handler)


# --- Who is picked ------------------------------------------------------------------------------------------------


def test_two_reviewers_of_the_sector_are_assigned_and_the_proposal_moves_to_in_review():
    first, second = _reviewer("ana@buyer.example"), _reviewer("ben@buyer.example")
    _reviewer("rob@buyer.example", sectors=("robotics",))
    _reviewer("idle@buyer.example", active=False)
    proposal = _submitted()
    before = timezone.now()

    result = _assign(proposal)

    assert {a.reviewer for a in result.created} == {first, second}
    assert (result.held, result.required, result.missing) == (2, 2, 0)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.IN_REVIEW
    for assignment in ReviewAssignment.objects.filter(proposal=proposal):
        assert assignment.status == AssignmentStatus.ASSIGNED
        assert assignment.assigned_at >= before
        assert assignment.due_at == assignment.assigned_at + timedelta(days=proposal.rfp.review_due_days)
        assert assignment.conflict_declaration == ConflictDeclaration.UNDECLARED
    assigned = _events(proposal, "review.assigned")
    assert sorted(event.data["reviewer_email"] for event in assigned) == ["ana@buyer.example", "ben@buyer.example"]
    assert all(event.data["version"] == 1 for event in assigned)
    started = _events(proposal, "proposal.review_started").get()
    assert (started.actor, started.data["from"], started.data["to"]) == (None, "submitted", "in_review")
    assert not _events(proposal, "proposal.unassigned").exists()
    email_jobs = Job.objects.filter(task_name=services.ASSIGNMENT_EMAIL_TASK)
    assert sorted(job.dedupe_key for job in email_jobs) == sorted(
        f"{services.ASSIGNMENT_EMAIL_TASK}:{a.pk}" for a in result.created
    )
    assert all(job.status == Job.Status.PENDING for job in email_jobs), "published only once the assignment commits"


def test_a_reviewer_of_another_sector_is_never_picked_even_when_the_proposal_is_short():
    _reviewer("dc@buyer.example")
    _reviewer("robotics@buyer.example", sectors=("robotics",))
    _reviewer("electronics@buyer.example", sectors=("consumer-electronics",))
    proposal = _submitted()

    result = _assign(proposal)

    assert _reviewers_of(proposal) == {"dc@buyer.example"}
    assert result.missing == 1


def test_the_least_loaded_reviewers_are_picked_and_a_reviewer_at_the_limit_is_skipped():
    busy, free, light = _reviewer("busy@buyer.example"), _reviewer("free@buyer.example"), _reviewer("light@b.example")
    full = _reviewer("full@buyer.example", max_open=1)
    _give_load(busy, 3)
    _give_load(light, 1)
    # Completed and released reviews are not open load.
    _give_load(free, 2, status=AssignmentStatus.COMPLETED)
    _give_load(free, 1, status=AssignmentStatus.RELEASED)
    _give_load(full, 1)  # at its limit of one, though lighter than busy
    proposal = _submitted()

    _assign(proposal)

    assert _reviewers_of(proposal) == {free.email, light.email}


def test_a_reviewer_at_the_limit_is_skipped_even_when_the_proposal_stays_short():
    full = _reviewer("full@buyer.example", max_open=2)
    _give_load(full, 2)
    proposal = _submitted()

    result = _assign(proposal)

    assert result.created == []
    assert ReviewAssignment.objects.filter(reviewer=full, status=AssignmentStatus.ASSIGNED).count() == 2


def test_equal_load_goes_to_the_reviewer_assigned_longest_ago_and_never_assigned_first():
    recent, long_ago, never = (
        _reviewer("recent@b.example"),
        _reviewer("longago@b.example"),
        _reviewer("never@b.example"),
    )
    now = timezone.now()
    _give_load(recent, 1, status=AssignmentStatus.COMPLETED, assigned_at=now - timedelta(days=1))
    _give_load(long_ago, 1, status=AssignmentStatus.COMPLETED, assigned_at=now - timedelta(days=20))
    proposal = _submitted()

    _assign(proposal)

    assert _reviewers_of(proposal) == {never.email, long_ago.email}


def test_with_equal_load_and_history_the_lower_id_wins():
    reviewers = [_reviewer(f"same{n}@buyer.example") for n in range(4)]
    proposal = _submitted()

    _assign(proposal)

    assert _reviewers_of(proposal) == {reviewers[0].email, reviewers[1].email}


# --- Conflicts ----------------------------------------------------------------------------------------------------


def _conflict_declared(supplier, reviewer):
    ReviewerConflict.objects.create(reviewer=reviewer, supplier=supplier, reason="Former employer.")


def _conflict_member_domain(supplier, reviewer):
    SupplierMemberFactory(supplier=supplier, user=UserFactory(email=f"owner@{reviewer.email_domain}"))


def _conflict_website(supplier, reviewer):
    supplier.website = f"https://www.{reviewer.email_domain}/about-us"
    supplier.save()


@pytest.mark.parametrize(
    ("make_conflict", "email"),
    [
        (_conflict_declared, "declared@buyer.example"),
        (_conflict_member_domain, "Jane.Doe@Supplier-Staff.example"),
        (_conflict_website, "engineer@acme-robotics.example"),
    ],
    ids=["declared", "member-email-domain", "website-domain"],
)
def test_a_conflicted_reviewer_is_never_picked_though_the_least_loaded(make_conflict, email):
    supplier = SupplierFactory()
    conflicted = _reviewer(email)
    clean = [_reviewer("clean1@buyer.example"), _reviewer("clean2@buyer.example")]
    for reviewer in clean:
        _give_load(reviewer, 1)
    make_conflict(supplier, conflicted)
    proposal = _submitted(supplier=supplier)

    _assign(proposal)

    assert _reviewers_of(proposal) == {reviewer.email for reviewer in clean}


def test_a_shared_domain_conflicts_only_with_that_supplier():
    other = SupplierFactory(website="https://buyer-neighbour.example")
    reviewer = _reviewer("pat@buyer-neighbour.example")
    proposal = _submitted()
    assert other.pk != proposal.supplier_id

    _assign(proposal)

    assert _reviewers_of(proposal) == {reviewer.email}


# --- Idempotence, resubmit and the pipeline -----------------------------------------------------------------------


def test_assigning_the_same_version_again_adds_nobody_and_records_nothing():
    _reviewer("ana@buyer.example")
    _reviewer("ben@buyer.example")
    _reviewer("cy@buyer.example")
    proposal = _submitted()
    _assign(proposal)
    events, jobs = AuditEvent.objects.count(), Job.objects.count()

    result = _assign(proposal)

    assert result.created == []
    assert ReviewAssignment.objects.filter(proposal=proposal).count() == 2
    assert (AuditEvent.objects.count(), Job.objects.count()) == (events, jobs)


def test_a_resubmit_keeps_its_reviewers_and_adds_none_when_enough():
    _reviewer("ana@buyer.example")
    _reviewer("ben@buyer.example")
    _reviewer("cy@buyer.example")
    proposal = _submitted()
    _assign(proposal)
    lead = ProgramLeadFactory()
    services.proposal_request_information(proposal=proposal, actor=lead, question="Which plant builds the racks?")
    services.proposal_resubmit(proposal=proposal, actor=UserFactory(), response="Austin.")
    proposal.refresh_from_db()
    assert (proposal.version, proposal.status) == (2, ProposalStatus.IN_REVIEW)

    result = services.proposal_assign_reviewers(proposal_id=proposal.pk, version=2)

    assert result.created == []
    assert _reviewers_of(proposal) == {"ana@buyer.example", "ben@buyer.example"}


def test_a_resubmit_tops_up_to_the_required_number():
    ana = _reviewer("ana@buyer.example")
    proposal = _submitted()
    _assign(proposal)
    assert _reviewers_of(proposal) == {ana.email}
    services.proposal_withdraw(proposal=proposal, actor=UserFactory())
    proposal = services.proposal_submit(proposal=proposal, actor=UserFactory())
    _reviewer("ben@buyer.example")

    result = services.proposal_assign_reviewers(proposal_id=proposal.pk, version=2)

    assert [a.reviewer.email for a in result.created] == ["ben@buyer.example"]
    assert _reviewers_of(proposal) == {ana.email, "ben@buyer.example"}
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.IN_REVIEW


def test_a_superseded_version_or_a_decided_proposal_gets_nobody():
    _reviewer("ana@buyer.example")
    _reviewer("ben@buyer.example")
    proposal = _submitted()

    assert services.proposal_assign_reviewers(proposal_id=proposal.pk, version=7).created == []
    services.proposal_withdraw(proposal=proposal, actor=UserFactory())
    assert services.proposal_assign_reviewers(proposal_id=proposal.pk, version=1).created == []
    assert services.proposal_assign_reviewers(proposal_id=999_999, version=1).proposal is None
    assert not ReviewAssignment.objects.exists()


def test_the_checks_enqueue_the_assignment_of_the_same_version_once():
    proposal = _submitted()

    services.proposal_run_checks(proposal_id=proposal.pk, version=1)
    services.proposal_run_checks(proposal_id=proposal.pk, version=1)

    job = Job.objects.get(task_name=services.ASSIGN_TASK)
    assert job.arguments == {"proposal_id": proposal.pk, "version": 1}
    assert job.dedupe_key == f"{services.ASSIGN_TASK}:{proposal.pk}:v1"
    assert job.status == Job.Status.PENDING


def test_the_assignment_job_runs_through_its_task_handler():
    _reviewer("ana@buyer.example")
    _reviewer("ben@buyer.example")
    proposal = _submitted()
    services.proposal_run_checks(proposal_id=proposal.pk, version=1)

    assert _run_job(services.ASSIGN_TASK, proposal_id=proposal.pk, version=1) is True

    assert _reviewers_of(proposal) == {"ana@buyer.example", "ben@buyer.example"}
    assert Job.objects.get(task_name=services.ASSIGN_TASK).status == Job.Status.DONE


# --- Too few reviewers: the unassigned lane -----------------------------------------------------------------------


def test_a_short_proposal_waits_in_the_unassigned_lane_and_the_leads_are_emailed_once(settings):
    lead = ProgramLeadFactory(email="lead@buyer.example")
    ProgramLeadFactory(email="former.lead@buyer.example", is_active=False)
    settings.PROGRAM_LEAD_EMAILS = ["ops@buyer.example", "LEAD@buyer.example"]
    only = _reviewer("ana@buyer.example")
    proposal = _submitted()

    first, second = _assign(proposal), _assign(proposal)

    assert ([a.reviewer for a in first.created], first.missing) == ([only], 1)
    assert (second.created, second.missing) == ([], 1)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED
    lane = list(proposal_list_unassigned(now=timezone.now()))
    assert [(p.pk, p.assigned_count, p.required_count, p.missing_count) for p in lane] == [(proposal.pk, 1, 2, 1)]
    event = _events(proposal, "proposal.unassigned").get()
    assert event.data["version"] == 1
    assert (event.data["assigned"], event.data["required"]) == (1, 2)
    assert event.data["pool"] == {"in_sector": 1, "already_on_proposal": 1, "conflicted": 0, "at_limit": 0, "free": 0}

    assert Job.objects.filter(task_name=services.UNASSIGNED_NOTICE_TASK).count() == 1
    assert _run_job(services.UNASSIGNED_NOTICE_TASK, proposal_id=proposal.pk, version=1) is True
    assert _run_job(services.UNASSIGNED_NOTICE_TASK, proposal_id=proposal.pk, version=1) is False
    deliver_outbox()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [lead.email, "ops@buyer.example"]
    assert message.subject == f"Unassigned: proposal {proposal.reference} has 1 of 2 reviewers"
    assert "Active reviewers of the Datacenter sector: 1" in message.body
    assert f"{settings.SITE_URL}/review/proposals/{proposal.reference}/" in message.body
    # The link opens the review workspace; reviewers and their limits are changed in the panel.
    assert 'Assign a reviewer with "Assign now" in the review workspace\'s unassigned lane' in message.body
    assert "Open the proposal in the review workspace</a>" in message.alternatives[0][0]


def test_the_lane_empties_once_a_reviewer_is_free_and_nobody_is_told_late():
    ProgramLeadFactory()
    _reviewer("ana@buyer.example")
    proposal = _submitted()
    _assign(proposal)
    _reviewer("ben@buyer.example")

    result = _assign(proposal)

    assert [a.reviewer.email for a in result.created] == ["ben@buyer.example"]
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.IN_REVIEW
    assert not proposal_list_unassigned(now=timezone.now()).exists()
    assert _run_job(services.UNASSIGNED_NOTICE_TASK, proposal_id=proposal.pk, version=1) is True
    assert mail.outbox == [], "the notice is dropped: the proposal no longer waits"


def test_the_lane_lists_only_proposals_under_review_with_too_few_reviewers():
    _reviewer("ana@buyer.example")
    _reviewer("ben@buyer.example")
    full = _submitted()
    _assign(full)
    waiting_older = _submitted()
    waiting_newer = _submitted()
    draft_proposal()
    withdrawn = _submitted()
    services.proposal_withdraw(proposal=withdrawn, actor=UserFactory())

    lane = proposal_list_unassigned(now=timezone.now())

    assert [p.pk for p in lane] == [waiting_older.pk, waiting_newer.pk]
    assert [p.missing_count for p in lane] == [2, 2]
    assert not proposal_list_unassigned(now=timezone.now() - timedelta(days=1)).exists(), "submitted after `now`"


def test_the_lane_is_read_in_one_query_whatever_its_length(django_assert_num_queries):
    for _ in range(3):
        _submitted()

    with django_assert_num_queries(1):
        rows = [
            (p.reference, p.sector.name, p.supplier.legal_name, p.rfp.reference)
            for p in proposal_list_unassigned(now=timezone.now())
        ]

    assert len(rows) == 3


# --- A conflict declared after assignment -------------------------------------------------------------------------


def test_a_conflicted_reviewer_is_released_recorded_and_replaced():
    ana, ben = _reviewer("ana@buyer.example"), _reviewer("ben@buyer.example")
    cy = _reviewer("cy@buyer.example")
    _give_load(cy, 1)
    proposal = _submitted()
    _assign(proposal)
    assert _reviewers_of(proposal) == {ana.email, ben.email}
    assignment = ReviewAssignment.objects.get(proposal=proposal, reviewer=ana)

    release = services.assignment_release_for_conflict(
        assignment=assignment, actor=ana, note="  My brother runs their Austin plant.  "
    )

    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.RELEASED
    assert assignment.conflict_declaration == ConflictDeclaration.CONFLICT
    assert assignment.conflict_note == "My brother runs their Austin plant."
    assert assignment.released_at is not None and assignment.conflict_declared_at == assignment.released_at
    conflict = ReviewerConflict.objects.get(reviewer=ana, supplier=proposal.supplier)
    assert conflict.reason == "My brother runs their Austin plant."
    assert [a.reviewer for a in release.replacement.created] == [cy]
    assert _reviewers_of(proposal) == {ben.email, cy.email}
    event = _events(proposal, "review.released_for_conflict").get()
    assert (event.actor, event.data["assignment"], event.data["conflict"]) == (ana, assignment.pk, conflict.pk)
    assert Job.objects.filter(
        task_name=services.ASSIGNMENT_EMAIL_TASK, arguments={"assignment_id": release.replacement.created[0].pk}
    ).exists()
    assert _run_job(services.ASSIGNMENT_EMAIL_TASK, assignment_id=assignment.pk) is True
    assert mail.outbox == [], "a released assignment's email is not sent"

    # The same supplier's next proposal never goes to ana again.
    again = _submitted(supplier=proposal.supplier, rfp=RfpFactory())
    _assign(again)
    assert ana.email not in _reviewers_of(again)


def test_a_release_with_no_reviewer_free_leaves_the_proposal_in_the_lane():
    ProgramLeadFactory()
    ana, ben = _reviewer("ana@buyer.example"), _reviewer("ben@buyer.example")
    proposal = _submitted()
    _assign(proposal)
    lead = ProgramLeadFactory()

    release = services.assignment_release_for_conflict(
        assignment=ReviewAssignment.objects.get(proposal=proposal, reviewer=ben), actor=lead, note=""
    )

    assert (release.replacement.created, release.replacement.missing) == ([], 1)
    assert _reviewers_of(proposal) == {ana.email}
    assert [p.pk for p in proposal_list_unassigned(now=timezone.now())] == [proposal.pk]
    assert _events(proposal, "proposal.unassigned").count() == 1
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.IN_REVIEW, "the review under way goes on"


def test_only_an_open_assignment_can_be_released_and_only_by_its_reviewer_or_a_lead():
    ana = _reviewer("ana@buyer.example")
    _reviewer("ben@buyer.example")
    proposal = _submitted()
    _assign(proposal)
    assignment = ReviewAssignment.objects.get(proposal=proposal, reviewer=ana)

    with pytest.raises(DomainError) as refusal:
        services.assignment_release_for_conflict(assignment=assignment, actor=_reviewer("eve@b.example"), note="")
    assert refusal.value.code == "not_your_assignment"
    services.assignment_release_for_conflict(assignment=assignment, actor=ana, note="Shareholder.")
    with pytest.raises(TransitionNotAllowed) as refusal:
        services.assignment_release_for_conflict(assignment=assignment, actor=ana, note="Shareholder.")
    assert refusal.value.code == "assignment_not_open"
    assert "is released" in refusal.value.message
    assert ReviewerConflict.objects.filter(reviewer=ana).count() == 1


# --- The reviewer's email ------------------------------------------------------------------------------------------


def test_the_reviewer_email_names_the_proposal_the_due_date_in_the_rounds_time_zone_and_the_panel_link():
    with time_machine.travel(datetime(2026, 3, 2, 17, 30, tzinfo=UTC), tick=False):
        reviewer = _reviewer("ana@buyer.example", full_name="Ana Reyes")
        _reviewer("ben@buyer.example")
        proposal = _submitted(supplier=SupplierFactory(legal_name="Lone Star Rack Systems, Inc."))
        result = _assign(proposal)
        assignment = next(a for a in result.created if a.reviewer == reviewer)

        assert _run_job(services.ASSIGNMENT_EMAIL_TASK, assignment_id=assignment.pk) is True
        deliver_outbox()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ana@buyer.example"]
    assert message.subject == f"Review assigned: proposal {proposal.reference} (Datacenter), due March 12, 2026"
    # Ten days after 17:30 UTC on March 2 is 10:30 in Los Angeles, where daylight time began on March 8.
    assert "Review due: Thursday, March 12, 2026 at 10:30 AM PDT (America/Los_Angeles)" in message.body
    assert "Hello Ana Reyes," in message.body
    assert "Sector: Datacenter" in message.body
    assert "Supplier: Lone Star Rack Systems, Inc." in message.body
    assert f"{settings.SITE_URL}/review/proposals/{proposal.reference}/" in message.body
    # The link opens the review workspace (/review/); the panel (/panel/) is the program lead's alone.
    assert "Open the proposal in the review workspace:" in message.body
    assert "review panel" not in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html"
    assert f'href="{settings.SITE_URL}/review/proposals/{proposal.reference}/"' in html
    assert "Open the proposal in the review workspace</a>" in html


def test_a_mail_outage_leaves_the_email_in_the_outbox_for_a_retry(monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    from notifications.models import OutboundEmail
    from notifications.services import emails_retry_due

    def down(self, messages):
        raise ConnectionRefusedError("SMTP server unreachable")

    _reviewer("ana@buyer.example")
    proposal = _submitted()
    assignment = _assign(proposal).created[0]
    monkeypatch.setattr(EmailBackend, "send_messages", down)

    assert _run_job(services.ASSIGNMENT_EMAIL_TASK, assignment_id=assignment.pk) is True
    deliver_outbox()

    email = OutboundEmail.objects.get(dedupe_key=f"review_assignment:{assignment.pk}")
    assert (email.status, email.attempts) == ("queued", 1)
    assert "SMTP server unreachable" in email.last_error
    monkeypatch.undo()
    with time_machine.travel(email.next_attempt_at, tick=False):
        assert emails_retry_due() == 1
        deliver_outbox()
    assert [m.to for m in mail.outbox] == [["ana@buyer.example"]]


def test_email_jobs_go_to_the_mail_queue():
    from config.celery_app import app

    for name in (services.ASSIGNMENT_EMAIL_TASK, services.UNASSIGNED_NOTICE_TASK):
        assert app.amqp.router.route({}, name)["queue"].name == "mail"
    assert app.amqp.router.route({}, services.ASSIGN_TASK)["queue"].name == "default"


# --- Two assignments at once --------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_assignments_never_push_a_reviewer_past_the_limit():
    """The first assignment holds its transaction open; the second waits for the reviewer's lock, then counts."""
    reviewer = _reviewer("solo@buyer.example", max_open=1)
    first, second = _submitted(), _submitted()
    first_done, errors = threading.Event(), []

    def assign_first_and_hold():
        try:
            with transaction.atomic():
                services.proposal_assign_reviewers(proposal_id=first.pk, version=1)
                first_done.set()
                time.sleep(1.0)  # the second assignment runs meanwhile and must wait for this commit
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
            first_done.set()
        finally:
            connection.close()

    def assign_second():
        first_done.wait(10)
        try:
            services.proposal_assign_reviewers(proposal_id=second.pk, version=1)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=assign_first_and_hold), threading.Thread(target=assign_second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert errors == []
    assert list(ReviewAssignment.objects.filter(reviewer=reviewer).values_list("proposal_id", flat=True)) == [first.pk]
    assert [p.pk for p in proposal_list_unassigned(now=timezone.now())] == [first.pk, second.pk]

"""Follow-up work through a real Redis and a real Celery worker process: nothing lost when the broker is down."""

import email
from datetime import timedelta
from email import policy
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone

from accounts.factories import ReviewerUserFactory, UserFactory
from jobs.models import Job
from jobs.services import jobs_sweep
from notifications.services import SEND_TASK
from rfp.enums import AssignmentStatus, CheckOutcome, ProposalStatus
from rfp.factories import draft_proposal
from rfp.models import Proposal, ProposalCheck, ReviewAssignment, ReviewerProfile, Sector
from rfp.services import (
    ASSIGN_TASK,
    ASSIGNMENT_EMAIL_TASK,
    CHECKS_TASK,
    QUEUE_TASK,
    UNASSIGNED_NOTICE_TASK,
    proposal_submit,
)
from suppliers.factories import SupplierFactory, SupplierMemberFactory
from suppliers.screening import screening_list_load
from tests.support.processes import (
    PROJECT_DIR,
    PrivateRedis,
    celery_app_publishing_to,
    celery_worker,
    wait_until,
    worker_log,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _queue_length(redis_server: PrivateRedis, queue: str = "default") -> int:
    import redis

    return redis.Redis.from_url(redis_server.url).llen(queue)


def _wait_for_every_job(worker, *, count: int | None = None, timeout: float = 90) -> None:
    """Every job the submit led to (queue entry, checks, assignment, mail) is done before the worker stops."""

    def finished() -> bool:
        statuses = list(Job.objects.values_list("status", flat=True))
        return set(statuses) == {Job.Status.DONE} and (count is None or len(statuses) == count)

    try:
        wait_until(finished, timeout=timeout, message="every job done")
    except AssertionError:
        jobs = list(Job.objects.values_list("task_name", "status", "last_error"))
        pytest.fail(f"the worker did not finish every job: {jobs}; its log:\n{worker_log(worker)}")


def test_a_submitted_proposal_enters_the_queue_through_a_real_worker(redis_server):
    proposal = draft_proposal()

    with celery_app_publishing_to(redis_server.url), celery_worker(broker_url=redis_server.url) as worker:
        proposal_submit(proposal=proposal, actor=UserFactory())
        job = Job.objects.get(task_name=QUEUE_TASK)
        try:
            wait_until(lambda: Job.objects.get(pk=job.pk).status == Job.Status.DONE, timeout=60, message="job done")
        except AssertionError:
            pytest.fail(f"the worker did not finish the job; its log:\n{worker_log(worker)}")
        # Without reviewers the chain ends with a notice to the program leads (there are none to tell).
        # Plus the reviewer's and lead's PDF summaries, rendered after the submit and again once checked.
        _wait_for_every_job(worker, count=8)

    proposal = Proposal.objects.get(pk=proposal.pk)
    job.refresh_from_db()
    assert proposal.queued_at is not None
    assert proposal.queued_at >= proposal.submitted_at
    assert (job.attempts, job.publish_count) == (1, 1)


def test_the_sweeper_publishes_a_job_whose_publish_failed(redis_server):
    proposal = draft_proposal()

    with celery_app_publishing_to(redis_server.url):
        redis_server.stop()
        proposal_submit(proposal=proposal, actor=UserFactory())

        job = Job.objects.get(task_name=QUEUE_TASK)
        assert job.status == Job.Status.PENDING, "a failed publish leaves the job for the sweeper"
        assert "publish failed" in job.last_error
        assert Proposal.objects.get(pk=proposal.pk).status == "submitted", "the submit itself committed"

        redis_server.start()
        with override_settings(JOB_PUBLISH_GRACE_SECONDS=0):
            assert jobs_sweep() == 1
        job.refresh_from_db()
        assert job.status == Job.Status.QUEUED
        assert _queue_length(redis_server) == 1

        with celery_worker(broker_url=redis_server.url) as worker:
            try:
                wait_until(
                    lambda: Job.objects.get(pk=job.pk).status == Job.Status.DONE,
                    timeout=60,
                    message="job done",
                )
            except AssertionError:
                pytest.fail(f"the worker did not finish the swept job; its log:\n{worker_log(worker)}")
            _wait_for_every_job(worker)

    assert Proposal.objects.get(pk=proposal.pk).queued_at is not None
    with override_settings(JOB_PUBLISH_GRACE_SECONDS=0):
        assert jobs_sweep() == 0, "a finished job is not published again"


def test_a_submit_leads_to_stored_checks_through_a_real_worker(redis_server):
    sample = PROJECT_DIR / "suppliers" / "data" / "screening-sample.csv"
    screening_list_load(content=sample.read_bytes(), file_name=sample.name)
    proposal = draft_proposal(supplier=SupplierFactory(legal_name="SEP Power LLC"))

    with celery_app_publishing_to(redis_server.url), celery_worker(broker_url=redis_server.url) as worker:
        proposal_submit(proposal=proposal, actor=UserFactory())
        try:
            wait_until(
                lambda: Job.objects.filter(task_name=CHECKS_TASK, status=Job.Status.DONE).exists(),
                timeout=60,
                message="checks job done",
            )
        except AssertionError:
            pytest.fail(f"the worker did not run the checks; its log:\n{worker_log(worker)}")
        _wait_for_every_job(worker)

    assert Job.objects.get(task_name=QUEUE_TASK).status == Job.Status.DONE
    checks = {check.code: check for check in ProposalCheck.objects.filter(proposal=proposal, version=1)}
    assert checks["completeness"].outcome == CheckOutcome.PASS
    screening = checks["screening_legal_name"]
    assert screening.outcome == CheckOutcome.FAIL
    assert screening.data["matches"][0]["name"] == "Shenzhen Example Power Co., Ltd."
    assert screening.data["matches"][0]["alias"] == "SEP Power"
    assert "through its alias “SEP Power”" in screening.detail


def _reviewer(email_address: str, *, sector: str = "datacenter", open_assignments: int = 0):
    reviewer = ReviewerUserFactory(email=email_address)
    ReviewerProfile.objects.create(user=reviewer).sectors.set([Sector.objects.get(code=sector)])
    now = timezone.now()
    for _ in range(open_assignments):
        ReviewAssignment.objects.create(
            proposal=draft_proposal(complete=False),
            reviewer=reviewer,
            assigned_at=now - timedelta(days=2),
            due_at=now + timedelta(days=8),
        )
    return reviewer


def _sent_mail(directory: Path) -> list[email.message.EmailMessage]:
    """Messages Django's file backend wrote: each followed by a line of 79 dashes."""
    messages = []
    for path in sorted(directory.glob("*.log")):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                messages.append(email.message_from_bytes(chunk, policy=policy.default))
    return messages


def test_a_submit_is_checked_assigned_and_its_reviewers_emailed_through_a_real_worker(redis_server, tmp_path):
    supplier = SupplierFactory(legal_name="Gulf Coast Cooling LLC", website="https://www.gulfcoastcooling.example")
    SupplierMemberFactory(supplier=supplier, user=UserFactory(email="owner@gulfcoastcooling.example"))
    _reviewer("kim@gulfcoastcooling.example")  # least loaded, but shares the supplier's email domain
    ana = _reviewer("ana@buyer.example")
    ben = _reviewer("ben@buyer.example", open_assignments=1)
    _reviewer("busy@buyer.example", open_assignments=3)
    _reviewer("rob@buyer.example", sector="robotics")
    proposal = draft_proposal(supplier=supplier)
    mail_dir = tmp_path / "mail"
    mail_env = {"EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend", "EMAIL_FILE_PATH": str(mail_dir)}

    with (
        celery_app_publishing_to(redis_server.url),
        celery_worker(broker_url=redis_server.url, extra_env=mail_env) as worker,
    ):
        proposal_submit(proposal=proposal, actor=UserFactory())
        wait_until(
            lambda: Job.objects.filter(task_name=SEND_TASK, status=Job.Status.DONE).count() == 2,
            timeout=90,
            message="both emails sent",
        )
        _wait_for_every_job(worker)

    # The PDF summaries' render jobs aside; each assignment email is queued in the outbox, then sent by its own job.
    tasks = sorted(Job.objects.exclude(task_name__startswith="documents.").values_list("task_name", flat=True))
    emails = [ASSIGNMENT_EMAIL_TASK, SEND_TASK] * 2
    assert tasks == sorted([QUEUE_TASK, CHECKS_TASK, ASSIGN_TASK, *emails])
    assert not Job.objects.filter(task_name=UNASSIGNED_NOTICE_TASK).exists()
    assert ProposalCheck.objects.filter(proposal=proposal, version=1, code="completeness").get().outcome == "pass"
    assignments = ReviewAssignment.objects.filter(proposal=proposal)
    assert {a.reviewer for a in assignments} == {ana, ben}
    assert {a.status for a in assignments} == {AssignmentStatus.ASSIGNED}
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.IN_REVIEW

    messages = _sent_mail(mail_dir)
    assert sorted(str(message["To"]) for message in messages) == ["ana@buyer.example", "ben@buyer.example"]
    for message in messages:
        assert message["Subject"].startswith(f"Review assigned: proposal {proposal.reference} (Datacenter), due ")
        body = message.get_body(preferencelist=("plain",)).get_content()
        assert "Supplier: Gulf Coast Cooling LLC" in body
        assert f"/review/proposals/{proposal.reference}/" in body

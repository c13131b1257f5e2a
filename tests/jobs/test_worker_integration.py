"""Follow-up work through a real Redis and a real Celery worker process: nothing lost when the broker is down."""

import pytest
from django.test import override_settings

from accounts.factories import UserFactory
from jobs.models import Job
from jobs.services import jobs_sweep
from rfp.enums import CheckOutcome
from rfp.factories import draft_proposal
from rfp.models import Proposal, ProposalCheck
from rfp.services import CHECKS_TASK, QUEUE_TASK, proposal_submit
from suppliers.factories import SupplierFactory
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


@pytest.fixture
def redis_server():
    server = PrivateRedis()
    server.start()
    try:
        yield server
    finally:
        server.cleanup()


def _queue_length(redis_server: PrivateRedis, queue: str = "default") -> int:
    import redis

    return redis.Redis.from_url(redis_server.url).llen(queue)


def test_a_submitted_proposal_enters_the_queue_through_a_real_worker(redis_server):
    proposal = draft_proposal()

    with celery_app_publishing_to(redis_server.url), celery_worker(broker_url=redis_server.url) as worker:
        proposal_submit(proposal=proposal, actor=UserFactory())
        job = Job.objects.get(task_name=QUEUE_TASK)
        try:
            wait_until(lambda: Job.objects.get(pk=job.pk).status == Job.Status.DONE, timeout=60, message="job done")
        except AssertionError:
            pytest.fail(f"the worker did not finish the job; its log:\n{worker_log(worker)}")

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

    assert Job.objects.get(task_name=QUEUE_TASK).status == Job.Status.DONE
    checks = {check.code: check for check in ProposalCheck.objects.filter(proposal=proposal, version=1)}
    assert checks["completeness"].outcome == CheckOutcome.PASS
    screening = checks["screening_legal_name"]
    assert screening.outcome == CheckOutcome.FAIL
    assert screening.data["matches"][0]["name"] == "Shenzhen Example Power Co., Ltd."
    assert screening.data["matches"][0]["alias"] == "SEP Power"
    assert "through its alias “SEP Power”" in screening.detail

"""Faults of the broker and the worker, with a private Redis and real Celery worker processes, each stopped by PID.

Every figure a test sees (counts, seconds) is printed; run with -s to read them.
"""

import email
import os
import signal
import threading
import time
from email import policy
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client, override_settings

from accounts.factories import ProgramLeadFactory, UserFactory
from documents.models import Audience, SummaryPdf
from jobs.models import Job
from jobs.services import job_enqueue, jobs_sweep
from rfp.factories import draft_proposal
from rfp.models import Proposal, ProposalVersion
from rfp.services import QUEUE_TASK, RECEIPT_TASK
from suppliers.enums import MemberRole
from suppliers.factories import SupplierFactory, SupplierMemberFactory
from tests.support.processes import celery_app_publishing_to, celery_worker, wait_until, worker_log

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

HOOKS = {"CELERY_TEST_IMPORTS": "tests.faults.worker_hooks"}
CRASH_TASK = "tests.crash_the_worker"  # tests/faults/worker_hooks.py, loaded only into the test workers


@pytest.fixture
def mail_env(tmp_path) -> dict[str, str]:
    """The worker writes the emails it sends as files the test reads."""
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
    }


def _sent_mail(directory: Path) -> list[email.message.EmailMessage]:
    messages = []
    for path in sorted(directory.glob("*.log")):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                messages.append(email.message_from_bytes(chunk, policy=policy.default))
    return messages


def _suppliers_with_drafts(count: int) -> list[tuple[object, Proposal]]:
    made = []
    for index in range(count):
        owner = UserFactory(email=f"owner{index}@outage.example")
        supplier = SupplierFactory(legal_name=f"Outage Test Works {index} Inc.")
        SupplierMemberFactory(supplier=supplier, user=owner, role=MemberRole.OWNER)
        made.append((owner, draft_proposal(supplier=supplier, actor=owner)))
    return made


def _all_jobs_done(worker, *, timeout: float) -> float:
    """Wait until every job is done and no new one appears for a moment; returns the seconds it took."""
    started = time.monotonic()

    def settled() -> bool:
        before = list(Job.objects.order_by("id").values_list("id", "status"))
        if not before or {status for _, status in before} != {Job.Status.DONE}:
            return False
        time.sleep(1.5)
        return list(Job.objects.order_by("id").values_list("id", "status")) == before

    try:
        wait_until(settled, timeout=timeout, interval=1.0, message="every job done")
    except AssertionError:
        jobs = list(Job.objects.exclude(status=Job.Status.DONE).values_list("task_name", "status", "last_error")[:20])
        pytest.fail(f"jobs not done: {jobs}; worker log:\n{worker_log(worker)}")
    return time.monotonic() - started


def _submit_all(drafts, *, threads: int) -> list[float]:
    """Submit every draft through the portal, `threads` requests at a time; returns each request's seconds."""
    seconds: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    todo = list(drafts)

    def work() -> None:
        try:
            while True:
                with lock:
                    if not todo:
                        return
                    owner, proposal = todo.pop()
                client = Client()
                client.force_login(owner)
                started = time.monotonic()
                response = client.post(f"/portal/proposals/{proposal.reference}/submit/")
                took = time.monotonic() - started
                with lock:
                    seconds.append(took)
                    if response.status_code != 302 or "/receipt/" not in response["Location"]:
                        failures.append(f"{proposal.reference}: {response.status_code}")
        finally:
            connection.close()

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=300)
    assert failures == []
    return seconds


@pytest.mark.timeout(900)
def test_submits_during_a_redis_outage_all_commit_quickly_and_their_jobs_run_once_after_it(redis_server, mail_env):
    count = int(os.environ.get("FAULT_OUTAGE_SUBMITS", "50"))
    drafts = _suppliers_with_drafts(count)

    with celery_app_publishing_to(redis_server.url):
        redis_server.stop()
        outage_started = time.monotonic()
        seconds = _submit_all(drafts, threads=8)
        outage = time.monotonic() - outage_started

        assert len(seconds) == count
        assert max(seconds) < 5.0, f"a submit took {max(seconds):.2f}s while the broker was down"
        assert ProposalVersion.objects.count() == count
        assert Proposal.objects.filter(status="submitted").count() == count
        pending = Job.objects.filter(status=Job.Status.PENDING)
        assert pending.count() == 2 * count, "each submit left its queue and receipt jobs for the sweeper"
        assert all("publish failed" in error for error in pending.values_list("last_error", flat=True))

        redis_server.start()  # same port: the broker is back
        with override_settings(JOB_PUBLISH_GRACE_SECONDS=0):
            swept = jobs_sweep()
        assert swept == 2 * count
        with celery_worker(broker_url=redis_server.url, concurrency=2, extra_env=mail_env) as worker:
            drained = _all_jobs_done(worker, timeout=780)

    jobs = list(Job.objects.values_list("task_name", "attempts", "publish_count"))
    twice = list(Job.objects.exclude(attempts=1, publish_count=1).values("task_name", "attempts", "last_error"))
    assert {(attempts, published) for _, attempts, published in jobs} == {(1, 1)}, (
        f"every job ran exactly once: {twice}"
    )
    assert sum(1 for name, _, _ in jobs if name == QUEUE_TASK) == count
    assert sum(1 for name, _, _ in jobs if name == RECEIPT_TASK) == count
    assert Proposal.objects.filter(queued_at__isnull=False).count() == count
    supplier_pdfs = SummaryPdf.objects.filter(audience=Audience.SUPPLIER)
    assert supplier_pdfs.count() == count
    assert supplier_pdfs.values("proposal").distinct().count() == count
    receipts = [m for m in _sent_mail(Path(mail_env["EMAIL_FILE_PATH"])) if m["Subject"].startswith("Receipt:")]
    assert sorted(str(m["To"]) for m in receipts) == sorted(owner.email for owner, _ in drafts)
    print(
        f"\nredis outage: {count} submits in {outage:.1f}s, all committed, slowest {max(seconds):.2f}s, "
        f"mean {sum(seconds) / count:.2f}s; swept {swept} jobs; all {len(jobs)} jobs done {drained:.0f}s after "
        f"the worker started, each once; {supplier_pdfs.count()} receipt PDFs, {len(receipts)} receipt emails"
    )
    _remove_pdfs()


def _remove_pdfs() -> None:
    for summary in SummaryPdf.objects.all():
        summary.file.storage.delete(summary.file.name)


@pytest.mark.timeout(300)
def test_a_submit_while_redis_is_stalled_answers_within_its_timeout(redis_server, mail_env):
    [(owner, proposal)] = _suppliers_with_drafts(1)
    client = Client()
    client.force_login(owner)

    with celery_app_publishing_to(redis_server.url):
        # Warm the publishing connection first: a stalled server keeps its sockets open but never answers.
        with celery_worker(broker_url=redis_server.url, extra_env=mail_env) as worker:
            warm = draft_proposal(supplier=SupplierFactory(), actor=owner)
            job_enqueue(task_name=QUEUE_TASK, arguments={"proposal_id": warm.pk, "version": 99}, dedupe_key="warm")
            wait_until(lambda: Job.objects.get(dedupe_key="warm").status == Job.Status.DONE, timeout=60)
        redis_server.process.send_signal(signal.SIGSTOP)
        try:
            started = time.monotonic()
            response = client.post(f"/portal/proposals/{proposal.reference}/submit/")
            took = time.monotonic() - started
        finally:
            redis_server.process.send_signal(signal.SIGCONT)

        assert response.status_code == 302 and "/receipt/" in response["Location"]
        assert took < 5.0, f"the submit hung {took:.1f}s on a stalled broker"
        assert ProposalVersion.objects.filter(proposal=proposal).count() == 1
        left = Job.objects.filter(status=Job.Status.PENDING).exclude(dedupe_key="warm")
        assert left.count() == 2, "the queue and receipt jobs wait for the sweeper"

        with override_settings(JOB_PUBLISH_GRACE_SECONDS=0):
            swept = jobs_sweep()
        with celery_worker(broker_url=redis_server.url, extra_env=mail_env) as worker:
            _all_jobs_done(worker, timeout=180)

    assert Proposal.objects.get(pk=proposal.pk).queued_at is not None
    receipts = [m for m in _sent_mail(Path(mail_env["EMAIL_FILE_PATH"])) if m["Subject"].startswith("Receipt:")]
    assert [str(m["To"]) for m in receipts] == [owner.email]
    print(f"\nredis stalled (SIGSTOP): the submit answered in {took:.2f}s; {swept} jobs swept after SIGCONT, done")
    _remove_pdfs()


@pytest.mark.timeout(300)
def test_a_task_that_kills_its_process_every_time_is_dead_after_n_attempts_and_shown_to_program_leads(
    redis_server,
):
    with (
        celery_app_publishing_to(redis_server.url),
        celery_worker(broker_url=redis_server.url, extra_env={**HOOKS, "JOB_MAX_ATTEMPTS": "3"}) as worker,
    ):
        started = time.monotonic()
        job = job_enqueue(task_name=CRASH_TASK, arguments={"case": "poison"})
        try:
            wait_until(lambda: Job.objects.get(pk=job.pk).status == Job.Status.DEAD, timeout=180, interval=0.5)
        except AssertionError:
            job.refresh_from_db()
            pytest.fail(f"job {job.status} after {job.attempts} attempts; worker log:\n{worker_log(worker)}")
        dead_after = time.monotonic() - started
        time.sleep(5)  # it is not tried again
        job.refresh_from_db()
        assert worker.poll() is None, "the worker itself lives on"
        log = worker_log(worker)

    assert job.attempts == 3
    assert "worker process died" in job.last_error
    assert "WorkerLostError" in log or "exited with 'exitcode 70'" in log

    lead = ProgramLeadFactory(email="lead@buyer.example")
    lead.user_permissions.add(Permission.objects.get(content_type__app_label="jobs", codename="view_job"))
    client = Client()
    client.force_login(lead)
    page = client.get("/panel/jobs/job/?status__exact=dead").content.decode()
    assert CRASH_TASK in page
    assert "Failed for good" in page
    detail = client.get(f"/panel/jobs/job/{job.pk}/change/").content.decode()
    assert "worker process died" in detail
    print(f"\npoison task: dead after {job.attempts} attempts, {dead_after:.1f}s; not retried in the next 5s")


@pytest.mark.timeout(400)
def test_a_worker_killed_while_rendering_a_pdf_redelivers_and_completes_once(redis_server, mail_env, tmp_path):
    [(owner, proposal)] = _suppliers_with_drafts(1)
    marker = tmp_path / "render-started"
    env = {**mail_env, **HOOKS, "SLOW_RENDER_MARKER": str(marker), "CELERY_VISIBILITY_TIMEOUT": "5"}
    client = Client()
    client.force_login(owner)

    with celery_app_publishing_to(redis_server.url):
        with celery_worker(broker_url=redis_server.url, extra_env=env, queues="mail") as first:
            response = client.post(f"/portal/proposals/{proposal.reference}/submit/")
            assert response.status_code == 302
            wait_until(marker.exists, timeout=60, message="the receipt's PDF render started")
            receipt_job = Job.objects.get(task_name=RECEIPT_TASK)
            assert receipt_job.status == Job.Status.RUNNING
            os.killpg(first.pid, signal.SIGKILL)  # the whole worker, its pool processes included
            first.wait(timeout=10)
            killed_at = time.monotonic()
        assert not SummaryPdf.objects.exists(), "the killed render left nothing"

        with celery_worker(broker_url=redis_server.url, extra_env=env) as second:
            wait_until(
                lambda: Job.objects.get(pk=receipt_job.pk).status == Job.Status.DONE,
                timeout=120,
                message="the redelivered receipt job done",
            )
            redelivered_after = time.monotonic() - killed_at
            _all_jobs_done(second, timeout=180)

    receipt_job.refresh_from_db()
    assert (receipt_job.attempts, receipt_job.publish_count) == (2, 1), "redelivered by the broker, not republished"
    copies = SummaryPdf.objects.filter(proposal=proposal, audience=Audience.SUPPLIER)
    assert copies.count() == 1
    assert copies.get().proposal_version == 1
    receipts = [m for m in _sent_mail(Path(mail_env["EMAIL_FILE_PATH"])) if m["Subject"].startswith("Receipt:")]
    assert [str(m["To"]) for m in receipts] == [owner.email]
    [attachment] = list(receipts[0].iter_attachments())
    assert attachment.get_filename() == f"{proposal.reference}-v1-summary.pdf"
    print(
        f"\nworker SIGKILLed mid-render: the receipt job ran again {redelivered_after:.1f}s later (attempt 2), "
        f"{copies.count()} supplier PDF, {len(receipts)} receipt email"
    )
    _remove_pdfs()

"""Follow-up work that cannot be lost: a Job row commits with the change, the broker only carries its id.

`job_enqueue` writes the row and publishes on commit; a failed publish leaves the job pending, and the
periodic `jobs_sweep` publishes it again. Workers run jobs through `job_run`, which makes a finished job a no-op.
"""

import contextlib
import logging
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from jobs.models import Job

logger = logging.getLogger(__name__)


class JobFailed(Exception):
    """A failure that trying again cannot mend (a document too long, a render over its time): the job is given up
    at once, with this message as its last error, instead of being retried."""


def job_enqueue(*, task_name: str, arguments: dict[str, Any], dedupe_key: str | None = None) -> Job:
    """Record a job in the caller's transaction; it is published once that transaction commits."""
    with transaction.atomic(savepoint=False):  # only the insert below needs a savepoint of its own
        # Insert first: a new key (the usual case) costs one statement; a key already taken falls back to its job.
        try:
            with transaction.atomic():
                job = Job.objects.create(task_name=task_name, arguments=arguments, dedupe_key=dedupe_key)
        except IntegrityError:
            if dedupe_key is None:
                raise
            return Job.objects.get(dedupe_key=dedupe_key)
    transaction.on_commit(lambda: job_publish(job_id=job.id))
    return job


# After a failed publish this process leaves new jobs to the sweeper for a while (monotonic deadline), instead of
# making every request wait out the broker's timeouts again: a stalled broker costs one request one timeout.
_broker_unreachable_until = 0.0


def job_publish(*, job_id, force: bool = False) -> bool:
    """Hand a job to the broker; False (and the job left for the sweeper) when the broker cannot be reached, or
    failed moments ago in this process (unless `force`)."""
    global _broker_unreachable_until
    from config.celery_app import app

    job = Job.objects.filter(id=job_id).only("task_name", "status").first()
    if job is None or job.status not in (Job.Status.PENDING, Job.Status.QUEUED, Job.Status.RETRYING):
        return False
    if not force and time.monotonic() < _broker_unreachable_until:
        Job.objects.filter(id=job.id).update(
            last_error="publish failed: the broker was unreachable moments ago; left for the sweeper"
        )
        return False
    try:
        app.send_task(job.task_name, kwargs={"job_id": str(job.id)})
    except Exception as error:
        _broker_unreachable_until = time.monotonic() + settings.JOB_PUBLISH_BACKOFF_SECONDS
        logger.warning("job %s (%s) not published, the sweeper will retry: %s", job.id, job.task_name, error)
        Job.objects.filter(id=job.id).update(last_error=f"publish failed: {error}"[:2000])
        return False
    _broker_unreachable_until = 0.0
    queued = Case(When(status=Job.Status.PENDING, then=Value(Job.Status.QUEUED)), default=F("status"))
    Job.objects.filter(id=job.id).update(
        status=queued, published_at=timezone.now(), publish_count=F("publish_count") + 1
    )
    return True


def jobs_due_for_publish(*, now=None):
    now = now or timezone.now()
    never_published = Q(
        status=Job.Status.PENDING, created_at__lte=now - timedelta(seconds=settings.JOB_PUBLISH_GRACE_SECONDS)
    )
    lost_in_broker = Q(status=Job.Status.QUEUED, published_at__lte=now - timedelta(seconds=settings.JOB_STALE_SECONDS))
    return Job.objects.filter(never_published | lost_in_broker).order_by("created_at")


def jobs_sweep(*, limit: int = 500) -> int:
    """Publish again the jobs that never reached the broker (or whose message was lost); returns how many."""
    published = 0
    for index, job_id in enumerate(jobs_due_for_publish().values_list("id", flat=True)[:limit]):
        # The first one always tries the broker; once one fails, the rest wait for the next sweep.
        if job_publish(job_id=job_id, force=index == 0):
            published += 1
    if published:
        logger.info("sweeper published %d job(s)", published)
    return published


def job_run(*, job_id, handler: Callable[..., Any], atomic: bool = True) -> bool:
    """Run a job's handler once; returns False when there was nothing to do (unknown or already done).

    An atomic job's handler runs in the transaction that marks it done. A handler that holds no transaction while
    it works (a PDF render: minutes of CPU must not keep a transaction, or SQLite's only writer lock, open) runs
    with `atomic=False`, opens its own short ones, and must be safe to run again."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(id=job_id).first()
        if job is None or job.status in (Job.Status.DONE, Job.Status.DEAD):
            return False
        if job.status == Job.Status.RUNNING:
            # Delivered again while marked running: the process of the last attempt died (crash, kill, out of
            # memory) and the broker redelivered the message. Count it; a job that always kills its process is dead.
            job.last_error = (
                f"The worker process died during attempt {job.attempts} (started {job.started_at:%Y-%m-%d %H:%M:%S} "
                "UTC): killed, crashed or out of memory."
            )
            if job.attempts >= settings.JOB_MAX_ATTEMPTS:
                job.status = Job.Status.DEAD
                job.finished_at = timezone.now()
                job.last_error += f" Given up: the worker process died during each of {job.attempts} attempts."
                job.save(update_fields=["status", "finished_at", "last_error"])
                logger.error("job %s (%s) is dead: %s", job.id, job.task_name, job.last_error)
                return False
        job.status = Job.Status.RUNNING
        job.attempts += 1
        job.started_at = timezone.now()
        job.save(update_fields=["status", "attempts", "started_at", "last_error"])
    try:
        with transaction.atomic() if atomic else contextlib.nullcontext():
            handler(**job.arguments)
            Job.objects.filter(id=job.id).update(status=Job.Status.DONE, finished_at=timezone.now(), last_error="")
    except JobFailed as error:
        Job.objects.filter(id=job.id).update(
            status=Job.Status.DEAD, finished_at=timezone.now(), last_error=str(error)[:2000]
        )
        logger.error("job %s (%s) failed for good: %s", job.id, job.task_name, error)
        raise
    except Exception as error:
        gave_up = job.attempts >= settings.JOB_MAX_ATTEMPTS
        Job.objects.filter(id=job.id).update(
            status=Job.Status.DEAD if gave_up else Job.Status.RETRYING,
            finished_at=timezone.now() if gave_up else None,
            last_error=f"{type(error).__name__}: {error}"[:2000],
        )
        raise
    return True

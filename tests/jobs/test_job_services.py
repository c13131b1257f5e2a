import pytest
from django.test import override_settings

from jobs.models import Job
from jobs.services import job_enqueue, job_run, jobs_due_for_publish

pytestmark = pytest.mark.django_db


def test_the_same_dedupe_key_gives_the_same_job(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        first = job_enqueue(task_name="rfp.example", arguments={"n": 1}, dedupe_key="example:1")
        second = job_enqueue(task_name="rfp.example", arguments={"n": 1}, dedupe_key="example:1")

    assert first.pk == second.pk
    assert Job.objects.count() == 1


def test_a_finished_job_is_not_run_again():
    calls = []
    job = Job.objects.create(task_name="rfp.example", arguments={"n": 7})

    assert job_run(job_id=job.pk, handler=lambda n: calls.append(n)) is True
    assert job_run(job_id=job.pk, handler=lambda n: calls.append(n)) is False

    job.refresh_from_db()
    assert calls == [7]
    assert (job.status, job.attempts) == (Job.Status.DONE, 1)


@override_settings(JOB_MAX_ATTEMPTS=3)
def test_a_job_that_keeps_failing_ends_dead_after_the_last_attempt():
    def broken(**kwargs):
        raise RuntimeError("renderer crashed")

    job = Job.objects.create(task_name="rfp.example", arguments={})
    for expected in (Job.Status.RETRYING, Job.Status.RETRYING, Job.Status.DEAD):
        with pytest.raises(RuntimeError):
            job_run(job_id=job.pk, handler=broken)
        job.refresh_from_db()
        assert job.status == expected

    assert job.attempts == 3
    assert job.last_error == "RuntimeError: renderer crashed"
    assert job_run(job_id=job.pk, handler=broken) is False, "a dead job stays dead until a person acts"


def test_a_failed_handler_rolls_back_its_own_writes():
    from accounts.factories import UserFactory
    from accounts.models import User

    def half_done(**kwargs):
        UserFactory(email="half@example.com")
        raise RuntimeError("boom")

    job = Job.objects.create(task_name="rfp.example", arguments={})
    with pytest.raises(RuntimeError):
        job_run(job_id=job.pk, handler=half_done)

    assert not User.objects.filter(email="half@example.com").exists()


@override_settings(JOB_PUBLISH_GRACE_SECONDS=30, JOB_STALE_SECONDS=3600)
def test_the_sweeper_picks_jobs_that_never_reached_the_broker_after_a_grace_period():
    import time_machine
    from django.utils import timezone

    now = timezone.now()
    with time_machine.travel(now, tick=False):
        pending = Job.objects.create(task_name="rfp.example")
        Job.objects.create(task_name="rfp.example", status=Job.Status.DONE)
        Job.objects.create(task_name="rfp.example", status=Job.Status.QUEUED, published_at=now)

    assert list(jobs_due_for_publish(now=now + timezone.timedelta(seconds=10))) == []
    assert list(jobs_due_for_publish(now=now + timezone.timedelta(seconds=31))) == [pending]
    assert jobs_due_for_publish(now=now + timezone.timedelta(hours=2)).count() == 2

from celery import shared_task

from jobs.services import jobs_sweep


@shared_task(name="jobs.sweep", acks_late=False)
def sweep() -> int:
    return jobs_sweep()

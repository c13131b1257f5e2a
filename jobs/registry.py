"""`job_task` turns a service function into a Celery task that runs it as a Job, retrying with backoff."""

from collections.abc import Callable

from celery import shared_task
from django.conf import settings

from jobs.services import JobFailed, job_run


def job_task(name: str, *, atomic: bool = True, **task_options) -> Callable[[Callable], Callable]:
    """`atomic` as in `job_run`; `task_options` go to Celery (e.g. soft_time_limit)."""

    def decorator(handler: Callable) -> Callable:
        @shared_task(name=name, bind=True, max_retries=None, **task_options)
        def run(self, job_id: str) -> bool:
            try:
                return job_run(job_id=job_id, handler=handler, atomic=atomic)
            except JobFailed:
                raise  # given up: retrying cannot mend it
            except Exception as error:
                if self.request.retries + 1 >= settings.JOB_MAX_ATTEMPTS:
                    raise
                raise self.retry(exc=error, countdown=min(2**self.request.retries * 5, 300)) from error

        run.handler = handler
        return run

    return decorator

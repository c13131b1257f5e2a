"""The email outbox in tests: run the send jobs a worker on the "mail" queue would run, in this process."""

from jobs.models import Job
from jobs.services import job_run


def deliver_outbox() -> int:
    """Run every send job not yet finished, oldest first, as a worker would; returns how many ran.

    The emails reach Django's mail backend (`mail.outbox` with the locmem backend of the test settings)."""
    from notifications.services import SEND_TASK, email_send
    from suppliers.services import INVITATION_EMAIL_TASK

    ran = run_jobs(INVITATION_EMAIL_TASK)  # the invitation's email is made by a job of its own, then sent
    pending = Job.objects.filter(task_name=SEND_TASK).exclude(status__in=[Job.Status.DONE, Job.Status.DEAD])
    for job_id in pending.order_by("created_at").values_list("pk", flat=True):
        ran += job_run(job_id=job_id, handler=email_send)
    return ran


def run_jobs(*task_names: str) -> int:
    """Run the unfinished jobs of these tasks through their registered handlers, again and again until none is
    left (a job may enqueue another, as a receipt job enqueues its email's send job); returns how many ran."""
    from config.celery_app import app

    app.loader.import_default_modules()
    ran = 0
    while True:
        jobs = list(
            Job.objects.filter(task_name__in=task_names)
            .exclude(status__in=[Job.Status.DONE, Job.Status.DEAD])
            .order_by("created_at")
            .values_list("pk", "task_name")
        )
        if not jobs:
            return ran
        for job_id, task_name in jobs:
            ran += job_run(job_id=job_id, handler=app.tasks[task_name].handler)


def deliver_receipts() -> int:
    """Run the receipt jobs of submitted versions (each renders the supplier's PDF summary and queues the email),
    then their send jobs."""
    from notifications.services import SEND_TASK
    from rfp.services import RECEIPT_TASK

    return run_jobs(RECEIPT_TASK, SEND_TASK)

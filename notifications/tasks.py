from celery import shared_task

from jobs.registry import job_task
from notifications import reports, services

send_email = job_task(services.SEND_TASK)(services.email_send)
send_reviewer_digest = job_task(reports.DIGEST_TASK)(reports.reviewer_digest_send)
render_program_report = job_task(reports.PROGRAM_REPORT_TASK)(reports.program_report_send)


@shared_task(name="notifications.retry_due_emails", acks_late=False)
def retry_due_emails() -> int:
    return services.emails_retry_due()


@shared_task(name="notifications.send_reviewer_digests", acks_late=False)
def send_reviewer_digests() -> int:
    return reports.reviewer_digests_enqueue_due()


@shared_task(name="notifications.send_program_reports", acks_late=False)
def send_program_reports() -> int:
    return reports.program_reports_enqueue_due()

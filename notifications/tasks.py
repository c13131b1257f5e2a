from celery import shared_task

from jobs.registry import job_task
from notifications import notices, reports, services
from rfp import job_names
from suppliers.services import INVITATION_EMAIL_TASK

send_email = job_task(services.SEND_TASK)(services.email_send)
send_reviewer_digest = job_task(reports.DIGEST_TASK)(reports.reviewer_digest_send)
render_program_report = job_task(reports.PROGRAM_REPORT_TASK)(reports.program_report_send)

# The emails rfp and suppliers ask for by job name (they never import notifications).
send_review_assignment_email = job_task(job_names.ASSIGNMENT_EMAIL_TASK)(notices.review_assignment_email_send)
send_unassigned_notice = job_task(job_names.UNASSIGNED_NOTICE_TASK)(notices.proposal_unassigned_notice_send)
send_decision_notice = job_task(job_names.DECISION_NOTICE_TASK)(notices.proposal_decision_notice_send)
send_information_request_notice = job_task(job_names.INFORMATION_REQUEST_NOTICE_TASK)(
    notices.information_request_notice_send
)
# The receipt may render the supplier's PDF summary: no transaction held while it does (the email is deduplicated).
send_proposal_receipt = job_task(job_names.RECEIPT_TASK, atomic=False)(notices.proposal_receipt_send)
send_invitation_email = job_task(INVITATION_EMAIL_TASK)(notices.invitation_email_send)


@shared_task(name="notifications.retry_due_emails", acks_late=False)
def retry_due_emails() -> int:
    return services.emails_retry_due()


@shared_task(name="notifications.send_reviewer_digests", acks_late=False)
def send_reviewer_digests() -> int:
    return reports.reviewer_digests_enqueue_due()


@shared_task(name="notifications.send_program_reports", acks_late=False)
def send_program_reports() -> int:
    return reports.program_reports_enqueue_due()

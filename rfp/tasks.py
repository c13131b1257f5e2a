from celery import shared_task

from jobs.registry import job_task
from rfp import services

proposal_enter_review_queue = job_task(services.QUEUE_TASK)(services.proposal_record_queue_entry)
proposal_run_checks = job_task(services.CHECKS_TASK)(services.proposal_run_checks)
proposal_assign_reviewers = job_task(services.ASSIGN_TASK)(services.proposal_assign_reviewers)
send_review_assignment_email = job_task(services.ASSIGNMENT_EMAIL_TASK)(services.review_assignment_email_send)
send_unassigned_notice = job_task(services.UNASSIGNED_NOTICE_TASK)(services.proposal_unassigned_notice_send)
send_decision_notice = job_task(services.DECISION_NOTICE_TASK)(services.proposal_decision_notice_send)
# The receipt may render the supplier's PDF summary: no transaction held while it does (the email is deduplicated).
send_proposal_receipt = job_task(services.RECEIPT_TASK, atomic=False)(services.proposal_receipt_send)


@shared_task(name="rfp.assign_waiting", acks_late=False)
def assign_waiting() -> int:
    return services.proposals_assign_waiting()


send_information_request_notice = job_task(services.INFORMATION_REQUEST_NOTICE_TASK)(
    services.information_request_notice_send
)

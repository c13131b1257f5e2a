from jobs.registry import job_task
from rfp import services

proposal_enter_review_queue = job_task(services.QUEUE_TASK)(services.proposal_record_queue_entry)
proposal_run_checks = job_task(services.CHECKS_TASK)(services.proposal_run_checks)
proposal_assign_reviewers = job_task(services.ASSIGN_TASK)(services.proposal_assign_reviewers)
send_review_assignment_email = job_task(services.ASSIGNMENT_EMAIL_TASK)(services.review_assignment_email_send)
send_unassigned_notice = job_task(services.UNASSIGNED_NOTICE_TASK)(services.proposal_unassigned_notice_send)
send_decision_notice = job_task(services.DECISION_NOTICE_TASK)(services.proposal_decision_notice_send)

"""The names of the jobs rfp enqueues (`jobs.services.job_enqueue`), in one leaf module that anything may import.

rfp.tasks registers the handlers of rfp's own work; notifications.tasks those of the emails and documents.tasks the
PDF renders, so rfp asks for them by name and never imports those apps. CELERY_TASK_ROUTES routes by the name:
"send_" names go to the "mail" queue, "render_" names to the "pdf" queue. A name is stored in each job row: renaming
one strands the jobs not yet run.
"""

QUEUE_TASK = "rfp.proposal_enter_review_queue"
CHECKS_TASK = "rfp.proposal_run_checks"
ASSIGN_TASK = "rfp.proposal_assign_reviewers"

ASSIGNMENT_EMAIL_TASK = "rfp.send_review_assignment_email"
UNASSIGNED_NOTICE_TASK = "rfp.send_unassigned_notice"
DECISION_NOTICE_TASK = "rfp.send_decision_notice"
INFORMATION_REQUEST_NOTICE_TASK = "rfp.send_information_request_notice"
RECEIPT_TASK = "rfp.send_proposal_receipt"

SUMMARY_RENDER_TASK = "documents.render_summary"

from jobs.registry import job_task
from rfp import services

proposal_enter_review_queue = job_task(services.QUEUE_TASK)(services.proposal_record_queue_entry)
proposal_run_checks = job_task(services.CHECKS_TASK)(services.proposal_run_checks)

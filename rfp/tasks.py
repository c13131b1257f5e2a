from celery import shared_task

from jobs.registry import job_task
from rfp import services

proposal_enter_review_queue = job_task(services.QUEUE_TASK)(services.proposal_record_queue_entry)
proposal_run_checks = job_task(services.CHECKS_TASK)(services.proposal_run_checks)
proposal_assign_reviewers = job_task(services.ASSIGN_TASK)(services.proposal_assign_reviewers)


@shared_task(name="rfp.assign_waiting", acks_late=False)
def assign_waiting() -> int:
    return services.proposals_assign_waiting()

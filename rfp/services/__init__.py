"""Writes of the rfp app, one module per area; import them from here: `from rfp import services`."""

from rfp.services.assignment import (
    ASSIGN_TASK,
    ASSIGNMENT_EMAIL_TASK,
    UNASSIGNED_NOTICE_TASK,
    AssignmentResult,
    ConflictRelease,
    assignment_release_for_conflict,
    proposal_assign_reviewers,
    proposal_unassigned_notice_send,
    review_assignment_email_send,
)
from rfp.services.attachments import (
    attachment_add,
    attachment_change_refusal,
    attachment_delete,
    attachment_delete_refusal,
)
from rfp.services.checks import CHECKS_TASK, proposal_run_checks
from rfp.services.communications import addendum_acknowledge, clarification_ask
from rfp.services.proposals import (
    EDITABLE_STATUSES,
    QUEUE_TASK,
    TRANSITIONS,
    proposal_create,
    proposal_decide,
    proposal_record_queue_entry,
    proposal_request_information,
    proposal_resubmit,
    proposal_snapshot,
    proposal_start_review,
    proposal_submit,
    proposal_update,
    proposal_withdraw,
    rfp_ensure_open,
)
from rfp.services.receipts import (
    proposal_receipt_send,
    proposal_resubmit_with_receipt,
    proposal_submit_with_receipt,
)

__all__ = [
    "ASSIGNMENT_EMAIL_TASK",
    "ASSIGN_TASK",
    "CHECKS_TASK",
    "EDITABLE_STATUSES",
    "QUEUE_TASK",
    "TRANSITIONS",
    "UNASSIGNED_NOTICE_TASK",
    "AssignmentResult",
    "ConflictRelease",
    "addendum_acknowledge",
    "assignment_release_for_conflict",
    "attachment_add",
    "attachment_change_refusal",
    "attachment_delete",
    "attachment_delete_refusal",
    "clarification_ask",
    "proposal_assign_reviewers",
    "proposal_create",
    "proposal_decide",
    "proposal_receipt_send",
    "proposal_record_queue_entry",
    "proposal_request_information",
    "proposal_resubmit",
    "proposal_resubmit_with_receipt",
    "proposal_run_checks",
    "proposal_snapshot",
    "proposal_start_review",
    "proposal_submit",
    "proposal_submit_with_receipt",
    "proposal_unassigned_notice_send",
    "proposal_update",
    "proposal_withdraw",
    "review_assignment_email_send",
    "rfp_ensure_open",
]

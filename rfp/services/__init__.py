"""Writes of the rfp app, one module per area; import them from here: `from rfp import services`."""

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
    "CHECKS_TASK",
    "EDITABLE_STATUSES",
    "QUEUE_TASK",
    "TRANSITIONS",
    "addendum_acknowledge",
    "attachment_add",
    "attachment_change_refusal",
    "attachment_delete",
    "attachment_delete_refusal",
    "clarification_ask",
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
    "proposal_update",
    "proposal_withdraw",
    "rfp_ensure_open",
]

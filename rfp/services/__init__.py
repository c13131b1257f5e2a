"""Writes of the rfp app, one module per area; import them from here: `from rfp import services`."""

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

__all__ = [
    "EDITABLE_STATUSES",
    "QUEUE_TASK",
    "TRANSITIONS",
    "proposal_create",
    "proposal_decide",
    "proposal_record_queue_entry",
    "proposal_request_information",
    "proposal_resubmit",
    "proposal_snapshot",
    "proposal_start_review",
    "proposal_submit",
    "proposal_update",
    "proposal_withdraw",
    "rfp_ensure_open",
]

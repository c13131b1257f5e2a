"""Submitting from the portal: the proposal's transition and the receipt the supplier keeps.

A receipt is the immutable ProposalVersion seen by the supplier: reference, version number, server time of the
submit, SHA-256 of the submitted content and of each attachment. It is recorded in the audit trail with the
submit; a job enqueued with it emails the receipt (to the person who submitted, copied to the company's owners)
through the outbox (notifications), with the supplier's PDF summary of the version attached.
"""

from django.db import transaction

from audit.services import audit_chain_deferred, audit_record
from jobs.services import job_enqueue
from rfp.job_names import RECEIPT_TASK
from rfp.models import Proposal, ProposalVersion
from rfp.selectors import proposal_receipt_recipients
from rfp.services.proposals import proposal_resubmit, proposal_submit


def _issue_receipt(version: ProposalVersion, *, actor) -> None:
    to, cc = proposal_receipt_recipients(version=version)
    audit_record(
        action="proposal.receipt_issued",
        target=version.proposal,
        actor=actor,
        summary=f"Receipt for {version.proposal.reference} v{version.number} sent to {', '.join(to + cc) or 'nobody'}",
        data={"version": version.number, "sha256": version.sha256, "to": to, "cc": cc},
    )
    job_enqueue(task_name=RECEIPT_TASK, arguments={"version_id": version.pk}, dedupe_key=f"{RECEIPT_TASK}:{version.pk}")


# At a deadline every supplier submits at once: the audit events join the chain at the end, so the chain's lock is
# held for the last inserts and the commit only, not for the whole submit.
@transaction.atomic
def proposal_submit_with_receipt(*, proposal: Proposal, actor) -> ProposalVersion:
    """Submit a draft (or a withdrawn proposal again) and issue its receipt."""
    with audit_chain_deferred():
        submitted = proposal_submit(proposal=proposal, actor=actor)
        version = ProposalVersion.objects.select_related("proposal__rfp", "submitted_by").get(
            proposal=submitted, number=submitted.version
        )
        _issue_receipt(version, actor=actor)
    return version


@transaction.atomic
def proposal_resubmit_with_receipt(*, proposal: Proposal, actor, response: str) -> ProposalVersion:
    """Answer the reviewers' request for information: a new version, and its receipt."""
    with audit_chain_deferred():
        resubmitted = proposal_resubmit(proposal=proposal, actor=actor, response=response)
        version = ProposalVersion.objects.select_related("proposal__rfp", "submitted_by").get(
            proposal=resubmitted, number=resubmitted.version
        )
        _issue_receipt(version, actor=actor)
    return version

"""Submitting from the portal: the proposal's transition and the receipt the supplier keeps.

A receipt is the immutable ProposalVersion seen by the supplier: reference, version number, server time of the
submit, SHA-256 of the submitted content and of each attachment. It is recorded in the audit trail with the
submit; a job enqueued with it emails the receipt (to the person who submitted, copied to the company's owners)
through the outbox (notifications), with the supplier's PDF summary of the version attached.
"""

import logging

from django.db import transaction
from django.urls import reverse

from audit.services import audit_chain_deferred, audit_record
from jobs.services import JobFailed, job_enqueue
from notifications.enums import EmailKind
from notifications.models import OutboundEmail
from notifications.services import EmailFile, absolute_url, email_queue
from rfp.models import Proposal, ProposalVersion
from rfp.selectors import proposal_receipt, proposal_receipt_recipients
from rfp.services.proposals import proposal_resubmit, proposal_submit

logger = logging.getLogger(__name__)

# "send_" names are routed to the "mail" queue (CELERY_TASK_ROUTES).
RECEIPT_TASK = "rfp.send_proposal_receipt"


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


def _supplier_summary_pdf(version: ProposalVersion) -> EmailFile | None:
    """The supplier's PDF summary of this version, rendered now if needed; None once a newer version superseded it
    before its copy was made (that version's receipt carries its own)."""
    from documents.models import Audience, SummaryPdf
    from documents.services import summary_pdf_ensure

    summary = (
        SummaryPdf.objects.filter(
            proposal_id=version.proposal_id, proposal_version=version.number, audience=Audience.SUPPLIER
        )
        .order_by("-rendered_at", "-id")
        .first()
    )
    if summary is None and version.proposal.version == version.number:
        try:
            summary = summary_pdf_ensure(proposal_id=version.proposal_id, audience=Audience.SUPPLIER, reason="receipt")
        except JobFailed as error:  # too long or too slow to print: the receipt still goes, without it
            logger.error(
                "receipt for %s v%s without its summary PDF: %s", version.proposal.reference, version.number, error
            )
            return None
    if summary is None or summary.proposal_version != version.number:
        logger.warning("receipt for %s v%s goes without its summary PDF", version.proposal.reference, version.number)
        return None
    with summary.file.open("rb") as stored:
        content = stored.read()
    return EmailFile(f"{version.proposal.reference}-v{version.number}-summary.pdf", content, "application/pdf")


def proposal_receipt_send(*, version_id: int) -> bool:
    """Worker side: queue a version's receipt email with its PDF summary; False when there is no one to send it to."""
    version = ProposalVersion.objects.select_related("proposal__rfp", "submitted_by").get(pk=version_id)
    to, cc = proposal_receipt_recipients(version=version)
    if not to and not cc:
        logger.warning("receipt for %s v%s has no recipient", version.proposal.reference, version.number)
        return False
    dedupe_key = f"receipt:{version.pk}"
    if OutboundEmail.objects.filter(dedupe_key=dedupe_key).exists():
        return True
    receipt = proposal_receipt(version=version)
    path = reverse("portal:proposal_receipt", args=[receipt.reference, receipt.version])
    summary = _supplier_summary_pdf(version)
    context = {
        "receipt": receipt,
        "receipt_url": absolute_url(path),
        "summary_name": summary.name if summary else "",
    }
    email_queue(
        to=to,
        cc=cc,
        subject=f"Receipt: proposal {receipt.reference}, version {receipt.version}, received",
        template="emails/receipt",
        context=context,
        attachments=[summary] if summary else [],
        kind=EmailKind.RECEIPT,
        proposal=version.proposal,
        dedupe_key=dedupe_key,
    )
    return True


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

"""The emails the data apps ask for by job name: each handler reads what happened, then queues the email in the
outbox. rfp and suppliers enqueue these jobs in the transaction of the change (`jobs.services.job_enqueue`), so an
email leaves only for what was committed; notifications.tasks registers the handlers under those names.
"""

import logging

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from documents.models import Audience, SummaryPdf
from documents.services import summary_pdf_ensure
from jobs.services import JobFailed
from notifications.enums import EmailKind
from notifications.models import OutboundEmail
from notifications.services import EmailFile, absolute_url, email_queue
from rfp import rules
from rfp.enums import AssignmentStatus, DecisionOutcome
from rfp.formatting import counted
from rfp.models import Decision, InformationRequest, Proposal, ProposalVersion, ReviewAssignment
from rfp.selectors import (
    program_lead_recipients,
    proposal_decision_recipients,
    proposal_list_unassigned,
    proposal_receipt,
    proposal_receipt_recipients,
    proposal_reviewer_pool,
    proposal_title_shown,
)
from rfp.services.assignment import assignment_due_text
from suppliers.models import Invitation

logger = logging.getLogger(__name__)

# --- Reviewers and program leads ---------------------------------------------------------------------------------


def _panel_url(proposal: Proposal) -> str:
    return absolute_url(reverse("review:proposal", args=[proposal.reference]))


def review_assignment_email_send(*, assignment_id: int) -> bool:
    """Tell a reviewer about a new assignment; False when it was released (or completed) before the email left."""
    assignment = (
        ReviewAssignment.objects.select_related("proposal__rfp", "proposal__sector", "proposal__supplier", "reviewer")
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None or assignment.status != AssignmentStatus.ASSIGNED:
        return False
    proposal = assignment.proposal
    supplier_hidden = rules.supplier_hidden_from(assignment.reviewer, proposal)
    context = {
        "assignment": assignment,
        "proposal": proposal,
        "reviewer_name": assignment.reviewer.full_name or assignment.reviewer.email,
        "supplier_hidden": supplier_hidden,
        "proposal_title": proposal_title_shown(proposal, supplier_hidden=supplier_hidden),
        "due_text": assignment_due_text(assignment, proposal.rfp),
        "time_zone": proposal.rfp.display_time_zone,
        "panel_url": _panel_url(proposal),
    }
    email_queue(
        to=[assignment.reviewer.email],
        subject=f"Review assigned: proposal {proposal.reference} ({proposal.sector.name}), "
        f"due {timezone.localtime(assignment.due_at, proposal.rfp.tz):%B %-d, %Y}",
        template="emails/review_assignment",
        context=context,
        kind=EmailKind.REVIEW_ASSIGNMENT,
        proposal=proposal,
        dedupe_key=f"review_assignment:{assignment.pk}",
    )
    return True


def proposal_unassigned_notice_send(*, proposal_id: int, version: int) -> bool:
    """Tell the program leads a version waits for reviewers; False when it no longer waits or nobody is to be told."""
    proposal = proposal_list_unassigned(now=timezone.now()).filter(pk=proposal_id, version=version).first()
    if proposal is None:
        return False
    recipients = program_lead_recipients()
    if not recipients:
        logger.warning("nobody to tell that %s waits for reviewers: no program lead", proposal.reference)
        return False
    context = {
        "proposal": proposal,
        "pool": proposal_reviewer_pool(proposal=proposal),
        "panel_url": _panel_url(proposal),
    }
    email_queue(
        to=recipients,
        subject=f"Unassigned: proposal {proposal.reference} has {proposal.assigned_count} of "
        f"{counted(proposal.required_count, 'reviewer')}",
        template="emails/unassigned_notice",
        context=context,
        kind=EmailKind.UNASSIGNED_NOTICE,
        proposal=proposal,
        dedupe_key=f"unassigned_notice:{proposal.pk}:v{version}",
    )
    return True


# --- Suppliers ----------------------------------------------------------------------------------------------------


def proposal_decision_notice_send(*, decision_id: int) -> bool:
    """Tell the supplier's owners and editors the decision; False when it is gone or nobody is to be told."""
    decision = Decision.objects.select_related("proposal__rfp", "proposal__sector", "proposal__supplier").filter(
        pk=decision_id
    )
    decision = decision.first()
    if decision is None:
        return False
    proposal = decision.proposal
    recipients = proposal_decision_recipients(proposal=proposal)
    if not recipients:
        logger.warning("nobody to tell of the decision on %s: the supplier has no owner or editor", proposal.reference)
        return False
    path = reverse("portal:proposal_detail", args=[proposal.reference])
    context = {
        "decision": decision,
        "proposal": proposal,
        "shortlisted": decision.outcome == DecisionOutcome.SHORTLISTED,
        "proposal_url": absolute_url(path),
    }
    email_queue(
        to=recipients,
        subject=f"Decision on proposal {proposal.reference}: {decision.get_outcome_display()}",
        template="emails/decision_notice",
        context=context,
        kind=EmailKind.DECISION,
        proposal=proposal,
        dedupe_key=f"decision_notice:{decision.pk}",
    )
    return True


def information_request_notice_send(*, information_request_id: int) -> bool:
    """Email the supplier's owners and editors the question; False when it is gone, answered or nobody is to be told."""
    request = (
        InformationRequest.objects.select_related("proposal__rfp", "proposal__sector", "proposal__supplier")
        .filter(pk=information_request_id, responded_at__isnull=True)
        .first()
    )
    if request is None:
        return False
    proposal = request.proposal
    recipients = proposal_decision_recipients(proposal=proposal)
    if not recipients:
        logger.warning("nobody to ask about %s: the supplier has no owner or editor", proposal.reference)
        return False
    path = reverse("portal:proposal_detail", args=[proposal.reference])
    context = {
        "information_request": request,
        "proposal": proposal,
        "proposal_url": absolute_url(f"{path}#answer"),
    }
    email_queue(
        to=recipients,
        subject=f"Question from the reviewers on proposal {proposal.reference}",
        template="emails/information_request",
        context=context,
        kind=EmailKind.INFORMATION_REQUEST,
        proposal=proposal,
        dedupe_key=f"information_request:{request.pk}",
    )
    return True


def _supplier_summary_pdf(version: ProposalVersion) -> EmailFile | None:
    """The supplier's PDF summary of this version, rendered now if needed; None once a newer version superseded it
    before its copy was made (that version's receipt carries its own)."""
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


# --- Suppliers' teams ---------------------------------------------------------------------------------------------


def invitation_accept_url(invitation: Invitation) -> str:
    return absolute_url(reverse("portal:invitation_accept", kwargs={"token": invitation.token}))


def invitation_email_send(*, invitation_id: int) -> bool:
    """Email the invited colleague the accept link; False when the invitation was accepted or revoked before."""
    invitation = (
        Invitation.objects.select_related("supplier", "invited_by")
        .filter(pk=invitation_id, accepted_at__isnull=True, revoked_at__isnull=True)
        .first()
    )
    if invitation is None:
        return False
    inviter = invitation.invited_by
    email_queue(
        to=[invitation.email],
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Join {invitation.supplier.legal_name} on RFP Intake",
        template="emails/invitation",
        context={
            "invitation": invitation,
            "inviter_name": inviter.full_name or inviter.email,
            "inviter_email": inviter.email,
            "role": invitation.get_role_display().lower(),
            "expires": timezone.localtime(invitation.expires_at).strftime("%B %-d, %Y"),
            "accept_url": invitation_accept_url(invitation),
        },
        kind=EmailKind.INVITATION,
        dedupe_key=f"invitation:{invitation.pk}",
    )
    return True

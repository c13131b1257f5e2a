"""Submitting from the portal: the proposal's transition and the receipt the supplier keeps.

A receipt is the immutable ProposalVersion seen by the supplier: reference, version number, server time of the
submit, SHA-256 of the submitted content and of each attachment. It is recorded in the audit trail with the
submit, and emailed (to the person who submitted, copied to the company's owners) once the transaction commits.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from audit.services import audit_record
from rfp.models import Proposal, ProposalVersion
from rfp.selectors import proposal_receipt, proposal_receipt_recipients
from rfp.services.proposals import proposal_resubmit, proposal_submit

logger = logging.getLogger(__name__)


def _issue_receipt(version: ProposalVersion, *, actor) -> None:
    to, cc = proposal_receipt_recipients(version=version)
    audit_record(
        action="proposal.receipt_issued",
        target=version.proposal,
        actor=actor,
        summary=f"Receipt for {version.proposal.reference} v{version.number} sent to {', '.join(to + cc) or 'nobody'}",
        data={"version": version.number, "sha256": version.sha256, "to": to, "cc": cc},
    )
    version_id = version.pk
    transaction.on_commit(lambda: proposal_receipt_send(version_id=version_id), robust=True)


def proposal_receipt_send(*, version_id: int) -> bool:
    """Email a version's receipt; False when there is no one to send it to."""
    version = ProposalVersion.objects.select_related("proposal__rfp", "submitted_by").get(pk=version_id)
    to, cc = proposal_receipt_recipients(version=version)
    if not to and not cc:
        logger.warning("receipt for %s v%s has no recipient", version.proposal.reference, version.number)
        return False
    receipt = proposal_receipt(version=version)
    path = reverse("portal:proposal_receipt", args=[receipt.reference, receipt.version])
    context = {"receipt": receipt, "receipt_url": f"{settings.SITE_URL.rstrip('/')}{path}"}
    message = EmailMultiAlternatives(
        subject=f"Receipt: proposal {receipt.reference}, version {receipt.version}, received",
        body=render_to_string("emails/receipt.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to or cc,
        cc=cc if to else [],
    )
    message.attach_alternative(render_to_string("emails/receipt.html", context), "text/html")
    message.send()
    return True


@transaction.atomic
def proposal_submit_with_receipt(*, proposal: Proposal, actor) -> ProposalVersion:
    """Submit a draft (or a withdrawn proposal again) and issue its receipt."""
    submitted = proposal_submit(proposal=proposal, actor=actor)
    version = ProposalVersion.objects.select_related("proposal__rfp", "submitted_by").get(
        proposal=submitted, number=submitted.version
    )
    _issue_receipt(version, actor=actor)
    return version


@transaction.atomic
def proposal_resubmit_with_receipt(*, proposal: Proposal, actor, response: str) -> ProposalVersion:
    """Answer the reviewers' request for information: a new version, and its receipt."""
    resubmitted = proposal_resubmit(proposal=proposal, actor=actor, response=response)
    version = ProposalVersion.objects.select_related("proposal__rfp", "submitted_by").get(
        proposal=resubmitted, number=resubmitted.version
    )
    _issue_receipt(version, actor=actor)
    return version

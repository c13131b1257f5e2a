"""Telling a supplier that the reviewers asked them a question (the answer is given in the portal)."""

import logging

from django.urls import reverse

from notifications.enums import EmailKind
from notifications.services import absolute_url, email_queue
from rfp.models import InformationRequest
from rfp.selectors import proposal_decision_recipients

logger = logging.getLogger(__name__)

# "send_" names are routed to the "mail" queue (CELERY_TASK_ROUTES).
INFORMATION_REQUEST_NOTICE_TASK = "rfp.send_information_request_notice"


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

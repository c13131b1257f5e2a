"""Downloads of stored documents; each person gets only the copy their role allows, anyone else a 404."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from documents.models import Audience
from documents.selectors import (
    proposal_for_summary_download,
    summary_pdf_failure,
    summary_pdf_file_name,
    summary_pdf_shows_commercial_terms,
)
from documents.services import summary_pdf_request
from operations.files import private_file_response


@require_GET
@login_required
def proposal_summary_pdf(request, proposal_id: int):
    proposal, audience = proposal_for_summary_download(user=request.user, proposal_id=proposal_id)
    summary = summary_pdf_request(proposal=proposal, audience=audience)
    now = timezone.now()
    stale_prices = summary is not None and summary.includes_commercial_terms
    if stale_prices and not summary_pdf_shows_commercial_terms(proposal=proposal, audience=audience, now=now):
        summary = None  # an older copy carries prices that are sealed now: only the new render may leave
    if summary is None:
        context = {
            "proposal": proposal,
            "audience_label": Audience(audience).label,
            "failure": summary_pdf_failure(proposal=proposal, audience=audience),
        }
        return render(request, "documents/summary_pending.html", context, status=404)
    if summary.includes_commercial_terms and audience != Audience.SUPPLIER:
        from rfp.services import commercial_terms_open

        # Prices leave in this file: the showing joins the proposal's history, as every opening does.
        commercial_terms_open(user=request.user, proposal=proposal)
    return private_file_response(
        summary.file,
        filename=summary_pdf_file_name(proposal=proposal, audience=audience),
        content_type="application/pdf",
        as_attachment=False,
    )

"""Rendering and storing the proposal's PDF summary, by Celery workers (queue "pdf"), never in a request.

Each render is kept as a SummaryPdf with its SHA-256, in the private storage (only through the storage API: it may
be S3). Work that changes what a summary shows (a submit or resubmit, the stored checks, a submitted review, a
decision) enqueues a render of the buyer's copies by job name (`rfp.services.summaries`); the job renders only when
no copy reflects the current state yet (`summary_pdf_ensure`), so a redelivered job or two events close together
render once. The supplier's copy is rendered on demand (the receipt job attaches it; the download view asks for it).
"""

import hashlib
import logging

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from audit.services import audit_record
from documents.models import Audience, SummaryPdf
from documents.selectors import (
    RENDER_FAILURE_OPENING,
    summary_pdf_context,
    summary_pdf_latest,
    summary_pdf_state,
)
from jobs.services import JobFailed
from rfp.models import Proposal
from rfp.services.summaries import summary_pdfs_enqueue

logger = logging.getLogger(__name__)

# The copies re-rendered when the review changes; the supplier's copy changes only with a new version.
BUYER_AUDIENCES = (Audience.REVIEWER, Audience.PROGRAM_LEAD)


class SummaryPdfFailed(JobFailed):
    """The summary cannot be made as the proposal stands (too many pages, too slow): trying again will not help."""


def _proposal(proposal_id: int) -> Proposal:
    return Proposal.objects.select_related("rfp", "sector", "supplier").get(pk=proposal_id)


def _ensure_submitted(proposal: Proposal) -> None:
    if proposal.version < 1:
        raise ValueError(f"Proposal {proposal.reference} was never submitted; there is nothing to summarise.")


def _render(*, proposal: Proposal, html: str):
    from documents.pdf import PageLimitExceeded, pdf_render_document  # WeasyPrint loads only where it renders

    limit = settings.SUMMARY_PDF_MAX_PAGES
    try:
        return pdf_render_document(html=html, max_pages=limit)
    except PageLimitExceeded as error:
        raise SummaryPdfFailed(
            f"{RENDER_FAILURE_OPENING}{proposal.reference} v{proposal.version} would run past {limit} pages "
            f"({error.page_count}), so it was not made: the answers are too long to print. The proposal itself, its "
            "answers and attachments are kept and can be read on screen."
        ) from error
    except SoftTimeLimitExceeded as error:
        raise SummaryPdfFailed(
            f"{RENDER_FAILURE_OPENING}{proposal.reference} v{proposal.version} took longer than "
            f"{settings.SUMMARY_PDF_RENDER_SECONDS} seconds to render, so it was given up. The proposal itself, its "
            "answers and attachments are kept and can be read on screen."
        ) from error


def summary_pdf_render(*, proposal_id: int, audience: str, reason: str) -> SummaryPdf:
    """Render the summary of the proposal's current version for one audience and store it as a new SummaryPdf.

    Read, then render with no transaction open (a render takes seconds to minutes of CPU, and an open transaction
    would hold its locks, or SQLite's only writer lock, all that time), then record the row in a short one.
    SummaryPdfFailed when the summary would be too long or too slow to render."""
    if audience not in Audience.values:
        raise ValueError(f"{audience!r} is not an audience; choose one of {', '.join(Audience.values)}.")
    proposal = _proposal(proposal_id)
    _ensure_submitted(proposal)
    now = timezone.now()
    context = summary_pdf_context(proposal=proposal, audience=audience, now=now)
    rendered = _render(proposal=proposal, html=render_to_string("documents/summary.html", context))
    summary = SummaryPdf(
        proposal=proposal,
        proposal_version=proposal.version,
        audience=audience,
        sha256=hashlib.sha256(rendered.content).hexdigest(),
        page_count=rendered.page_count,
        size_bytes=len(rendered.content),
        reason=reason[:100],
        state=summary_pdf_state(proposal=proposal, audience=audience, now=now),
        includes_commercial_terms=context["shows_commercial_terms"],
        rendered_at=now,
    )
    summary.file.save(f"{proposal.reference}.pdf", ContentFile(rendered.content), save=False)
    try:
        with transaction.atomic():
            summary.full_clean()
            summary.save()
            audit_record(
                action="summary_pdf.rendered",
                target=proposal,
                summary=(
                    f"{proposal.reference} v{proposal.version}: {summary.get_audience_display()} rendered ({reason})"
                ),
                data={
                    "summary_pdf": summary.pk,
                    "audience": audience,
                    "version": proposal.version,
                    "sha256": summary.sha256,
                    "pages": summary.page_count,
                    "reason": reason,
                },
            )
    except Exception:
        # The row did not make it: do not leave the stored file behind.
        summary.file.storage.delete(summary.file.name)
        raise
    logger.info("rendered %s (%d pages, %d bytes)", summary, summary.page_count, summary.size_bytes)
    return summary


def summary_pdf_ensure(*, proposal_id: int, audience: str, reason: str = "requested") -> SummaryPdf:
    """The newest copy for the proposal's current version and state, rendered first if there is none."""
    proposal = _proposal(proposal_id)
    _ensure_submitted(proposal)
    state = summary_pdf_state(proposal=proposal, audience=audience, now=timezone.now())
    existing = summary_pdf_latest(proposal=proposal, audience=audience, state=state)
    if existing is not None:
        return existing
    return summary_pdf_render(proposal_id=proposal_id, audience=audience, reason=reason)


def summary_pdf_render_job(*, proposal_id: int, audience: str, reason: str, version: int | None = None) -> bool:
    """Worker side of `rfp.services.summaries.summary_pdfs_enqueue`: render unless a copy of the current state exists;
    False when the proposal is gone or a newer version superseded the one the job was for (its own job renders it)."""
    proposal = Proposal.objects.filter(pk=proposal_id).only("id", "version").first()
    if proposal is None or proposal.version < 1 or (version is not None and proposal.version != version):
        return False
    summary_pdf_ensure(proposal_id=proposal_id, audience=audience, reason=reason)
    return True


def summary_pdf_request(*, proposal: Proposal, audience: str) -> SummaryPdf | None:
    """The copy to serve now: the newest of the current version (None while there is none). When it is missing or
    out of date, a render is enqueued for the worker; a request never renders."""
    now = timezone.now()
    latest = summary_pdf_latest(proposal=proposal, audience=audience)
    state = summary_pdf_state(proposal=proposal, audience=audience, now=now)
    if latest is None or latest.state != state:
        with transaction.atomic():
            summary_pdfs_enqueue(
                proposal=proposal,
                reason="requested",
                event=hashlib.sha256(state.encode()).hexdigest()[:16],
                audiences=(audience,),
            )
    return latest

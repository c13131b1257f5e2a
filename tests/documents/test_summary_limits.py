"""A summary render holds no database transaction, and one that would be too long or too slow is given up at once
with a message a person understands, while the proposal, its receipt and everything else go on."""

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core import mail
from django.db import connection
from django.urls import reverse

from documents import pdf, tasks
from documents.models import Audience, SummaryPdf
from documents.services import SummaryPdfFailed, summary_pdfs_enqueue
from jobs.models import Job
from notifications.notices import proposal_receipt_send
from rfp.job_names import SUMMARY_RENDER_TASK as RENDER_TASK
from rfp.models import ProposalVersion
from tests.documents.conftest import make_case
from tests.support.outbox import deliver_outbox

LONG_NARRATIVE = "\n".join(f"Line {n}: welding, powder coat, leak test and burn-in on every rack." for n in range(280))


def _render_job(case, audience=Audience.PROGRAM_LEAD) -> Job:
    [job] = summary_pdfs_enqueue(proposal=case.proposal, reason="test", audiences=(audience,))
    return job


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_render_runs_with_no_transaction_open_and_the_row_is_stored_after(monkeypatch):
    case = make_case()
    seen = []
    real_render = pdf.pdf_render_document

    def watched_render(**kwargs):
        seen.append(connection.in_atomic_block)
        return real_render(**kwargs)

    monkeypatch.setattr(pdf, "pdf_render_document", watched_render)
    job = _render_job(case)

    assert tasks.render_summary(str(job.pk)) is True

    assert seen == [False]
    assert Job.objects.get(pk=job.pk).status == Job.Status.DONE
    summary = SummaryPdf.objects.get(proposal=case.proposal, audience=Audience.PROGRAM_LEAD)
    assert summary.page_count >= 1


@pytest.mark.django_db
def test_a_summary_past_the_page_cap_is_given_up_at_once_with_a_clear_message(settings):
    settings.SUMMARY_PDF_MAX_PAGES = 2
    case = make_case(narrative=LONG_NARRATIVE)
    job = _render_job(case)

    with pytest.raises(SummaryPdfFailed):
        tasks.render_summary(str(job.pk))

    job.refresh_from_db()
    assert (job.status, job.attempts) == (Job.Status.DEAD, 1)
    assert job.last_error.startswith(f"The summary of {case.proposal.reference} v1 would run past 2 pages (")
    assert "the answers are too long to print" in job.last_error
    assert not SummaryPdf.objects.exists()
    # Delivered again, the given-up job does nothing: no retry loop.
    assert tasks.render_summary(str(job.pk)) is False
    assert Job.objects.get(pk=job.pk).attempts == 1


@pytest.mark.django_db
def test_the_supplier_asking_for_a_summary_too_long_to_print_is_told_why(settings, client):
    settings.SUMMARY_PDF_MAX_PAGES = 2
    case = make_case(narrative=LONG_NARRATIVE)
    client.force_login(case.owner)
    url = reverse("documents:proposal_summary_pdf", args=[case.proposal.pk])
    assert "The PDF summary is being prepared" in client.get(url).content.decode()
    [job] = Job.objects.filter(task_name=RENDER_TASK, arguments__audience=Audience.SUPPLIER)

    with pytest.raises(SummaryPdfFailed):
        tasks.render_summary(str(job.pk))
    response = client.get(url)

    page = response.content.decode()
    assert response.status_code == 404
    assert "The PDF summary could not be made" in page
    assert f"The summary of {case.proposal.reference} v1 would run past 2 pages" in page
    assert Job.objects.filter(task_name=RENDER_TASK).count() == 1, "asking again does not render again"


@pytest.mark.django_db
def test_a_render_over_its_time_is_given_up_with_a_clear_message(settings, monkeypatch):
    case = make_case()

    def slow_render(**kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(pdf, "pdf_render_document", slow_render)
    job = _render_job(case)

    with pytest.raises(SummaryPdfFailed):
        tasks.render_summary(str(job.pk))

    job.refresh_from_db()
    assert (job.status, job.attempts) == (Job.Status.DEAD, 1)
    assert job.last_error.startswith(
        f"The summary of {case.proposal.reference} v1 took longer than {settings.SUMMARY_PDF_RENDER_SECONDS} seconds"
    )
    assert tasks.render_summary.soft_time_limit == settings.SUMMARY_PDF_RENDER_SECONDS
    assert tasks.render_summary.name == RENDER_TASK


@pytest.mark.django_db
def test_the_receipt_goes_without_the_summary_when_the_summary_is_too_long(settings):
    settings.SUMMARY_PDF_MAX_PAGES = 2
    case = make_case(narrative=LONG_NARRATIVE)
    version = ProposalVersion.objects.get(proposal=case.proposal)

    assert proposal_receipt_send(version_id=version.pk) is True
    deliver_outbox()

    [receipt] = [message for message in mail.outbox if case.proposal.reference in message.subject]
    assert receipt.to == [case.owner.email]
    assert receipt.attachments == []
    assert not SummaryPdf.objects.exists()

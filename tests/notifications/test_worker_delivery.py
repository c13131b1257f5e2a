"""A submit through a real Redis and a real Celery worker process ends with a sent receipt carrying its PDF summary."""

import email
import io
from email import policy
from pathlib import Path

import pytest
from pypdf import PdfReader

from accounts.factories import UserFactory
from documents.models import SummaryPdf
from jobs.models import Job
from notifications.enums import EmailKind, EmailStatus
from notifications.models import EmailAttachment, OutboundEmail
from rfp.factories import draft_proposal
from rfp.services import RECEIPT_TASK, proposal_submit_with_receipt
from suppliers.enums import MemberRole
from suppliers.factories import SupplierFactory, SupplierMemberFactory
from tests.support.processes import celery_app_publishing_to, celery_worker, wait_until, worker_log

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def stored_files():
    """The worker writes the summary and the email's copy in the test settings' private folder; removed after."""
    yield
    for stored in [*SummaryPdf.objects.all(), *EmailAttachment.objects.all()]:
        stored.file.storage.delete(stored.file.name)


def _sent_mail(directory: Path) -> list[email.message.EmailMessage]:
    """Messages Django's file backend wrote: each followed by a line of 79 dashes."""
    messages = []
    for path in sorted(directory.glob("*.log")):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                messages.append(email.message_from_bytes(chunk, policy=policy.default))
    return messages


def test_a_submit_ends_with_a_sent_receipt_carrying_the_summary_pdf(redis_server, tmp_path, stored_files):
    supplier = SupplierFactory(legal_name="Gulf Coast Cooling LLC")
    editor = SupplierMemberFactory(
        supplier=supplier, role=MemberRole.EDITOR, user=UserFactory(email="maria@gulfcoastcooling.example")
    ).user
    proposal = draft_proposal(supplier=supplier, actor=editor)
    mail_dir = tmp_path / "mail"
    mail_env = {"EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend", "EMAIL_FILE_PATH": str(mail_dir)}

    with (
        celery_app_publishing_to(redis_server.url),
        celery_worker(broker_url=redis_server.url, extra_env=mail_env) as worker,
    ):
        version = proposal_submit_with_receipt(proposal=proposal, actor=editor)
        receipts = OutboundEmail.objects.filter(kind=EmailKind.RECEIPT, status=EmailStatus.SENT)
        try:
            wait_until(receipts.exists, timeout=120, message="the receipt sent")
        except AssertionError:
            jobs = list(Job.objects.values_list("task_name", "status", "last_error"))
            pytest.fail(f"no receipt was sent; jobs: {jobs}; the worker's log:\n{worker_log(worker)}")

    assert Job.objects.get(task_name=RECEIPT_TASK).status == Job.Status.DONE
    outbound = receipts.get()
    assert (outbound.attempts, outbound.proposal_id) == (1, proposal.pk)
    summary = SummaryPdf.objects.get(proposal=proposal, audience="supplier")
    attachment = outbound.attachments.get()
    assert (attachment.sha256, summary.proposal_version) == (summary.sha256, 1)

    (message,) = [m for m in _sent_mail(mail_dir) if m["Subject"].startswith("Receipt:")]
    assert message["To"] == "maria@gulfcoastcooling.example"
    assert message["Subject"] == f"Receipt: proposal {proposal.reference}, version 1, received"
    assert version.sha256 in message.get_body(preferencelist=("plain",)).get_content()
    (part,) = list(message.iter_attachments())
    assert (part.get_filename(), part.get_content_type()) == (f"{proposal.reference}-v1-summary.pdf", "application/pdf")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(part.get_content())).pages)
    assert proposal.reference in text and "Gulf Coast Cooling LLC" in text

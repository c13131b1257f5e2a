"""The outbox through a real SMTP server on loopback (aiosmtpd): what a mail server receives is what we meant."""

import email
import io
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings
from pypdf import PdfReader

from accounts.factories import ProgramLeadFactory, UserFactory
from notifications.enums import EmailStatus
from notifications.models import OutboundEmail
from notifications.reports import program_report_queue
from rfp import services
from rfp.factories import draft_proposal
from rfp.models import Proposal
from suppliers.enums import MemberRole
from suppliers.factories import SupplierFactory, SupplierMemberFactory
from tests.support.outbox import deliver_outbox, deliver_receipts
from tests.support.processes import free_port

pytestmark = pytest.mark.django_db

SCRIPT_TITLE = "<script>alert('receipt')</script> Liquid-cooled racks"


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.envelopes: list[tuple[str, list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=policy.default)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=controller.port,
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
            EMAIL_TIMEOUT=10,
        ):
            yield inbox
    finally:
        controller.stop()


@pytest.fixture
def summary_files():
    """The receipt's PDF summary is stored in the test settings' private folder; removed after the test."""
    from documents.models import SummaryPdf

    yield
    for summary in SummaryPdf.objects.all():
        summary.file.storage.delete(summary.file.name)


def _pdf(message: email.message.EmailMessage) -> tuple[str, str]:
    (part,) = [part for part in message.iter_attachments() if part.get_content_type() == "application/pdf"]
    reader = PdfReader(io.BytesIO(part.get_content()))
    return part.get_filename(), "\n".join(page.extract_text() for page in reader.pages)


def test_a_receipt_and_the_program_report_reach_a_real_smtp_server_with_their_pdfs(smtp_server, summary_files):
    ProgramLeadFactory(email="lead@buyer.example")
    supplier = SupplierFactory(legal_name="Lone Star Rack Systems, Inc.")
    owner = SupplierMemberFactory(
        supplier=supplier, role=MemberRole.OWNER, user=UserFactory(email="owner@lonestar.example")
    )
    editor = SupplierMemberFactory(
        supplier=supplier, role=MemberRole.EDITOR, user=UserFactory(email="maria@lonestar.example")
    )
    proposal = draft_proposal(supplier=supplier, actor=editor.user)
    Proposal.objects.filter(pk=proposal.pk).update(title=SCRIPT_TITLE)
    proposal.refresh_from_db()

    version = services.proposal_submit_with_receipt(proposal=proposal, actor=editor.user)
    deliver_receipts()
    program_report_queue(rfp=proposal.rfp, to=["board@buyer.example"])
    deliver_outbox()

    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {EmailStatus.SENT}
    receipt, report = (message for _, _, message in smtp_server.envelopes)
    (_, receipt_rcpts, _), (_, report_rcpts, _) = smtp_server.envelopes

    # The receipt: to the person who submitted, copied to the owners, with the supplier's PDF summary.
    assert receipt_rcpts == ["maria@lonestar.example", owner.user.email]
    assert (receipt["To"], receipt["Cc"]) == ("maria@lonestar.example", "owner@lonestar.example")
    assert receipt["Subject"] == f"Receipt: proposal {proposal.reference}, version 1, received"
    assert version.sha256 in receipt.get_body(preferencelist=("plain",)).get_content()
    html = receipt.get_body(preferencelist=("html",)).get_content()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#x27;receipt&#x27;)&lt;/script&gt; Liquid-cooled racks" in html
    name, text = _pdf(receipt)
    assert name == f"{proposal.reference}-v1-summary.pdf"
    assert proposal.reference in text
    assert "Lone Star Rack Systems, Inc." in text

    # The program report: to the address asked for, with the same report as PDF.
    assert report_rcpts == ["board@buyer.example"]
    assert report["Subject"].startswith(f"Program report {proposal.rfp.reference}, ")
    assert report["Subject"].endswith(": 1 proposal, 0 reviewed, 0 overdue reviews")
    assert (
        "Capacity offered: 10,000 units per year, 8.50 MW of site power, 30 jobs"
        in report.get_body(preferencelist=("plain",)).get_content()
    )
    name, text = _pdf(report)
    assert name.startswith(f"program-report-{proposal.rfp.reference}-") and name.endswith(".pdf")
    assert f"Program report: {proposal.rfp.reference}" in text
    assert "Texas (TX)" in text and "10,000" in text


def test_a_refused_recipient_is_recorded_as_the_error_and_retried(smtp_server, settings):
    class Refusing(Inbox):
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            return "550 5.1.1 No such mailbox"

    controller = Controller(Refusing(), hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        settings.EMAIL_PORT = controller.port
        outbound = program_report_queue(rfp=draft_proposal().rfp, to=["gone@buyer.example"])
        deliver_outbox()
    finally:
        controller.stop()

    outbound.refresh_from_db()
    assert (outbound.status, outbound.attempts) == (EmailStatus.QUEUED, 1)
    assert "SMTPRecipientsRefused" in outbound.last_error and "No such mailbox" in outbound.last_error
    assert outbound.next_attempt_at is not None

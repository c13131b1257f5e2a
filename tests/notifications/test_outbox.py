"""The outbox: emails recorded with the change that needs them, sent once by a worker, retried with backoff,
failed with the error shown, and re-sent from the panel."""

import hashlib
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse

from accounts.factories import ProgramLeadFactory, ReviewerUserFactory, UserFactory
from audit.models import AuditEvent
from jobs.models import Job
from jobs.services import job_run
from notifications.enums import EmailKind, EmailStatus
from notifications.models import OutboundEmail
from notifications.services import (
    SEND_TASK,
    EmailFile,
    email_queue,
    email_resend,
    email_retry_delay,
    email_send,
    emails_retry_due,
)
from rfp.exceptions import DomainError
from suppliers import services as supplier_services
from suppliers.factories import SupplierMemberFactory
from suppliers.services import INVITATION_EMAIL_TASK
from tests.support.outbox import deliver_outbox, run_jobs

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
PDF = b"%PDF-1.7\n% a tiny test file\n"


def _context(**extra):
    invitation = SimpleNamespace(
        supplier=SimpleNamespace(legal_name="Lone Star Racks Inc."), email="new.hire@lonestar.example"
    )
    return {
        "invitation": invitation,
        "inviter_name": "Owner",
        "inviter_email": "owner@lonestar.example",
        "role": "editor",
        "expires": "March 16, 2026",
        "accept_url": "https://rfp.example/portal/invitations/abc/",
        **extra,
    }


def _queue(**kwargs) -> OutboundEmail:
    arguments = {
        "to": ["new.hire@lonestar.example"],
        "subject": "Join Lone Star Racks Inc. on RFP Intake",
        "template": "emails/invitation",
        "context": _context(),
        "kind": EmailKind.INVITATION,
        **kwargs,
    }
    return email_queue(**arguments)


def _down(self, messages):
    raise ConnectionRefusedError("SMTP server unreachable")


def test_an_email_is_recorded_with_its_parts_and_files_and_leaves_only_once_committed(
    email_storage, django_capture_on_commit_callbacks, monkeypatch
):
    import jobs.services

    published = []
    monkeypatch.setattr(jobs.services, "job_publish", lambda *, job_id: published.append(job_id) or True)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email = _queue(
            cc=["owner@lonestar.example", "NEW.HIRE@lonestar.example"],
            reply_to=["program@buyer.example"],
            attachments=[EmailFile("terms.pdf", PDF, "application/pdf")],
        )
    assert published == [] and mail.outbox == [], "nothing leaves before the transaction commits"
    for callback in callbacks:
        callback()

    job = Job.objects.get(task_name=SEND_TASK)
    assert published == [job.pk]
    assert job.arguments == {"email_id": email.pk}
    email.refresh_from_db()
    assert (email.status, email.attempts, email.kind) == (EmailStatus.QUEUED, 0, EmailKind.INVITATION)
    assert email.to == ["new.hire@lonestar.example"]
    assert email.cc == ["owner@lonestar.example"], "an address already in To is not copied again"
    assert "https://rfp.example/portal/invitations/abc/" in email.body_text
    assert 'href="https://rfp.example/portal/invitations/abc/"' in email.body_html
    (attachment,) = email.attachments.all()
    assert (attachment.name, attachment.content_type, attachment.size_bytes) == ("terms.pdf", "application/pdf", 28)
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    assert attachment.file.name.startswith(f"emails/{email.pk}/")
    assert email_storage.open(attachment.file.name).read() == PDF


def test_the_same_dedupe_key_gives_the_same_email():
    first = _queue(dedupe_key="invitation:1")
    second = _queue(dedupe_key="invitation:1", subject="Another subject")

    assert first.pk == second.pk
    assert OutboundEmail.objects.count() == 1
    assert Job.objects.filter(task_name=SEND_TASK).count() == 1


def test_a_subject_is_one_line_and_an_email_needs_a_recipient():
    email = _queue(subject="Join\r\nBcc: victim@example.com")
    assert email.subject == "Join Bcc: victim@example.com"
    with pytest.raises(ValueError, match="has no recipient"):
        _queue(to=["  "])


def test_the_worker_sends_the_email_once_with_its_html_part_and_attachment():
    with time_machine.travel(START, tick=False):
        email = _queue(attachments=[("terms.pdf", PDF, "application/pdf")])
        assert deliver_outbox() == 1

    (message,) = mail.outbox
    assert message.to == ["new.hire@lonestar.example"]
    assert message.subject == "Join Lone Star Racks Inc. on RFP Intake"
    assert "invites you to join Lone Star Racks Inc." in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html" and "<strong>Lone Star Racks Inc.</strong>" in html
    assert message.attachments == [("terms.pdf", PDF, "application/pdf")]
    email.refresh_from_db()
    assert (email.status, email.attempts, email.sent_at, email.last_error) == (EmailStatus.SENT, 1, START, "")
    assert message.extra_headers["Message-ID"] == email.message_id
    assert email.message_id.endswith("@localhost>")

    # A redelivered job, or a second job for the same email, sends nothing.
    job = Job.objects.get(task_name=SEND_TASK)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)
    assert job_run(job_id=job.pk, handler=email_send) is True
    assert email_send(email_id=email.pk) is False
    assert len(mail.outbox) == 1


def test_a_failing_mail_server_is_retried_with_backoff_then_the_email_fails_with_the_error(monkeypatch, settings):
    settings.EMAIL_MAX_ATTEMPTS = 4
    settings.EMAIL_RETRY_BASE_SECONDS = 60
    monkeypatch.setattr(EmailBackend, "send_messages", _down)
    moment = START
    with time_machine.travel(moment, tick=False):
        email = _queue()
        deliver_outbox()

    delays = []
    for attempt in range(1, 4):
        email.refresh_from_db()
        assert (email.status, email.attempts) == (EmailStatus.QUEUED, attempt)
        assert email.last_error == "ConnectionRefusedError: SMTP server unreachable"
        delays.append(email.next_attempt_at - moment)
        with time_machine.travel(email.next_attempt_at - timedelta(seconds=1), tick=False):
            assert emails_retry_due() == 0, "not before its time"
            assert email_send(email_id=email.pk) is False, "an early duplicate does not send"
        moment = email.next_attempt_at
        with time_machine.travel(moment, tick=False):
            assert emails_retry_due() == 1
            assert emails_retry_due() == 1, "enqueueing the same attempt again makes no second job"
            deliver_outbox()

    assert delays == [timedelta(seconds=60), timedelta(seconds=120), timedelta(seconds=240)]
    email.refresh_from_db()
    assert (email.status, email.attempts, email.next_attempt_at) == (EmailStatus.FAILED, 4, None)
    assert email.last_error == "ConnectionRefusedError: SMTP server unreachable"
    assert Job.objects.filter(task_name=SEND_TASK).count() == 4
    assert set(Job.objects.values_list("status", flat=True)) == {Job.Status.DONE}
    with time_machine.travel(moment + timedelta(days=1), tick=False):
        assert emails_retry_due() == 0, "a failed email waits for a person"
    assert mail.outbox == []


def test_the_retry_delay_doubles_up_to_its_cap(settings):
    settings.EMAIL_RETRY_BASE_SECONDS = 60
    settings.EMAIL_RETRY_MAX_SECONDS = 300
    assert [email_retry_delay(attempts=n).total_seconds() for n in range(1, 6)] == [60, 120, 240, 300, 300]


def test_a_failed_email_is_queued_again_by_a_program_lead_and_then_sent(monkeypatch, settings):
    settings.EMAIL_MAX_ATTEMPTS = 1
    lead = ProgramLeadFactory()
    monkeypatch.setattr(EmailBackend, "send_messages", _down)
    email = _queue()
    deliver_outbox()
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED
    monkeypatch.undo()

    queued = email_resend(email_id=email.pk, actor=lead)

    assert queued.pk == email.pk
    email.refresh_from_db()
    assert (email.status, email.attempts, email.resend_count) == (EmailStatus.QUEUED, 0, 1)
    event = AuditEvent.objects.get(action="email.resent")
    assert (event.actor, event.object_id) == (lead, str(email.pk))
    assert event.data["was"] == "failed"
    assert event.data["last_error"] == "ConnectionRefusedError: SMTP server unreachable"
    assert deliver_outbox() == 1
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (EmailStatus.SENT, 1, "")
    assert [message.to for message in mail.outbox] == [["new.hire@lonestar.example"]]


def test_a_sent_email_is_sent_again_as_a_copy_with_the_same_files():
    lead = ProgramLeadFactory()
    email = _queue(attachments=[("terms.pdf", PDF, "application/pdf")])
    deliver_outbox()
    email.refresh_from_db()
    sent_at = email.sent_at

    copy = email_resend(email_id=email.pk, actor=lead)
    deliver_outbox()

    assert copy.pk != email.pk and copy.resent_from == email
    copy.refresh_from_db()
    assert copy.status == EmailStatus.SENT
    assert copy.attachments.get().file.name == email.attachments.get().file.name
    email.refresh_from_db()
    assert (email.status, email.sent_at) == (EmailStatus.SENT, sent_at), "the sent record stays as it was"
    assert len(mail.outbox) == 2
    assert mail.outbox[1].attachments == [("terms.pdf", PDF, "application/pdf")]
    assert mail.outbox[0].extra_headers["Message-ID"] != mail.outbox[1].extra_headers["Message-ID"]


def test_only_a_program_lead_re_sends_and_not_an_email_still_queued():
    email = _queue()
    with pytest.raises(DomainError) as refusal:
        email_resend(email_id=email.pk, actor=ReviewerUserFactory())
    assert refusal.value.code == "not_program_lead"
    with pytest.raises(DomainError) as refusal:
        email_resend(email_id=email.pk, actor=ProgramLeadFactory())
    assert refusal.value.code == "already_queued"
    assert "is queued already" in refusal.value.message
    assert not AuditEvent.objects.filter(action="email.resent").exists()


def test_an_invitation_goes_through_the_outbox():
    member = SupplierMemberFactory(user=UserFactory(email="owner@lonestar.example"))
    invitation = supplier_services.invitation_send(
        supplier=member.supplier, actor=member.user, email="new.hire@lonestar.example", role="editor"
    )
    assert not OutboundEmail.objects.exists(), "the email is made by the job the invitation enqueued"
    run_jobs(INVITATION_EMAIL_TASK)

    email = OutboundEmail.objects.get(kind=EmailKind.INVITATION)
    assert email.dedupe_key == f"invitation:{invitation.pk}"
    assert invitation.token in email.body_text
    deliver_outbox()
    assert [message.to for message in mail.outbox] == [["new.hire@lonestar.example"]]


# --- The panel ----------------------------------------------------------------------------------------------------


@pytest.fixture
def lead_client(client):
    client.force_login(ProgramLeadFactory(is_superuser=True, is_staff=True))
    return client


def _changelist() -> str:
    return reverse("admin:notifications_outboundemail_changelist")


def test_the_panel_lists_emails_with_filters_and_search(lead_client, monkeypatch, settings):
    settings.EMAIL_MAX_ATTEMPTS = 1
    sent = _queue(to=["ana@buyer.example"], subject="Sent one")
    deliver_outbox()
    monkeypatch.setattr(EmailBackend, "send_messages", _down)
    _queue(to=["ben@buyer.example"], subject="Failed one")
    deliver_outbox()

    page = lead_client.get(_changelist()).content.decode()
    assert "Sent one" in page and "Failed one" in page
    assert "ConnectionRefusedError: SMTP server unreachable" in page
    failed_only = lead_client.get(_changelist(), {"status__exact": "failed"}).content.decode()
    assert "Failed one" in failed_only and "Sent one" not in failed_only
    found = lead_client.get(_changelist(), {"q": "ana@buyer"}).content.decode()
    assert "Sent one" in found and "Failed one" not in found
    detail = lead_client.get(reverse("admin:notifications_outboundemail_change", args=[sent.pk])).content.decode()
    assert "Sent one" in detail
    # An invitation's body holds the link that joins the team: the panel says so instead of showing it.
    assert "invites you to join Lone Star Racks Inc." not in detail
    assert "Not shown: it holds a personal link to join the supplier&#x27;s team." in detail


def test_re_send_from_the_panel_is_audited_and_explains_refusals(lead_client, monkeypatch, settings):
    settings.EMAIL_MAX_ATTEMPTS = 1
    monkeypatch.setattr(EmailBackend, "send_messages", _down)
    failed = _queue(subject="Failed one")
    deliver_outbox()
    queued = _queue(subject="Still queued")

    response = lead_client.post(
        _changelist(), {"action": "resend", "_selected_action": [failed.pk, queued.pk]}, follow=True
    )

    notes = [(message.level, message.message) for message in get_messages(response.wsgi_request)]
    assert (messages.SUCCESS, f"Queued 1 email(s) to send again: #{failed.pk}.") in notes
    assert any(level == messages.WARNING and "is queued already" in text for level, text in notes)
    failed.refresh_from_db()
    assert failed.status == EmailStatus.QUEUED
    assert AuditEvent.objects.filter(action="email.resent", object_id=str(failed.pk)).count() == 1


def test_only_the_outbox_sends_mail():
    """Every email is built and queued by notifications.services; a module sending on its own would bypass the
    outbox (no record, no retry, no re-send)."""
    import ast

    from tests.support.processes import PROJECT_DIR

    senders = []
    folders = [folder for folder in PROJECT_DIR.iterdir() if folder.is_dir() and folder.name not in {".venv", "tests"}]
    for path in (path for folder in folders for path in folder.rglob("*.py")):
        relative = str(path.relative_to(PROJECT_DIR))
        if relative == "notifications/services.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=relative)):
            if isinstance(node, ast.ImportFrom):
                modules = [f"{node.module}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            else:
                continue
            if any(module.startswith("django.core.mail") for module in modules):
                senders.append(relative)
    assert senders == []


def test_an_invitation_revoked_before_its_email_left_sends_nothing():
    member = SupplierMemberFactory(user=UserFactory(email="owner@lonestar.example"))
    invitation = supplier_services.invitation_send(
        supplier=member.supplier, actor=member.user, email="wrong.person@lonestar.example", role="editor"
    )
    supplier_services.invitation_revoke(invitation=invitation, actor=member.user)

    run_jobs(INVITATION_EMAIL_TASK)
    deliver_outbox()

    assert not OutboundEmail.objects.filter(kind=EmailKind.INVITATION).exists()
    assert mail.outbox == []

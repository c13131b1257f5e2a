"""The email outbox: every email the project sends is a row here first, sent by a worker, retried, re-sendable.

`email_queue` renders an email's templates and records it (with its attachments, in private storage) in the
caller's transaction, and enqueues the send job, published once that transaction commits: an email exists if and
only if the change that needs it committed. The worker's `email_send` sends a queued email at most once: it locks
the row, sends, marks it sent; a redelivered job finds it sent and does nothing. A failed attempt is recorded with
its error and the time of the next attempt (the delay doubles from EMAIL_RETRY_BASE_SECONDS, up to
EMAIL_RETRY_MAX_SECONDS); the periodic `emails_retry_due` enqueues the attempts that are due. After
EMAIL_MAX_ATTEMPTS the email is failed, its last error shown in the panel, until someone `email_resend`s it.
django-allauth's emails (email confirmation, password reset) render their own templates and come in through
`email_queue_rendered` (notifications.account_adapter).
"""

import hashlib
import logging
from collections.abc import Iterable, Sequence
from datetime import timedelta
from email.utils import parseaddr
from typing import NamedTuple

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMultiAlternatives, make_msgid
from django.db import IntegrityError, transaction
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import timezone

from audit.services import audit_record
from jobs.services import job_enqueue
from notifications.enums import EmailKind, EmailStatus
from notifications.models import EmailAttachment, OutboundEmail
from rfp.exceptions import DomainError

logger = logging.getLogger(__name__)

# "send_" names are routed to the "mail" queue (CELERY_TASK_ROUTES).
SEND_TASK = "notifications.send_email"


class EmailFile(NamedTuple):
    """A file to attach: a plain (name, content, content_type) tuple works as well."""

    name: str
    content: bytes
    content_type: str = "application/octet-stream"


def absolute_url(path: str) -> str:
    """A link in an email: the path on this site as people reach it (SITE_URL)."""
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def _addresses(addresses: Iterable[str] | str) -> list[str]:
    if isinstance(addresses, str):
        addresses = [addresses]
    unique: dict[str, str] = {}
    for address in addresses:
        address = (address or "").strip()
        if address:
            unique.setdefault(address.lower(), address)
    return list(unique.values())


def _one_line(subject: str) -> str:
    # A header cannot hold a line break (Django refuses it); supplier text in a subject must not break the email.
    return " ".join(subject.split())[:300]


def _render_html(template: str, context: dict) -> str:
    try:
        html = get_template(f"{template}.html")
    except TemplateDoesNotExist:
        return ""
    return html.render(context)


def _store_attachment(email: OutboundEmail, file: EmailFile) -> EmailAttachment:
    name, content, content_type = file
    attachment = EmailAttachment(
        email=email,
        name=name[:255],
        content_type=content_type,
        size_bytes=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    attachment.file.save(name, ContentFile(content), save=False)
    attachment.save()
    return attachment


def _enqueue_attempt(email: OutboundEmail) -> None:
    """The job of the email's next attempt; one job per attempt, so a retry is never mistaken for a duplicate."""
    job_enqueue(
        task_name=SEND_TASK,
        arguments={"email_id": email.pk},
        dedupe_key=f"{SEND_TASK}:{email.pk}:{email.resend_count}:{email.attempts + 1}",
    )


def email_queue(
    *,
    to: Sequence[str] | str,
    subject: str,
    template: str,
    context: dict,
    attachments: Iterable[EmailFile | tuple[str, bytes, str]] = (),
    dedupe_key: str | None = None,
    kind: str = EmailKind.OTHER,
    proposal=None,
    rfp=None,
    cc: Sequence[str] = (),
    reply_to: Sequence[str] = (),
) -> OutboundEmail:
    """Render `templates/<template>.txt` (and `.html` when there is one) and queue the email for a worker.

    With a `dedupe_key` already used, nothing new is made: the existing email is returned.
    """
    return email_queue_rendered(
        to=to,
        subject=subject,
        body_text=render_to_string(f"{template}.txt", context),
        body_html=_render_html(template, context),
        attachments=attachments,
        dedupe_key=dedupe_key,
        kind=kind,
        proposal=proposal,
        rfp=rfp,
        cc=cc,
        reply_to=reply_to,
    )


def email_queue_rendered(
    *,
    to: Sequence[str] | str,
    subject: str,
    body_text: str,
    body_html: str = "",
    attachments: Iterable[EmailFile | tuple[str, bytes, str]] = (),
    dedupe_key: str | None = None,
    kind: str = EmailKind.OTHER,
    proposal=None,
    rfp=None,
    cc: Sequence[str] = (),
    reply_to: Sequence[str] = (),
) -> OutboundEmail:
    """Queue an email whose bodies are rendered already (by django-allauth's templates, say); see `email_queue`."""
    if not body_text.strip():
        raise ValueError(f"The email “{subject}” has no plain-text part.")
    to, cc = _addresses(to), _addresses(cc)
    cc = [address for address in cc if address.lower() not in {a.lower() for a in to}]
    if not to and not cc:
        raise ValueError(f"The email “{subject}” has no recipient.")
    with transaction.atomic():
        if dedupe_key is not None:
            existing = OutboundEmail.objects.filter(dedupe_key=dedupe_key).first()
            if existing is not None:
                return existing
        email = OutboundEmail(
            kind=kind,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=to or cc,
            cc=cc if to else [],
            reply_to=_addresses(reply_to),
            subject=_one_line(subject),
            body_text=body_text,
            body_html=body_html,
            dedupe_key=dedupe_key,
            proposal_id=getattr(proposal, "pk", None),
            rfp_id=getattr(rfp, "pk", None) or getattr(proposal, "rfp_id", None),
        )
        try:
            with transaction.atomic():
                email.save()
        except IntegrityError:
            if dedupe_key is None:
                raise
            return OutboundEmail.objects.get(dedupe_key=dedupe_key)
        for file in attachments:
            _store_attachment(email, EmailFile(*file))
        _enqueue_attempt(email)
    return email


def email_retry_delay(*, attempts: int) -> timedelta:
    """How long to wait after the given number of failed attempts: doubling, capped."""
    seconds = settings.EMAIL_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.EMAIL_RETRY_MAX_SECONDS))


def _message(email: OutboundEmail) -> EmailMultiAlternatives:
    if not email.message_id:
        domain = parseaddr(email.from_email)[1].rpartition("@")[2] or "localhost"
        email.message_id = make_msgid(domain=domain)
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=email.from_email,
        to=email.to,
        cc=email.cc,
        reply_to=email.reply_to,
        headers={"Message-ID": email.message_id},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments.all():
        with attachment.file.open("rb") as stored:
            message.attach(attachment.name, stored.read(), attachment.content_type)
    return message


def email_send(*, email_id: int) -> bool:
    """Worker side: send a queued email once; False when there was nothing to send or the attempt failed."""
    with transaction.atomic():
        email = OutboundEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status != EmailStatus.QUEUED:
            return False
        now = timezone.now()
        if email.next_attempt_at is not None and email.next_attempt_at > now:
            return False  # an early duplicate of a retry that is not due yet
        email.attempts += 1
        try:
            _message(email).send()
        except Exception as error:
            email.last_error = f"{type(error).__name__}: {error}"[:2000]
            if email.attempts >= settings.EMAIL_MAX_ATTEMPTS:
                email.status = EmailStatus.FAILED
                email.next_attempt_at = None
                logger.error("email %s failed for good after %d attempts: %s", email.pk, email.attempts, error)
            else:
                email.next_attempt_at = now + email_retry_delay(attempts=email.attempts)
                logger.warning(
                    "email %s attempt %d failed, next at %s: %s", email.pk, email.attempts, email.next_attempt_at, error
                )
            email.save(update_fields=["attempts", "last_error", "status", "next_attempt_at", "message_id"])
            return False
        email.status = EmailStatus.SENT
        email.sent_at = timezone.now()
        email.last_error = ""
        email.next_attempt_at = None
        email.save(update_fields=["attempts", "last_error", "status", "next_attempt_at", "sent_at", "message_id"])
    return True


def emails_retry_due(*, now=None, limit: int = 200) -> int:
    """Periodic: enqueue the next attempt of each queued email whose retry time has come; returns how many."""
    now = now or timezone.now()
    due = OutboundEmail.objects.filter(status=EmailStatus.QUEUED, attempts__gt=0, next_attempt_at__lte=now).order_by(
        "next_attempt_at"
    )
    count = 0
    for email in due[:limit]:
        with transaction.atomic():
            _enqueue_attempt(email)
        count += 1
    return count


def _copy(email: OutboundEmail) -> OutboundEmail:
    copy = OutboundEmail.objects.create(
        kind=email.kind,
        from_email=email.from_email,
        to=email.to,
        cc=email.cc,
        reply_to=email.reply_to,
        subject=email.subject,
        body_text=email.body_text,
        body_html=email.body_html,
        resent_from=email,
        rfp_id=email.rfp_id,
        proposal_id=email.proposal_id,
    )
    # The stored files never change, so the copy points at the same ones.
    EmailAttachment.objects.bulk_create(
        EmailAttachment(
            email=copy,
            file=attachment.file.name,
            name=attachment.name,
            content_type=attachment.content_type,
            size_bytes=attachment.size_bytes,
            sha256=attachment.sha256,
        )
        for attachment in email.attachments.all()
    )
    return copy


@transaction.atomic
def email_resend(*, email_id: int, actor) -> OutboundEmail:
    """Send an email again from the panel: a failed one is queued again with a fresh set of attempts, a sent one is
    sent as a new copy (the sent record stays as it was). Returns the email that will be sent."""
    if actor is None or not (actor.is_program_lead or actor.is_superuser):
        raise DomainError("Only a program lead can send an email again.", code="not_program_lead")
    email = OutboundEmail.objects.select_for_update().filter(pk=email_id).first()
    if email is None:
        raise DomainError(f"There is no email #{email_id}.", code="no_such_email")
    if email.status == EmailStatus.QUEUED:
        when = timezone.localtime(email.next_attempt_at) if email.next_attempt_at else None
        raise DomainError(
            f"Email #{email.pk} (“{email.subject}”) is queued already; "
            + (f"the next attempt is at {when:%Y-%m-%d %H:%M %Z}." if when else "a worker sends it shortly."),
            code="already_queued",
        )
    previous_status, previous_error = email.status, email.last_error
    if email.status == EmailStatus.FAILED:
        email.status = EmailStatus.QUEUED
        email.attempts = 0
        email.next_attempt_at = None
        email.resend_count += 1
        email.save(update_fields=["status", "attempts", "next_attempt_at", "resend_count"])
        queued = email
    else:
        queued = _copy(email)
    _enqueue_attempt(queued)
    how = "queued again" if queued is email else f"sent again as email #{queued.pk}"
    audit_record(
        action="email.resent",
        target=email,
        actor=actor,
        summary=f"Email #{email.pk} “{email.subject}” to {', '.join(email.to)} {how}",
        data={"was": previous_status, "last_error": previous_error, "queued": queued.pk, "kind": email.kind},
    )
    return queued

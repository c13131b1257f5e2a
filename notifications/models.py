"""The email outbox, each RFP's report settings, and the record of reviewer digests sent."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, validate_email
from django.db import models

from notifications.enums import EmailKind, EmailStatus, Weekday
from suppliers.models import private_storage


class OutboundEmail(models.Model):
    """One email as it leaves (or failed to leave): written in the transaction that needs it, sent by a worker."""

    kind = models.CharField(max_length=30, choices=EmailKind.choices, default=EmailKind.OTHER, db_index=True)
    from_email = models.CharField(max_length=254)
    to = models.JSONField(default=list, help_text="Addresses the email is sent to.")
    cc = models.JSONField(default=list, blank=True)
    reply_to = models.JSONField(default=list, blank=True)
    subject = models.CharField(max_length=300)
    body_text = models.TextField("plain-text body")
    body_html = models.TextField("HTML body", blank=True)
    status = models.CharField(max_length=10, choices=EmailStatus.choices, default=EmailStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Delivery attempts in the current round.")
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True, help_text="When the worker tries (again).")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField("Message-ID", max_length=255, blank=True)
    # Same key, same email: queueing it again returns the existing one.
    dedupe_key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    resend_count = models.PositiveSmallIntegerField(default=0, help_text="Times a failed email was queued again.")
    resent_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resends",
        help_text="A sent email's copy.",
    )
    rfp = models.ForeignKey("rfp.Rfp", null=True, blank=True, on_delete=models.SET_NULL, related_name="emails")
    proposal = models.ForeignKey(
        "rfp.Proposal", null=True, blank=True, on_delete=models.SET_NULL, related_name="emails"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "email"
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"


def email_attachment_upload_to(instance: "EmailAttachment", filename: str) -> str:
    from suppliers.uploads import random_storage_name

    return random_storage_name(f"emails/{instance.email_id}")


class EmailAttachment(models.Model):
    """A file sent with an email, kept in private storage so the email can be sent again exactly."""

    email = models.ForeignKey(OutboundEmail, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=email_attachment_upload_to, storage=private_storage, max_length=255)
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size_bytes = models.PositiveBigIntegerField()
    sha256 = models.CharField("SHA-256", max_length=64)

    class Meta:
        ordering = ["email", "id"]

    def __str__(self) -> str:
        return self.name


_ADDRESS_SEPARATORS = re.compile(r"[\s,;]+")


def split_addresses(text: str) -> list[str]:
    """Addresses written one per line, or separated by commas or semicolons; each once, in order."""
    seen: dict[str, str] = {}
    for address in _ADDRESS_SEPARATORS.split(text or ""):
        if address:
            seen.setdefault(address.lower(), address)
    return list(seen.values())


class ReportSettings(models.Model):
    """Who gets an RFP's review reports and when; times are in the RFP's display time zone."""

    rfp = models.OneToOneField("rfp.Rfp", on_delete=models.CASCADE, related_name="report_settings")
    program_report_recipients = models.TextField(
        blank=True,
        help_text="Email addresses, one per line. Empty: every active program lead (and PROGRAM_LEAD_EMAILS).",
    )
    weekly_report_enabled = models.BooleanField("send the weekly program report", default=True)
    weekly_report_weekday = models.PositiveSmallIntegerField(
        "weekly report day", choices=Weekday.choices, default=Weekday.MONDAY
    )
    weekly_report_hour = models.PositiveSmallIntegerField(
        "weekly report hour", default=7, validators=[MaxValueValidator(23)], help_text="0 to 23, RFP time zone."
    )
    digest_enabled = models.BooleanField("send reviewers a daily digest", default=True)
    digest_hour = models.PositiveSmallIntegerField(
        "digest hour", default=7, validators=[MaxValueValidator(23)], help_text="0 to 23, RFP time zone."
    )

    class Meta:
        verbose_name = "report settings"
        verbose_name_plural = "report settings"

    def __str__(self) -> str:
        return f"Report settings of {self.rfp.reference}"

    def clean(self) -> None:
        wrong = []
        for address in split_addresses(self.program_report_recipients):
            try:
                validate_email(address)
            except ValidationError:
                wrong.append(address)
        if wrong:
            raise ValidationError(
                {
                    "program_report_recipients": f"Not an email address: {', '.join(wrong)}. "
                    "Write one address per line, such as lead@buyer.example."
                }
            )
        self.program_report_recipients = "\n".join(split_addresses(self.program_report_recipients))

    @property
    def recipient_list(self) -> list[str]:
        return split_addresses(self.program_report_recipients)


class ReviewerDigest(models.Model):
    """One reviewer's daily digest for one RFP: the window it covered and the email, if there was news."""

    rfp = models.ForeignKey("rfp.Rfp", on_delete=models.CASCADE, related_name="reviewer_digests")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviewer_digests")
    digest_date = models.DateField(help_text="The day in the RFP's time zone.")
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    email = models.ForeignKey(OutboundEmail, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-window_end"]
        constraints = [
            models.UniqueConstraint(fields=["rfp", "reviewer", "digest_date"], name="one_digest_per_reviewer_day")
        ]

    def __str__(self) -> str:
        return f"Digest of {self.digest_date} for {self.reviewer} ({self.rfp.reference})"

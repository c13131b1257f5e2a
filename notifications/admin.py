"""The outbox, report settings and digests in the review panel. Emails are evidence: read-only, with one way to act
on them, "Re-send"; report settings are edited here and the program report can be sent from here."""

from django.contrib import admin, messages
from django.contrib.auth import get_permission_codename
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from django.utils.text import Truncator

from audit.admin import AuditedModelAdmin
from notifications.enums import EmailKind
from notifications.models import EmailAttachment, OutboundEmail, ReportSettings, ReviewerDigest
from notifications.reports import program_report_recipients, program_report_request
from notifications.services import email_resend
from rfp.exceptions import DomainError

# A confirmation, password-reset or invitation link lets whoever holds it into an account or a supplier's team: it is
# sent, never shown.
ACCOUNT_BODY_HIDDEN = "Not shown: it holds a personal sign-in link (email confirmation or password reset)."
INVITATION_BODY_HIDDEN = "Not shown: it holds a personal link to join the supplier's team."
PERSONAL_LINK_HIDDEN = {EmailKind.ACCOUNT: ACCOUNT_BODY_HIDDEN, EmailKind.INVITATION: INVITATION_BODY_HIDDEN}


def _has_change_permission(model_admin: admin.ModelAdmin, request) -> bool:
    opts = model_admin.opts
    return request.user.has_perm(f"{opts.app_label}.{get_permission_codename('change', opts)}")


class EmailAttachmentInline(admin.TabularInline):
    model = EmailAttachment
    extra = 0
    max_num = 0
    can_delete = False
    fields = ["name", "content_type", "size", "sha256"]
    readonly_fields = fields

    @admin.display(description="size")
    def size(self, obj: EmailAttachment) -> str:
        return filesizeformat(obj.size_bytes)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    """Emails are written by the services and sent by the workers; the panel looks, filters, and re-sends."""

    list_display = [
        "id",
        "created_at",
        "kind_label",
        "recipients",
        "short_subject",
        "status_label",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "short_error",
    ]
    list_display_links = ["id", "short_subject"]
    list_filter = ["status", "kind", "rfp", "created_at"]
    search_fields = ["subject", "to", "cc", "proposal__reference", "dedupe_key", "last_error"]
    date_hierarchy = "created_at"
    list_select_related = ["rfp"]
    inlines = [EmailAttachmentInline]
    fields = [
        ("id", "kind_label", "status_label"),
        "subject",
        ("from_email", "recipients", "cc_list", "reply_to_list"),
        ("rfp", "proposal"),
        ("attempts", "next_attempt_at", "created_at", "sent_at"),
        "last_error",
        ("message_id", "dedupe_key"),
        ("resend_count", "resent_from"),
        "text_body",
        "html_source",
    ]
    readonly_fields = [name for entry in fields for name in (entry if isinstance(entry, tuple) else (entry,))]
    actions = ["resend"]

    @admin.display(description="kind", ordering="kind")
    def kind_label(self, obj: OutboundEmail) -> str:
        return obj.get_kind_display()

    @admin.display(description="status", ordering="status")
    def status_label(self, obj: OutboundEmail) -> str:
        return obj.get_status_display()

    @admin.display(description="to")
    def recipients(self, obj: OutboundEmail) -> str:
        return ", ".join(obj.to)

    @admin.display(description="cc")
    def cc_list(self, obj: OutboundEmail) -> str:
        return ", ".join(obj.cc)

    @admin.display(description="reply to")
    def reply_to_list(self, obj: OutboundEmail) -> str:
        return ", ".join(obj.reply_to)

    @admin.display(description="subject", ordering="subject")
    def short_subject(self, obj: OutboundEmail) -> str:
        return Truncator(obj.subject).chars(80)

    @admin.display(description="last error")
    def short_error(self, obj: OutboundEmail) -> str:
        return Truncator(obj.last_error).chars(80)

    @admin.display(description="plain-text body")
    def text_body(self, obj: OutboundEmail) -> str:
        if obj.kind in PERSONAL_LINK_HIDDEN:
            return PERSONAL_LINK_HIDDEN[obj.kind]
        return format_html('<pre style="white-space: pre-wrap;">{}</pre>', obj.body_text)

    @admin.display(description="HTML body (source)")
    def html_source(self, obj: OutboundEmail) -> str:
        if obj.kind in PERSONAL_LINK_HIDDEN:
            return PERSONAL_LINK_HIDDEN[obj.kind]
        if not obj.body_html:
            return "—"
        return format_html(
            '<pre style="white-space: pre-wrap; max-height: 30em; overflow: auto;">{}</pre>', obj.body_html
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_resend_permission(self, request) -> bool:
        """Sending again is an operational change: it needs the model's change permission."""
        return _has_change_permission(self, request)

    @admin.action(description="Re-send", permissions=["resend"])
    def resend(self, request, queryset):
        queued = []
        for email_id in queryset.order_by("pk").values_list("pk", flat=True):
            try:
                queued.append(email_resend(email_id=email_id, actor=request.user))
            except DomainError as error:
                self.message_user(request, error.message, level=messages.WARNING)
        if queued:
            names = ", ".join(f"#{email.pk}" for email in queued)
            self.message_user(request, f"Queued {len(queued)} email(s) to send again: {names}.", messages.SUCCESS)


@admin.register(ReportSettings)
class ReportSettingsAdmin(AuditedModelAdmin):
    list_display = ["rfp", "report_recipients", "weekly_schedule", "digest_schedule"]
    list_select_related = ["rfp"]
    search_fields = ["rfp__reference", "rfp__title", "program_report_recipients"]
    fieldsets = [
        (None, {"fields": ["rfp"]}),
        (
            "Program report",
            {
                "fields": [
                    "program_report_recipients",
                    "weekly_report_enabled",
                    ("weekly_report_weekday", "weekly_report_hour"),
                ],
                "description": "Sent weekly to these addresses (by default the program leads), and on demand with "
                "the action “Send the program report now” in the list.",
            },
        ),
        ("Reviewer digest", {"fields": ["digest_enabled", "digest_hour"]}),
    ]
    actions = ["send_program_report"]

    def get_readonly_fields(self, request, obj=None):
        return ["rfp"] if obj is not None else []

    @admin.display(description="program report to")
    def report_recipients(self, obj: ReportSettings) -> str:
        if obj.recipient_list:
            return ", ".join(obj.recipient_list)
        return f"program leads ({', '.join(program_report_recipients(rfp=obj.rfp)) or 'none yet'})"

    @admin.display(description="weekly report")
    def weekly_schedule(self, obj: ReportSettings) -> str:
        if not obj.weekly_report_enabled:
            return "off"
        day = obj.get_weekly_report_weekday_display()
        return f"{day}s at {obj.weekly_report_hour}:00 ({obj.rfp.display_time_zone})"

    @admin.display(description="reviewer digest")
    def digest_schedule(self, obj: ReportSettings) -> str:
        if not obj.digest_enabled:
            return "off"
        return f"daily at {obj.digest_hour}:00 ({obj.rfp.display_time_zone})"

    def has_send_permission(self, request) -> bool:
        return request.user.is_superuser or getattr(request.user, "is_program_lead", False)

    @admin.action(description="Send the program report now", permissions=["send"])
    def send_program_report(self, request, queryset):
        for report_settings in queryset.select_related("rfp"):
            rfp = report_settings.rfp
            try:
                program_report_request(rfp=rfp, actor=request.user)
            except DomainError as error:
                self.message_user(request, error.message, level=messages.WARNING)
            else:
                recipients = ", ".join(program_report_recipients(rfp=rfp))
                self.message_user(
                    request,
                    f"The program report of {rfp.reference} is being prepared and will be emailed to {recipients}; "
                    "follow it in the list of emails.",
                    level=messages.SUCCESS,
                )


@admin.register(ReviewerDigest)
class ReviewerDigestAdmin(admin.ModelAdmin):
    list_display = ["digest_date", "rfp", "reviewer", "window_start", "window_end", "email"]
    list_filter = ["rfp", "digest_date"]
    search_fields = ["reviewer__email", "rfp__reference"]
    list_select_related = ["rfp", "reviewer", "email"]
    readonly_fields = ["rfp", "reviewer", "digest_date", "window_start", "window_end", "email"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

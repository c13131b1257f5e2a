"""Jobs in the review panel: read-only, with one way to act on them, "Publish again"."""

from django.contrib import admin, messages
from django.contrib.auth import get_permission_codename
from django.utils.text import Truncator

from audit.changes import record_action
from jobs import services as job_services
from jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Jobs are written by the services and moved by the workers; the panel only looks, or publishes again."""

    list_display = [
        "task_name",
        "status_label",
        "attempts",
        "publish_count",
        "created_at",
        "published_at",
        "started_at",
        "finished_at",
        "short_error",
    ]
    list_filter = ["status", "task_name"]
    search_fields = ["id__exact", "task_name", "dedupe_key", "last_error"]
    date_hierarchy = "created_at"
    fields = [
        "id",
        "task_name",
        "status_label",
        "arguments",
        "dedupe_key",
        ("attempts", "publish_count"),
        ("created_at", "published_at"),
        ("started_at", "finished_at"),
        "last_error",
    ]
    readonly_fields = [name for entry in fields for name in (entry if isinstance(entry, tuple) else (entry,))]
    actions = ["publish_again"]

    @admin.display(description="status", ordering="status")
    def status_label(self, obj: Job) -> str:
        return obj.get_status_display()

    @admin.display(description="last error")
    def short_error(self, obj: Job) -> str:
        return Truncator(obj.last_error).chars(80)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_publish_permission(self, request) -> bool:
        """Publishing again is an operational change: it needs the model's change permission."""
        return request.user.has_perm(f"{self.opts.app_label}.{get_permission_codename('change', self.opts)}")

    @admin.action(description="Publish again", permissions=["publish"])
    def publish_again(self, request, queryset):
        published = skipped = 0
        for job in queryset:
            if job_services.job_publish(job_id=job.pk):
                summary = f"Job {job.pk} ({job.task_name}) published again"
                record_action(instance=job, actor=request.user, action="published_again", summary=summary)
                published += 1
            else:
                skipped += 1
        if published:
            self.message_user(request, f"Published {published} job(s) again.", level=messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"{skipped} job(s) not published: only pending, queued or retrying jobs are published, "
                "and the broker must be reachable (see each job's last error).",
                level=messages.WARNING,
            )

from django.contrib import admin

from audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail is append-only, in the admin as everywhere."""

    list_display = ["occurred_at", "action", "object_type", "object_id", "actor", "summary"]
    list_filter = ["action", "object_type"]
    search_fields = ["summary", "object_id", "actor__email", "hash"]
    date_hierarchy = "occurred_at"
    list_select_related = ["actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

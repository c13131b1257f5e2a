"""The audit trail in the review panel, and the two kinds of panel page every app's admin is built from: read-only
pages for what a supplier owns or what is evidence, and audited pages for the buyer's own records."""

from django.contrib import admin

from audit.changes import record_delete, record_save
from audit.models import AuditEvent


class ReadOnlyPanelMixin:
    """Shown, never added, changed or deleted from the panel (no bulk delete either)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedPanelMixin:
    """Every save and deletion the page makes, its inlines' included, goes through audit.changes."""

    def save_model(self, request, obj, form, change):
        record_save(instance=obj, actor=request.user, created=not change, changed=list(form.changed_data))

    def delete_model(self, request, obj):
        record_delete(instance=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            record_delete(instance=obj, actor=request.user)

    def save_formset(self, request, form, formset, change):
        formset.save(commit=False)
        for obj in formset.deleted_objects:
            record_delete(instance=obj, actor=request.user)
        for obj in formset.new_objects:
            record_save(instance=obj, actor=request.user, created=True)
        for obj, changed in formset.changed_objects:
            record_save(instance=obj, actor=request.user, created=False, changed=changed)
        formset.save_m2m()


class AuditedModelAdmin(AuditedPanelMixin, admin.ModelAdmin):
    pass


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyPanelMixin, admin.ModelAdmin):
    """Read-only: the trail is append-only, in the admin as everywhere."""

    list_display = ["occurred_at", "action", "object_type", "object_id", "actor", "summary"]
    list_filter = ["action", "object_type"]
    search_fields = ["summary", "object_id", "actor__email", "hash"]
    date_hierarchy = "occurred_at"
    list_select_related = ["actor"]

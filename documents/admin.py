from django.contrib import admin
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import format_html

from documents.models import SummaryPdf
from documents.selectors import summary_pdf_newest_per_audience

SUMMARY_FIELDS = ["audience", "proposal_version", "rendered_at", "reason", "page_count", "size", "sha256"]


class _ReadOnly:
    """Renders are evidence: viewable, never added, changed or deleted from the panel."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _size(obj: SummaryPdf) -> str:
    return filesizeformat(obj.size_bytes)


class SummaryPdfInline(_ReadOnly, admin.TabularInline):
    """On a proposal's page: the newest summary of each copy for its current version, and where to open yours."""

    model = SummaryPdf
    fields = [*SUMMARY_FIELDS, "open"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    verbose_name = "PDF summary (newest of each copy, current version)"
    verbose_name_plural = "PDF summaries (newest of each copy, current version)"

    def get_queryset(self, request):
        return summary_pdf_newest_per_audience(queryset=super().get_queryset(request))

    @admin.display(description="size")
    def size(self, obj: SummaryPdf) -> str:
        return _size(obj)

    @admin.display(description="open")
    def open(self, obj: SummaryPdf) -> str:
        url = reverse("documents:proposal_summary_pdf", args=[obj.proposal_id])
        return format_html('<a href="{}">Open the PDF (your copy)</a>', url)


@admin.register(SummaryPdf)
class SummaryPdfAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = ["proposal", *SUMMARY_FIELDS]
    list_filter = ["audience", "reason", "rendered_at"]
    search_fields = ["proposal__reference", "sha256"]
    list_select_related = ["proposal"]
    fields = ["proposal", *SUMMARY_FIELDS, "state", "includes_commercial_terms"]
    readonly_fields = fields

    @admin.display(description="size", ordering="size_bytes")
    def size(self, obj: SummaryPdf) -> str:
        return _size(obj)

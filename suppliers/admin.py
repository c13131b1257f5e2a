"""Suppliers in the review panel: the company, its people, its US sites, its certificates, and the screening lists.

All of it is read-only here: a supplier's data is the supplier's (changed in the portal or the API, by its owners and
editors), and a screening list changes only by loading a file.
"""

from django.contrib import admin
from django.db import models
from django.db.models import Count

from audit.admin import ReadOnlyPanelMixin
from suppliers.models import (
    Certification,
    Facility,
    Invitation,
    ScreeningEntry,
    ScreeningList,
    Supplier,
    SupplierMember,
)


def _document_name(certification: Certification) -> str:
    # Certificates live in private storage; its URLs are not served, so the panel shows the name, never a link.
    return certification.document.name.rsplit("/", 1)[-1] if certification.document else "—"


class SupplierMemberInline(ReadOnlyPanelMixin, admin.TabularInline):
    model = SupplierMember
    fields = ["user", "role", "joined_at"]
    readonly_fields = ["joined_at"]
    autocomplete_fields = ["user"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


class FacilityInline(ReadOnlyPanelMixin, admin.StackedInline):
    model = Facility
    extra = 0
    show_change_link = True
    fieldsets = [
        (None, {"fields": [("name", "status"), "address_line1", "address_line2", ("city", "state", "zip_code")]}),
        ("Site", {"fields": [("floor_area_sqft", "site_power_mw", "grid_operator")]}),
        ("Workforce", {"fields": [("electricians", "machinists", "technicians", "assemblers", "engineers")]}),
    ]


class CertificationInline(ReadOnlyPanelMixin, admin.TabularInline):
    model = Certification
    fields = ["kind", "name", "number", "issued_by", "facility", "expires_on", "document_name"]
    readonly_fields = ["document_name"]
    extra = 0
    show_change_link = True

    @admin.display(description="document")
    def document_name(self, obj: Certification) -> str:
        return _document_name(obj)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("facility")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # Only the supplier's own sites can hold its certificates.
        facility_field = formset.form.base_fields.get("facility")
        if facility_field is not None:
            facility_field.queryset = (
                Facility.objects.filter(supplier=obj) if obj is not None else Facility.objects.none()
            )
        return formset


@admin.register(Supplier)
class SupplierAdmin(ReadOnlyPanelMixin, admin.ModelAdmin):
    list_display = [
        "legal_name",
        "dba",
        "ein",
        "uei",
        "cage",
        "hq_city",
        "hq_state",
        "employee_count",
        "facility_count",
        "proposal_count",
        "created_at",
    ]
    list_filter = ["hq_state", "facilities__state", "proposals__sector", "proposals__status"]
    search_fields = [
        "legal_name",
        "dba",
        "ein",
        "uei",
        "cage",
        "hq_city",
        "members__user__email",
    ]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["legal_name", "dba", "website", "employee_count"]}),
        ("Federal identifiers", {"fields": [("ein", "uei", "cage"), "naics_codes"]}),
        (
            "Headquarters",
            {"fields": ["hq_address_line1", "hq_address_line2", ("hq_city", "hq_state", "hq_zip")]},
        ),
        ("Record", {"fields": [("created_at", "updated_at")]}),
    ]
    inlines = [SupplierMemberInline, FacilityInline, CertificationInline]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _facility_count=Count("facilities", distinct=True),
                _proposal_count=Count("proposals", distinct=True),
            )
        )

    @admin.display(description="facilities", ordering="_facility_count")
    def facility_count(self, obj: Supplier) -> int:
        return obj._facility_count

    @admin.display(description="proposals", ordering="_proposal_count")
    def proposal_count(self, obj: Supplier) -> int:
        return obj._proposal_count


@admin.register(SupplierMember)
class SupplierMemberAdmin(ReadOnlyPanelMixin, admin.ModelAdmin):
    list_display = ["user", "user_email", "supplier", "role", "joined_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__full_name", "supplier__legal_name", "supplier__ein", "supplier__uei"]
    list_select_related = ["user", "supplier"]
    autocomplete_fields = ["user", "supplier"]
    readonly_fields = ["joined_at"]
    date_hierarchy = "joined_at"

    @admin.display(description="email", ordering="user__email")
    def user_email(self, obj: SupplierMember) -> str:
        return obj.user.email


@admin.register(Facility)
class FacilityAdmin(ReadOnlyPanelMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "supplier",
        "city",
        "state",
        "status",
        "floor_area_sqft",
        "site_power_mw",
        "workforce",
    ]
    list_filter = ["state", "status", "grid_operator"]
    search_fields = [
        "name",
        "city",
        "zip_code",
        "grid_operator",
        "supplier__legal_name",
        "supplier__ein",
        "supplier__uei",
        "supplier__cage",
    ]
    list_select_related = ["supplier"]
    autocomplete_fields = ["supplier"]
    fieldsets = [
        (None, {"fields": ["supplier", ("name", "status")]}),
        ("Address", {"fields": ["address_line1", "address_line2", ("city", "state", "zip_code")]}),
        ("Site", {"fields": [("floor_area_sqft", "site_power_mw", "grid_operator")]}),
        ("Workforce", {"fields": [("electricians", "machinists", "technicians", "assemblers", "engineers")]}),
    ]

    @admin.display(description="workforce")
    def workforce(self, obj: Facility) -> int:
        return obj.workforce_total


@admin.register(Certification)
class CertificationAdmin(ReadOnlyPanelMixin, admin.ModelAdmin):
    list_display = ["__str__", "supplier", "facility", "number", "issued_by", "expires_on", "expired"]
    list_filter = ["kind", "expires_on"]
    search_fields = [
        "name",
        "number",
        "issued_by",
        "supplier__legal_name",
        "supplier__ein",
        "supplier__uei",
        "supplier__cage",
    ]
    list_select_related = ["supplier", "facility"]
    autocomplete_fields = ["supplier"]
    date_hierarchy = "expires_on"
    fields = [
        "supplier",
        "facility",
        "kind",
        "name",
        "number",
        "issued_by",
        "expires_on",
        "document_name",
        "created_at",
    ]
    readonly_fields = ["document_name", "created_at"]

    @admin.display(description="expired", boolean=True)
    def expired(self, obj: Certification) -> bool:
        return obj.is_expired

    @admin.display(description="document")
    def document_name(self, obj: Certification) -> str:
        return _document_name(obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and "facility" in form.base_fields:
            form.base_fields["facility"].queryset = Facility.objects.filter(supplier_id=obj.supplier_id)
        return form


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyPanelMixin, admin.ModelAdmin):
    """Invitations are sent, accepted and revoked in the portal by the supplier's owners; the panel shows them."""

    list_display = ["email", "supplier", "role", "invited_by", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["role", ("accepted_at", admin.EmptyFieldListFilter), ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "supplier__legal_name", "invited_by__email"]
    list_select_related = ["supplier", "invited_by"]
    # Not `token`: the invitation link lets whoever holds it join the supplier's team.
    fields = [
        "supplier",
        "email",
        "role",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
        "revoked_at",
    ]
    readonly_fields = fields


class ReadOnlyScreeningAdmin(ReadOnlyPanelMixin, admin.ModelAdmin):
    """A screening list changes only by loading a file (`manage.py load_screening_list`), never in the panel."""


@admin.register(ScreeningList)
class ScreeningListAdmin(ReadOnlyScreeningAdmin):
    list_display = ["name", "source_file_name", "loaded_at", "row_count", "is_active", "sha256"]
    list_filter = ["is_active", "loaded_at"]
    search_fields = ["name", "source_file_name", "sha256"]
    date_hierarchy = "loaded_at"
    fields = ["name", "source_file_name", "loaded_at", "row_count", "sha256", "is_active"]
    readonly_fields = fields


@admin.register(ScreeningEntry)
class ScreeningEntryAdmin(ReadOnlyScreeningAdmin):
    list_display = ["name", "aliases", "source", "entity_number", "screening_list"]
    list_filter = ["screening_list__is_active", "source"]
    search_fields = ["name", "alt_names", "addresses", "entity_number", "source"]
    list_select_related = ["screening_list"]
    fields = ["screening_list", "source", "name", "alt_names", "addresses", "entity_number", "normalized_names"]
    readonly_fields = fields

    @admin.display(description="alternative names")
    def aliases(self, obj: ScreeningEntry) -> str:
        return "; ".join(obj.alt_names)

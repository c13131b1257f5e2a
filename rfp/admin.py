"""The review panel for program leads: the RFP, its proposals, their review and decision. The panel is a face like
the others: it asks rfp.rules and writes through services.

- What a supplier owns (its proposals' answers, sector details, commercial terms, attachments, versions, receipts)
  and what is evidence (checks, reviews, scores, decisions) is read-only here.
- Commercial terms show only under `rfp.rules.may_see_commercial_terms`; before the close the panel says until when
  they are sealed and links to the review workspace's audited opening.
- The buyer's own records (rounds, rubrics, addenda, answers to questions, reviewers, due dates) are saved through
  audit.changes, so each write leaves an audit event. A proposal's status moves only through rfp.services.
"""

import json
from contextvars import ContextVar

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import Count, F, Q, Sum
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator

from audit.admin import AuditedModelAdmin, ReadOnlyPanelMixin
from documents.admin import SummaryPdfInline
from rfp import rules, services
from rfp.enums import AssignmentStatus
from rfp.exceptions import DomainError
from rfp.formatting import money, quantity
from rfp.models import (
    SECTOR_DETAIL_MODELS,
    Addendum,
    AddendumAcknowledgement,
    Attachment,
    Category,
    Clarification,
    CommercialTerms,
    Criterion,
    DatacenterDetails,
    Decision,
    ElectronicsDetails,
    InformationRequest,
    Proposal,
    ProposalCheck,
    ProposalVersion,
    Review,
    ReviewAssignment,
    ReviewerConflict,
    ReviewerProfile,
    Rfp,
    RoboticsDetails,
    Rubric,
    Score,
    Sector,
)
from rfp.panel_forms import ClarificationAnswerForm, DueDateForm
from rfp.round_forms import AddendumForm, CriterionForm, RoundForm

User = get_user_model()

PROPOSAL_SEARCH_FIELDS = [
    "reference",
    "title",
    "supplier__legal_name",
    "supplier__dba",
    "supplier__ein",
    "supplier__uei",
    "supplier__cage",
]


def _excerpt(text: str, length: int = 80) -> str:
    return Truncator(text).chars(length)


# Who is looking, for columns whose content depends on it (sealed prices): a ModelAdmin is shared by all requests.
_viewing: ContextVar = ContextVar("panel_request", default=None)


def _rendered_for(request, view, *args):
    """Run an admin view and render its response while `_viewing` names the request; nobody else sees it."""
    token = _viewing.set(request)
    try:
        response = view(request, *args)
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response.render()
        return response
    finally:
        _viewing.reset(token)


SEALED_FIELDS = ["unit_price", "total_price", "price_validity", "payment_terms", "incoterms", "notes"]


class ReadablePricesMixin:
    """The prices of SEALED_FIELDS as people read them ("$48,317.25", "90 days"), never a raw decimal."""

    @admin.display(description="unit price")
    def unit_price(self, obj: CommercialTerms) -> str:
        return money(obj.unit_price_usd)

    @admin.display(description="total price")
    def total_price(self, obj: CommercialTerms) -> str:
        return money(obj.total_price_usd)

    @admin.display(description="price validity")
    def price_validity(self, obj: CommercialTerms) -> str:
        return quantity(obj.price_validity_days, "day|days", whole=True)


def _sealed_until(proposal: Proposal) -> str:
    rfp = proposal.rfp
    return f"Sealed until {rfp.closes_at.astimezone(rfp.tz):%Y-%m-%d %H:%M:%S %Z} ({rfp.display_time_zone})"


def _local(moment, rfp: Rfp) -> str:
    return f"{moment.astimezone(rfp.tz):%Y-%m-%d %H:%M:%S %Z}"


def _local_or_dash(moment, rfp: Rfp) -> str:
    return "—" if moment is None else f"{_local(moment, rfp)} ({rfp.display_time_zone})"


def _terms_visible(request, proposal: Proposal) -> bool:
    return request is not None and rules.may_see_commercial_terms(request.user, proposal, now=timezone.now())


def _sealed_notice(request, proposal: Proposal) -> str:
    """What the panel shows instead of the prices, with the way to the audited opening when the lead may use it."""
    if request is not None and rules.may_open_sealed_commercial_terms(request.user, proposal, now=timezone.now()):
        url = reverse("review:commercial_terms", args=[proposal.reference])
        return format_html(
            '{} — <a href="{}">open them in the review workspace (recorded in the proposal\'s history)</a>',
            _sealed_until(proposal),
            url,
        )
    return _sealed_until(proposal)


class ReadOnlyInline(ReadOnlyPanelMixin, admin.TabularInline):
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True


# --- Sectors, categories, RFPs ---------------------------------------------------------------------------------


class CategoryInline(admin.TabularInline):
    model = Category
    fields = ["code", "name", "position"]
    extra = 0


@admin.register(Sector)
class SectorAdmin(AuditedModelAdmin):
    list_display = ["name", "code", "abbreviation", "position", "category_count"]
    search_fields = ["name", "code", "abbreviation"]
    ordering = ["position", "name"]
    inlines = [CategoryInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_category_count=Count("categories"))

    @admin.display(description="categories", ordering="_category_count")
    def category_count(self, obj: Sector) -> int:
        return obj._category_count


@admin.register(Category)
class CategoryAdmin(AuditedModelAdmin):
    list_display = ["name", "code", "sector", "position"]
    list_filter = ["sector"]
    search_fields = ["name", "code", "sector__name"]
    list_select_related = ["sector"]


class AddendumInline(admin.StackedInline):
    model = Addendum
    form = AddendumForm
    fields = [("number", "published_at"), "title", "body"]
    extra = 0


class ClarificationTimesMixin:
    """When a question was asked and its answer published, in the round's time zone; `answered_at` is set by
    rfp.services.clarification_answer on publishing, never typed."""

    @admin.display(description="asked at (round's zone)", ordering="asked_at")
    def asked_local(self, obj: Clarification) -> str:
        return _local_or_dash(obj.asked_at, obj.rfp)

    @admin.display(description="answer published at (round's zone)", ordering="answered_at")
    def answered_local(self, obj: Clarification) -> str:
        return _local_or_dash(obj.answered_at, obj.rfp)


class ClarificationInline(ClarificationTimesMixin, admin.StackedInline):
    """A supplier's question, answered (and published) by the buyer; questions come only from the portal."""

    model = Clarification
    form = ClarificationAnswerForm
    fields = [("supplier", "asked_by", "asked_local"), "question", "answer", ("is_published", "answered_local")]
    readonly_fields = ["supplier", "asked_by", "asked_local", "question", "answered_local"]
    extra = 0
    max_num = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("rfp", "supplier", "asked_by")


@admin.register(Rfp)
class RfpAdmin(AuditedModelAdmin):
    form = RoundForm
    list_display = [
        "reference",
        "title",
        "opens_local",
        "closes_local",
        "display_time_zone",
        "rolling_review",
        "reviewers_per_proposal",
        "sector_list",
        "proposal_count",
    ]
    list_filter = ["sectors", "rolling_review", "closes_at"]
    search_fields = ["reference", "title"]
    date_hierarchy = "closes_at"
    filter_horizontal = ["sectors"]
    readonly_fields = ["created_at"]
    fieldsets = [
        (None, {"fields": ["reference", "title", "description", "sectors"]}),
        (
            "Dates",
            {
                "fields": [
                    ("opens_at", "closes_at"),
                    ("opens_at_occurrence", "closes_at_occurrence"),
                    "display_time_zone",
                    "created_at",
                ]
            },
        ),
        ("Review", {"fields": ["rolling_review", "blind_review", ("reviewers_per_proposal", "review_due_days")]}),
    ]
    inlines = [AddendumInline, ClarificationInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(_proposal_count=Count("proposals", distinct=True))
            .prefetch_related("sectors")
        )

    def save_formset(self, request, form, formset, change):
        if formset.model is not Clarification:
            return super().save_formset(request, form, formset, change)
        for clarification in formset.save(commit=False):  # only changed answers: the inline adds and deletes none
            services.clarification_answer(
                clarification=clarification,
                answer=clarification.answer,
                publish=clarification.is_published,
                actor=request.user,
            )

    @admin.display(description="opens (round's zone)", ordering="opens_at")
    def opens_local(self, obj: Rfp) -> str:
        return _local(obj.opens_at, obj)

    @admin.display(description="closes (round's zone)", ordering="closes_at")
    def closes_local(self, obj: Rfp) -> str:
        return _local(obj.closes_at, obj)

    @admin.display(description="sectors")
    def sector_list(self, obj: Rfp) -> str:
        return ", ".join(sector.abbreviation for sector in obj.sectors.all())

    @admin.display(description="proposals", ordering="_proposal_count")
    def proposal_count(self, obj: Rfp) -> int:
        return obj._proposal_count


@admin.register(Addendum)
class AddendumAdmin(AuditedModelAdmin):
    form = AddendumForm
    list_display = ["__str__", "rfp_reference", "number", "published_at", "acknowledgement_count"]
    list_filter = ["rfp", "published_at"]
    search_fields = ["title", "body", "rfp__reference"]
    list_select_related = ["rfp"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["rfp"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_ack_count=Count("acknowledgements"))

    @admin.display(description="RFP", ordering="rfp__reference")
    def rfp_reference(self, obj: Addendum) -> str:
        return obj.rfp.reference

    @admin.display(description="acknowledgements", ordering="_ack_count")
    def acknowledgement_count(self, obj: Addendum) -> int:
        return obj._ack_count


@admin.register(AddendumAcknowledgement)
class AddendumAcknowledgementAdmin(ReadOnlyPanelMixin, admin.ModelAdmin):
    """A supplier's own acknowledgement: a record the panel shows, never writes."""

    list_display = ["supplier", "addendum", "rfp_reference", "acknowledged_by", "acknowledged_at"]
    list_filter = ["addendum__rfp"]
    search_fields = [
        "supplier__legal_name",
        "supplier__ein",
        "supplier__uei",
        "supplier__cage",
        "acknowledged_by__email",
        "addendum__title",
    ]
    list_select_related = ["supplier", "addendum__rfp", "acknowledged_by"]
    date_hierarchy = "acknowledged_at"

    @admin.display(description="RFP", ordering="addendum__rfp__reference")
    def rfp_reference(self, obj: AddendumAcknowledgement) -> str:
        return obj.addendum.rfp.reference


@admin.register(Clarification)
class ClarificationAdmin(ClarificationTimesMixin, AuditedModelAdmin):
    """Suppliers ask in the portal; the buyer answers and publishes here (through rfp.services.clarification_answer,
    which sets when the answer was published)."""

    form = ClarificationAnswerForm
    list_display = ["question_excerpt", "rfp_reference", "supplier", "asked_local", "answered_local", "is_published"]
    list_filter = ["is_published", "rfp", "asked_at"]
    search_fields = ["question", "answer", "supplier__legal_name", "asked_by__email", "rfp__reference"]
    list_select_related = ["rfp", "supplier"]
    date_hierarchy = "asked_at"
    fields = ["rfp", ("supplier", "asked_by", "asked_local"), "question", "answer", ("is_published", "answered_local")]
    readonly_fields = ["rfp", "supplier", "asked_by", "asked_local", "question", "answered_local"]

    def save_model(self, request, obj, form, change):
        services.clarification_answer(
            clarification=obj, answer=obj.answer, publish=obj.is_published, actor=request.user
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="question", ordering="question")
    def question_excerpt(self, obj: Clarification) -> str:
        return _excerpt(obj.question)

    @admin.display(description="RFP", ordering="rfp__reference")
    def rfp_reference(self, obj: Clarification) -> str:
        return obj.rfp.reference


# --- Proposals -------------------------------------------------------------------------------------------------


class ProposalChildInlineMixin:
    """Rows whose __str__ names the proposal: fetch it in the same query (and the FKs a read-only row shows)."""

    related = ()

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("proposal", *self.related)


class SectorDetailsInline(ProposalChildInlineMixin, ReadOnlyPanelMixin, admin.StackedInline):
    """One typed answer set per proposal, the supplier's: ProposalAdmin shows only the one of the proposal's sector."""

    extra = 0
    max_num = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields if field.name not in ("id", "proposal")]


class DatacenterDetailsInline(SectorDetailsInline):
    model = DatacenterDetails


class ElectronicsDetailsInline(SectorDetailsInline):
    model = ElectronicsDetails


class RoboticsDetailsInline(SectorDetailsInline):
    model = RoboticsDetails


class CommercialTermsInline(ReadablePricesMixin, ProposalChildInlineMixin, ReadOnlyPanelMixin, admin.StackedInline):
    """The supplier's prices, shown only under the sealing rule; before the close, until when they are sealed."""

    model = CommercialTerms
    extra = 0
    max_num = 0
    can_delete = False
    related = ("proposal__rfp",)

    def get_fields(self, request, obj=None):
        if obj is not None and _terms_visible(request, obj):
            return [
                ("unit_price", "total_price", "price_validity"),
                ("payment_terms", "incoterms"),
                "notes",
            ]
        return ["sealed"]

    def get_readonly_fields(self, request, obj=None):
        return [*SEALED_FIELDS, "sealed"]

    @admin.display(description="commercial terms")
    def sealed(self, obj: CommercialTerms) -> str:
        return _sealed_until(obj.proposal)


class AttachmentInline(ProposalChildInlineMixin, ReadOnlyInline):
    model = Attachment
    fields = ["original_name", "kind", "content_type", "size", "sha256", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    related = ("uploaded_by",)

    @admin.display(description="size", ordering="size_bytes")
    def size(self, obj: Attachment) -> str:
        return filesizeformat(obj.size_bytes)


class ProposalVersionInline(ProposalChildInlineMixin, ReadOnlyInline):
    model = ProposalVersion
    fields = ["number", "submitted_at", "submitted_by", "sha256"]
    readonly_fields = fields
    related = ("submitted_by",)


class ProposalCheckInline(ProposalChildInlineMixin, ReadOnlyInline):
    """What the worker's automated checks found, newest version first."""

    model = ProposalCheck
    fields = ["version", "label", "outcome", "detail", "created_at"]
    readonly_fields = fields
    ordering = ["-version", "id"]
    verbose_name_plural = "automated checks"


class InformationRequestInline(ProposalChildInlineMixin, ReadOnlyInline):
    """Requests are made with the service (the proposal's status moves with them), so they are shown here."""

    model = InformationRequest
    fields = ["question", "requested_by", "requested_at", "response", "responded_by", "responded_at"]
    readonly_fields = fields
    related = ("requested_by", "responded_by")


class ReviewAssignmentInline(ProposalChildInlineMixin, ReadOnlyInline):
    """Assignments come from the assignment service (after the checks, or "Assign now" in the review workspace)."""

    model = ReviewAssignment
    fields = [
        "reviewer",
        "status",
        "assigned_at",
        "due_local",
        "released_at",
        "conflict_declaration",
        "conflict_declared_at",
    ]
    readonly_fields = fields
    show_change_link = True
    related = ("reviewer", "proposal__rfp")

    @admin.display(description="due at (round's zone)", ordering="due_at")
    def due_local(self, obj: ReviewAssignment) -> str:
        return _local_or_dash(obj.due_at, obj.proposal.rfp)


class DecisionInline(ProposalChildInlineMixin, ReadOnlyPanelMixin, admin.StackedInline):
    model = Decision
    fields = [("outcome", "decided_by", "decided_at"), "rationale", "internal_note"]
    readonly_fields = ["outcome", "decided_by", "decided_at", "rationale", "internal_note"]
    extra = 0
    max_num = 0
    can_delete = False
    related = ("decided_by",)


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyPanelMixin, admin.ModelAdmin):
    """The supplier's proposal, read-only; its status moves only through the services, by the actions."""

    list_display = [
        "reference",
        "title",
        "supplier",
        "sector",
        "rfp_reference",
        "status",
        "version",
        "submitted_at",
        "queued_at",
        "open_assignments",
        "decided_at",
    ]
    list_filter = ["status", "sector", "rfp", "supplier__hq_state", "submitted_at"]
    search_fields = PROPOSAL_SEARCH_FIELDS
    list_select_related = ["rfp", "sector", "supplier"]
    date_hierarchy = "submitted_at"
    # PostgreSQL puts NULLs first in a descending sort: drafts (never submitted) go last here.
    ordering = [F("submitted_at").desc(nulls_last=True), "-created_at"]
    fieldsets = [
        (None, {"fields": ["reference", ("rfp", "supplier", "sector"), ("status", "version"), "title"]}),
        (
            "Dates",
            {"fields": [("submitted_at", "queued_at"), ("decided_at", "withdrawn_at"), ("created_at", "updated_at")]},
        ),
        ("Offer", {"fields": ["categories", "facilities", "technical_narrative"]}),
        (
            "Capacity and content",
            {
                "fields": [
                    ("annual_capacity_units", "lead_time_weeks"),
                    "capacity_ramp",
                    ("domestic_content_pct", "site_power_mw"),
                    "countries_of_origin",
                    "sub_suppliers",
                ]
            },
        ),
        ("Workforce", {"fields": [("electricians", "machinists", "technicians", "assemblers", "engineers")]}),
    ]
    inlines = [
        DatacenterDetailsInline,
        ElectronicsDetailsInline,
        RoboticsDetailsInline,
        CommercialTermsInline,
        AttachmentInline,
        ProposalVersionInline,
        ProposalCheckInline,
        InformationRequestInline,
        ReviewAssignmentInline,
        DecisionInline,
        SummaryPdfInline,
    ]
    actions = ["start_review"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("rfp", "sector", "supplier")
            .annotate(_open_assignments=Count("assignments", filter=~Q(assignments__status=AssignmentStatus.RELEASED)))
        )

    def get_readonly_fields(self, request, obj=None):
        return [name for _, options in self.fieldsets for entry in options["fields"] for name in _names(entry)]

    @admin.display(description="RFP", ordering="rfp__reference")
    def rfp_reference(self, obj: Proposal) -> str:
        return obj.rfp.reference

    @admin.display(description="reviewers", ordering="_open_assignments")
    def open_assignments(self, obj: Proposal) -> int:
        return obj._open_assignments

    def get_inline_instances(self, request, obj=None):
        own_model = SECTOR_DETAIL_MODELS.get(obj.sector.code) if obj is not None else None
        detail_models = set(SECTOR_DETAIL_MODELS.values())
        return [
            inline
            for inline in super().get_inline_instances(request, obj)
            if inline.model not in detail_models or inline.model is own_model
        ]

    def has_review_permission(self, request) -> bool:
        return rules.is_program_lead(request.user)

    @admin.action(description="Start review", permissions=["review"])
    def start_review(self, request, queryset):
        succeeded = 0
        for proposal in queryset.order_by("pk"):
            try:
                services.proposal_start_review(proposal=proposal, actor=request.user)
            except DomainError as error:
                self.message_user(request, error.message, level=messages.ERROR)
            else:
                succeeded += 1
        if succeeded:
            noun = "proposal" if succeeded == 1 else "proposals"
            self.message_user(request, f"Started the review of {succeeded} {noun}.", level=messages.SUCCESS)


def _names(entry) -> tuple[str, ...]:
    return entry if isinstance(entry, tuple) else (entry,)


@admin.register(CommercialTerms)
class CommercialTermsAdmin(ReadablePricesMixin, ReadOnlyPanelMixin, admin.ModelAdmin):
    """The supplier's prices, read-only; shown only under the sealing rule (rfp.rules.may_see_commercial_terms)."""

    list_display = ["proposal", "supplier", "rfp_reference", "terms"]
    list_filter = ["proposal__sector", "proposal__rfp"]
    search_fields = [f"proposal__{name}" for name in PROPOSAL_SEARCH_FIELDS]
    list_select_related = ["proposal__supplier", "proposal__rfp"]

    @admin.display(description="supplier", ordering="proposal__supplier__legal_name")
    def supplier(self, obj: CommercialTerms):
        return obj.proposal.supplier

    @admin.display(description="RFP", ordering="proposal__rfp__reference")
    def rfp_reference(self, obj: CommercialTerms) -> str:
        return obj.proposal.rfp.reference

    def get_fields(self, request, obj=None):
        if obj is not None and _terms_visible(request, obj.proposal):
            return ["proposal", *SEALED_FIELDS]
        return ["proposal", "sealed"]

    def get_readonly_fields(self, request, obj=None):
        return ["proposal", *SEALED_FIELDS, "sealed"]

    def changelist_view(self, request, extra_context=None):
        return _rendered_for(request, super().changelist_view, extra_context)

    @admin.display(description="commercial terms")
    def terms(self, obj: CommercialTerms) -> str:
        if _terms_visible(_viewing.get(), obj.proposal):
            return (
                f"unit {money(obj.unit_price_usd)}, total {money(obj.total_price_usd)}, valid "
                f"{quantity(obj.price_validity_days, 'day|days', whole=True)}, {obj.payment_terms}, {obj.incoterms}"
            )
        return _sealed_until(obj.proposal)

    @admin.display(description="commercial terms")
    def sealed(self, obj: CommercialTerms) -> str:
        return _sealed_notice(_viewing.get(), obj.proposal)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return _rendered_for(request, super().changeform_view, object_id, form_url, extra_context)


class SectorDetailsAdmin(ReadOnlyPanelMixin, admin.ModelAdmin):
    """A proposal's typed answers, the supplier's: one row, made with the proposal, read-only here."""

    search_fields = [f"proposal__{name}" for name in PROPOSAL_SEARCH_FIELDS]
    list_select_related = ["proposal__supplier", "proposal__rfp"]

    @admin.display(description="supplier", ordering="proposal__supplier__legal_name")
    def supplier(self, obj):
        return obj.proposal.supplier

    @admin.display(description="status", ordering="proposal__status")
    def proposal_status(self, obj) -> str:
        return obj.proposal.get_status_display()


@admin.register(DatacenterDetails)
class DatacenterDetailsAdmin(SectorDetailsAdmin):
    list_display = [
        "proposal",
        "supplier",
        "proposal_status",
        "rack_power_density_kw",
        "cooling_type",
        "cooling_capacity_kw",
        "power_per_unit_kw",
        "annual_units",
    ]
    list_filter = ["cooling_type", "proposal__status", "proposal__rfp"]


@admin.register(ElectronicsDetails)
class ElectronicsDetailsAdmin(SectorDetailsAdmin):
    list_display = [
        "proposal",
        "supplier",
        "proposal_status",
        "smt_lines",
        "placements_per_hour",
        "final_assembly_units_per_month",
        "ipc_class",
    ]
    list_filter = ["ipc_class", "proposal__status", "proposal__rfp"]


@admin.register(RoboticsDetails)
class RoboticsDetailsAdmin(SectorDetailsAdmin):
    list_display = [
        "proposal",
        "supplier",
        "proposal_status",
        "component_type",
        "rated_torque_nm",
        "peak_torque_nm",
        "gear_ratio",
        "power_device_technology",
        "magnet_country_of_origin",
    ]
    list_filter = ["component_type", "power_device_technology", "proposal__status", "proposal__rfp"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyPanelMixin, admin.ModelAdmin):
    list_display = ["original_name", "proposal", "kind", "content_type", "size", "uploaded_by", "uploaded_at"]
    list_filter = ["kind", "content_type", "proposal__sector"]
    search_fields = ["original_name", "sha256", "uploaded_by__email"] + [
        f"proposal__{name}" for name in PROPOSAL_SEARCH_FIELDS
    ]
    list_select_related = ["proposal", "uploaded_by"]
    date_hierarchy = "uploaded_at"
    # Not `file`: private storage has no served URL, so the panel shows what was uploaded, not a link.
    fields = ["proposal", "kind", "original_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at"]
    readonly_fields = fields

    @admin.display(description="size", ordering="size_bytes")
    def size(self, obj: Attachment) -> str:
        return filesizeformat(obj.size_bytes)


@admin.register(ProposalVersion)
class ProposalVersionAdmin(ReadOnlyPanelMixin, admin.ModelAdmin):
    list_display = ["proposal", "number", "submitted_at", "submitted_by", "sha256"]
    list_filter = ["proposal__sector", "proposal__rfp", "submitted_at"]
    search_fields = ["sha256", "submitted_by__email"] + [f"proposal__{name}" for name in PROPOSAL_SEARCH_FIELDS]
    list_select_related = ["proposal", "submitted_by"]
    date_hierarchy = "submitted_at"
    fields = ["proposal", "number", "submitted_at", "submitted_by", "sha256", "answers"]
    readonly_fields = fields

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return _rendered_for(request, super().changeform_view, object_id, form_url, extra_context)

    @admin.display(description="snapshot")
    def answers(self, obj: ProposalVersion):
        """What was submitted, with the commercial terms only under the sealing rule."""
        snapshot = dict(obj.snapshot or {})
        if "commercial_terms" in snapshot and not _terms_visible(_viewing.get(), obj.proposal):
            snapshot["commercial_terms"] = _sealed_until(obj.proposal)
        return format_html('<pre style="white-space: pre-wrap;">{}</pre>', json.dumps(snapshot, indent=2, default=str))


_CHECK_NAMES = {
    "completeness": "Completeness",
    "ein": "EIN",
    "uei": "SAM.gov UEI",
    "cage": "CAGE code",
    "naics": "NAICS codes",
    "facilities": "Facilities",
    "certifications": "Certificates",
    "screening_legal_name": "Screening: legal name",
    "screening_dba": "Screening: DBA",
}


def _check_name(code: str) -> str:
    """A check's code as the filter shows it: "Screening: sub-supplier 2" for screening_sub_supplier_2."""
    if code.startswith("screening_sub_supplier_"):
        return f"Screening: sub-supplier {code.removeprefix('screening_sub_supplier_')}"
    return _CHECK_NAMES.get(code, code.replace("_", " ").capitalize())


class CheckNameFilter(admin.SimpleListFilter):
    title = "check"
    parameter_name = "code"

    def lookups(self, request, model_admin):
        codes = ProposalCheck.objects.order_by("code").values_list("code", flat=True).distinct()
        return [(code, _check_name(code)) for code in codes]

    def queryset(self, request, queryset):
        return queryset.filter(code=self.value()) if self.value() else queryset


@admin.register(ProposalCheck)
class ProposalCheckAdmin(ReadOnlyPanelMixin, admin.ModelAdmin):
    """Made by the worker (rfp.services.proposal_run_checks) after each submit; evidence, never edited."""

    list_display = ["proposal", "version", "label", "outcome", "detail_excerpt", "created_at"]
    list_filter = ["outcome", CheckNameFilter, "proposal__sector", "proposal__rfp"]
    search_fields = ["label", "detail"] + [f"proposal__{name}" for name in PROPOSAL_SEARCH_FIELDS]
    list_select_related = ["proposal"]
    date_hierarchy = "created_at"
    fields = ["proposal", "version", "code", "label", "outcome", "detail", "data", "created_at"]
    readonly_fields = fields

    @admin.display(description="detail")
    def detail_excerpt(self, obj: ProposalCheck) -> str:
        return _excerpt(obj.detail, 120)


@admin.register(InformationRequest)
class InformationRequestAdmin(ReadOnlyPanelMixin, admin.ModelAdmin):
    """Requests are made with rfp.services.proposal_request_information, answered by the supplier's resubmit."""

    list_display = ["proposal", "question_excerpt", "requested_by", "requested_at", "answered", "responded_at"]
    list_filter = ["requested_at", "responded_at", "proposal__sector", "proposal__status"]
    search_fields = ["question", "response", "requested_by__email"] + [
        f"proposal__{name}" for name in PROPOSAL_SEARCH_FIELDS
    ]
    list_select_related = ["proposal", "requested_by"]
    date_hierarchy = "requested_at"
    fields = ["proposal", "question", ("requested_by", "requested_at"), "response", ("responded_by", "responded_at")]
    readonly_fields = [
        "proposal",
        "question",
        "requested_by",
        "requested_at",
        "response",
        "responded_by",
        "responded_at",
    ]

    @admin.display(description="question", ordering="question")
    def question_excerpt(self, obj: InformationRequest) -> str:
        return _excerpt(obj.question)

    @admin.display(description="answered", boolean=True, ordering="responded_at")
    def answered(self, obj: InformationRequest) -> bool:
        return obj.responded_at is not None


# --- Reviewers, rubrics, reviews -------------------------------------------------------------------------------


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(AuditedModelAdmin):
    list_display = ["user", "user_email", "sector_list", "max_open_assignments", "open_assignments", "is_active"]
    list_filter = ["is_active", "sectors"]
    search_fields = ["user__email", "user__full_name"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["sectors"]

    def get_queryset(self, request):
        open_assignments = Count(
            "user__review_assignments", filter=Q(user__review_assignments__status=AssignmentStatus.ASSIGNED)
        )
        return super().get_queryset(request).annotate(_open=open_assignments).prefetch_related("sectors")

    @admin.display(description="email", ordering="user__email")
    def user_email(self, obj: ReviewerProfile) -> str:
        return obj.user.email

    @admin.display(description="sectors")
    def sector_list(self, obj: ReviewerProfile) -> str:
        return ", ".join(sector.abbreviation for sector in obj.sectors.all())

    @admin.display(description="open assignments", ordering="_open")
    def open_assignments(self, obj: ReviewerProfile) -> int:
        return obj._open


@admin.register(ReviewerConflict)
class ReviewerConflictAdmin(AuditedModelAdmin):
    list_display = ["reviewer", "supplier", "reason_excerpt", "declared_at"]
    search_fields = [
        "reviewer__email",
        "reviewer__full_name",
        "supplier__legal_name",
        "supplier__ein",
        "supplier__uei",
        "supplier__cage",
    ]
    list_select_related = ["reviewer", "supplier"]
    autocomplete_fields = ["reviewer", "supplier"]
    date_hierarchy = "declared_at"
    readonly_fields = ["declared_at"]

    @admin.display(description="reason")
    def reason_excerpt(self, obj: ReviewerConflict) -> str:
        return _excerpt(obj.reason)


class CriterionInline(admin.TabularInline):
    model = Criterion
    form = CriterionForm
    fields = ["position", "code", "name", "weight", "max_score", "guidance"]
    extra = 0


@admin.register(Rubric)
class RubricAdmin(AuditedModelAdmin):
    list_display = ["name", "sector", "rfp", "criterion_count", "total_weight"]
    list_filter = ["sector", "rfp"]
    search_fields = ["name", "rfp__reference"]
    list_select_related = ["sector", "rfp"]
    inlines = [CriterionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_criteria=Count("criteria"), _weight=Sum("criteria__weight"))

    @admin.display(description="criteria", ordering="_criteria")
    def criterion_count(self, obj: Rubric) -> int:
        return obj._criteria

    @admin.display(description="total weight", ordering="_weight")
    def total_weight(self, obj: Rubric):
        return obj._weight


@admin.register(Criterion)
class CriterionAdmin(AuditedModelAdmin):
    form = CriterionForm
    list_display = ["name", "code", "rubric", "weight", "max_score", "position"]
    list_filter = ["rubric__sector", "rubric"]
    search_fields = ["name", "code", "rubric__name"]
    list_select_related = ["rubric"]


class ReviewInline(ReadOnlyPanelMixin, admin.StackedInline):
    model = Review
    fields = [("recommendation", "weighted_score", "submitted_at"), "rubric", "comments"]
    readonly_fields = ["recommendation", "weighted_score", "submitted_at", "rubric", "comments"]
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("rubric", "assignment__proposal", "assignment__reviewer")


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(AuditedModelAdmin):
    list_display = [
        "proposal",
        "supplier",
        "reviewer",
        "status",
        "assigned_at",
        "due_local",
        "conflict_declaration",
        "released_at",
    ]
    list_filter = ["status", "conflict_declaration", "proposal__sector", "proposal__rfp", "due_at"]
    search_fields = ["reviewer__email", "reviewer__full_name"] + [
        f"proposal__{name}" for name in PROPOSAL_SEARCH_FIELDS
    ]
    list_select_related = ["proposal__supplier", "proposal__rfp", "reviewer"]
    date_hierarchy = "assigned_at"
    autocomplete_fields = ["proposal", "reviewer"]
    form = DueDateForm
    fields = [
        ("proposal", "reviewer"),
        ("status", "assigned_at", "released_at"),
        ("due_at", "due_at_occurrence"),
        ("conflict_declaration", "conflict_declared_at"),
        "conflict_note",
    ]
    # Only the due date is the lead's to change here; who reviews what is the assignment service's business.
    readonly_fields = [
        "proposal",
        "reviewer",
        "status",
        "assigned_at",
        "released_at",
        "conflict_declaration",
        "conflict_declared_at",
        "conflict_note",
    ]
    inlines = [ReviewInline]

    @admin.display(description="supplier", ordering="proposal__supplier__legal_name")
    def supplier(self, obj: ReviewAssignment):
        return obj.proposal.supplier

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="due at (round's zone)", ordering="due_at")
    def due_local(self, obj: ReviewAssignment) -> str:
        return _local_or_dash(obj.due_at, obj.proposal.rfp)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("proposal__rfp")

    def save_model(self, request, obj, form, change):
        services.assignment_change_due_date(assignment=obj, due_at=obj.due_at, actor=request.user)


class ScoreInline(ReadOnlyInline):
    model = Score
    fields = ["criterion", "value", "max_score", "comment"]
    readonly_fields = fields
    show_change_link = False

    @admin.display(description="out of")
    def max_score(self, obj: Score) -> int:
        return obj.criterion.max_score

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("criterion")


@admin.register(Review)
class ReviewAdmin(ReadOnlyPanelMixin, admin.ModelAdmin):
    list_display = [
        "proposal_reference",
        "supplier",
        "reviewer",
        "recommendation",
        "weighted_score",
        "rubric",
        "submitted_at",
    ]
    list_filter = ["recommendation", "assignment__proposal__sector", "assignment__proposal__rfp", "submitted_at"]
    search_fields = ["assignment__reviewer__email", "assignment__reviewer__full_name", "comments"] + [
        f"assignment__proposal__{name}" for name in PROPOSAL_SEARCH_FIELDS
    ]
    list_select_related = ["assignment__proposal__supplier", "assignment__reviewer", "rubric"]
    date_hierarchy = "submitted_at"
    fields = ["assignment", "rubric", ("recommendation", "weighted_score", "submitted_at"), "comments"]
    readonly_fields = ["assignment", "rubric", "recommendation", "weighted_score", "submitted_at", "comments"]
    inlines = [ScoreInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("assignment__proposal__supplier", "assignment__reviewer", "rubric")
        )

    @admin.display(description="proposal", ordering="assignment__proposal__reference")
    def proposal_reference(self, obj: Review) -> str:
        return obj.assignment.proposal.reference

    @admin.display(description="supplier", ordering="assignment__proposal__supplier__legal_name")
    def supplier(self, obj: Review):
        return obj.assignment.proposal.supplier

    @admin.display(description="reviewer", ordering="assignment__reviewer__email")
    def reviewer(self, obj: Review):
        return obj.assignment.reviewer


@admin.register(Score)
class ScoreAdmin(ReadOnlyPanelMixin, admin.ModelAdmin):
    list_display = ["proposal_reference", "reviewer", "criterion_name", "value", "out_of"]
    list_filter = ["criterion__rubric__sector", "criterion__rubric"]
    search_fields = ["criterion__name", "comment", "review__assignment__reviewer__email"] + [
        f"review__assignment__proposal__{name}" for name in PROPOSAL_SEARCH_FIELDS
    ]
    list_select_related = ["review__assignment__proposal", "review__assignment__reviewer", "criterion"]
    fields = ["review", "criterion", "value", "comment"]
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("review__assignment__proposal", "review__assignment__reviewer", "criterion")
        )

    @admin.display(description="proposal", ordering="review__assignment__proposal__reference")
    def proposal_reference(self, obj: Score) -> str:
        return obj.review.assignment.proposal.reference

    @admin.display(description="reviewer", ordering="review__assignment__reviewer__email")
    def reviewer(self, obj: Score):
        return obj.review.assignment.reviewer

    @admin.display(description="criterion", ordering="criterion__name")
    def criterion_name(self, obj: Score) -> str:
        return obj.criterion.name

    @admin.display(description="out of", ordering="criterion__max_score")
    def out_of(self, obj: Score) -> int:
        return obj.criterion.max_score


@admin.register(Decision)
class DecisionAdmin(ReadOnlyPanelMixin, admin.ModelAdmin):
    """Decisions are made with rfp.services.proposal_decide; the record is read-only."""

    list_display = ["proposal", "supplier", "outcome", "decided_by", "decided_at"]
    list_filter = ["outcome", "proposal__sector", "proposal__rfp", "decided_at"]
    search_fields = ["rationale", "decided_by__email"] + [f"proposal__{name}" for name in PROPOSAL_SEARCH_FIELDS]
    list_select_related = ["proposal__supplier", "decided_by"]
    date_hierarchy = "decided_at"
    fields = ["proposal", "outcome", "rationale", "internal_note", "decided_by", "decided_at"]
    readonly_fields = fields

    @admin.display(description="supplier", ordering="proposal__supplier__legal_name")
    def supplier(self, obj: Decision):
        return obj.proposal.supplier

"""The supplier's proposals through the API: start, edit while a draft (or when reviewers ask for more), submit,
withdraw, answer a request for information, and read the status, the receipts and the reviewers' questions.

The answers are checked by the portal's step forms and saved by rfp.services.proposal_update, as the portal's
steps do; each change of status is the service the portal calls. Another company's proposal is a 404.
"""

import copy

from django.core.exceptions import ValidationError as FormErrors
from django.utils import timezone
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from api.access import supplier_access
from api.validation import required_messages, text_limits_from, validated_form
from operations.rest import ApiView
from rfp import services
from rfp.enums import (
    CoolingType,
    DecisionOutcome,
    IpcClass,
    PowerDeviceTechnology,
    ProposalStatus,
    RoboticsComponent,
)
from rfp.forms import (
    DETAIL_FORMS,
    AsksForm,
    CapacityForm,
    CommercialTermsForm,
    InformationResponseForm,
    OverviewForm,
    ProposalStartForm,
    RoboticsDetailsForm,
    WithdrawForm,
)
from rfp.models import SECTOR_DETAIL_MODELS, CommercialTerms, Proposal
from rfp.selectors import (
    proposal_decision,
    proposal_for_supplier,
    proposal_information_requests,
    proposal_list_for_supplier,
    proposal_missing_answers,
    proposal_open_information_request,
    proposal_receipt,
    proposal_sector_details,
    proposal_unacknowledged_addenda,
    proposal_version_for_supplier,
    proposal_version_list,
    rfp_list_open,
)
from suppliers.selectors import facility_list_for_supplier

TAGS = ("proposals",)


def _decimal(**options) -> serializers.DecimalField:
    # Ranges and digits are checked by the portal's forms, with their messages; here a decimal is only a number.
    return serializers.DecimalField(max_digits=None, decimal_places=None, **options)


# --- Output ----------------------------------------------------------------------------------------------------------


class ProposalSummaryOutput(serializers.Serializer):
    reference = serializers.CharField()
    rfp = serializers.CharField(source="rfp.reference")
    sector = serializers.CharField(source="sector.code")
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=ProposalStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    version = serializers.IntegerField(help_text="Number of the latest submitted version; 0 before the first.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)


class ProposalOutput(ProposalSummaryOutput):
    categories = serializers.SerializerMethodField(help_text="Category codes of the proposal's sector.")
    technical_narrative = serializers.CharField()
    facilities = serializers.SerializerMethodField(help_text="Ids of the company's facilities named.")
    current_annual_capacity_units = serializers.IntegerField(allow_null=True)
    annual_capacity_units = serializers.IntegerField(allow_null=True)
    capacity_ramp = serializers.CharField()
    lead_time_weeks = serializers.IntegerField(allow_null=True)
    site_power_mw = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    domestic_content_pct = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    countries_of_origin = serializers.ListField(child=serializers.CharField())
    sub_suppliers = serializers.ListField(child=serializers.CharField())
    electricians = serializers.IntegerField()
    machinists = serializers.IntegerField()
    technicians = serializers.IntegerField()
    assemblers = serializers.IntegerField()
    engineers = serializers.IntegerField()
    asks_offtake_units = serializers.IntegerField(allow_null=True)
    asks_co_investment_usd = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    asks_prepayment_pct = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    asks_notes = serializers.CharField()
    withdrawn_at = serializers.DateTimeField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)

    def get_categories(self, proposal) -> list[str]:
        return [category.code for category in proposal.categories.all()]

    def get_facilities(self, proposal) -> list[int]:
        return [facility.pk for facility in proposal.facilities.all()]


class ReceiptAttachmentOutput(serializers.Serializer):
    name = serializers.CharField()
    kind = serializers.CharField()
    size_bytes = serializers.IntegerField()
    sha256 = serializers.CharField()


class ReceiptOutput(serializers.Serializer):
    """What the supplier keeps for a submitted version, built from its immutable snapshot."""

    reference = serializers.CharField()
    title = serializers.CharField()
    supplier_name = serializers.CharField()
    rfp_reference = serializers.CharField()
    version = serializers.IntegerField()
    sha256 = serializers.CharField(help_text="SHA-256 of the submitted content.")
    submitted_at = serializers.DateTimeField()
    submitted_at_local_text = serializers.CharField()
    time_zone = serializers.CharField()
    submitted_by = serializers.CharField()
    attachments = ReceiptAttachmentOutput(many=True)


# --- The company's proposals, and starting one -----------------------------------------------------------------------


class ProposalListApi(ApiView):
    """The company's proposals, in every round and status."""

    tags = TAGS
    output_many = True
    OutputSerializer = ProposalSummaryOutput

    def get(self, request):
        access = supplier_access(request)
        proposals = proposal_list_for_supplier(supplier=access.supplier)
        return Response(self.OutputSerializer(proposals, many=True).data)


class ProposalCreateApi(ApiView):
    """Start a draft for one sector of an open round (one proposal per sector and round)."""

    tags = TAGS
    creates = True
    OutputSerializer = ProposalOutput

    @text_limits_from(ProposalStartForm)
    class InputSerializer(serializers.Serializer):
        rfp = serializers.CharField(help_text="The round's reference, e.g. AI-INFRA-2026.")
        sector = serializers.CharField(help_text="The sector's code: datacenter, consumer-electronics or robotics.")
        title = serializers.CharField(error_messages=required_messages(ProposalStartForm, "title"))

    def post(self, request):
        access = supplier_access(request, editor=True)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        rounds = {rfp.reference: rfp for rfp in rfp_list_open(now=timezone.now())}
        choices = [(f"{rfp.reference}|{sector.code}", "") for rfp in rounds.values() for sector in rfp.sectors.all()]
        form = validated_form(
            ProposalStartForm,
            changes={"choice": f"{data['rfp']}|{data['sector']}", "title": data["title"]},
            choices=choices,
            rename={"choice": "sector"},
        )
        rfp_reference, sector_code = form.cleaned_data["choice"].split("|", 1)
        rfp = rounds[rfp_reference]
        sector = next(sector for sector in rfp.sectors.all() if sector.code == sector_code)
        proposal = services.proposal_create(
            rfp=rfp, supplier=access.supplier, sector=sector, actor=request.user, title=form.cleaned_data["title"]
        )
        return Response(self.OutputSerializer(proposal).data, status=status.HTTP_201_CREATED)


class ProposalDetailApi(ApiView):
    """One proposal of the company, with its answers."""

    tags = TAGS
    OutputSerializer = ProposalOutput

    def get(self, request, reference: str):
        access = supplier_access(request)
        proposal = proposal_for_supplier(supplier=access.supplier, reference=reference)
        return Response(self.OutputSerializer(proposal).data)


# Which of the portal's step forms checks each answer of the proposal itself.
_OVERVIEW = frozenset(OverviewForm._meta.fields)
_CAPACITY = frozenset(CapacityForm._meta.fields) | {"countries_of_origin", "sub_suppliers"}
_ASKS = frozenset(AsksForm._meta.fields)


def _category_codes(form) -> None:
    form.fields["categories"].to_field_name = "code"


class ProposalUpdateApi(ApiView):
    """Change a draft before the deadline, or a proposal whose reviewers asked for more information. Send only
    the answers that change; the checks and messages are those of the portal's steps."""

    tags = TAGS
    OutputSerializer = ProposalOutput

    @text_limits_from(OverviewForm, CapacityForm, AsksForm)
    class InputSerializer(serializers.Serializer):
        title = serializers.CharField(required=False, allow_blank=True)
        technical_narrative = serializers.CharField(required=False, allow_blank=True)
        categories = serializers.ListField(
            child=serializers.CharField(), required=False, help_text="Category codes of the proposal's sector."
        )
        facilities = serializers.ListField(
            child=serializers.IntegerField(), required=False, help_text="Ids of your company's facilities."
        )
        current_annual_capacity_units = serializers.IntegerField(required=False, allow_null=True)
        annual_capacity_units = serializers.IntegerField(required=False, allow_null=True)
        capacity_ramp = serializers.CharField(required=False, allow_blank=True)
        lead_time_weeks = serializers.IntegerField(required=False, allow_null=True)
        site_power_mw = _decimal(required=False, allow_null=True)
        domestic_content_pct = _decimal(required=False, allow_null=True)
        countries_of_origin = serializers.ListField(
            child=serializers.CharField(), required=False, help_text="ISO 3166 alpha-2 codes, e.g. MX, JP."
        )
        sub_suppliers = serializers.ListField(child=serializers.CharField(), required=False)
        electricians = serializers.IntegerField(required=False)
        machinists = serializers.IntegerField(required=False)
        technicians = serializers.IntegerField(required=False)
        assemblers = serializers.IntegerField(required=False)
        engineers = serializers.IntegerField(required=False)
        asks_offtake_units = serializers.IntegerField(required=False, allow_null=True)
        asks_co_investment_usd = _decimal(required=False, allow_null=True)
        asks_prepayment_pct = _decimal(required=False, allow_null=True)
        asks_notes = serializers.CharField(required=False, allow_blank=True)

    def patch(self, request, reference: str):
        access = supplier_access(request, editor=True)
        proposal = proposal_for_supplier(supplier=access.supplier, reference=reference)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = serializer.validated_data
        fields, categories, facilities, errors = {}, None, None, {}
        steps = (
            (OverviewForm, _OVERVIEW, {"sector": proposal.sector, "adjust": _category_codes}),
            (CapacityForm, _CAPACITY, {"facilities": facility_list_for_supplier(supplier=access.supplier)}),
            (AsksForm, _ASKS, {}),
        )
        for form_class, names, options in steps:
            touched = {name: value for name, value in changes.items() if name in names}
            if not touched:
                continue
            try:
                # Each form works on a copy: a refused change leaves the proposal as stored.
                form = validated_form(form_class, changes=touched, instance=copy.copy(proposal), **options)
            except FormErrors as error:
                errors.update(error.message_dict)
                continue
            for name in touched:
                if name == "categories":
                    categories = list(form.cleaned_data["categories"])
                elif name == "facilities":
                    facilities = list(form.cleaned_data["facilities"])
                else:
                    fields[name] = form.cleaned_data[name]
        if errors:
            raise FormErrors(errors)
        proposal = services.proposal_update(
            proposal=proposal, actor=request.user, fields=fields, categories=categories, facilities=facilities
        )
        return Response(self.OutputSerializer(proposal).data)


# --- The sector's own questions ----------------------------------------------------------------------------------


def _sector_field(code: str, **options) -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=[code], help_text="The proposal's sector; it picks the set of answers.", **options
    )


class DatacenterDetailsOutput(serializers.Serializer):
    sector = _sector_field("datacenter", source="proposal.sector.code")
    rack_power_density_kw = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)
    cooling_type = serializers.ChoiceField(choices=CoolingType.choices, allow_blank=True)
    cooling_capacity_kw = serializers.DecimalField(max_digits=7, decimal_places=1, allow_null=True)
    power_per_unit_kw = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    annual_units = serializers.IntegerField(allow_null=True)


class ElectronicsDetailsOutput(serializers.Serializer):
    sector = _sector_field("consumer-electronics", source="proposal.sector.code")
    smt_lines = serializers.IntegerField(allow_null=True)
    placements_per_hour = serializers.IntegerField(allow_null=True)
    final_assembly_units_per_month = serializers.IntegerField(allow_null=True)
    ipc_class = serializers.ChoiceField(choices=IpcClass.choices, allow_null=True)


class RoboticsDetailsOutput(serializers.Serializer):
    sector = _sector_field("robotics", source="proposal.sector.code")
    component_type = serializers.ChoiceField(choices=RoboticsComponent.choices, allow_blank=True)
    rated_torque_nm = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True)
    peak_torque_nm = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True)
    gear_ratio = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    power_device_technology = serializers.ChoiceField(choices=PowerDeviceTechnology.choices, allow_blank=True)
    magnet_country_of_origin = serializers.CharField()


class DatacenterDetailsInput(serializers.Serializer):
    sector = _sector_field("datacenter")
    rack_power_density_kw = _decimal(required=False, allow_null=True)
    cooling_type = serializers.ChoiceField(choices=CoolingType.choices, required=False, allow_blank=True)
    cooling_capacity_kw = _decimal(required=False, allow_null=True)
    power_per_unit_kw = _decimal(required=False, allow_null=True)
    annual_units = serializers.IntegerField(required=False, allow_null=True)


class ElectronicsDetailsInput(serializers.Serializer):
    sector = _sector_field("consumer-electronics")
    smt_lines = serializers.IntegerField(required=False, allow_null=True)
    placements_per_hour = serializers.IntegerField(required=False, allow_null=True)
    final_assembly_units_per_month = serializers.IntegerField(required=False, allow_null=True)
    ipc_class = serializers.ChoiceField(choices=IpcClass.choices, required=False, allow_null=True)


@text_limits_from(RoboticsDetailsForm)
class RoboticsDetailsInput(serializers.Serializer):
    sector = _sector_field("robotics")
    component_type = serializers.ChoiceField(choices=RoboticsComponent.choices, required=False, allow_blank=True)
    rated_torque_nm = _decimal(required=False, allow_null=True)
    peak_torque_nm = _decimal(required=False, allow_null=True)
    gear_ratio = _decimal(required=False, allow_null=True)
    power_device_technology = serializers.ChoiceField(
        choices=PowerDeviceTechnology.choices, required=False, allow_blank=True
    )
    magnet_country_of_origin = serializers.CharField(required=False, allow_blank=True)


SECTOR_DETAILS_OUTPUT = {
    "datacenter": DatacenterDetailsOutput,
    "consumer-electronics": ElectronicsDetailsOutput,
    "robotics": RoboticsDetailsOutput,
}
SECTOR_DETAILS_INPUT = {
    "datacenter": DatacenterDetailsInput,
    "consumer-electronics": ElectronicsDetailsInput,
    "robotics": RoboticsDetailsInput,
}
SectorDetailsOutput = PolymorphicProxySerializer(
    component_name="SectorDetails", serializers=SECTOR_DETAILS_OUTPUT, resource_type_field_name="sector"
)
SectorDetailsInput = PolymorphicProxySerializer(
    component_name="SectorDetailsInput", serializers=SECTOR_DETAILS_INPUT, resource_type_field_name="sector"
)


def _sector_details_data(proposal: Proposal) -> dict:
    details = proposal_sector_details(proposal=proposal) or SECTOR_DETAIL_MODELS[proposal.sector.code](
        proposal=proposal
    )
    return SECTOR_DETAILS_OUTPUT[proposal.sector.code](details).data


class SectorDetailsApi(ApiView):
    """The answers to the proposal's own sector questions; `sector` says which set they are."""

    tags = TAGS

    @extend_schema(responses={200: SectorDetailsOutput})
    def get(self, request, reference: str):
        access = supplier_access(request)
        proposal = proposal_for_supplier(supplier=access.supplier, reference=reference)
        return Response(_sector_details_data(proposal))


class SectorDetailsUpdateApi(ApiView):
    """Change some of the sector answers; send `sector` (the proposal's) and the answers that change."""

    tags = TAGS

    @extend_schema(request=SectorDetailsInput, responses={200: SectorDetailsOutput})
    def patch(self, request, reference: str):
        access = supplier_access(request, editor=True)
        proposal = proposal_for_supplier(supplier=access.supplier, reference=reference)
        code = proposal.sector.code
        sent = getattr(request.data, "get", lambda name: None)("sector")
        if sent != code:
            message = f"Proposal {proposal.reference} is a {proposal.sector.name} proposal: send sector “{code}”."
            raise ValidationError({"sector": [message]})
        serializer = SECTOR_DETAILS_INPUT[code](data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = {name: value for name, value in serializer.validated_data.items() if name != "sector"}
        model = SECTOR_DETAIL_MODELS[code]
        details = proposal_sector_details(proposal=proposal) or model(proposal=proposal)
        form = validated_form(DETAIL_FORMS[model], changes=changes, instance=copy.copy(details))
        proposal = services.proposal_update(proposal=proposal, actor=request.user, sector_answers=form.cleaned_data)
        return Response(_sector_details_data(proposal))


# --- Commercial terms (kept apart: reviewers never see them before the round closes) -------------------------------


class CommercialTermsOutput(serializers.Serializer):
    unit_price_usd = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    total_price_usd = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    price_validity_days = serializers.IntegerField(allow_null=True)
    payment_terms = serializers.CharField()
    incoterms = serializers.CharField()
    notes = serializers.CharField()


def _terms(proposal: Proposal) -> CommercialTerms:
    return CommercialTerms.objects.filter(proposal=proposal).first() or CommercialTerms(proposal=proposal)


class CommercialTermsApi(ApiView):
    """The proposal's commercial terms (prices, payment terms, Incoterms)."""

    tags = TAGS
    OutputSerializer = CommercialTermsOutput

    def get(self, request, reference: str):
        access = supplier_access(request)
        proposal = proposal_for_supplier(supplier=access.supplier, reference=reference)
        return Response(self.OutputSerializer(_terms(proposal)).data)


class CommercialTermsUpdateApi(ApiView):
    """Change the commercial terms; send only what changes."""

    tags = TAGS
    OutputSerializer = CommercialTermsOutput

    @text_limits_from(CommercialTermsForm)
    class InputSerializer(serializers.Serializer):
        unit_price_usd = _decimal(required=False, allow_null=True)
        total_price_usd = _decimal(required=False, allow_null=True)
        price_validity_days = serializers.IntegerField(required=False, allow_null=True)
        payment_terms = serializers.CharField(required=False, allow_blank=True)
        incoterms = serializers.CharField(required=False, allow_blank=True)
        notes = serializers.CharField(required=False, allow_blank=True)

    def patch(self, request, reference: str):
        access = supplier_access(request, editor=True)
        proposal = proposal_for_supplier(supplier=access.supplier, reference=reference)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        form = validated_form(
            CommercialTermsForm, changes=serializer.validated_data, instance=copy.copy(_terms(proposal))
        )
        proposal = services.proposal_update(proposal=proposal, actor=request.user, commercial_terms=form.cleaned_data)
        return Response(self.OutputSerializer(_terms(proposal)).data)


# --- Status, submit, withdraw, answer ------------------------------------------------------------------------------


class InformationRequestOutput(serializers.Serializer):
    id = serializers.IntegerField()
    question = serializers.CharField()
    requested_at = serializers.DateTimeField()
    response = serializers.CharField()
    responded_at = serializers.DateTimeField(allow_null=True)


class DecisionOutput(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=DecisionOutcome.choices)
    rationale = serializers.CharField()
    decided_at = serializers.DateTimeField()


class ProposalStatusApi(ApiView):
    """Where the proposal stands: its status, what it still lacks before it can be submitted, the addenda still
    to acknowledge, the reviewers' open question and the decision."""

    tags = TAGS

    class OutputSerializer(serializers.Serializer):
        reference = serializers.CharField()
        status = serializers.ChoiceField(choices=ProposalStatus.choices)
        status_label = serializers.CharField()
        version = serializers.IntegerField()
        submitted_at = serializers.DateTimeField(allow_null=True)
        withdrawn_at = serializers.DateTimeField(allow_null=True)
        decided_at = serializers.DateTimeField(allow_null=True)
        missing_answers = serializers.ListField(child=serializers.CharField())
        unacknowledged_addenda = serializers.ListField(
            child=serializers.IntegerField(),
            help_text="Numbers of published addenda your company has not acknowledged.",
        )
        open_information_request = InformationRequestOutput(allow_null=True)
        decision = DecisionOutput(allow_null=True)

    def get(self, request, reference: str):
        access = supplier_access(request)
        proposal = proposal_for_supplier(supplier=access.supplier, reference=reference)
        data = {
            "reference": proposal.reference,
            "status": proposal.status,
            "status_label": proposal.get_status_display(),
            "version": proposal.version,
            "submitted_at": proposal.submitted_at,
            "withdrawn_at": proposal.withdrawn_at,
            "decided_at": proposal.decided_at,
            "missing_answers": proposal_missing_answers(proposal=proposal),
            "unacknowledged_addenda": [a.number for a in proposal_unacknowledged_addenda(proposal=proposal)],
            "open_information_request": proposal_open_information_request(proposal=proposal),
            "decision": proposal_decision(proposal=proposal),
        }
        return Response(self.OutputSerializer(data).data)


class ProposalSubmitApi(ApiView):
    """Submit a complete draft (or a withdrawn proposal again) before the deadline; answers with the receipt."""

    tags = TAGS
    OutputSerializer = ReceiptOutput

    @extend_schema(request=None, responses={200: ReceiptOutput})
    def post(self, request, reference: str):
        access = supplier_access(request, editor=True)
        proposal = proposal_for_supplier(supplier=access.supplier, reference=reference)
        version = services.proposal_submit_with_receipt(proposal=proposal, actor=request.user)
        return Response(self.OutputSerializer(proposal_receipt(version=version)).data)


class ProposalWithdrawApi(ApiView):
    """Withdraw the proposal from review; it can be submitted again until the deadline."""

    tags = TAGS
    OutputSerializer = ProposalSummaryOutput

    @text_limits_from(WithdrawForm)
    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(required=False, allow_blank=True, help_text="Why, optionally.")

    def post(self, request, reference: str):
        access = supplier_access(request, editor=True)
        proposal = proposal_for_supplier(supplier=access.supplier, reference=reference)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        form = validated_form(WithdrawForm, changes=serializer.validated_data)
        proposal = services.proposal_withdraw(proposal=proposal, actor=request.user, reason=form.cleaned_data["reason"])
        return Response(self.OutputSerializer(proposal).data)


class ProposalResubmitApi(ApiView):
    """Answer the reviewers' request for information: a new version, with its receipt. Works after the deadline,
    since the buyer asked."""

    tags = TAGS
    OutputSerializer = ReceiptOutput

    @text_limits_from(InformationResponseForm)
    class InputSerializer(serializers.Serializer):
        response = serializers.CharField(error_messages=required_messages(InformationResponseForm, "response"))

    def post(self, request, reference: str):
        access = supplier_access(request, editor=True)
        proposal = proposal_for_supplier(supplier=access.supplier, reference=reference)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        form = validated_form(InformationResponseForm, changes=serializer.validated_data)
        version = services.proposal_resubmit_with_receipt(
            proposal=proposal, actor=request.user, response=form.cleaned_data["response"]
        )
        return Response(self.OutputSerializer(proposal_receipt(version=version)).data)


class InformationRequestListApi(ApiView):
    """The reviewers' questions to your company, oldest first, with your answers."""

    tags = TAGS
    output_many = True
    OutputSerializer = InformationRequestOutput

    def get(self, request, reference: str):
        access = supplier_access(request)
        proposal = proposal_for_supplier(supplier=access.supplier, reference=reference)
        requests = proposal_information_requests(proposal=proposal)
        return Response(self.OutputSerializer(requests, many=True).data)


class VersionListApi(ApiView):
    """The receipts of every submitted version, newest first."""

    tags = TAGS
    output_many = True
    OutputSerializer = ReceiptOutput

    def get(self, request, reference: str):
        access = supplier_access(request)
        proposal = proposal_for_supplier(supplier=access.supplier, reference=reference)
        versions = proposal_version_list(proposal=proposal).defer(None).select_related("proposal__rfp")
        receipts = [proposal_receipt(version=version) for version in versions]
        return Response(self.OutputSerializer(receipts, many=True).data)


class VersionDetailApi(ApiView):
    """The receipt of one submitted version."""

    tags = TAGS
    OutputSerializer = ReceiptOutput

    def get(self, request, reference: str, number: int):
        access = supplier_access(request)
        proposal = proposal_for_supplier(supplier=access.supplier, reference=reference)
        version = proposal_version_for_supplier(proposal=proposal, number=number)
        return Response(self.OutputSerializer(proposal_receipt(version=version)).data)

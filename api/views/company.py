"""The supplier's company through the API: registration, profile, team and invitations, US facilities and
certificates.

Reads come from suppliers.selectors, writes go through suppliers.services after the portal's forms have checked
the input; a caller reaches only their own company, and another company's member, invitation, facility or
certificate is a 404. Owners manage the team, owners and editors change data, viewers read (a 403 that says so).
"""

import copy

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from api.access import supplier_access
from api.validation import choice_messages, required_messages, text_limits_from, validated_form
from operations.files import private_file_response
from operations.rest import DOWNLOAD_RENDERERS, ApiView, download_responses
from suppliers import selectors, services
from suppliers.enums import CertificationKind, FacilityStatus, MemberRole, UsState
from suppliers.forms import CertificationForm, FacilityForm, InvitationForm, MemberRoleForm, SupplierForm
from suppliers.models import WORKFORCE_TRADES
from suppliers.naics import naics_describe

TAGS = ("company",)
CERTIFICATE_MEDIA_TYPES = ("application/pdf", "image/png", "image/jpeg", "application/octet-stream")


# --- Profile -------------------------------------------------------------------------------------------------------


class NaicsCodeOutput(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField(allow_null=True, help_text="The NAICS 2022 title; null for an unknown code.")


class CompanyOutput(serializers.Serializer):
    id = serializers.IntegerField()
    legal_name = serializers.CharField()
    dba = serializers.CharField(help_text="Doing business as; empty when the company trades under its legal name.")
    ein = serializers.CharField()
    uei = serializers.CharField()
    cage = serializers.CharField()
    naics_codes = serializers.SerializerMethodField()
    hq_address_line1 = serializers.CharField()
    hq_address_line2 = serializers.CharField()
    hq_city = serializers.CharField()
    hq_state = serializers.ChoiceField(choices=UsState.choices)
    hq_zip = serializers.CharField()
    website = serializers.CharField()
    employee_count = serializers.IntegerField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    @extend_schema_field(NaicsCodeOutput(many=True))
    def get_naics_codes(self, supplier) -> list[dict]:
        return [{"code": code, "title": title} for code, title in naics_describe(supplier.naics_codes)]


class CompanyDetailApi(ApiView):
    """The caller's company, as its members see it."""

    tags = TAGS
    OutputSerializer = CompanyOutput

    def get(self, request):
        access = supplier_access(request)
        return Response(self.OutputSerializer(access.supplier).data)


class CompanyUpdateApi(ApiView):
    """Owners and editors correct the profile; send only the fields that change. The same checks as the portal's
    profile form apply (EIN, UEI, CAGE, NAICS 2022, ZIP code in the state), with the same messages."""

    tags = TAGS
    OutputSerializer = CompanyOutput

    @text_limits_from(SupplierForm)
    class InputSerializer(serializers.Serializer):
        legal_name = serializers.CharField(required=False, allow_blank=True)
        dba = serializers.CharField(required=False, allow_blank=True)
        ein = serializers.CharField(required=False, allow_blank=True, help_text="For example 12-3456789.")
        uei = serializers.CharField(required=False, allow_blank=True, help_text="12 characters, e.g. JF3KQ7L2M8N4.")
        cage = serializers.CharField(required=False, allow_blank=True, help_text="Five characters, e.g. 1A2B3.")
        naics_codes = serializers.ListField(
            child=serializers.CharField(), required=False, help_text="Six-digit NAICS 2022 codes, e.g. 334111."
        )
        hq_address_line1 = serializers.CharField(required=False, allow_blank=True)
        hq_address_line2 = serializers.CharField(required=False, allow_blank=True)
        hq_city = serializers.CharField(required=False, allow_blank=True)
        hq_state = serializers.ChoiceField(choices=UsState.choices, required=False)
        hq_zip = serializers.CharField(required=False, allow_blank=True)
        website = serializers.CharField(required=False, allow_blank=True)
        employee_count = serializers.IntegerField(required=False, allow_null=True)

    def patch(self, request):
        access = supplier_access(request, editor=True)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        if "naics_codes" in changes:
            changes["naics_codes"] = ", ".join(changes["naics_codes"])
        form = validated_form(SupplierForm, changes=changes, supplier=access.supplier)
        supplier = services.supplier_update(supplier=access.supplier, actor=request.user, data=form.cleaned_data)
        return Response(self.OutputSerializer(supplier).data)


def _required(name: str) -> serializers.CharField:
    return serializers.CharField(error_messages=required_messages(SupplierForm, name))


class CompanyRegisterApi(ApiView):
    """Register your company and become its first owner; for someone who belongs to no company yet (a person
    belongs to one company only). The portal's registration checks apply, with the same messages; a company whose
    EIN, UEI or CAGE code is already registered is refused with how to join it instead."""

    tags = TAGS
    creates = True
    OutputSerializer = CompanyOutput

    @text_limits_from(SupplierForm)
    class InputSerializer(CompanyUpdateApi.InputSerializer):
        legal_name = _required("legal_name")
        ein = _required("ein")
        uei = _required("uei")
        naics_codes = serializers.ListField(
            child=serializers.CharField(),
            error_messages=required_messages(SupplierForm, "naics_codes"),
            help_text="Six-digit NAICS 2022 codes, e.g. 334111.",
        )
        hq_address_line1 = _required("hq_address_line1")
        hq_city = _required("hq_city")
        hq_state = serializers.ChoiceField(
            choices=UsState.choices, error_messages=choice_messages(SupplierForm, "hq_state")
        )
        hq_zip = _required("hq_zip")

    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = {**serializer.validated_data, "naics_codes": ", ".join(serializer.validated_data["naics_codes"])}
        form = validated_form(SupplierForm, changes=changes)
        supplier = services.supplier_register(actor=request.user, data=form.cleaned_data)
        return Response(self.OutputSerializer(supplier).data, status=status.HTTP_201_CREATED)


# --- Team and invitations ------------------------------------------------------------------------------------------


class MemberListApi(ApiView):
    """The company's team: owners first, then editors, then viewers."""

    tags = TAGS
    output_many = True

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        email = serializers.EmailField(source="user.email")
        full_name = serializers.CharField(source="user.full_name")
        role = serializers.ChoiceField(choices=MemberRole.choices)
        joined_at = serializers.DateTimeField()

    def get(self, request):
        access = supplier_access(request)
        members = selectors.member_list_for_supplier(supplier=access.supplier)
        return Response(self.OutputSerializer(members, many=True).data)


class MemberDetailApi(ApiView):
    """One member of the company's team, with their role."""

    tags = TAGS
    OutputSerializer = MemberListApi.OutputSerializer

    def get(self, request, member_id: int):
        access = supplier_access(request)
        member = selectors.member_for_supplier(supplier=access.supplier, pk=member_id)
        return Response(self.OutputSerializer(member).data)


class MemberRoleUpdateApi(ApiView):
    """Owners change a member's role (their own too); the company always keeps at least one owner."""

    tags = TAGS
    OutputSerializer = MemberListApi.OutputSerializer

    class InputSerializer(serializers.Serializer):
        role = serializers.ChoiceField(
            choices=MemberRole.choices, error_messages=choice_messages(MemberRoleForm, "role")
        )

    def patch(self, request, member_id: int):
        access = supplier_access(request, owner=True)
        member = selectors.member_for_supplier(supplier=access.supplier, pk=member_id)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        form = validated_form(MemberRoleForm, changes=serializer.validated_data)
        member = services.member_change_role(member=member, actor=request.user, role=form.cleaned_data["role"])
        return Response(self.OutputSerializer(member).data)


class MemberRemoveApi(ApiView):
    """Owners remove a member from the team (themselves too, to leave it), except the company's only owner."""

    tags = TAGS

    @extend_schema(responses={204: None})
    def delete(self, request, member_id: int):
        access = supplier_access(request, owner=True)
        member = selectors.member_for_supplier(supplier=access.supplier, pk=member_id)
        services.member_remove(member=member, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=MemberRole.choices)
    invited_by = serializers.EmailField(source="invited_by.email")
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField(help_text=f"The link works for {services.INVITATION_VALID_DAYS} days.")
    is_expired = serializers.SerializerMethodField()
    revoked_at = serializers.DateTimeField(allow_null=True)

    def get_is_expired(self, invitation) -> bool:
        return invitation.expires_at <= timezone.now()


class InvitationListApi(ApiView):
    """Invitations not yet accepted or revoked, newest first; expired ones are listed too (`is_expired`)."""

    tags = TAGS
    output_many = True
    OutputSerializer = InvitationOutput

    def get(self, request):
        access = supplier_access(request)
        invitations = selectors.invitation_list_open(supplier=access.supplier)
        return Response(self.OutputSerializer(invitations, many=True).data)


class InvitationSendApi(ApiView):
    """Owners invite a colleague by email; the email with the link to accept leaves once the invitation is saved.
    Someone already on the team, or already holding an open invitation, is refused with what to do instead."""

    tags = TAGS
    creates = True
    OutputSerializer = InvitationOutput

    @text_limits_from(InvitationForm)
    class InputSerializer(serializers.Serializer):
        email = serializers.CharField(error_messages=required_messages(InvitationForm, "email"))
        role = serializers.ChoiceField(
            choices=MemberRole.choices,
            required=False,
            error_messages=choice_messages(InvitationForm, "role"),
            help_text="Owner, editor or viewer; editor when left out.",
        )

    def post(self, request):
        access = supplier_access(request, owner=True)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        form = validated_form(InvitationForm, changes=serializer.validated_data)
        invitation = services.invitation_send(
            supplier=access.supplier,
            actor=request.user,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
        )
        return Response(self.OutputSerializer(invitation).data, status=status.HTTP_201_CREATED)


class InvitationRevokeApi(ApiView):
    """Owners revoke an open invitation; its link stops working."""

    tags = TAGS
    OutputSerializer = InvitationOutput

    @extend_schema(request=None, responses={200: InvitationOutput})
    def post(self, request, invitation_id: int):
        access = supplier_access(request, owner=True)
        invitation = selectors.invitation_for_supplier(supplier=access.supplier, pk=invitation_id)
        invitation = services.invitation_revoke(invitation=invitation, actor=request.user)
        return Response(self.OutputSerializer(invitation).data)


class InvitationAcceptApi(ApiView):
    """Join the company that invited you, with the role it chose: send the token from the invitation's link
    (/portal/invitations/<token>/). Only the address the invitation was sent to can accept it, and a person belongs
    to one company only."""

    tags = TAGS
    creates = True

    class InputSerializer(serializers.Serializer):
        token = serializers.CharField(help_text="The last part of the link in the invitation email.")

    class OutputSerializer(serializers.Serializer):
        company = serializers.CharField(source="supplier.legal_name")
        role = serializers.ChoiceField(choices=MemberRole.choices)
        joined_at = serializers.DateTimeField()

    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        member = services.invitation_accept(token=serializer.validated_data["token"], user=request.user)
        return Response(self.OutputSerializer(member).data, status=status.HTTP_201_CREATED)


# --- Facilities ----------------------------------------------------------------------------------------------------


class FacilityOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    address_line1 = serializers.CharField()
    address_line2 = serializers.CharField()
    city = serializers.CharField()
    state = serializers.ChoiceField(choices=UsState.choices)
    zip_code = serializers.CharField()
    status = serializers.ChoiceField(choices=FacilityStatus.choices)
    floor_area_sqft = serializers.IntegerField(allow_null=True)
    site_power_mw = serializers.DecimalField(max_digits=8, decimal_places=2)
    grid_operator = serializers.CharField()
    electricians = serializers.IntegerField()
    machinists = serializers.IntegerField()
    technicians = serializers.IntegerField()
    assemblers = serializers.IntegerField()
    engineers = serializers.IntegerField()
    workforce_total = serializers.IntegerField()


def _facility_input(*, creating: bool) -> type[serializers.Serializer]:
    """The facility's fields; on create the ones the portal's form requires are required, with its messages."""

    def text(name: str, required: bool = False) -> serializers.CharField:
        if required and creating:
            return serializers.CharField(error_messages=required_messages(FacilityForm, name))
        return serializers.CharField(required=False, allow_blank=True)

    fields = {
        "name": text("name", required=True),
        "address_line1": text("address_line1", required=True),
        "address_line2": text("address_line2"),
        "city": text("city", required=True),
        "state": serializers.ChoiceField(
            choices=UsState.choices,
            required=creating,
            error_messages=required_messages(FacilityForm, "state"),
        ),
        "zip_code": text("zip_code", required=True),
        "status": serializers.ChoiceField(choices=FacilityStatus.choices, required=False),
        "floor_area_sqft": serializers.IntegerField(required=False, allow_null=True),
        "site_power_mw": serializers.DecimalField(
            max_digits=None, decimal_places=None, required=False, help_text="Megawatts, e.g. 12.5."
        ),
        "grid_operator": text("grid_operator"),
        **{trade: serializers.IntegerField(required=False, help_text="Head count.") for trade in WORKFORCE_TRADES},
    }
    name = "FacilityCreateInput" if creating else "FacilityUpdateInput"
    return text_limits_from(FacilityForm)(type(name, (serializers.Serializer,), fields))


class FacilityListApi(ApiView):
    """The company's US sites, with their workforce and site power."""

    tags = TAGS
    output_many = True
    OutputSerializer = FacilityOutput

    def get(self, request):
        access = supplier_access(request)
        facilities = selectors.facility_list_for_supplier(supplier=access.supplier)
        return Response(self.OutputSerializer(facilities, many=True).data)


class FacilityCreateApi(ApiView):
    """Add a US site; its ZIP code must lie in its state."""

    tags = TAGS
    creates = True
    InputSerializer = _facility_input(creating=True)
    OutputSerializer = FacilityOutput

    def post(self, request):
        access = supplier_access(request, editor=True)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        form = validated_form(FacilityForm, changes=serializer.validated_data)
        facility = services.facility_create(supplier=access.supplier, actor=request.user, data=form.cleaned_data)
        return Response(self.OutputSerializer(facility).data, status=status.HTTP_201_CREATED)


class FacilityDetailApi(ApiView):
    """One US site of the company."""

    tags = TAGS
    OutputSerializer = FacilityOutput

    def get(self, request, facility_id: int):
        access = supplier_access(request)
        facility = selectors.facility_for_supplier(supplier=access.supplier, pk=facility_id)
        return Response(self.OutputSerializer(facility).data)


class FacilityUpdateApi(ApiView):
    """Change a site; send only the fields that change."""

    tags = TAGS
    InputSerializer = _facility_input(creating=False)
    OutputSerializer = FacilityOutput

    def patch(self, request, facility_id: int):
        access = supplier_access(request, editor=True)
        facility = selectors.facility_for_supplier(supplier=access.supplier, pk=facility_id)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # The form works on a copy: a refused change leaves the facility as stored.
        form = validated_form(FacilityForm, changes=serializer.validated_data, instance=copy.copy(facility))
        facility = services.facility_update(facility=facility, actor=request.user, data=form.cleaned_data)
        return Response(self.OutputSerializer(facility).data)


class FacilityDeleteApi(ApiView):
    """Delete a site that no submitted proposal names."""

    tags = TAGS

    @extend_schema(responses={204: None})
    def delete(self, request, facility_id: int):
        access = supplier_access(request, editor=True)
        facility = selectors.facility_for_supplier(supplier=access.supplier, pk=facility_id)
        services.facility_delete(facility=facility, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Certifications ------------------------------------------------------------------------------------------------


class CertificationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=CertificationKind.choices)
    name = serializers.CharField()
    number = serializers.CharField()
    issued_by = serializers.CharField()
    facility = serializers.IntegerField(source="facility_id", allow_null=True)
    expires_on = serializers.DateField(allow_null=True)
    is_expired = serializers.BooleanField()
    has_document = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_has_document(self, certification) -> bool:
        return bool(certification.document)


class CertificationListApi(ApiView):
    """The company's certificates, with their expiry dates."""

    tags = TAGS
    output_many = True
    OutputSerializer = CertificationOutput

    def get(self, request):
        access = supplier_access(request)
        certifications = selectors.certification_list_for_supplier(supplier=access.supplier)
        return Response(self.OutputSerializer(certifications, many=True).data)


class CertificationCreateApi(ApiView):
    """Add a certificate with its document (multipart/form-data): PDF, PNG or JPEG, checked by its content."""

    tags = TAGS
    creates = True
    parser_classes = [MultiPartParser, FormParser]
    OutputSerializer = CertificationOutput

    @text_limits_from(CertificationForm)
    class InputSerializer(serializers.Serializer):
        kind = serializers.ChoiceField(
            choices=CertificationKind.choices, error_messages=required_messages(CertificationForm, "kind")
        )
        name = serializers.CharField(required=False, allow_blank=True, help_text="What a UL or other one certifies.")
        number = serializers.CharField(required=False, allow_blank=True)
        issued_by = serializers.CharField(required=False, allow_blank=True)
        facility = serializers.IntegerField(required=False, allow_null=True, help_text="One of your facilities.")
        expires_on = serializers.DateField(required=False, allow_null=True)
        document = serializers.FileField(
            error_messages=required_messages(CertificationForm, "document"), allow_empty_file=True
        )

    def post(self, request):
        access = supplier_access(request, editor=True)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = {name: value for name, value in serializer.validated_data.items() if name != "document"}
        document = serializer.validated_data["document"]
        form = validated_form(
            CertificationForm, changes=changes, files={"document": document}, supplier=access.supplier
        )
        certification = services.certification_create(
            supplier=access.supplier, actor=request.user, data=form.cleaned_data, document=document
        )
        return Response(self.OutputSerializer(certification).data, status=status.HTTP_201_CREATED)


class CertificationDetailApi(ApiView):
    """One certificate of the company."""

    tags = TAGS
    OutputSerializer = CertificationOutput

    def get(self, request, certification_id: int):
        access = supplier_access(request)
        certification = selectors.certification_for_supplier(supplier=access.supplier, pk=certification_id)
        return Response(self.OutputSerializer(certification).data)


class CertificationUpdateApi(ApiView):
    """Change a certificate; send only the fields that change. A new document (multipart/form-data) replaces the
    stored one, checked by its content like the first."""

    tags = TAGS
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    OutputSerializer = CertificationOutput

    @text_limits_from(CertificationForm)
    class InputSerializer(serializers.Serializer):
        kind = serializers.ChoiceField(
            choices=CertificationKind.choices, required=False, error_messages=choice_messages(CertificationForm, "kind")
        )
        name = serializers.CharField(required=False, allow_blank=True)
        number = serializers.CharField(required=False, allow_blank=True)
        issued_by = serializers.CharField(required=False, allow_blank=True)
        facility = serializers.IntegerField(required=False, allow_null=True, help_text="One of your facilities.")
        expires_on = serializers.DateField(required=False, allow_null=True)
        document = serializers.FileField(required=False, allow_empty_file=True)

    def patch(self, request, certification_id: int):
        access = supplier_access(request, editor=True)
        certification = selectors.certification_for_supplier(supplier=access.supplier, pk=certification_id)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = {name: value for name, value in serializer.validated_data.items() if name != "document"}
        document = serializer.validated_data.get("document")
        # The form works on a copy: a refused change leaves the certificate as stored.
        form = validated_form(
            CertificationForm,
            changes=changes,
            files={"document": document} if document is not None else None,
            instance=copy.copy(certification),
            supplier=access.supplier,
        )
        certification = services.certification_update(
            certification=certification, actor=request.user, data=form.cleaned_data, document=document
        )
        return Response(self.OutputSerializer(certification).data)


class CertificationDeleteApi(ApiView):
    """Delete a certificate and its document."""

    tags = TAGS

    @extend_schema(responses={204: None})
    def delete(self, request, certification_id: int):
        access = supplier_access(request, editor=True)
        certification = selectors.certification_for_supplier(supplier=access.supplier, pk=certification_id)
        services.certification_delete(certification=certification, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CertificationDocumentApi(ApiView):
    """The certificate's document, to the company's own members; always a download."""

    tags = TAGS
    renderer_classes = DOWNLOAD_RENDERERS

    @extend_schema(responses=download_responses(CERTIFICATE_MEDIA_TYPES))
    def get(self, request, certification_id: int):
        access = supplier_access(request)
        certification = selectors.certification_for_supplier(supplier=access.supplier, pk=certification_id)
        if not certification.document:
            raise Http404("This certificate has no document.")
        try:
            document, filename, content_type = selectors.certification_document_file(certification=certification)
        except FileNotFoundError as error:
            raise Http404("The certificate's document is missing from storage.") from error
        return private_file_response(document, filename=filename, content_type=content_type)

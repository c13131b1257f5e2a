"""A proposal's files through the API: list, upload (multipart), remove, download.

Uploads go through rfp.services.attachment_add, which checks each file by its content (suppliers.uploads), the
proposal's quota and whether its files may change now, exactly as for the portal. Downloads are for the
supplier's members, reviewers holding an open assignment on the proposal and program leads; anyone else gets a 404.
"""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.reverse import reverse

from api.access import supplier_access
from api.validation import validated_form
from operations.files import private_file_response
from operations.rest import DOWNLOAD_RENDERERS, ApiView, download_responses
from rfp import services
from rfp.enums import AttachmentKind
from rfp.forms import AttachmentUploadForm
from rfp.selectors import (
    attachment_download_name,
    attachment_for_download,
    attachment_for_supplier,
    proposal_attachment_list,
    proposal_for_supplier,
)
from suppliers.uploads import ALLOWED_TYPES

TAGS = ("proposals",)
ATTACHMENT_MEDIA_TYPES = tuple(mime for mime, _extensions in ALLOWED_TYPES.values())


class AttachmentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=AttachmentKind.choices)
    original_name = serializers.CharField()
    content_type = serializers.CharField(help_text="Found from the file's content, not its name.")
    size_bytes = serializers.IntegerField()
    sha256 = serializers.CharField()
    information_request = serializers.IntegerField(
        source="information_request_id", allow_null=True, help_text="The request for information the file answers."
    )
    uploaded_at = serializers.DateTimeField()
    download_url = serializers.SerializerMethodField()

    def get_download_url(self, attachment) -> str:
        return reverse(
            "api:attachment-download",
            args=[attachment.proposal.reference, attachment.pk],
            request=self.context.get("request"),
        )


class AttachmentListApi(ApiView):
    """The proposal's files, with their kind, type, size and SHA-256."""

    tags = TAGS
    output_many = True
    OutputSerializer = AttachmentOutput

    def get(self, request, reference: str):
        access = supplier_access(request)
        proposal = proposal_for_supplier(supplier=access.supplier, reference=reference)
        attachments = proposal_attachment_list(proposal=proposal).select_related("proposal")
        return Response(self.OutputSerializer(attachments, many=True, context={"request": request}).data)


class AttachmentUploadApi(ApiView):
    """Add a file (multipart/form-data, fields `file` and `kind`): PDF, XLSX, DOCX, PNG or JPEG, checked by its
    content, within the proposal's quota, while the proposal's files may change. When reviewers asked for more
    information, the file answers their open request."""

    tags = TAGS
    creates = True
    parser_classes = [MultiPartParser, FormParser]
    OutputSerializer = AttachmentOutput

    class InputSerializer(serializers.Serializer):
        file = serializers.FileField(allow_empty_file=True)
        kind = serializers.ChoiceField(choices=AttachmentKind.choices, default=AttachmentKind.TECHNICAL)

    def post(self, request, reference: str):
        access = supplier_access(request, editor=True)
        proposal = proposal_for_supplier(supplier=access.supplier, reference=reference)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        form = validated_form(
            AttachmentUploadForm, changes={"kind": serializer.validated_data["kind"]}, files={"file": upload}
        )
        try:
            attachment = services.attachment_add(
                proposal=proposal, actor=request.user, upload=upload, kind=form.cleaned_data["kind"]
            )
        except ValidationError as refusal:
            # The file's own faults (type, size, name) belong to the `file` field, as in the portal.
            raise ValidationError({"file": refusal.messages}) from refusal
        return Response(
            self.OutputSerializer(attachment, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class AttachmentDetailApi(ApiView):
    """One file of the proposal, described (its content is at `download/`)."""

    tags = TAGS
    OutputSerializer = AttachmentOutput

    def get(self, request, reference: str, attachment_id: int):
        access = supplier_access(request)
        attachment = attachment_for_supplier(
            supplier=access.supplier, proposal_reference=reference, attachment_id=attachment_id
        )
        return Response(self.OutputSerializer(attachment, context={"request": request}).data)


class AttachmentDeleteApi(ApiView):
    """Remove a file while the proposal's files may change (answers to the open request only, once submitted)."""

    tags = TAGS

    @extend_schema(responses={204: None})
    def delete(self, request, reference: str, attachment_id: int):
        access = supplier_access(request, editor=True)
        attachment = attachment_for_supplier(
            supplier=access.supplier, proposal_reference=reference, attachment_id=attachment_id
        )
        services.attachment_delete(attachment=attachment, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AttachmentDownloadApi(ApiView):
    """The file, always as a download (never shown as a page)."""

    tags = TAGS
    renderer_classes = DOWNLOAD_RENDERERS

    @extend_schema(responses=download_responses(ATTACHMENT_MEDIA_TYPES))
    def get(self, request, reference: str, attachment_id: int):
        attachment = attachment_for_download(
            user=request.user, proposal_reference=reference, attachment_id=attachment_id
        )
        return private_file_response(
            attachment.file,
            filename=attachment_download_name(user=request.user, attachment=attachment),
            content_type=attachment.content_type,
        )

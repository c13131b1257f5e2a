"""The proposal's files in the portal: the panel any proposal page includes, upload, removal and download."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from operations.files import private_file_response
from portal.access import member_required
from rfp import services
from rfp.enums import AttachmentKind, ProposalStatus
from rfp.exceptions import DomainError
from rfp.forms import AttachmentUploadForm
from rfp.models import Attachment, Proposal
from rfp.selectors import (
    attachment_download_name,
    attachment_for_download,
    attachment_for_supplier,
    proposal_attachment_list,
    proposal_for_supplier,
    proposal_open_information_request,
)
from suppliers.uploads import ALLOWED_TYPES

PANEL_BODY = "portal/attachments/_panel_body.html"


# "application/pdf" -> "PDF": the short name people know; the full type stays in the cell's title.
TYPE_LABELS = {mime: kind.upper() for kind, (mime, _extensions) in ALLOWED_TYPES.items()}


@dataclass(frozen=True)
class AttachmentRow:
    attachment: Attachment
    deletable: bool

    @property
    def type_label(self) -> str:
        return TYPE_LABELS.get(self.attachment.content_type, self.attachment.content_type)


def _safe_next(request) -> str | None:
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None


def _return_url(request, proposal: Proposal) -> str:
    """Where a plain (non-JavaScript) form on the panel sends the person back to."""
    if request.method == "GET":
        return request.get_full_path()
    current = request.htmx.current_url_abs_path if request.htmx else None
    if current and not url_has_allowed_host_and_scheme(current, allowed_hosts={request.get_host()}):
        current = None
    return _safe_next(request) or current or reverse("portal:attachments", args=[proposal.reference])


def attachment_panel(
    request, proposal: Proposal, *, form: AttachmentUploadForm | None = None, message: str = "", level: str = ""
) -> dict:
    """Everything the panel shows, in two queries whatever the number of files."""
    now = timezone.now()
    access = getattr(request, "access", None)
    can_edit = bool(access and access.can_edit and access.supplier.pk == proposal.supplier_id)
    open_request = (
        proposal_open_information_request(proposal=proposal)
        if proposal.status == ProposalStatus.INFO_REQUESTED
        else None
    )
    refusal = services.attachment_change_refusal(proposal=proposal, now=now, doing="add or remove files")
    rows = [
        AttachmentRow(
            attachment=attachment,
            deletable=can_edit
            and services.attachment_delete_refusal(
                attachment=attachment, proposal=proposal, now=now, open_request=open_request
            )
            is None,
        )
        for attachment in proposal_attachment_list(proposal=proposal)
    ]
    files_used = len(rows)
    max_files = settings.PROPOSAL_ATTACHMENT_MAX_FILES
    if form is None:
        initial_kind = AttachmentKind.INFORMATION_RESPONSE if open_request else AttachmentKind.TECHNICAL
        form = AttachmentUploadForm(initial={"kind": initial_kind})
    return {
        "proposal": proposal,
        "dom_id": f"attachments-{proposal.reference}",
        "rows": rows,
        "can_edit": can_edit,
        "editable": refusal is None,
        "locked_reason": refusal.message if refusal else "",
        "can_upload": can_edit and refusal is None and files_used < max_files,
        "full": files_used >= max_files,
        "open_request": open_request,
        "form": form,
        "files_used": files_used,
        "max_files": max_files,
        "bytes_used": sum(row.attachment.size_bytes for row in rows),
        "quota_bytes": settings.PROPOSAL_ATTACHMENT_QUOTA_BYTES,
        "max_bytes": settings.UPLOAD_MAX_BYTES,
        "message": message,
        "level": level,
        "next_url": _return_url(request, proposal),
    }


def _naming_the_file(name: str, reasons: list[str]) -> str:
    """A refusal always says which file it is about; most reasons already start with the file's name."""
    text = " ".join(reasons)
    shown = "".join(char for char in name if char.isprintable()) or "The file"
    return text if shown in text else f"{shown} was not added: {text}"


def _panel_response(request, proposal: Proposal, *, form=None, message: str, level: str):
    if request.htmx:
        panel = attachment_panel(request, proposal, form=form, message=message, level=level)
        return render(request, PANEL_BODY, {"panel": panel})
    (messages.success if level == "success" else messages.error)(request, message)
    return redirect(_safe_next(request) or reverse("portal:attachments", args=[proposal.reference]))


@member_required
@require_GET
def attachments(request, reference: str):
    proposal = proposal_for_supplier(supplier=request.access.supplier, reference=reference)
    return render(request, "portal/attachments/page.html", {"proposal": proposal, "now": timezone.now()})


@member_required(editor=True)
@require_POST
def attachment_upload(request, reference: str):
    proposal = proposal_for_supplier(supplier=request.access.supplier, reference=reference)
    form = AttachmentUploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            attachment = services.attachment_add(
                proposal=proposal, actor=request.user, upload=upload, kind=form.cleaned_data["kind"]
            )
        except ValidationError as refusal:
            form.add_error("file", _naming_the_file(upload.name, refusal.messages))
        except DomainError as refusal:
            form.add_error("file", _naming_the_file(upload.name, [refusal.message]))
        else:
            message = (
                f"{attachment.original_name} was added ({filesizeformat(attachment.size_bytes)}, "
                f"{attachment.get_kind_display().lower()})."
            )
            return _panel_response(request, proposal, message=message, level="success")
    errors = [error for field_errors in form.errors.values() for error in field_errors]
    return _panel_response(request, proposal, form=form, message=" ".join(errors), level="error")


@member_required(editor=True)
@require_POST
def attachment_delete(request, reference: str, attachment_id: int):
    proposal = proposal_for_supplier(supplier=request.access.supplier, reference=reference)
    attachment = attachment_for_supplier(
        supplier=request.access.supplier, proposal_reference=reference, attachment_id=attachment_id
    )
    try:
        services.attachment_delete(attachment=attachment, actor=request.user)
    except DomainError as refusal:
        proposal.refresh_from_db()
        return _panel_response(request, proposal, message=refusal.message, level="error")
    return _panel_response(request, proposal, message=f"{attachment.original_name} was removed.", level="success")


@login_required
@require_GET
def attachment_download(request, reference: str, attachment_id: int):
    """Suppliers' members, assigned reviewers and program leads; the file is always a download, never a page."""
    attachment = attachment_for_download(user=request.user, proposal_reference=reference, attachment_id=attachment_id)
    # Streamed, or a redirect to a signed URL that expires in seconds (PRIVATE_FILES_DELIVERY): only after the check.
    return private_file_response(
        attachment.file,
        filename=attachment_download_name(user=request.user, attachment=attachment),
        content_type=attachment.content_type,
    )

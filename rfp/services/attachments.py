"""Proposal attachments: which files a supplier may add or remove, and when.

A file is checked by its content (suppliers.uploads), counted against the proposal's quota under a lock on the
proposal row, and accepted only while the proposal can change: a draft before the RFP closes, or a proposal whose
reviewers asked for more information. Files live in private storage under random names; the supplier's own file
name is kept only as data. A refused file leaves nothing behind: no row, no stored file.
"""

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from audit.services import audit_record
from rfp.enums import ProposalStatus
from rfp.exceptions import DeadlinePassed, DomainError, TransitionNotAllowed
from rfp.models import Attachment, InformationRequest, Proposal
from rfp.selectors import proposal_open_information_request
from rfp.services.proposals import rfp_ensure_open
from suppliers import uploads

S = ProposalStatus


def _locked(proposal_id: int) -> Proposal:
    return Proposal.objects.select_for_update(of=("self",)).select_related("rfp").get(pk=proposal_id)


def attachment_change_refusal(*, proposal: Proposal, now, doing: str) -> DomainError | None:
    """Why the proposal's files cannot change now (to raise or to show), or None when they can."""
    if proposal.status == S.DRAFT:
        try:
            rfp_ensure_open(proposal.rfp, now=now, doing=doing)
        except DeadlinePassed as refusal:
            return refusal
        return None
    if proposal.status == S.INFO_REQUESTED:
        # The buyer asked for more; answers are accepted after closes_at, as proposal_resubmit is.
        return None
    return TransitionNotAllowed(
        f"Proposal {proposal.reference} is {proposal.get_status_display().lower()}, so you cannot {doing}. "
        "Files can change while the proposal is a draft before the deadline, or when reviewers ask for more "
        "information.",
        code="files_locked",
    )


def attachment_delete_refusal(
    *, attachment: Attachment, proposal: Proposal, now, open_request: InformationRequest | None
) -> DomainError | None:
    """Why this file cannot be removed now, or None when it can."""
    refusal = attachment_change_refusal(proposal=proposal, now=now, doing="remove files")
    if refusal is not None:
        return refusal
    if proposal.status == S.INFO_REQUESTED and (
        open_request is None or attachment.information_request_id != open_request.pk
    ):
        # Files reviewers already received are evidence of a submitted version; only new answers can go.
        return TransitionNotAllowed(
            f"{attachment.original_name} was submitted with an earlier version of proposal {proposal.reference} "
            "and stays on record. You can remove only files you added to answer the current request for "
            "information.",
            code="file_submitted",
        )
    return None


def _check_quota(proposal: Proposal, checked: uploads.CheckedUpload) -> None:
    used = Attachment.objects.filter(proposal=proposal).aggregate(
        files=Count("id"), size=Coalesce(Sum("size_bytes"), 0)
    )
    max_files = settings.PROPOSAL_ATTACHMENT_MAX_FILES
    quota = settings.PROPOSAL_ATTACHMENT_QUOTA_BYTES
    if used["files"] >= max_files:
        raise DomainError(
            f"{checked.original_name} was not added: a proposal can hold at most {max_files} files and "
            f"{proposal.reference} already holds {used['files']}. Delete a file you no longer need, then upload "
            "again.",
            code="quota_files",
        )
    if used["size"] + checked.size_bytes > quota:
        left = max(0, quota - used["size"])
        raise DomainError(
            f"{checked.original_name} ({filesizeformat(checked.size_bytes)}) was not added: a proposal's files can "
            f"take at most {filesizeformat(quota)} in all, {filesizeformat(used['size'])} is already used and "
            f"{filesizeformat(left)} is left. Delete a file or upload a smaller one.",
            code="quota_bytes",
        )


def _request_to_answer(proposal: Proposal, information_request: InformationRequest | None) -> InformationRequest | None:
    if proposal.status != S.INFO_REQUESTED:
        if information_request is not None:
            raise DomainError(
                f"Proposal {proposal.reference} has no open request for information; upload the file without one.",
                code="request_not_open",
            )
        return None
    open_request = proposal_open_information_request(proposal=proposal)
    if information_request is not None and (open_request is None or information_request.pk != open_request.pk):
        raise DomainError(
            "That request for information is already answered or belongs to another proposal; attach the file "
            f"to the open request of proposal {proposal.reference}.",
            code="request_not_open",
        )
    return open_request


def attachment_add(
    *,
    proposal: Proposal,
    actor,
    upload: File,
    kind: str,
    information_request: InformationRequest | None = None,
) -> Attachment:
    """Store a file on the proposal, or raise ValidationError / DomainError saying what is wrong; then nothing
    is stored."""
    checked = uploads.check_upload(upload)
    with transaction.atomic():
        # The lock makes concurrent uploads to one proposal wait for each other, so together they keep the quota.
        proposal = _locked(proposal.pk)
        _check_quota(proposal, checked)
        refusal = attachment_change_refusal(proposal=proposal, now=timezone.now(), doing="add files")
        if refusal is not None:
            raise refusal
        attachment = Attachment(
            proposal=proposal,
            information_request=_request_to_answer(proposal, information_request),
            kind=kind,
            original_name=checked.original_name,
            content_type=checked.content_type,
            size_bytes=checked.size_bytes,
            sha256=checked.sha256,
            uploaded_by=actor if actor is not None and actor.is_authenticated else None,
        )
        attachment.full_clean(exclude=["file"])
        # upload_to gives a random name: the supplier's file name never reaches the file system.
        attachment.file.save(checked.original_name, upload, save=False)
        try:
            attachment.save()
            audit_record(
                action="attachment.added",
                target=proposal,
                actor=actor,
                summary=f"{proposal.reference}: added {checked.original_name} ({filesizeformat(checked.size_bytes)})",
                data={
                    "attachment": attachment.pk,
                    "name": checked.original_name,
                    "kind": kind,
                    "content_type": checked.content_type,
                    "size_bytes": checked.size_bytes,
                    "sha256": checked.sha256,
                    "information_request": attachment.information_request_id,
                },
            )
        except BaseException:
            attachment.file.storage.delete(attachment.file.name)
            raise
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: Attachment, actor) -> None:
    """Remove a file the supplier may still change; the stored file goes once the removal commits."""
    proposal = _locked(attachment.proposal_id)
    attachment = Attachment.objects.select_for_update().filter(pk=attachment.pk).first()
    if attachment is None:
        raise DomainError("This file was already removed; reload the page to see the current list.", code="gone")
    refusal = attachment_delete_refusal(
        attachment=attachment,
        proposal=proposal,
        now=timezone.now(),
        open_request=proposal_open_information_request(proposal=proposal),
    )
    if refusal is not None:
        raise refusal
    storage, stored_name = attachment.file.storage, attachment.file.name
    data = {
        "attachment": attachment.pk,
        "name": attachment.original_name,
        "size_bytes": attachment.size_bytes,
        "sha256": attachment.sha256,
    }
    attachment.delete()
    audit_record(
        action="attachment.deleted",
        target=proposal,
        actor=actor,
        summary=f"{proposal.reference}: removed {data['name']}",
        data=data,
    )
    # Deleting on commit keeps the file if the transaction rolls back.
    transaction.on_commit(lambda: storage.delete(stored_name))

"""Proposal files: checked by content, within size and quota, only while the proposal can change; a refused file
leaves nothing behind."""

import hashlib
import io
import threading
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import connection, transaction
from django.template.defaultfilters import filesizeformat
from django.test import override_settings
from django.utils import timezone

from accounts.factories import ProgramLeadFactory, UserFactory
from audit.models import AuditEvent
from rfp import services
from rfp.enums import AttachmentKind, ProposalStatus
from rfp.exceptions import DeadlinePassed, DomainError, TransitionNotAllowed
from rfp.factories import draft_proposal
from rfp.models import Attachment, Proposal
from tests.portal.attachments.files import (
    HTML,
    ooxml_bytes,
    pdf_bytes,
    png_bytes,
    remove_stored_files,
    storage_root,
    stored_files,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clean_storage(db):
    yield
    remove_stored_files()


@pytest.fixture
def actor():
    return UserFactory()


@pytest.fixture
def proposal(actor):
    return draft_proposal(actor=actor)


def _add(proposal, actor, file, kind=AttachmentKind.TECHNICAL, **kwargs):
    return services.attachment_add(proposal=proposal, actor=actor, upload=file, kind=kind, **kwargs)


def _assert_nothing_stored(proposal, files_before):
    assert not Attachment.objects.filter(proposal=proposal).exists()
    assert stored_files(proposal) == files_before
    assert not AuditEvent.objects.filter(action="attachment.added").exists()


def test_a_real_pdf_is_stored_under_a_random_name_with_its_sniffed_type_size_and_hash(proposal, actor):
    content = pdf_bytes()

    attachment = _add(proposal, actor, upload("Capacity offer.pdf", content))

    attachment.refresh_from_db()
    assert attachment.original_name == "Capacity offer.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.size_bytes == len(content)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.uploaded_by == actor
    assert attachment.file.name.startswith(f"attachments/{proposal.pk}/")
    assert "offer" not in attachment.file.name.lower()
    assert "capacity" not in attachment.file.name.lower()
    assert Attachment._meta.get_field("file").storage.location == str(storage_root())
    stored = storage_root() / attachment.file.name
    assert stored.read_bytes() == content
    assert stored_files(proposal) == {attachment.file.name}
    event = AuditEvent.objects.get(action="attachment.added")
    assert (event.object_type, event.object_id, event.actor) == ("rfp.proposal", str(proposal.pk), actor)
    assert event.data["sha256"] == attachment.sha256
    assert event.data["name"] == "Capacity offer.pdf"


def test_two_uploads_of_the_same_name_get_different_stored_names(proposal, actor):
    first = _add(proposal, actor, upload("offer.pdf", pdf_bytes()))
    second = _add(proposal, actor, upload("offer.pdf", pdf_bytes()))

    assert first.file.name != second.file.name
    assert len(stored_files(proposal)) == 2


def test_an_html_page_renamed_offer_pdf_is_refused_and_nothing_is_stored(proposal, actor):
    before = stored_files(proposal)

    with pytest.raises(ValidationError) as refusal:
        _add(proposal, actor, upload("offer.pdf", HTML))

    message = " ".join(refusal.value.messages)
    assert "offer.pdf is not a file type we accept" in message
    assert "PDF, XLSX, DOCX, PNG or JPEG" in message
    _assert_nothing_stored(proposal, before)


def test_a_png_named_pdf_is_refused_as_an_extension_mismatch(proposal, actor):
    before = stored_files(proposal)

    with pytest.raises(ValidationError) as refusal:
        _add(proposal, actor, upload("site-photo.pdf", png_bytes()))

    assert refusal.value.messages == ["site-photo.pdf contains a PNG file but is named .pdf; rename it to end in .png."]
    _assert_nothing_stored(proposal, before)


@override_settings(UPLOAD_MAX_BYTES=1024)
def test_a_file_over_the_size_limit_is_refused_naming_the_limit(proposal, actor):
    before = stored_files(proposal)

    with pytest.raises(ValidationError) as refusal:
        _add(proposal, actor, upload("datasheet.pdf", pdf_bytes(padding=2048)))

    assert "datasheet.pdf is 2.3\xa0KB; files can be at most 1.0\xa0KB." in refusal.value.messages[0]
    _assert_nothing_stored(proposal, before)


def test_a_file_that_would_exceed_the_proposal_quota_is_refused_naming_quota_and_use(proposal, actor):
    first = _add(proposal, actor, upload("first.pdf", pdf_bytes(padding=2000)))
    before = stored_files(proposal)

    with (
        override_settings(PROPOSAL_ATTACHMENT_QUOTA_BYTES=first.size_bytes + 1000),
        pytest.raises(DomainError) as refusal,
    ):
        _add(proposal, actor, upload("second.pdf", pdf_bytes(padding=2000)))

    message = refusal.value.message
    quota, used = filesizeformat(first.size_bytes + 1000), filesizeformat(first.size_bytes)
    assert refusal.value.code == "quota_bytes"
    assert message.startswith(f"second.pdf ({used}) was not added")
    assert f"at most {quota} in all, {used} is already used and 1000\xa0bytes is left" in message
    assert list(Attachment.objects.filter(proposal=proposal)) == [first]
    assert stored_files(proposal) == before


@override_settings(PROPOSAL_ATTACHMENT_MAX_FILES=2)
def test_a_file_beyond_the_proposal_file_count_is_refused_naming_the_limit(proposal, actor):
    _add(proposal, actor, upload("one.pdf", pdf_bytes()))
    _add(proposal, actor, upload("two.pdf", pdf_bytes()))
    before = stored_files(proposal)

    with pytest.raises(DomainError) as refusal:
        _add(proposal, actor, upload("three.pdf", pdf_bytes()))

    assert refusal.value.code == "quota_files"
    assert "three.pdf was not added: a proposal can hold at most 2 files" in refusal.value.message
    assert "already holds 2" in refusal.value.message
    assert Attachment.objects.filter(proposal=proposal).count() == 2
    assert stored_files(proposal) == before


@override_settings(UPLOAD_MAX_EXPANDED_BYTES=1024 * 1024)
def test_a_docx_that_expands_like_a_zip_bomb_is_refused(proposal, actor):
    bomb = ooxml_bytes("docx", filler_bytes=4 * 1024 * 1024)
    assert len(bomb) < 64 * 1024
    before = stored_files(proposal)

    with pytest.raises(ValidationError) as refusal:
        _add(proposal, actor, upload("plan.docx", bomb))

    assert (
        "plan.docx expands to 4.0\xa0MB when opened; it is refused as a compression bomb" in (refusal.value.messages[0])
    )
    _assert_nothing_stored(proposal, before)


@pytest.mark.parametrize(
    ("kind", "name", "content_type"),
    [
        ("docx", "Capacity plan.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("xlsx", "Capacity model.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_real_word_and_excel_documents_are_accepted(proposal, actor, kind, name, content_type):
    content = ooxml_bytes(kind)

    attachment = _add(proposal, actor, upload(name, content))

    assert (attachment.original_name, attachment.content_type) == (name, content_type)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert (storage_root() / attachment.file.name).read_bytes() == content


def test_a_word_document_named_xlsx_is_refused(proposal, actor):
    with pytest.raises(ValidationError) as refusal:
        _add(proposal, actor, upload("model.xlsx", ooxml_bytes("docx")))

    assert refusal.value.messages == ["model.xlsx contains a DOCX file but is named .xlsx; rename it to end in .docx."]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("reports/offer.pdf", "A file name cannot contain / or \\"),
        ("..\\offer.pdf", "A file name cannot contain / or \\"),
        ("offer\x07.pdf", "The file name contains control characters"),
        ("offer\n.pdf", "The file name contains control characters"),
    ],
)
def test_unsafe_file_names_are_refused_and_nothing_is_stored(proposal, actor, name, expected):
    before = stored_files(proposal)
    # A plain File keeps the name as given (an HTTP upload's name is already cut to its last part by Django).
    file = File(io.BytesIO(pdf_bytes()), name=name)

    with pytest.raises(ValidationError) as refusal:
        _add(proposal, actor, file)

    assert expected in refusal.value.messages[0]
    _assert_nothing_stored(proposal, before)


def test_an_unknown_kind_is_refused_before_anything_is_stored(proposal, actor):
    before = stored_files(proposal)

    with pytest.raises(ValidationError):
        _add(proposal, actor, upload("offer.pdf", pdf_bytes()), kind="invoice")

    _assert_nothing_stored(proposal, before)


def test_adding_a_file_after_the_deadline_is_refused_and_nothing_is_stored(proposal, actor):
    before = stored_files(proposal)

    with (
        time_machine.travel(proposal.rfp.closes_at + timedelta(seconds=1), tick=False),
        pytest.raises(DeadlinePassed) as refusal,
    ):
        _add(proposal, actor, upload("late.pdf", pdf_bytes()))

    assert f"{proposal.rfp.reference} closed on" in refusal.value.message
    assert "you can no longer add files" in refusal.value.message
    _assert_nothing_stored(proposal, before)


def _submitted(proposal, actor):
    services.proposal_submit(proposal=proposal, actor=actor)
    proposal.refresh_from_db()
    return proposal


def _information_requested(proposal, actor):
    lead = ProgramLeadFactory()
    services.proposal_submit(proposal=proposal, actor=actor)
    services.proposal_start_review(proposal=proposal, actor=lead)
    request = services.proposal_request_information(
        proposal=proposal, actor=lead, question="Send the UL listing of the rack."
    )
    proposal.refresh_from_db()
    return proposal, request


def test_a_submitted_proposal_takes_no_files(proposal, actor):
    proposal = _submitted(proposal, actor)
    before = stored_files(proposal)

    with pytest.raises(TransitionNotAllowed) as refusal:
        _add(proposal, actor, upload("extra.pdf", pdf_bytes()))

    assert f"Proposal {proposal.reference} is submitted, so you cannot add files" in refusal.value.message
    _assert_nothing_stored(proposal, before)


def test_answering_a_request_for_information_links_the_file_even_after_the_deadline(proposal, actor):
    proposal, request = _information_requested(proposal, actor)

    with time_machine.travel(proposal.rfp.closes_at + timedelta(days=3), tick=False):
        attachment = _add(proposal, actor, upload("ul-listing.pdf", pdf_bytes()), AttachmentKind.INFORMATION_RESPONSE)

    assert attachment.information_request == request
    assert AuditEvent.objects.get(action="attachment.added").data["information_request"] == request.pk


def test_a_draft_has_no_request_for_information_to_link(proposal, actor):
    _other, request = _information_requested(draft_proposal(), UserFactory())

    with pytest.raises(DomainError) as refusal:
        _add(proposal, actor, upload("offer.pdf", pdf_bytes()), information_request=request)

    assert refusal.value.code == "request_not_open"
    assert not Attachment.objects.exists()


def test_deleting_a_draft_file_removes_the_row_and_the_stored_file(proposal, actor, django_capture_on_commit_callbacks):
    attachment = _add(proposal, actor, upload("offer.pdf", pdf_bytes()))
    stored = storage_root() / attachment.file.name

    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_delete(attachment=attachment, actor=actor)

    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not stored.exists()
    event = AuditEvent.objects.get(action="attachment.deleted")
    assert (event.object_id, event.data["name"]) == (str(proposal.pk), "offer.pdf")


def test_deleting_after_the_deadline_is_refused_and_keeps_the_file(proposal, actor):
    attachment = _add(proposal, actor, upload("offer.pdf", pdf_bytes()))

    with (
        time_machine.travel(proposal.rfp.closes_at, tick=False),
        pytest.raises(DeadlinePassed) as refusal,
    ):
        services.attachment_delete(attachment=attachment, actor=actor)

    assert "you can no longer remove files" in refusal.value.message
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    assert (storage_root() / attachment.file.name).exists()


def test_while_information_is_requested_only_the_new_answer_files_can_be_deleted(
    proposal, actor, django_capture_on_commit_callbacks
):
    submitted_file = _add(proposal, actor, upload("offer.pdf", pdf_bytes()))
    proposal, _request = _information_requested(proposal, actor)
    answer = _add(proposal, actor, upload("ul-listing.pdf", pdf_bytes()))

    with pytest.raises(TransitionNotAllowed) as refusal:
        services.attachment_delete(attachment=submitted_file, actor=actor)
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_delete(attachment=answer, actor=actor)

    assert "offer.pdf was submitted with an earlier version" in refusal.value.message
    assert list(Attachment.objects.filter(proposal=proposal)) == [submitted_file]


@pytest.mark.parametrize("status", [ProposalStatus.DRAFT, ProposalStatus.INFO_REQUESTED])
def test_the_change_refusal_is_none_while_files_can_change(actor, status):
    proposal = draft_proposal(actor=actor)
    if status == ProposalStatus.INFO_REQUESTED:
        proposal, _request = _information_requested(proposal, actor)

    assert services.attachment_change_refusal(proposal=proposal, now=timezone.now(), doing="add files") is None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(PROPOSAL_ATTACHMENT_MAX_FILES=1)
def test_a_concurrent_upload_waits_for_the_proposal_lock_and_then_sees_the_quota():
    actor = UserFactory()
    proposal = draft_proposal(actor=actor)
    outcome: dict = {}

    def upload_in_another_request():
        try:
            outcome["added"] = _add(proposal, actor, upload("second.pdf", pdf_bytes()))
        except DomainError as refusal:
            outcome["refused"] = refusal
        finally:
            connection.close()

    with transaction.atomic():
        Proposal.objects.select_for_update().get(pk=proposal.pk)
        other = threading.Thread(target=upload_in_another_request)
        other.start()
        other.join(timeout=1.0)
        assert other.is_alive(), "the second upload must wait for the lock on the proposal"
        _add(proposal, actor, upload("first.pdf", pdf_bytes()))
    other.join(timeout=20)

    assert "added" not in outcome
    assert outcome["refused"].code == "quota_files"
    assert list(Attachment.objects.filter(proposal=proposal).values_list("original_name", flat=True)) == ["first.pdf"]
    assert len(stored_files(proposal)) == 1

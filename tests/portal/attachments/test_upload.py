"""Uploading and removing a proposal's files from the portal, with and without JavaScript (htmx)."""

import hashlib
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.factories import ProgramLeadFactory, UserFactory
from rfp import services
from rfp.factories import draft_proposal
from rfp.models import Attachment
from suppliers.enums import MemberRole
from suppliers.factories import SupplierMemberFactory
from tests.portal.attachments.files import HTML, ooxml_bytes, pdf_bytes, png_bytes, storage_root, stored_files, upload

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _upload_url(proposal):
    return reverse("portal:attachment_upload", args=[proposal.reference])


def _page_url(proposal):
    return reverse("portal:attachments", args=[proposal.reference])


def _post(client, proposal, name, content, *, kind="technical", htmx=False, **data):
    headers = HTMX if htmx else {}
    return client.post(_upload_url(proposal), {"file": upload(name, content), "kind": kind, **data}, **headers)


def test_a_plain_form_upload_stores_the_file_and_redirects_to_the_files_page(member_client, proposal):
    content = pdf_bytes()

    response = _post(member_client, proposal, "Rack datasheet.pdf", content, kind="drawing")

    assert response.status_code == 302
    assert response.url == _page_url(proposal)
    attachment = Attachment.objects.get(proposal=proposal)
    assert (attachment.original_name, attachment.kind, attachment.content_type) == (
        "Rack datasheet.pdf",
        "drawing",
        "application/pdf",
    )
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert (storage_root() / attachment.file.name).read_bytes() == content
    page = member_client.get(response.url)
    text = page.content.decode()
    assert "Rack datasheet.pdf was added" in text
    assert "Drawing or datasheet" in text
    assert attachment.sha256 in text


def test_a_plain_form_upload_returns_to_a_safe_next_page_only(member_client, proposal):
    back = f"/portal/proposals/{proposal.reference}/?step=files"

    local = _post(member_client, proposal, "a.pdf", pdf_bytes(), next=back)
    foreign = _post(member_client, proposal, "b.pdf", pdf_bytes(), next="https://evil.example/phish")

    assert local.url == back
    assert foreign.url == _page_url(proposal)


def test_the_htmx_upload_returns_the_panel_with_the_new_file_listed(member_client, proposal):
    content = ooxml_bytes("xlsx")

    response = _post(member_client, proposal, "Capacity model.xlsx", content, htmx=True)

    assert response.status_code == 200
    assert response.templates[0].name == "portal/attachments/_panel_body.html"
    text = response.content.decode()
    assert "<html" not in text, "a fragment, not a whole page"
    assert f'id="attachments-{proposal.reference}"' in text
    assert "Capacity model.xlsx was added" in text
    assert "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" in text
    assert hashlib.sha256(content).hexdigest() in text
    attachment = Attachment.objects.get(proposal=proposal)
    assert reverse("portal:attachment_download", args=[proposal.reference, attachment.pk]) in text
    assert reverse("portal:attachment_delete", args=[proposal.reference, attachment.pk]) in text


def test_an_html_page_renamed_pdf_is_refused_as_a_form_error_and_nothing_is_stored(member_client, proposal):
    before = stored_files(proposal)

    response = _post(member_client, proposal, "offer.pdf", HTML, htmx=True)

    assert response.status_code == 200
    errors = response.context["panel"]["form"].errors["file"]
    assert "offer.pdf is not a file type we accept" in errors[0]
    assert "offer.pdf is not a file type we accept" in response.content.decode()
    assert not Attachment.objects.exists()
    assert stored_files(proposal) == before


def test_a_png_named_pdf_is_refused_with_the_rename_advice(member_client, proposal):
    response = _post(member_client, proposal, "photo.pdf", png_bytes(), htmx=True)

    assert response.context["panel"]["form"].errors["file"] == [
        "photo.pdf contains a PNG file but is named .pdf; rename it to end in .png."
    ]
    assert not Attachment.objects.exists()


@override_settings(UPLOAD_MAX_BYTES=1024)
def test_an_oversized_upload_is_refused_naming_the_limit(member_client, proposal):
    response = _post(member_client, proposal, "big.pdf", pdf_bytes(padding=4096))

    assert response.status_code == 302
    page = member_client.get(response.url).content.decode()
    assert "big.pdf is 4.3\xa0KB; files can be at most 1.0\xa0KB." in page
    assert not Attachment.objects.exists()


@override_settings(PROPOSAL_ATTACHMENT_QUOTA_BYTES=3000)
def test_an_upload_over_the_quota_is_refused_naming_the_quota(member_client, proposal, add_file):
    add_file(proposal, "first.pdf", pdf_bytes(padding=2000))

    response = _post(member_client, proposal, "second.pdf", pdf_bytes(padding=2000), htmx=True)

    error = response.context["panel"]["form"].errors["file"][0]
    assert error.startswith("second.pdf (")
    assert "at most 2.9\xa0KB in all" in error
    assert Attachment.objects.filter(proposal=proposal).count() == 1


def test_an_upload_after_the_deadline_is_refused_and_nothing_is_stored(member_client, proposal, owner):
    before = stored_files(proposal)

    with time_machine.travel(proposal.rfp.closes_at + timedelta(minutes=5), tick=False):
        member_client.force_login(owner.user)  # the session from before the jump would have expired
        response = _post(member_client, proposal, "late.pdf", pdf_bytes(), htmx=True)

    error = response.context["panel"]["form"].errors["file"][0]
    assert error.startswith(f"late.pdf was not added: {proposal.rfp.reference} closed on")
    assert "you can no longer add files" in error
    assert not Attachment.objects.exists()
    assert stored_files(proposal) == before


def test_a_request_without_a_file_asks_for_one(member_client, proposal):
    response = member_client.post(_upload_url(proposal), {"kind": "technical"}, **HTMX)

    assert response.context["panel"]["form"].errors["file"] == [
        "Choose a file to upload (PDF, XLSX, DOCX, PNG or JPEG)."
    ]


def test_a_viewer_cannot_upload(client, proposal):
    viewer = SupplierMemberFactory(supplier=proposal.supplier, role=MemberRole.VIEWER)
    client.force_login(viewer.user)

    response = _post(client, proposal, "offer.pdf", pdf_bytes())

    assert response.status_code == 403
    assert "Your role is viewer" in response.content.decode()
    assert not Attachment.objects.exists()


def test_another_suppliers_proposal_is_not_found(client, proposal):
    stranger = SupplierMemberFactory(role=MemberRole.OWNER)
    client.force_login(stranger.user)

    upload_response = _post(client, proposal, "offer.pdf", pdf_bytes())
    page_response = client.get(_page_url(proposal))

    assert (upload_response.status_code, page_response.status_code) == (404, 404)
    assert not Attachment.objects.exists()


def test_the_upload_form_accepts_only_the_allowed_extensions_and_loads_the_progress_script(member_client, proposal):
    text = member_client.get(_page_url(proposal)).content.decode()

    assert 'accept=".pdf,.xlsx,.docx,.png,.jpg,.jpeg"' in text
    assert 'enctype="multipart/form-data"' in text
    assert "data-upload-form" in text
    assert '<label for="attachment-file">File</label>' in text
    assert '<label for="attachment-kind">What the file is</label>' in text
    assert "/static/js/uploads.js" in text


def test_the_owner_removes_a_draft_file_with_htmx(
    member_client, proposal, add_file, django_capture_on_commit_callbacks
):
    attachment = add_file(proposal, "old.pdf")
    stored = storage_root() / attachment.file.name

    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            reverse("portal:attachment_delete", args=[proposal.reference, attachment.pk]), **HTMX
        )

    assert response.status_code == 200
    text = response.content.decode()
    assert "old.pdf was removed." in text
    assert "No files attached yet." in text
    assert not Attachment.objects.exists()
    assert not stored.exists()


def test_removing_after_the_deadline_is_refused_with_the_reason(member_client, proposal, owner, add_file):
    attachment = add_file(proposal, "offer.pdf")

    with time_machine.travel(proposal.rfp.closes_at + timedelta(seconds=1), tick=False):
        member_client.force_login(owner.user)
        response = member_client.post(reverse("portal:attachment_delete", args=[proposal.reference, attachment.pk]))
        page = member_client.get(response.url).content.decode()

    assert "you can no longer remove files" in page
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_a_viewer_cannot_remove_and_sees_no_remove_button_or_upload_form(client, proposal, add_file):
    attachment = add_file(proposal, "offer.pdf")
    viewer = SupplierMemberFactory(supplier=proposal.supplier, role=MemberRole.VIEWER)
    client.force_login(viewer.user)

    page = client.get(_page_url(proposal)).content.decode()
    response = client.post(reverse("portal:attachment_delete", args=[proposal.reference, attachment.pk]))

    assert "offer.pdf" in page
    assert "Remove" not in page
    assert "data-upload-form" not in page
    assert "Your role is viewer: you can download these files but not add or remove them." in page
    assert response.status_code == 403
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_a_submitted_proposal_shows_its_files_without_upload_or_remove(member_client, proposal, owner, add_file):
    add_file(proposal, "offer.pdf")
    services.proposal_submit(proposal=proposal, actor=owner.user)

    text = member_client.get(_page_url(proposal)).content.decode()

    assert "offer.pdf" in text
    assert "data-upload-form" not in text
    assert "Remove" not in text
    assert f"Proposal {proposal.reference} is submitted, so you cannot add or remove files." in text


def test_while_information_is_requested_the_panel_shows_the_question_and_takes_the_answer(
    member_client, proposal, owner, add_file
):
    submitted = add_file(proposal, "offer.pdf")
    lead = ProgramLeadFactory()
    services.proposal_submit(proposal=proposal, actor=owner.user)
    services.proposal_start_review(proposal=proposal, actor=lead)
    request = services.proposal_request_information(proposal=proposal, actor=lead, question="Send the UL listing.")

    with time_machine.travel(proposal.rfp.closes_at + timedelta(days=2), tick=False):
        member_client.force_login(owner.user)
        response = _post(member_client, proposal, "ul.pdf", pdf_bytes(), kind="information_response", htmx=True)

    text = response.content.decode()
    assert "Send the UL listing." in text
    assert "ul.pdf was added" in text
    answer = Attachment.objects.get(original_name="ul.pdf")
    assert answer.information_request == request
    assert reverse("portal:attachment_delete", args=[proposal.reference, answer.pk]) in text
    assert reverse("portal:attachment_delete", args=[proposal.reference, submitted.pk]) not in text


def test_the_panel_can_be_included_by_any_proposal_page(rf, proposal, owner, add_file):
    from django.template import engines

    from portal.access import supplier_access

    add_file(proposal, "offer.pdf")
    request = rf.get(f"/portal/proposals/{proposal.reference}/")
    request.user = owner.user
    request.access = supplier_access(request)
    template = engines["django"].from_string('<main>{% include "portal/attachments/_panel.html" %}</main>')

    html = template.render({"proposal": proposal}, request)

    assert "offer.pdf" in html
    assert "data-upload-form" in html
    assert f'name="next" value="/portal/proposals/{proposal.reference}/"' in html


def test_the_files_page_runs_the_same_number_of_queries_for_1_and_3_files(
    member_client, proposal, add_file, django_assert_max_num_queries
):
    other = draft_proposal(supplier=proposal.supplier, actor=UserFactory(), sector_code="robotics", rfp=proposal.rfp)
    add_file(other, "other-proposal.pdf")

    def count_queries(rows: int) -> int:
        while Attachment.objects.filter(proposal=proposal).count() < rows:
            add_file(proposal, f"file-{Attachment.objects.count()}.pdf")
        member_client.get(_page_url(proposal))  # the session and the user are loaded the same way each time
        with CaptureQueriesContext(connection) as queries:
            response = member_client.get(_page_url(proposal))
        assert response.status_code == 200
        assert response.content.decode().count("<tr>") == rows + 1
        return len(queries)

    with_one = count_queries(1)
    with_three = count_queries(3)

    assert with_one == with_three
    with django_assert_max_num_queries(with_one):
        member_client.get(_page_url(proposal))

"""Certificates: documents checked by content, stored under random names, served only to the company; expiry shown."""

import os
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from suppliers.factories import FacilityFactory, SupplierFactory, SupplierMemberFactory
from suppliers.models import Certification
from tests.portal.company.conftest import page_text

pytestmark = pytest.mark.django_db

TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n"
)


def pdf(name="iso9001-certificate.pdf"):
    return SimpleUploadedFile(name, TINY_PDF, content_type="application/pdf")


def form_data(**changes):
    data = {
        "kind": "iso_9001",
        "name": "",
        "number": "QMS-4471",
        "issued_by": "BSI",
        "facility": "",
        "expires_on": (timezone.localdate() + timedelta(days=400)).isoformat(),
    }
    data.update(changes)
    return data


def make_certification(supplier, **fields):
    return Certification.objects.create(supplier=supplier, kind=fields.pop("kind", "iso_9001"), **fields)


def test_an_editor_adds_a_certificate_with_a_real_pdf(client, supplier, editor, certificate_storage):
    client.force_login(editor)
    response = client.post(reverse("portal:certification_create"), {**form_data(), "document": pdf()})
    assert response.status_code == 302
    certification = Certification.objects.get(supplier=supplier)
    assert certification.number == "QMS-4471"
    assert certification.document.name.startswith(f"certificates/{supplier.pk}/")
    assert "iso9001" not in certification.document.name
    assert certificate_storage.exists(certification.document.name)
    event = AuditEvent.objects.get(action="certification.created", object_id=str(certification.pk))
    assert event.data["document"]["name"] == "iso9001-certificate.pdf"
    assert event.data["document"]["type"] == "application/pdf"

    download = client.get(reverse("portal:certification_download", args=[certification.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert 'filename="iso-9001-qms-4471.pdf"' in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == TINY_PDF


def test_a_renamed_html_file_is_refused_with_the_reason(client, supplier, editor, certificate_storage):
    client.force_login(editor)
    fake = SimpleUploadedFile(
        "certificate.pdf", b"<!doctype html><html><script>alert(1)</script></html>", content_type="application/pdf"
    )
    response = client.post(reverse("portal:certification_create"), {**form_data(), "document": fake})
    assert response.status_code == 200
    assert "certificate.pdf is not a file type we accept" in page_text(response)
    assert "Allowed: PDF, XLSX, DOCX, PNG or JPEG, checked by content." in page_text(response)
    assert not Certification.objects.exists()
    assert not [name for _, _, names in os.walk(certificate_storage.location) for name in names]


def test_a_certificate_needs_its_document_and_ul_listings_say_what_they_certify(
    client, supplier, editor, certificate_storage
):
    client.force_login(editor)
    page = page_text(client.post(reverse("portal:certification_create"), form_data()))
    assert "Upload the certificate as a PDF, PNG or JPEG file." in page
    page = page_text(client.post(reverse("portal:certification_create"), {**form_data(kind="ul"), "document": pdf()}))
    assert "Name what this UL listing certifies, for example “UL 508A industrial control panels”." in page
    assert not Certification.objects.exists()


def test_only_the_companys_own_facilities_can_be_chosen(client, supplier, editor, certificate_storage):
    theirs = FacilityFactory(supplier=SupplierFactory(), name="Their plant")
    ours = FacilityFactory(supplier=supplier, name="Our plant")
    client.force_login(editor)
    form_page = client.get(reverse("portal:certification_create"))
    assert "Our plant" in page_text(form_page) and "Their plant" not in page_text(form_page)
    response = client.post(reverse("portal:certification_create"), {**form_data(facility=theirs.pk), "document": pdf()})
    assert "Select a valid choice" in page_text(response)
    assert not Certification.objects.exists()
    client.post(reverse("portal:certification_create"), {**form_data(facility=ours.pk), "document": pdf()})
    assert Certification.objects.get().facility == ours


def test_editing_keeps_the_document_unless_a_new_one_is_uploaded(client, supplier, editor, certificate_storage):
    client.force_login(editor)
    client.post(reverse("portal:certification_create"), {**form_data(), "document": pdf()})
    certification = Certification.objects.get()
    first_name = certification.document.name
    client.post(reverse("portal:certification_edit", args=[certification.pk]), form_data(number="QMS-5000"))
    certification.refresh_from_db()
    assert (certification.number, certification.document.name) == ("QMS-5000", first_name)
    response = client.post(
        reverse("portal:certification_edit", args=[certification.pk]), {**form_data(), "document": pdf("new.pdf")}
    )
    assert response.status_code == 302
    certification.refresh_from_db()
    assert certification.document.name != first_name
    assert AuditEvent.objects.filter(action="certification.updated", object_id=str(certification.pk)).count() == 2


def test_expired_and_soon_expiring_certificates_are_marked(client, supplier, viewer):
    today = timezone.localdate()
    make_certification(supplier, number="OLD-1", expires_on=today - timedelta(days=1))
    make_certification(supplier, kind="iso_14001", number="SOON-2", expires_on=today + timedelta(days=30))
    make_certification(supplier, kind="as9100", number="LATER-3", expires_on=today + timedelta(days=365))
    client.force_login(viewer)
    response = client.get(reverse("portal:certifications"))
    body = response.content.decode()
    assert body.count('<span class="expired">Expired</span>') == 1
    assert body.count('<span class="expires-soon">Expires soon</span>') == 1
    rows = {row.split("</tr>")[0] for row in body.split("<tr")[2:]}
    expired_row = next(row for row in rows if "OLD-1" in row)
    soon_row = next(row for row in rows if "SOON-2" in row)
    later_row = next(row for row in rows if "LATER-3" in row)
    assert "Expired" in expired_row and "Expires soon" in soon_row
    assert "Expired" not in later_row and "Expires soon" not in later_row
    profile = page_text(client.get(reverse("portal:company")))
    assert "3 certificates" in profile
    assert "1 expired" in profile
    assert "1 expiring within 90 days" in profile


def test_another_companys_certificate_is_not_found(client, supplier, owner, certificate_storage):
    other = SupplierFactory()
    theirs = Certification(supplier=other, kind="iso_9001", number="THEIRS")
    theirs.document = pdf()
    theirs.save()
    client.force_login(owner)
    for name in ("certification_edit", "certification_delete", "certification_download"):
        assert client.get(reverse(f"portal:{name}", args=[theirs.pk])).status_code == 404, name
    assert client.post(reverse("portal:certification_delete", args=[theirs.pk])).status_code == 404
    assert Certification.objects.filter(pk=theirs.pk).exists()


def test_an_anonymous_visitor_cannot_download(client, supplier, certificate_storage):
    certification = Certification(supplier=supplier, kind="iso_9001")
    certification.document = pdf()
    certification.save()
    response = client.get(reverse("portal:certification_download", args=[certification.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_certificate_is_deleted_with_its_file(
    client, supplier, owner, certificate_storage, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    client.post(reverse("portal:certification_create"), {**form_data(), "document": pdf()})
    certification = Certification.objects.get()
    stored = certification.document.name
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portal:certification_delete", args=[certification.pk]))
    assert response.status_code == 302
    assert not Certification.objects.exists()
    assert not certificate_storage.exists(stored)
    assert AuditEvent.objects.filter(action="certification.deleted", object_id=str(certification.pk)).exists()


def test_a_viewer_reads_and_downloads_but_cannot_change(client, supplier, viewer, certificate_storage):
    certification = Certification(supplier=supplier, kind="iso_9001", number="QMS-1")
    certification.document = pdf()
    certification.save()
    client.force_login(viewer)
    listing = client.get(reverse("portal:certifications"))
    body = listing.content.decode()
    assert "QMS-1" in page_text(listing)
    assert reverse("portal:certification_create") not in body
    assert reverse("portal:certification_edit", args=[certification.pk]) not in body
    assert client.get(reverse("portal:certification_download", args=[certification.pk])).status_code == 200
    for url, data in [
        (reverse("portal:certification_create"), {**form_data(), "document": pdf()}),
        (reverse("portal:certification_edit", args=[certification.pk]), form_data(number="CHANGED")),
        (reverse("portal:certification_delete", args=[certification.pk]), {}),
    ]:
        refused = client.post(url, data)
        assert refused.status_code == 403
        assert "Your role is viewer" in page_text(refused)
    assert Certification.objects.get().number == "QMS-1"


def _list_queries(client, rows):
    supplier = SupplierFactory()
    member = SupplierMemberFactory(supplier=supplier, role="owner")
    facility = FacilityFactory(supplier=supplier)
    for n in range(rows):
        make_certification(supplier, number=f"N-{n}", facility=facility, expires_on=timezone.localdate())
    client.force_login(member.user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("portal:certifications"))
    assert response.status_code == 200
    assert response.content.decode().count('<td data-label="Number">N-') == rows
    return len(queries)


def test_the_certification_list_runs_the_same_queries_for_one_or_three_rows(client, db, django_assert_max_num_queries):
    one = _list_queries(client, 1)
    three = _list_queries(client, 3)
    assert one == three
    with django_assert_max_num_queries(one):
        client.get(reverse("portal:certifications"))

"""Hostile files sent through the portal's upload form: each refused with a clear message, nothing stored.

(tests/rfp/services/test_attachments.py covers the plain cases at the service: wrong type, size, quota, names.)
"""

import io
import struct
import zipfile

import pytest
from django.urls import reverse

from accounts.factories import UserFactory
from audit.models import AuditEvent
from rfp.factories import draft_proposal
from rfp.models import Attachment
from suppliers.enums import MemberRole
from suppliers.factories import SupplierMemberFactory
from tests.portal.attachments.files import (
    ooxml_bytes,
    pdf_bytes,
    png_bytes,
    remove_stored_files,
    storage_root,
    stored_files,
    upload,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _clean_storage(db):
    yield
    remove_stored_files()


@pytest.fixture
def owner():
    return SupplierMemberFactory(role=MemberRole.OWNER, user=UserFactory(email="owner@hostile-files.example"))


@pytest.fixture
def proposal(owner):
    return draft_proposal(supplier=owner.supplier, actor=owner.user)


@pytest.fixture
def member_client(client, owner):
    client.force_login(owner.user)
    return client


def _jar() -> bytes:
    """A Java archive: what a GIFAR hides behind an image."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\nMain-Class: Payload\n")
        archive.writestr("Payload.class", b"\xca\xfe\xba\xbe" + bytes(64))
    return buffer.getvalue()


def _jpeg() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(64) + b"\xff\xd9"


def _pdf_with_html() -> bytes:
    pdf = pdf_bytes()
    # After the header, a PDF comment line that a sniffing browser reads as a page with a script.
    return pdf.replace(b"%PDF-1.4\n", b"%PDF-1.4\n%<html><body><script>fetch('/panel/')</script></body></html>\n", 1)


def _png_with_html() -> bytes:
    png = png_bytes()
    text = b"Comment\x00<script>alert(document.domain)</script>"
    chunk = struct.pack(">I", len(text)) + b"tEXt" + text + struct.pack(">I", 0)
    return png[:-12] + chunk + png[-12:]


def _lying_xlsx() -> bytes:
    """An XLSX whose filler part inflates to 32 MB while its headers say 4 KB: naive size checks pass it."""
    content = bytearray(ooxml_bytes("xlsx", filler_bytes=32 * 1024 * 1024))
    info = zipfile.ZipFile(io.BytesIO(bytes(content))).getinfo("xl/media/filler.bin")
    struct.pack_into("<I", content, info.header_offset + 22, 4096)  # local header: uncompressed size
    central = content.find(b"PK\x01\x02")
    while central != -1:
        name_length = struct.unpack_from("<H", content, central + 28)[0]
        if content[central + 46 : central + 46 + name_length] == b"xl/media/filler.bin":
            struct.pack_into("<I", content, central + 24, 4096)  # central directory: uncompressed size
            break
        central = content.find(b"PK\x01\x02", central + 4)
    assert central != -1
    return bytes(content)


HOSTILE_FILES = [
    pytest.param("offer.pdf", lambda: _pdf_with_html(), "is a PDF file that also carries web-page code", id="pdf+html"),
    pytest.param(
        "offer.pdf",
        lambda: pdf_bytes() + _jar(),
        "is a PDF file with an archive (ZIP or JAR) hidden inside",
        id="pdf+zip",
    ),
    pytest.param(
        "photo.jpg",
        lambda: _jpeg() + _jar(),
        "is a JPEG file with an archive (ZIP or JAR) hidden inside",
        id="jpeg+jar",
    ),
    pytest.param("badge.png", lambda: _png_with_html(), "is a PNG file that also carries web-page code", id="png+html"),
    pytest.param(
        "photo.gif",
        lambda: b"GIF89a\x01\x00\x01\x00\x00\x00\x00;" + _jar(),
        "is not a file type we accept (its content looks like image/gif)",
        id="gifar",
    ),
    pytest.param("page.pdf", lambda: b"MZ\x90\x00" + bytes(200), "is not a file type we accept", id="exe-named-pdf"),
    pytest.param(
        "plan.docx",
        lambda: ooxml_bytes("docx", filler_bytes=16 * 1024 * 1024),
        "plan.docx expands to 16.0\xa0MB when opened; it is refused as a compression bomb",
        id="docx-bomb",
    ),
    pytest.param(
        "model.xlsx",
        lambda: ooxml_bytes("xlsx", filler_bytes=16 * 1024 * 1024),
        "model.xlsx expands to 16.0\xa0MB when opened; it is refused as a compression bomb",
        id="xlsx-bomb",
    ),
    pytest.param(
        "model.xlsx",
        lambda: _lying_xlsx(),
        "model.xlsx is a damaged archive: its part xl/media/filler.bin does not match its recorded size",
        id="xlsx-bomb-lying-headers",
    ),
]


@pytest.mark.parametrize(("name", "build", "says"), HOSTILE_FILES)
def test_a_hostile_file_is_refused_with_a_clear_message_and_nothing_is_stored(
    member_client, proposal, name, build, says
):
    content = build()
    events_before = AuditEvent.objects.count()

    response = member_client.post(
        reverse("portal:attachment_upload", args=[proposal.reference]),
        {"file": upload(name, content), "kind": "technical"},
        **HTMX,
    )

    assert response.status_code == 200
    [error] = response.context["panel"]["form"].errors["file"]
    assert says in error
    assert says.replace("'", "&#x27;").replace("\xa0", "&nbsp;")[:40] in response.content.decode().replace(
        "\xa0", "&nbsp;"
    )
    assert not Attachment.objects.exists()
    assert stored_files(proposal) == set()
    assert AuditEvent.objects.count() == events_before


def _multipart(file_name: str, content: bytes, boundary: str = "hostile-boundary") -> bytes:
    """A form post as a client could craft it: the file name exactly as given, directories included."""
    return (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\ntechnical\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file_name}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )


@pytest.mark.parametrize(
    "file_name",
    ["../../../../etc/cron.d/offer.pdf", "..\\..\\windows\\offer.pdf", "off\x07er.pdf", "off\x1ber.pdf", "offer\r.pdf"],
)
def test_a_file_name_with_directories_or_control_characters_never_reaches_the_file_system(
    member_client, proposal, file_name
):
    """Django's form parser keeps only a name's last part and drops control characters before our code sees it;
    the service refuses any name that still has them (tests/rfp/services/test_attachments.py)."""
    response = member_client.post(
        reverse("portal:attachment_upload", args=[proposal.reference]),
        data=_multipart(file_name, pdf_bytes()),
        content_type="multipart/form-data; boundary=hostile-boundary",
    )

    assert response.status_code == 302
    attachment = Attachment.objects.get()
    # The stored file gets a random name of our own; the cleaned name is kept only as data.
    assert attachment.original_name == "offer.pdf"
    [stored] = stored_files(proposal)
    assert stored.startswith(f"attachments/{proposal.pk}/") and "offer" not in stored and ".." not in stored
    assert (storage_root() / stored).resolve().is_relative_to(storage_root().resolve())

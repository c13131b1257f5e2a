"""Checks every uploaded file before it is stored: allowed type by content (not by name), size, safe name, hash.

Used by certificates here and by proposal attachments in rfp; each refusal says what is wrong and what is allowed.
"""

import hashlib
import unicodedata
import uuid
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat

# Detected type -> (MIME type, file name extensions that may carry it).
ALLOWED_TYPES: dict[str, tuple[str, tuple[str, ...]]] = {
    "pdf": ("application/pdf", (".pdf",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)),
    "png": ("image/png", (".png",)),
    "jpeg": ("image/jpeg", (".jpg", ".jpeg")),
}
ALLOWED_DESCRIPTION = "PDF, XLSX, DOCX, PNG or JPEG"
_OOXML_MARKERS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
_ZIP_MAX_ENTRIES = 5000
_ZIP_MAX_RATIO = 100
# A PDF or image carrying one of these is also a web page to a browser that sniffs; a polyglot, refused.
_HTML_MARKERS = (b"<html", b"<script", b"<iframe", b"<!doctype html")


@dataclass(frozen=True)
class CheckedUpload:
    original_name: str
    kind: str
    content_type: str
    size_bytes: int
    sha256: str


def random_storage_name(prefix: str) -> str:
    """Files are stored under random names; the supplier's file name is kept only as data."""
    token = uuid.uuid4().hex
    return f"{prefix}/{token[:2]}/{token}"


def clean_file_name(name: str) -> str:
    if not name or not name.strip():
        raise ValidationError("The file has no name; give it one, such as offer.pdf.", code="name_missing")
    if "/" in name or "\\" in name or name in (".", ".."):
        raise ValidationError(
            "A file name cannot contain / or \\; rename the file, for example to offer.pdf.", code="name_path"
        )
    if any(unicodedata.category(char) == "Cc" for char in name):
        raise ValidationError("The file name contains control characters; rename the file.", code="name_control")
    if len(name) > 200:
        raise ValidationError("The file name is longer than 200 characters; shorten it.", code="name_length")
    return unicodedata.normalize("NFC", name.strip())


def _ooxml_kind(upload: UploadedFile, name: str) -> str:
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            if len(entries) > _ZIP_MAX_ENTRIES:
                raise ValidationError(f"{name} holds too many parts to be a real document.", code="zip_bomb")
            expanded = sum(entry.file_size for entry in entries)
            compressed = max(1, sum(entry.compress_size for entry in entries))
            if expanded > settings.UPLOAD_MAX_EXPANDED_BYTES or expanded / compressed > _ZIP_MAX_RATIO:
                raise ValidationError(
                    f"{name} expands to {filesizeformat(expanded)} when opened; it is refused as a compression "
                    "bomb. Save the document again and upload that copy.",
                    code="zip_bomb",
                )
            names = {entry.filename for entry in entries}
            # Inflating every part (bounded by the sizes just checked) catches headers that lie about their size.
            damaged = archive.testzip()
            if damaged is not None:
                raise ValidationError(
                    f"{name} is a damaged archive: its part {damaged} does not match its recorded size and checksum.",
                    code="bad_zip",
                )
    except (zipfile.BadZipFile, EOFError, zlib.error) as error:
        raise ValidationError(f"{name} is a damaged archive and cannot be read.", code="bad_zip") from error
    finally:
        upload.seek(0)
    if "[Content_Types].xml" in names:
        for kind, marker in _OOXML_MARKERS.items():
            if marker in names:
                return kind
    raise ValidationError(
        f"{name} is a ZIP archive, not a Word (DOCX) or Excel (XLSX) document. Allowed: {ALLOWED_DESCRIPTION}.",
        code="type_not_allowed",
    )


def _refuse_polyglot(upload: UploadedFile, name: str, detected: str) -> None:
    """A PDF or image that is also a web page or an archive (a "GIFAR"-style polyglot) is refused."""
    tail = b""
    upload.seek(0)
    for chunk in upload.chunks():
        window = (tail + chunk).lower()
        if any(marker in window for marker in _HTML_MARKERS):
            upload.seek(0)
            raise ValidationError(
                f"{name} is a {detected.upper()} file that also carries web-page code (HTML or script); it is "
                "refused. Export or scan the document again and upload that copy.",
                code="polyglot",
            )
        tail = window[-32:]
    upload.seek(0)
    hides_archive = zipfile.is_zipfile(upload)
    upload.seek(0)
    if hides_archive:
        raise ValidationError(
            f"{name} is a {detected.upper()} file with an archive (ZIP or JAR) hidden inside it; it is refused. "
            "Export or scan the document again and upload that copy.",
            code="polyglot",
        )


def check_upload(upload: UploadedFile, *, max_bytes: int | None = None) -> CheckedUpload:
    """Raise ValidationError unless the file is an allowed type by its content, within size, with a safe name."""
    name = clean_file_name(upload.name or "")
    max_bytes = max_bytes or settings.UPLOAD_MAX_BYTES
    if upload.size == 0:
        raise ValidationError(f"{name} is empty.", code="empty")
    if upload.size > max_bytes:
        raise ValidationError(
            f"{name} is {filesizeformat(upload.size)}; files can be at most {filesizeformat(max_bytes)}.",
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    guess = filetype.guess(head)
    # filetype names some Office files docx/xlsx outright: every ZIP goes through the same OOXML and bomb checks.
    detected = {"pdf": "pdf", "png": "png", "jpg": "jpeg", "zip": "zip", "docx": "zip", "xlsx": "zip"}.get(
        guess.extension if guess else ""
    )
    if detected == "zip":
        detected = _ooxml_kind(upload, name)
    elif detected is not None:
        _refuse_polyglot(upload, name, detected)
    if detected is None:
        found = f" (its content looks like {guess.mime})" if guess else ""
        raise ValidationError(
            f"{name} is not a file type we accept{found}. Allowed: {ALLOWED_DESCRIPTION}, checked by content.",
            code="type_not_allowed",
        )
    mime, extensions = ALLOWED_TYPES[detected]
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in extensions:
        raise ValidationError(
            f"{name} contains a {detected.upper()} file but is named {suffix or 'without an extension'}; "
            f"rename it to end in {extensions[0]}.",
            code="extension_mismatch",
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(
        original_name=name, kind=detected, content_type=mime, size_bytes=upload.size, sha256=digest.hexdigest()
    )

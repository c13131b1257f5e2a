"""Private files on an S3 server (moto on loopback): stored private, handed out only by private_file_response,
streamed through Django or redirected to a signed URL that names the public endpoint and expires in a minute."""

import urllib.request
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.http import Http404
from django.test import override_settings

from operations.files import private_file_response
from operations.storage import PrivateS3Storage
from tests.deploy.conftest import S3_KEY_ID, S3_REGION, S3_SECRET
from tests.portal.attachments.files import pdf_bytes

CONTENT = pdf_bytes(padding=2000)


@pytest.fixture
def storage(s3_server):
    return PrivateS3Storage(
        bucket_name=s3_server.bucket,
        location="private",
        endpoint_url=s3_server.endpoint_url,
        # Browsers reach the store under another name than the servers do (here: localhost for 127.0.0.1).
        public_endpoint_url=f"http://localhost:{s3_server.port}",
        region_name=S3_REGION,
        access_key=S3_KEY_ID,
        secret_key=S3_SECRET,
        addressing_style="path",
        signature_version="s3v4",
        default_acl="private",
        querystring_auth=True,
        querystring_expire=60,
        file_overwrite=False,
    )


@pytest.fixture
def stored(storage):
    name = storage.save("attachments/7/ab/0123456789abcdef", ContentFile(CONTENT))
    return SimpleNamespace(storage=storage, name=name)


def test_files_are_stored_private_under_the_prefix(s3_server, stored):
    assert s3_server.keys() == ["private/attachments/7/ab/0123456789abcdef"]
    acl = s3_server.client().get_object_acl(Bucket=s3_server.bucket, Key="private/attachments/7/ab/0123456789abcdef")
    assert [grant["Permission"] for grant in acl["Grants"]] == ["FULL_CONTROL"]
    assert "URI" not in acl["Grants"][0]["Grantee"], "no group (AllUsers, AuthenticatedUsers) is granted anything"


@override_settings(PRIVATE_FILES_DELIVERY="stream")
def test_streamed_through_django_as_a_download(stored):
    response = private_file_response(stored, filename="Capacity offer.pdf", content_type="application/pdf")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CONTENT
    assert response["Content-Disposition"] == 'attachment; filename="Capacity offer.pdf"'
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


@override_settings(PRIVATE_FILES_DELIVERY="stream")
def test_a_file_missing_from_the_bucket_is_a_404(storage):
    with pytest.raises(Http404):
        private_file_response(
            SimpleNamespace(storage=storage, name="attachments/7/ab/gone"), filename="x.pdf", content_type="x/y"
        )


@override_settings(PRIVATE_FILES_DELIVERY="redirect")
def test_redirected_to_a_signed_url_for_the_public_endpoint_that_expires_in_a_minute(s3_server, stored):
    response = private_file_response(stored, filename="Capacity offer.pdf", content_type="application/pdf")

    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    location = urlsplit(response["Location"])
    query = parse_qs(location.query)
    assert location.netloc == f"localhost:{s3_server.port}"
    assert location.path == f"/{s3_server.bucket}/private/attachments/7/ab/0123456789abcdef"
    assert query["X-Amz-Expires"] == ["60"]
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert query["response-content-disposition"] == ['attachment; filename="Capacity offer.pdf"']

    with urllib.request.urlopen(response["Location"], timeout=10) as download:  # noqa: S310 - our own loopback URL
        assert download.read() == CONTENT
        assert download.headers["Content-Disposition"] == 'attachment; filename="Capacity offer.pdf"'
        assert download.headers["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("delivery", ["stream", "redirect"])
def test_a_pdf_the_service_rendered_may_be_shown_inline(stored, delivery):
    with override_settings(PRIVATE_FILES_DELIVERY=delivery):
        response = private_file_response(
            stored, filename="Summary.pdf", content_type="application/pdf", as_attachment=False
        )

    if delivery == "stream":
        assert response["Content-Disposition"] == 'inline; filename="Summary.pdf"'
        assert "Content-Security-Policy" not in response, "a sandbox would block the browser's PDF viewer"
    else:
        disposition = parse_qs(urlsplit(response["Location"]).query)["response-content-disposition"]
        assert disposition == ['inline; filename="Summary.pdf"']

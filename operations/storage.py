"""Private files on S3-compatible object storage: never public, reached only through signed URLs that expire fast.

The store may answer at one address inside the cluster (S3_ENDPOINT_URL, e.g. http://minio:9000) and at another
for browsers (S3_PUBLIC_ENDPOINT_URL): a signature covers the host, so download URLs are signed for the public one.
"""

from functools import cached_property

from django.utils.http import content_disposition_header
from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    def get_default_settings(self) -> dict:
        return {**super().get_default_settings(), "public_endpoint_url": None}

    @cached_property
    def _signing_client(self):
        if not self.public_endpoint_url or self.public_endpoint_url == self.endpoint_url:
            return self.connection.meta.client
        session = self._create_session()
        return session.client(
            "s3",
            region_name=self.region_name,
            endpoint_url=self.public_endpoint_url,
            config=self.client_config,
            use_ssl=self.public_endpoint_url.startswith("https:"),
            verify=self.verify,
        )

    def signed_download_url(
        self, name: str, *, filename: str, content_type: str, as_attachment: bool = True, expire: int | None = None
    ) -> str:
        """A URL that serves the file under `filename` (as a download unless `as_attachment` is False), briefly."""
        return self._signing_client.generate_presigned_url(
            "get_object",
            Params={
                "Bucket": self.bucket_name,
                "Key": self._normalize_name(name),
                "ResponseContentDisposition": content_disposition_header(as_attachment, filename),
                "ResponseContentType": content_type,
                "ResponseCacheControl": "private, no-store",
            },
            ExpiresIn=expire or self.querystring_expire,
        )

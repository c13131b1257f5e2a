"""Production: refuses to start without its secrets and servers; private files on S3, JSON logs, mail by SMTP or API.

deploy/README.md lists every environment variable read here and in base.py.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_REQUIRED = ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "S3_BUCKET")
_missing = [name for name in _REQUIRED if not os.environ.get(name)]
if _missing:
    raise ImproperlyConfigured(
        "Production settings need these environment variables, which are not set: " + ", ".join(_missing)
    )

from .base import *  # noqa: E402

DEBUG = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    raise ImproperlyConfigured("Production needs PostgreSQL: DATABASE_URL points at SQLite.")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Probes and Prometheus talk plain HTTP to the pod, not through the TLS-terminating proxy.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Files: attachments, certificates and PDFs in a private bucket; static files from the image (whitenoise) ---
_S3_OPTIONS = {
    "bucket_name": env("S3_BUCKET"),
    # Everything under one prefix, so one bucket can serve several environments and a lifecycle rule can target it.
    "location": env("S3_PREFIX", default="private"),
    "endpoint_url": env("S3_ENDPOINT_URL", default="") or None,  # empty for AWS; http://minio:9000 for MinIO
    "public_endpoint_url": env("S3_PUBLIC_ENDPOINT_URL", default="") or None,  # where browsers reach it (redirects)
    "region_name": env("S3_REGION", default="us-east-1"),
    # Empty: boto3's own chain (AWS_* variables, IRSA / instance role).
    "access_key": env("S3_ACCESS_KEY_ID", default="") or None,
    "secret_key": env("S3_SECRET_ACCESS_KEY", default="") or None,
    # "path" for MinIO and most S3-compatible stores; empty lets boto3 choose (virtual-hosted on AWS).
    "addressing_style": env("S3_ADDRESSING_STYLE", default="") or None,
    "signature_version": "s3v4",
    # Objects are never public; set S3_DEFAULT_ACL= (empty) for a bucket whose ACLs are disabled (owner enforced).
    "default_acl": env("S3_DEFAULT_ACL", default="private") or None,
    "querystring_auth": True,
    "querystring_expire": env.int("S3_SIGNED_URL_SECONDS", default=60),
    "file_overwrite": False,
    "object_parameters": (
        {"ServerSideEncryption": env("S3_SERVER_SIDE_ENCRYPTION")}
        if env("S3_SERVER_SIDE_ENCRYPTION", default="")
        else {}
    ),
}
STORAGES = {
    **STORAGES,
    # Nothing the service keeps may land on a container's disk: the default storage is the private bucket too.
    "default": {"BACKEND": "operations.storage.PrivateS3Storage", "OPTIONS": _S3_OPTIONS},
    "private": {"BACKEND": "operations.storage.PrivateS3Storage", "OPTIONS": _S3_OPTIONS},
}

# --- Mail: SMTP, or a provider's HTTP API through django-anymail (EMAIL_PROVIDER=postmark, amazon_ses, ...) ---
EMAIL_PROVIDER = env("EMAIL_PROVIDER", default="smtp")
if EMAIL_PROVIDER == "smtp":
    EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
else:
    import importlib.util

    if importlib.util.find_spec(f"anymail.backends.{EMAIL_PROVIDER}") is None:
        raise ImproperlyConfigured(
            f"EMAIL_PROVIDER={EMAIL_PROVIDER!r} is neither smtp nor an anymail provider (postmark, sendgrid, "
            "mailgun, amazon_ses, brevo, sparkpost, ...)."
        )
    EMAIL_BACKEND = f"anymail.backends.{EMAIL_PROVIDER}.EmailBackend"
# Every ANYMAIL_<NAME> variable becomes ANYMAIL["<NAME>"], e.g. ANYMAIL_POSTMARK_SERVER_TOKEN.
ANYMAIL = {name.removeprefix("ANYMAIL_"): value for name, value in os.environ.items() if name.startswith("ANYMAIL_")}
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
SERVER_EMAIL = env("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# --- Logs: JSON lines with the request id, one access line per request ---
LOGGING = logging_config(log_format=env("LOG_FORMAT", default="json"), level=env("LOG_LEVEL", default="INFO"))
ACCESS_LOG = env.bool("ACCESS_LOG", default=True)

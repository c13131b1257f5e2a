"""`make bench`: the production settings, on loopback, plus the benchmark's floor views and query counter.

What differs from production, and why: files go to a local folder (no object store here), cookies and redirects
work over plain HTTP on 127.0.0.1, mail goes to files, static files come from the finders (no collectstatic), and
`BENCH_FLOORS` turns on `bench.urls`' floor views and the X-Bench-Queries header. Everything else (DEBUG off,
middleware, sessions, password hashing, logging) is production's.
"""

import os

# Production refuses to start without a bucket; the bench keeps files on disk and never reaches S3.
os.environ.setdefault("S3_BUCKET", "bench-unused")

from .production import *

BENCH_FLOORS = True
ROOT_URLCONF = "bench.urls"
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]

_files = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    **STORAGES,
    "default": {**_files, "OPTIONS": {"location": str(MEDIA_ROOT)}},
    "private": {**_files, "OPTIONS": {"location": str(PRIVATE_STORAGE_ROOT), "base_url": None}},
}
# Static files straight from the finders: the bench requests no static file, and production's collectstatic with
# compression takes minutes here; `{% static %}` then skips a manifest lookup (a dict read) and nothing else.
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
WHITENOISE_USE_FINDERS = True
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# Every client of the bench comes from 127.0.0.1: allauth's per-IP login limit (30 a minute) would refuse the rush.
ACCOUNT_RATE_LIMITS = {**ACCOUNT_RATE_LIMITS, "login": "100000/m/ip"}
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = env.path("EMAIL_FILE_PATH", default=str(VAR_DIR / "bench" / "mail"))

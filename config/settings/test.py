"""The test suite: real PostgreSQL and Redis (the local services unless DATABASE_URL / REDIS_URL say otherwise)."""

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")

from .base import *

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# In memory by default; a worker process started by a test writes files the test can read (EMAIL_FILE_PATH).
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
EMAIL_FILE_PATH = env.path("EMAIL_FILE_PATH", default=str(VAR_DIR / "test-mail"))
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
PRIVATE_STORAGE_ROOT = VAR_DIR / "test-private"
STORAGES["private"]["OPTIONS"]["location"] = str(PRIVATE_STORAGE_ROOT)
# Publishing must fail fast in tests that stop the broker.
CELERY_BROKER_CONNECTION_TIMEOUT = 1.0
CELERY_BROKER_SOCKET_TIMEOUT = 1.0
CELERY_BROKER_TRANSPORT_OPTIONS = broker_transport_options(
    CELERY_BROKER_URL,
    socket_timeout=CELERY_BROKER_SOCKET_TIMEOUT,
    connect_timeout=CELERY_BROKER_CONNECTION_TIMEOUT,
)
# A test worker looks for the messages of killed workers every 10 s (kombu's default: every 100 s).
if CELERY_BROKER_URL.startswith("redis"):
    CELERY_BROKER_TRANSPORT_OPTIONS["unacked_restore_throttle"] = 1
# Test workers may load test-only tasks and hooks (tests/faults/worker_hooks.py); empty otherwise.
CELERY_IMPORTS = env.list("CELERY_TEST_IMPORTS", default=[])
# Tests that sign in with force_login skip the second factor; tests/accounts/test_second_factor.py turns it on.
BUYER_MFA_REQUIRED = False
# Rate-limit counters must not outlive a test run.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

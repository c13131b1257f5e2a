"""Settings shared by every environment; each value a deployment changes comes from the environment."""

from pathlib import Path

import environ
from celery.schedules import crontab

from operations.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
env.read_env(BASE_DIR / ".env", overwrite=False)

# Everything the embedded default writes (database, broker, files, mail) lives here.
VAR_DIR = Path(env("VAR_DIR", default=str(BASE_DIR / "var")))

SECRET_KEY = env("SECRET_KEY", default="insecure-local-development-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# `make run` serves on 127.0.0.1:$PORT (scripts/run passes it on as WEB_PORT); links in emails follow it.
SITE_URL = env("SITE_URL", default=f"http://127.0.0.1:{env('WEB_PORT', default=env('PORT', default='8000'))}")
SITE_NAME = env("SITE_NAME", default="RFP Intake")

INSTALLED_APPS = [
    "config.apps.ReviewPanelAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "accounts",
    "audit",
    "jobs",
    "suppliers",
    "rfp",
    "documents",
    "portal",
    "review",
    "tokens",
    "api",
    "exports",
    "notifications",
    "operations",
    "bench",  # make bench: seed_scale and the floor views (served only with BENCH_FLOORS)
]

MIDDLEWARE = [
    "operations.middleware.RequestTelemetryMiddleware",  # request id, metrics, access log: outermost
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.BuyerSecondFactorMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.db_unavailable.DatabaseUnavailableMiddleware",  # a lost database connection answers 503
]

# Content-Security-Policy (django-csp): scripts, styles and everything else from this site only, no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],  # data: for the QR code of the authenticator set-up page
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# The embedded default is SQLite under var/; DATABASE_URL switches to PostgreSQL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL and immediate transactions let the web process and the worker write without "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE", "timeout": 20}
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "portal:home"

# Sign-up and sign-in (django-allauth): email only, verified before first use, failed logins rate-limited.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[RFP Intake] "
ACCOUNT_ADAPTER = "notifications.account_adapter.AccountAdapter"  # allauth's emails go through the outbox
ACCOUNT_RATE_LIMITS = {
    "login_failed": env("LOGIN_FAILED_RATE_LIMIT", default="5/5m/ip,5/5m/key"),
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
# Reviewers and program leads add a TOTP code (allauth.mfa); accounts.middleware keeps them out of these until then.
BUYER_MFA_REQUIRED = env.bool("BUYER_MFA_REQUIRED", default=True)
BUYER_MFA_PROTECTED_PREFIXES = ["/panel/", "/review/", "/api/", "/exports/", "/documents/"]
MFA_ADAPTER = "accounts.mfa.BuyerMFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "RFP Intake"
# A signed-in session lasts a working day ("remember me") or until the browser closes; idle or not, it then ends.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"


LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
MEDIA_URL = "/media/"
# Attachments, certificates and PDFs are private: never under MEDIA_URL, served only by authorizing views.
PRIVATE_STORAGE_ROOT = env.path("PRIVATE_STORAGE_ROOT", default=str(VAR_DIR / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_STORAGE_ROOT), "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# How an authorized download reaches the person: "stream" through Django, or "redirect" to a short-lived signed URL.
PRIVATE_FILES_DELIVERY = env("PRIVATE_FILES_DELIVERY", default="stream")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=25 * 1024 * 1024)
UPLOAD_MAX_EXPANDED_BYTES = env.int("UPLOAD_MAX_EXPANDED_BYTES", default=200 * 1024 * 1024)
PROPOSAL_ATTACHMENT_QUOTA_BYTES = env.int("PROPOSAL_ATTACHMENT_QUOTA_BYTES", default=100 * 1024 * 1024)
PROPOSAL_ATTACHMENT_MAX_FILES = env.int("PROPOSAL_ATTACHMENT_MAX_FILES", default=25)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 20

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = env.path("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="RFP Intake <rfp-intake@localhost>")
PROGRAM_LEAD_EMAILS = env.list("PROGRAM_LEAD_EMAILS", default=[])
# The outbox (notifications): a failed send is tried again after 1, 2, 4... minutes (capped), then marked failed.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
EMAIL_MAX_ATTEMPTS = env.int("EMAIL_MAX_ATTEMPTS", default=5)
EMAIL_RETRY_BASE_SECONDS = env.int("EMAIL_RETRY_BASE_SECONDS", default=60)
EMAIL_RETRY_MAX_SECONDS = env.int("EMAIL_RETRY_MAX_SECONDS", default=3600)

# The REST API (api/): bearer tokens first, so an anonymous caller gets 401 with a WWW-Authenticate header.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated", "api.permissions.TokenScope"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttles.AnonymousIpThrottle", "api.throttles.UserThrottle"],
    # JSON only: browsers read the documentation at /api/v1/docs/; errors are always problem+json.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", default="60/minute"),
        "user": env("API_THROTTLE_USER", default="1200/hour"),
    },
    "NUM_PROXIES": env.int("API_NUM_PROXIES", default=0),
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "api.problems.problem_exception_handler",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "RFP Intake API",
    "DESCRIPTION": "Suppliers' proposals and the buyer's review, as the portal and the review panel do them.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_GENERATE_CHOICE_DESCRIPTION": True,
    "PREPROCESSING_HOOKS": ["api.routing.expand_operations"],
    "ENUM_NAME_OVERRIDES": {
        "UsStateEnum": "suppliers.enums.UsState",
        "FacilityStatusEnum": "suppliers.enums.FacilityStatus",
        "CertificationKindEnum": "suppliers.enums.CertificationKind",
        "AttachmentKindEnum": "rfp.enums.AttachmentKind",
        "ProposalStatusEnum": "rfp.enums.ProposalStatus",
        "AssignmentStatusEnum": "rfp.enums.AssignmentStatus",
        "DecisionOutcomeEnum": "rfp.enums.DecisionOutcome",
        "CheckOutcomeEnum": "rfp.enums.CheckOutcome",
        "DecisionChoiceEnum": ["request_info", "shortlisted", "declined"],
        "DatacenterSectorEnum": ["datacenter"],
        "ElectronicsSectorEnum": ["consumer-electronics"],
        "RoboticsSectorEnum": ["robotics"],
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Celery: the database is the source of truth (jobs.Job); the broker carries job ids and may lose nothing that matters.
REDIS_URL = env("REDIS_URL", default="")
# Rate limits (login attempts) are counted in the cache: shared through Redis when there is one.
# A stalled Redis must not hold a sign-in: each cache call gives up after this long (redis-py alone waits ~5 s);
# the request then answers 503.
REDIS_CACHE_OPTIONS = {
    "socket_timeout": env.float("REDIS_CACHE_TIMEOUT_SECONDS", default=1.0),
    "socket_connect_timeout": env.float("REDIS_CACHE_TIMEOUT_SECONDS", default=1.0),
}
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": REDIS_CACHE_OPTIONS,
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
# Without Redis the embedded default uses kombu's filesystem transport under var/broker. The transport ignores the
# host, but kombu warns "No hostname was supplied" on every connection whose URL names none.
FILESYSTEM_BROKER_URL = "filesystem://localhost/"
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or FILESYSTEM_BROKER_URL)
BROKER_FOLDER = VAR_DIR / "broker"
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=3.0)
CELERY_BROKER_SOCKET_TIMEOUT = env.float("CELERY_BROKER_SOCKET_TIMEOUT", default=3.0)
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_POOL_LIMIT = 10
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
# One quick publish retry: a stalled or stopped broker must not hold a request; the sweeper publishes later.
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {"*.render_*": {"queue": "pdf"}, "*.send_*": {"queue": "mail"}}
CELERY_TASK_ALWAYS_EAGER = False
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_WORKER_MAX_TASKS_PER_CHILD", default=200)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=400_000)  # KiB
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE_FILENAME = env("CELERY_BEAT_SCHEDULE_FILENAME", default=str(VAR_DIR / "celerybeat-schedule"))
JOB_SWEEP_INTERVAL_SECONDS = env.int("JOB_SWEEP_INTERVAL_SECONDS", default=60)
# A job still pending this long after it was created never reached the broker.
JOB_PUBLISH_GRACE_SECONDS = env.int("JOB_PUBLISH_GRACE_SECONDS", default=30)
# A job published but not started this long ago is published again (its message was lost).
JOB_STALE_SECONDS = env.int("JOB_STALE_SECONDS", default=2 * 3600)
JOB_MAX_ATTEMPTS = env.int("JOB_MAX_ATTEMPTS", default=5)
# A proposal's PDF summary longer than this, or whose render takes longer, is given up with a message, not retried.
SUMMARY_PDF_MAX_PAGES = env.int("SUMMARY_PDF_MAX_PAGES", default=60)
SUMMARY_PDF_RENDER_SECONDS = env.int("SUMMARY_PDF_RENDER_SECONDS", default=120)
# After a failed publish, a process leaves new jobs to the sweeper this long instead of waiting on the broker again.
JOB_PUBLISH_BACKOFF_SECONDS = env.int("JOB_PUBLISH_BACKOFF_SECONDS", default=10)
# Restricted-party screening (suppliers.screening): a name scoring this much (0-100) against a list entry is a hit,
# one scoring at least the review score needs a person to look at it.
SCREENING_HIT_SCORE = env.int("SCREENING_HIT_SCORE", default=92)
SCREENING_REVIEW_SCORE = env.int("SCREENING_REVIEW_SCORE", default=80)
# Reviews of one proposal disagree when their weighted scores (0-100) spread by more than this many points.
REVIEW_DISAGREEMENT_THRESHOLD = env.int("REVIEW_DISAGREEMENT_THRESHOLD", default=20)
# The OCDS export: its ocid prefix (register one with the Open Contracting Partnership) and who publishes it.
OCDS_OCID_PREFIX = env("OCDS_OCID_PREFIX", default="ocds-000000")
OCDS_PUBLISHER_NAME = env("OCDS_PUBLISHER_NAME", default="RFP Intake")
CELERY_BEAT_SCHEDULE = {
    "sweep-unpublished-jobs": {"task": "jobs.sweep", "schedule": float(JOB_SWEEP_INTERVAL_SECONDS)},
    "assign-waiting-proposals": {"task": "rfp.assign_waiting", "schedule": 15 * 60.0},
    "retry-due-emails": {"task": "notifications.retry_due_emails", "schedule": 30.0},
    # Hourly checks: each RFP's report settings say at which hour (and, for the weekly report, which day) it is due.
    "reviewer-digests": {"task": "notifications.send_reviewer_digests", "schedule": crontab(minute=5)},
    "program-reports": {"task": "notifications.send_program_reports", "schedule": crontab(minute=10)},
}


def broker_transport_options(broker_url: str, *, socket_timeout: float, connect_timeout: float) -> dict:
    if broker_url.startswith("filesystem://"):
        for folder in ("queue", "processed", "control"):
            (BROKER_FOLDER / folder).mkdir(parents=True, exist_ok=True)
        return {
            # kombu's default control folder is ./control, which would litter the working directory
            "control_folder": str(BROKER_FOLDER / "control"),
            "data_folder_in": str(BROKER_FOLDER / "queue"),
            "data_folder_out": str(BROKER_FOLDER / "queue"),
            "processed_folder": str(BROKER_FOLDER / "processed"),
            "store_processed": False,
        }
    return {
        "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
        "socket_timeout": socket_timeout,
        "socket_connect_timeout": connect_timeout,
        "socket_keepalive": True,
        "health_check_interval": 25,
        "max_retries": 1,
    }


CELERY_BROKER_TRANSPORT_OPTIONS = broker_transport_options(
    CELERY_BROKER_URL,
    socket_timeout=CELERY_BROKER_SOCKET_TIMEOUT,
    connect_timeout=CELERY_BROKER_CONNECTION_TIMEOUT,
)

LOGGING = logging_config(log_format=env("LOG_FORMAT", default="plain"), level=env("LOG_LEVEL", default="INFO"))
# One log line per request (method, path, status, duration, view, request id); gunicorn's own access log is off.
ACCESS_LOG = env.bool("ACCESS_LOG", default=False)
# /metrics (Prometheus) answers a bearer token or a client address in these networks; with neither it is a 404.
METRICS_TOKEN = env("METRICS_TOKEN", default="")
METRICS_ALLOWED_NETWORKS = env.list("METRICS_ALLOWED_NETWORKS", default=[])

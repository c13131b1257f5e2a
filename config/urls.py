from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from accounts.views import panel_login
from config import health
from operations.metrics import metrics

handler500 = "config.db_unavailable.server_error"  # a lost database connection answers 503, not 500

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics, name="metrics"),
    path("panel/login/", panel_login, name="panel_login"),
    path("panel/", admin.site.urls),
    path("review/", include("review.urls")),
    path("api/v1/", include("api.urls")),
    path("exports/", include("exports.urls")),
    path("documents/", include("documents.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("portal.urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from config import health

admin.site.site_header = "RFP review panel"
admin.site.site_title = "RFP review panel"
admin.site.index_title = "Proposals, reviews and the RFP"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("panel/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("portal.urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

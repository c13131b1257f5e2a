from django.urls import path

from portal import views
from portal.api_tokens.urls import urlpatterns as api_token_urls
from portal.attachments.urls import urlpatterns as attachment_urls
from portal.company.urls import urlpatterns as company_urls
from portal.proposals.urls import urlpatterns as proposal_urls

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("portal/", views.dashboard, name="dashboard"),
    *company_urls,
    *proposal_urls,
    *attachment_urls,
    *api_token_urls,
]

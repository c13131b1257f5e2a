from django.urls import path

from portal.api_tokens import views

urlpatterns = [
    path("portal/account/api-tokens/", views.api_tokens, name="api_tokens"),
    path("portal/account/api-tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
]

from django.urls import path

from api import views

app_name = "api"

urlpatterns = [
    path("", views.ApiRootView.as_view(), name="root"),
    path("rfps/open/", views.OpenRfpListView.as_view(), name="open-rfps"),
]

from django.urls import path

from portal.attachments import views

urlpatterns: list = [
    path("portal/proposals/<str:reference>/attachments/", views.attachments, name="attachments"),
    path("portal/proposals/<str:reference>/attachments/upload/", views.attachment_upload, name="attachment_upload"),
    path(
        "portal/proposals/<str:reference>/attachments/<int:attachment_id>/delete/",
        views.attachment_delete,
        name="attachment_delete",
    ),
    path(
        "portal/proposals/<str:reference>/attachments/<int:attachment_id>/download/",
        views.attachment_download,
        name="attachment_download",
    ),
]

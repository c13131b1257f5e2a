from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("proposals/<int:proposal_id>/summary.pdf", views.proposal_summary_pdf, name="proposal_summary_pdf"),
]

from django.urls import path

from exports import views

app_name = "exports"

urlpatterns = [
    path("rfps/<str:reference>/proposals.csv", views.rfp_proposals_csv, name="rfp-proposals-csv"),
    path("rfps/<str:reference>/reviews.csv", views.rfp_reviews_csv, name="rfp-reviews-csv"),
    path("rfps/<str:reference>/ocds.json", views.rfp_ocds_json, name="rfp-ocds"),
]

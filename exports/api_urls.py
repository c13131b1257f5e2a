"""Routes of exports.api, included by api/urls.py under /api/v1/exports/ (names in the "api" namespace)."""

from django.urls import path

from exports import api

urlpatterns = [
    path("rfps/<str:reference>/proposals/", api.RfpProposalsCsvApi.as_view(), name="exports-rfp-proposals"),
    path("rfps/<str:reference>/reviews/", api.RfpReviewsCsvApi.as_view(), name="exports-rfp-reviews"),
    path("rfps/<str:reference>/ocds/", api.RfpOcdsApi.as_view(), name="exports-rfp-ocds"),
]

"""The exports through the REST API (/api/v1/exports/...): program leads only, a 404 for anyone else.

The same content, audit event and file names as the panel's downloads (exports.views).
"""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import BasePermission
from rest_framework.settings import api_settings

from exports import responses
from exports.csv import proposals_csv, reviews_csv
from exports.ocds import ocds_release_package
from exports.selectors import commercial_terms_exported, rfp_for_export
from exports.services import rfp_export_record
from operations.rest import DOWNLOAD_RENDERERS, ApiView
from rfp import rules

TAGS = ("exports",)


class ProgramLeadsOnly(BasePermission):
    """Anyone else gets a 404 for any method (ApiView turns the "not_found" code into one), never a 405 or a 403."""

    code = "not_found"

    def has_permission(self, request, view) -> bool:
        return rules.is_program_lead(request.user)


class _ExportApi(ApiView):
    tags = TAGS
    permission_classes = [*api_settings.DEFAULT_PERMISSION_CLASSES, ProgramLeadsOnly]
    renderer_classes = DOWNLOAD_RENDERERS  # a download answers any Accept header; errors stay JSON


def _csv_schema(description: str) -> dict:
    return {(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description=description)}


class RfpProposalsCsvApi(_ExportApi):
    @extend_schema(
        summary="The round's submitted proposals as CSV",
        description="One row per submitted proposal: answers, check outcomes, review scores and decision. Sealed "
        "commercial terms are added once the round has closed. Cells are neutralised against spreadsheet formulas.",
        responses=_csv_schema("The proposals, as a CSV download (UTF-8 with a byte order mark)."),
    )
    def get(self, request, reference: str):
        now = timezone.now()
        rfp = rfp_for_export(user=request.user, reference=reference)
        with_terms = commercial_terms_exported(user=request.user, rfp=rfp, now=now)
        rfp_export_record(rfp=rfp, actor=request.user, export="proposals_csv", commercial_terms=with_terms)
        return responses.csv_download(
            proposals_csv(rfp=rfp, user=request.user, now=now),
            filename=responses.export_filename(rfp=rfp, export="proposals", now=now, extension="csv"),
        )


class RfpReviewsCsvApi(_ExportApi):
    @extend_schema(
        summary="The round's submitted reviews as CSV",
        description="One row per submitted review: reviewer, recommendation, weighted score and a column per "
        "criterion of each rubric used. Cells are neutralised against spreadsheet formulas.",
        responses=_csv_schema("The reviews, as a CSV download (UTF-8 with a byte order mark)."),
    )
    def get(self, request, reference: str):
        now = timezone.now()
        rfp = rfp_for_export(user=request.user, reference=reference)
        rfp_export_record(rfp=rfp, actor=request.user, export="reviews_csv")
        return responses.csv_download(
            reviews_csv(rfp=rfp),
            filename=responses.export_filename(rfp=rfp, export="reviews", now=now, extension="csv"),
        )


class RfpOcdsApi(_ExportApi):
    @extend_schema(
        summary="The round as an OCDS 1.1 release package",
        description="Open Contracting Data Standard 1.1 release package with the lots and bids extensions: one lot "
        "per sector, bid statistics at any time, and bid details per submitted proposal once the round has closed.",
        responses={
            (200, "application/json"): OpenApiResponse(
                OpenApiTypes.OBJECT, description="The OCDS release package, as a JSON download."
            )
        },
    )
    def get(self, request, reference: str):
        now = timezone.now()
        rfp = rfp_for_export(user=request.user, reference=reference)
        rfp_export_record(rfp=rfp, actor=request.user, export="ocds_json")
        return responses.json_download(
            ocds_release_package(rfp=rfp, now=now),
            filename=responses.export_filename(rfp=rfp, export="ocds", now=now, extension="json"),
        )

"""Downloads of a round's exports for program leads, linked from the RFP's page in the review panel.

Thin: the round comes from `exports.selectors.rfp_for_export` (a 404 for anyone but a program lead), the content
from exports.csv / exports.ocds, and the audit event from exports.services.
"""

from django.contrib.auth.decorators import login_required
from django.utils import timezone
from django.views.decorators.http import require_GET

from exports import responses
from exports.csv import proposals_csv, reviews_csv
from exports.ocds import ocds_release_package
from exports.selectors import commercial_terms_exported, rfp_for_export
from exports.services import rfp_export_record

# Signed-out people go to the panel's sign-in; signed-in people who are not program leads get a 404.
panel_login_required = login_required(login_url="admin:login")


@require_GET
@panel_login_required
def rfp_proposals_csv(request, reference: str):
    now = timezone.now()
    rfp = rfp_for_export(user=request.user, reference=reference)
    with_terms = commercial_terms_exported(user=request.user, rfp=rfp, now=now)
    rfp_export_record(rfp=rfp, actor=request.user, export="proposals_csv", commercial_terms=with_terms)
    return responses.csv_download(
        proposals_csv(rfp=rfp, user=request.user, now=now),
        filename=responses.export_filename(rfp=rfp, export="proposals", now=now, extension="csv"),
    )


@require_GET
@panel_login_required
def rfp_reviews_csv(request, reference: str):
    now = timezone.now()
    rfp = rfp_for_export(user=request.user, reference=reference)
    rfp_export_record(rfp=rfp, actor=request.user, export="reviews_csv")
    return responses.csv_download(
        reviews_csv(rfp=rfp),
        filename=responses.export_filename(rfp=rfp, export="reviews", now=now, extension="csv"),
    )


@require_GET
@panel_login_required
def rfp_ocds_json(request, reference: str):
    now = timezone.now()
    rfp = rfp_for_export(user=request.user, reference=reference)
    rfp_export_record(rfp=rfp, actor=request.user, export="ocds_json")
    return responses.json_download(
        ocds_release_package(rfp=rfp, now=now),
        filename=responses.export_filename(rfp=rfp, export="ocds", now=now, extension="json"),
    )

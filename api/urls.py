from csp.decorators import csp_update
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from api.routing import operations
from api.views import attachments, company, proposals, review, rfps, root
from api.views.base import not_found

app_name = "api"
REDOC_STYLES = csp_update({"style-src": ["'unsafe-inline'"]})

meta = [
    path("", root.ApiRootApi.as_view(), name="root"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),  # no inline script (CSP)
    # Redoc styles itself with <style> elements it writes as it runs; its scripts stay 'self' only (CSP).
    path("docs/redoc/", REDOC_STYLES(SpectacularRedocView.as_view(url_name="api:schema")), name="redoc"),
]

company_ = [
    path(
        "company/",
        operations(get=company.CompanyDetailApi, post=company.CompanyRegisterApi, patch=company.CompanyUpdateApi),
        name="company",
    ),
    path("company/members/", company.MemberListApi.as_view(), name="members"),
    path(
        "company/members/<int:member_id>/",
        operations(get=company.MemberDetailApi, patch=company.MemberRoleUpdateApi, delete=company.MemberRemoveApi),
        name="member",
    ),
    path(
        "company/invitations/",
        operations(get=company.InvitationListApi, post=company.InvitationSendApi),
        name="invitations",
    ),
    path(
        "company/invitations/<int:invitation_id>/revoke/",
        company.InvitationRevokeApi.as_view(),
        name="invitation-revoke",
    ),
    path("invitations/accept/", company.InvitationAcceptApi.as_view(), name="invitation-accept"),
    path(
        "company/facilities/",
        operations(get=company.FacilityListApi, post=company.FacilityCreateApi),
        name="facilities",
    ),
    path(
        "company/facilities/<int:facility_id>/",
        operations(get=company.FacilityDetailApi, patch=company.FacilityUpdateApi, delete=company.FacilityDeleteApi),
        name="facility",
    ),
    path(
        "company/certifications/",
        operations(get=company.CertificationListApi, post=company.CertificationCreateApi),
        name="certifications",
    ),
    path(
        "company/certifications/<int:certification_id>/",
        operations(
            get=company.CertificationDetailApi,
            patch=company.CertificationUpdateApi,
            delete=company.CertificationDeleteApi,
        ),
        name="certification",
    ),
    path(
        "company/certifications/<int:certification_id>/document/",
        company.CertificationDocumentApi.as_view(),
        name="certification-document",
    ),
]

rounds = [
    path("rfps/open/", rfps.OpenRfpListApi.as_view(), name="open-rfps"),
    path("rfps/<str:reference>/", rfps.RfpDetailApi.as_view(), name="rfp"),
    path("rfps/<str:reference>/addenda/", rfps.AddendumListApi.as_view(), name="addenda"),
    path(
        "rfps/<str:reference>/addenda/<int:number>/acknowledge/",
        rfps.AddendumAcknowledgeApi.as_view(),
        name="addendum-acknowledge",
    ),
    path(
        "rfps/<str:reference>/clarifications/",
        operations(get=rfps.ClarificationListApi, post=rfps.ClarificationAskApi),
        name="clarifications",
    ),
]

proposal = "proposals/<str:reference>/"
supplier_proposals = [
    path("proposals/", operations(get=proposals.ProposalListApi, post=proposals.ProposalCreateApi), name="proposals"),
    path(proposal, operations(get=proposals.ProposalDetailApi, patch=proposals.ProposalUpdateApi), name="proposal"),
    path(
        f"{proposal}sector-details/",
        operations(get=proposals.SectorDetailsApi, patch=proposals.SectorDetailsUpdateApi),
        name="sector-details",
    ),
    path(
        f"{proposal}commercial-terms/",
        operations(get=proposals.CommercialTermsApi, patch=proposals.CommercialTermsUpdateApi),
        name="commercial-terms",
    ),
    path(f"{proposal}status/", proposals.ProposalStatusApi.as_view(), name="proposal-status"),
    path(f"{proposal}submit/", proposals.ProposalSubmitApi.as_view(), name="proposal-submit"),
    path(f"{proposal}withdraw/", proposals.ProposalWithdrawApi.as_view(), name="proposal-withdraw"),
    path(f"{proposal}resubmit/", proposals.ProposalResubmitApi.as_view(), name="proposal-resubmit"),
    path(
        f"{proposal}information-requests/",
        proposals.InformationRequestListApi.as_view(),
        name="information-requests",
    ),
    path(f"{proposal}versions/", proposals.VersionListApi.as_view(), name="versions"),
    path(f"{proposal}versions/<int:number>/", proposals.VersionDetailApi.as_view(), name="version"),
    path(
        f"{proposal}attachments/",
        operations(get=attachments.AttachmentListApi, post=attachments.AttachmentUploadApi),
        name="attachments",
    ),
    path(
        f"{proposal}attachments/<int:attachment_id>/",
        operations(get=attachments.AttachmentDetailApi, delete=attachments.AttachmentDeleteApi),
        name="attachment",
    ),
    path(
        f"{proposal}attachments/<int:attachment_id>/download/",
        attachments.AttachmentDownloadApi.as_view(),
        name="attachment-download",
    ),
]

under_review = "review/proposals/<str:reference>/"
buyer = [
    path("review/assignments/", review.AssignmentQueueApi.as_view(), name="review-assignments"),
    path("review/proposals/", review.ProposalQueueApi.as_view(), name="review-queue"),
    path("review/decisions/", review.BulkDecisionApi.as_view(), name="review-bulk-decision"),
    path("review/unassigned/", review.UnassignedListApi.as_view(), name="review-unassigned"),
    path("review/sla/", review.ServiceLevelsApi.as_view(), name="review-sla"),
    path("review/rfps/<str:reference>/ranking/", review.RankingApi.as_view(), name="review-ranking"),
    path(under_review, review.ReviewProposalDetailApi.as_view(), name="review-proposal"),
    path(f"{under_review}conflict/", review.ConflictDeclareApi.as_view(), name="review-conflict"),
    path(
        f"{under_review}review/",
        operations(get=review.ReviewDetailApi, put=review.ReviewSaveApi),
        name="review-review",
    ),
    path(f"{under_review}review/submit/", review.ReviewSubmitApi.as_view(), name="review-review-submit"),
    path(
        f"{under_review}commercial-terms/",
        review.CommercialTermsOpenApi.as_view(),
        name="review-commercial-terms",
    ),
    path(f"{under_review}decision/", review.ProposalDecisionApi.as_view(), name="review-decision"),
    path(f"{under_review}assign/", review.AssignNowApi.as_view(), name="review-assign"),
    path(f"{under_review}history/", review.HistoryApi.as_view(), name="review-history"),
]

# Exports (CSV, OCDS) for program leads are added here.
exports = [path("exports/", include("exports.api_urls"))]  # exports/api.py

urlpatterns = [
    *meta,
    *company_,
    *rounds,
    *supplier_proposals,
    *buyer,
    *exports,
    # Keep last: any other path under /api/v1/ is a 404 in the API's problem shape, not an HTML page.
    re_path(r"^.*$", not_found, name="not-found"),
]

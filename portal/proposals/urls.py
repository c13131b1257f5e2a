from django.urls import path

from portal.proposals import views

urlpatterns = [
    path("portal/rfps/<str:reference>/", views.rfp_detail, name="rfp_detail"),
    path(
        "portal/rfps/<str:reference>/addenda/<int:number>/acknowledge/",
        views.addendum_acknowledge,
        name="addendum_acknowledge",
    ),
    path("portal/rfps/<str:reference>/questions/", views.clarification_ask, name="clarification_ask"),
    path("portal/proposals/", views.proposal_list, name="proposals"),
    path("portal/proposals/new/", views.proposal_start, name="proposal_start"),
    path("portal/proposals/<str:reference>/", views.proposal_detail, name="proposal_detail"),
    path("portal/proposals/<str:reference>/steps/<slug:step>/", views.proposal_step, name="proposal_step"),
    path("portal/proposals/<str:reference>/submit/", views.proposal_submit, name="proposal_submit"),
    path(
        "portal/proposals/<str:reference>/versions/<int:number>/receipt/",
        views.proposal_receipt_view,
        name="proposal_receipt",
    ),
    path("portal/proposals/<str:reference>/answer/", views.proposal_answer, name="proposal_answer"),
    path("portal/proposals/<str:reference>/withdraw/", views.proposal_withdraw, name="proposal_withdraw"),
]

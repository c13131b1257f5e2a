from django.urls import path

from portal.company import views

urlpatterns = [
    path("portal/company/", views.company, name="company"),
    path("portal/company/register/", views.company_register, name="company_register"),
    path("portal/company/edit/", views.company_edit, name="company_edit"),
    path("portal/company/naics/", views.naics_lookup, name="naics_lookup"),
    path("portal/company/team/", views.team, name="team"),
    path("portal/company/team/invite/", views.team_invite, name="team_invite"),
    path("portal/company/team/invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("portal/company/team/members/<int:pk>/role/", views.member_role, name="member_role"),
    path("portal/company/team/members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("portal/invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("portal/company/facilities/", views.facilities, name="facilities"),
    path("portal/company/facilities/new/", views.facility_create, name="facility_create"),
    path("portal/company/facilities/<int:pk>/edit/", views.facility_edit, name="facility_edit"),
    path("portal/company/facilities/<int:pk>/delete/", views.facility_delete, name="facility_delete"),
    path("portal/company/certifications/", views.certifications, name="certifications"),
    path("portal/company/certifications/new/", views.certification_create, name="certification_create"),
    path("portal/company/certifications/<int:pk>/edit/", views.certification_edit, name="certification_edit"),
    path("portal/company/certifications/<int:pk>/delete/", views.certification_delete, name="certification_delete"),
    path(
        "portal/company/certifications/<int:pk>/document/",
        views.certification_download,
        name="certification_download",
    ),
]

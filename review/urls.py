from django.urls import path

from review import views

app_name = "review"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("decide/", views.bulk_decide, name="bulk_decide"),
    path("unassigned/", views.unassigned, name="unassigned"),
    path("sla/", views.sla, name="sla"),
    path("ranking/", views.ranking, name="ranking"),
    path("proposals/<str:reference>/", views.proposal_detail, name="proposal"),
    path("proposals/<str:reference>/conflict/", views.declare_conflict, name="declare_conflict"),
    path("proposals/<str:reference>/review/", views.save_review, name="save_review"),
    path("proposals/<str:reference>/commercial-terms/", views.open_commercial_terms, name="commercial_terms"),
    path("proposals/<str:reference>/decide/", views.decide, name="decide"),
    path("proposals/<str:reference>/assign/", views.assign_now, name="assign_now"),
]

from django.urls import path

from . import views

app_name = "teams"

urlpatterns = [
    path("smederijen/<slug:slug>/", views.smederij_detail, name="smederij-detail"),
    path("wijk-en-dorpenteams/", views.team_list, name="team-list"),
    path("wijk-en-dorpenteams/<slug:slug>/", views.team_detail, name="team-detail"),
    path("gebiedsregisseurs/", views.gebiedsregisseur_list, name="gebiedsregisseur-list"),
    path("stuurgroep/", views.stuurgroep_detail, name="stuurgroep"),
    path("initiatiefgroepen/", views.initiatiefgroep_list, name="initiatiefgroep-list"),
    path(
        "initiatiefgroepen/<slug:slug>/",
        views.initiatiefgroep_detail,
        name="initiatiefgroep-detail",
    ),
    path(
        "initiatiefgroepen/<slug:slug>/aanmelden/",
        views.initiatiefgroep_join,
        name="initiatiefgroep-join",
    ),
    path(
        "initiatiefgroepen/<slug:slug>/afmelden/",
        views.initiatiefgroep_leave,
        name="initiatiefgroep-leave",
    ),
    path("account/mijn-gegevens/", views.my_details, name="my-details"),
]

# The stuurgroep's work: dossiers of plans, assessments, positions, meetings and decisions.
from . import dossier_views, meeting_views  # noqa: E402

urlpatterns += [
    path("stuurgroep/dossiers/", dossier_views.dossier_list, name="dossier-list"),
    path("stuurgroep/dossiers/<uuid:public_id>/", dossier_views.dossier, name="dossier"),
    path(
        "stuurgroep/dossiers/<uuid:public_id>/beoordelen/",
        dossier_views.assessment,
        name="assessment",
    ),
    path(
        "stuurgroep/dossiers/<uuid:public_id>/standpunt/",
        dossier_views.position,
        name="position",
    ),
    path("stuurgroep/vergaderingen/", meeting_views.meeting_list, name="meeting-list"),
    path("stuurgroep/vergaderingen/nieuw/", meeting_views.meeting_new, name="meeting-new"),
    path("stuurgroep/vergaderingen/<int:pk>/", meeting_views.meeting_detail, name="meeting"),
    path(
        "stuurgroep/vergaderingen/<int:pk>/agenda/",
        meeting_views.meeting_agenda,
        name="meeting-agenda",
    ),
    path(
        "stuurgroep/vergaderingen/<int:pk>/aanwezig/",
        meeting_views.meeting_attendance,
        name="meeting-attendance",
    ),
    path(
        "stuurgroep/vergaderingen/<int:pk>/besluit/<uuid:public_id>/",
        meeting_views.meeting_decision,
        name="meeting-decision",
    ),
]

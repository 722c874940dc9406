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

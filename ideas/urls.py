from django.urls import path

from . import file_views, form_views, inventory_views, my_views, public_views

app_name = "ideas"

REFERENCE = "<str:reference>"

urlpatterns = [
    path("ideeen/", public_views.idea_list, name="idea-list"),
    path("ideeen/voorwaarden/", public_views.conditions, name="conditions"),
    path(f"ideeen/{REFERENCE}/", public_views.idea_detail, name="idea-detail"),
    path(f"ideeen/{REFERENCE}/steunen/", public_views.idea_support, name="idea-support"),
    path(f"ideeen/{REFERENCE}/steunen/bedankt/", public_views.support_sent, name="support-sent"),
    path("steun-bevestigen/<uuid:token>/", public_views.support_confirm, name="support-confirm"),
    path("idee-indienen/", form_views.idea_start, name="idea-start"),
    path(
        "idee-indienen/<uuid:public_id>/e-mail-bevestigen/",
        form_views.idea_confirm_email,
        name="idea-confirm-email",
    ),
    path("idee-indienen/<uuid:public_id>/afronden/", form_views.idea_finish, name="idea-finish"),
    path("idee-indienen/<uuid:public_id>/verzonden/", form_views.idea_sent, name="idea-sent"),
    path(
        "idee-indienen/<uuid:public_id>/verwijderen/",
        form_views.concept_delete,
        name="concept-delete",
    ),
    path("idee-indienen/<uuid:public_id>/<slug:step>/", form_views.idea_step, name="idea-step"),
    path("account/mijn-ideeen/", my_views.my_ideas, name="my-ideas"),
    path("account/mijn-werk/", my_views.my_work, name="my-work"),
    path("account/mijn-ideeen/<uuid:public_id>/", my_views.my_idea, name="my-idea"),
    path(
        "account/mijn-ideeen/<uuid:public_id>/intrekken/",
        my_views.idea_withdraw,
        name="idea-withdraw",
    ),
    path("bijlagen/<uuid:public_id>/", file_views.attachment, name="attachment"),
    path("bijlagen/papieren-lijst/<int:pk>/", file_views.paper_list_scan, name="paper-list-scan"),
    path("zoeken/", public_views.search, name="search"),
    path(
        "initiatiefgroepen/<slug:slug>/ideeen/",
        inventory_views.inventory_list,
        name="inventory-list",
    ),
    path("inventaris/<uuid:public_id>/", inventory_views.inventory_detail, name="inventory-detail"),
]

# The wijkteam's review (werkvoorraad, review page and the actions with a confirm step).
from . import assign_views, review_actions, review_files, review_views  # noqa: E402

urlpatterns += [
    path("werkvoorraad/", review_views.review_queue, name="review-queue"),
    path("werkvoorraad/toewijzen/", assign_views.assign_many, name="review-assign"),
    path("werkvoorraad/export.<str:fmt>", review_files.queue_export, name="review-queue-export"),
    path("werkvoorraad/afdrukken/", review_files.queue_print, name="review-queue-print"),
    path(
        "werkvoorraad/<uuid:public_id>/afdrukken/",
        review_files.review_print,
        name="review-print",
    ),
    path("werkvoorraad/<uuid:public_id>/", review_views.review_detail, name="review"),
    path(
        "werkvoorraad/<uuid:public_id>/<slug:action>/",
        review_actions.review_action,
        name="review-action",
    ),
]

# After realisation: the submitter's verantwoording; after closing: the satisfaction question.
from . import accounting_views, satisfaction_views  # noqa: E402

urlpatterns += [
    path(
        "account/mijn-ideeen/<uuid:public_id>/verantwoording/",
        accounting_views.accounting,
        name="accounting",
    ),
    path("tevredenheid/<uuid:token>/", satisfaction_views.satisfaction, name="satisfaction"),
]

# Lange-klap plans: the public overview of running plans and their milestones.
from . import plan_views  # noqa: E402

urlpatterns += [
    path("lange-klap/", plan_views.plan_overview, name="plan-overview"),
]

# Ideas with their money: the year report for staff (and its files), and a plan's funding.
from . import money_views  # noqa: E402

urlpatterns += [
    path("rapportage/", money_views.report, name="report"),
    path("rapportage/export.<str:fmt>", money_views.report_export, name="report-export"),
    path(f"ideeen/{REFERENCE}/geld/", money_views.plan_funding, name="plan-funding"),
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
        "stuurgroep/vergaderingen/<int:pk>/stuurgroep.ics",
        meeting_views.meeting_ics,
        name="meeting-ics",
    ),
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

# A resident's own data under the AVG, linked from "Mijn gegevens" (teams:my-details): the
# download of everything the portal holds about them, and deleting their account.
from . import privacy_views  # noqa: E402

urlpatterns += [
    path(
        "account/mijn-gegevens/downloaden/",
        privacy_views.my_data_download,
        name="my-data-download",
    ),
    path("account/verwijderen/", privacy_views.account_delete, name="account-delete"),
    path("account/verwijderd/", privacy_views.account_deleted, name="account-deleted"),
]

# Het wijkoverleg: the initiatiefgroep and the wijkteam discuss the ideas of their area.
from . import overleg_views  # noqa: E402

urlpatterns += [
    path("wijkoverleg/", overleg_views.overleg_list, name="overleg-list"),
    path("wijkoverleg/plannen/", overleg_views.overleg_new, name="overleg-new"),
    path("wijkoverleg/antwoord/<uuid:token>/", overleg_views.overleg_answer, name="overleg-answer"),
    path("wijkoverleg/<uuid:public_id>/", overleg_views.overleg_detail, name="overleg"),
    path(
        "wijkoverleg/<uuid:public_id>/wijkoverleg.ics",
        overleg_views.overleg_ics,
        name="overleg-ics",
    ),
]

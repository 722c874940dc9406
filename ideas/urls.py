from django.urls import path

from . import views

app_name = "ideas"

REFERENCE = "<str:reference>"

urlpatterns = [
    path("ideeen/", views.idea_list, name="idea-list"),
    path("ideeen/voorwaarden/", views.conditions, name="conditions"),
    path(f"ideeen/{REFERENCE}/", views.idea_detail, name="idea-detail"),
    path(f"ideeen/{REFERENCE}/steunen/", views.idea_support, name="idea-support"),
    path(f"ideeen/{REFERENCE}/steunen/bedankt/", views.support_sent, name="support-sent"),
    path("steun-bevestigen/<uuid:token>/", views.support_confirm, name="support-confirm"),
    path("idee-indienen/", views.idea_start, name="idea-start"),
    path(
        "idee-indienen/<uuid:public_id>/e-mail-bevestigen/",
        views.idea_confirm_email,
        name="idea-confirm-email",
    ),
    path("idee-indienen/<uuid:public_id>/afronden/", views.idea_finish, name="idea-finish"),
    path("idee-indienen/<uuid:public_id>/verzonden/", views.idea_sent, name="idea-sent"),
    path(
        "idee-indienen/<uuid:public_id>/verwijderen/", views.concept_delete, name="concept-delete"
    ),
    path("idee-indienen/<uuid:public_id>/<slug:step>/", views.idea_step, name="idea-step"),
    path("account/mijn-ideeen/", views.my_ideas, name="my-ideas"),
    path("account/mijn-ideeen/<uuid:public_id>/", views.my_idea, name="my-idea"),
    path(
        "account/mijn-ideeen/<uuid:public_id>/intrekken/",
        views.idea_withdraw,
        name="idea-withdraw",
    ),
    path("bijlagen/<uuid:public_id>/", views.attachment, name="attachment"),
    path("bijlagen/papieren-lijst/<int:pk>/", views.paper_list_scan, name="paper-list-scan"),
    path("zoeken/", views.search, name="search"),
    path("initiatiefgroepen/<slug:slug>/ideeen/", views.inventory_list, name="inventory-list"),
    path("inventaris/<uuid:public_id>/", views.inventory_detail, name="inventory-detail"),
]

# The wijkteam's review (werkvoorraad, review page and the actions with a confirm step).
from . import review_views  # noqa: E402

urlpatterns += [
    path("werkvoorraad/", review_views.review_queue, name="review-queue"),
    path("werkvoorraad/<uuid:public_id>/", review_views.review_detail, name="review"),
    path(
        "werkvoorraad/<uuid:public_id>/<slug:action>/",
        review_views.review_action,
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

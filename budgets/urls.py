from django.urls import path

from . import views

app_name = "budgets"

urlpatterns = [
    path("budgetten/", views.budget_list, name="budget-list"),
    path("budgetten/<slug:slug>/<int:year>/", views.budget_detail, name="budget-detail"),
    path("rapportage/", views.report, name="report"),
    path("rapportage/export.<str:fmt>", views.report_export, name="report-export"),
    path("bewonersbudget/", views.transparency, name="transparency"),
    path(
        "bewonersbudget/<slug:slug>/<int:year>/",
        views.transparency_detail,
        name="transparency-detail",
    ),
    path("ideeen/<str:reference>/geld/", views.plan_funding, name="plan-funding"),
]

from django.urls import path

from . import views

app_name = "budgets"

urlpatterns = [
    path("budgetten/", views.budget_list, name="budget-list"),
    path("budgetten/openen/<int:year>/", views.open_year, name="open-year"),
    path("budgetten/<slug:slug>/<int:year>/", views.budget_detail, name="budget-detail"),
    path("bewonersbudget/", views.transparency, name="transparency"),
    path(
        "bewonersbudget/<slug:slug>/<int:year>/",
        views.transparency_detail,
        name="transparency-detail",
    ),
]

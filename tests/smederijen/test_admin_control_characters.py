"""Admin's forms refuse control characters in text fields too: every model admin, ours and the
libraries', gets the rule when it is registered (smederijen/admin_site.py)."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from smederijen.admin_site import OneLineFieldsAdminMixin
from smederijen.forms import OneLineFieldsMixin
from smederijen.models import Smederij
from tests.teams.conftest import organisations, people  # noqa: F401 (fixtures used here)

__all__ = ["organisations", "people"]

pytestmark = pytest.mark.django_db


def test_every_model_admin_refuses_control_characters():
    missing = [
        f"{model._meta.label}: {type(model_admin).__name__}"
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, OneLineFieldsAdminMixin)
    ]
    assert len(admin.site._registry) > 25
    assert missing == []


def test_the_forms_of_every_change_page_and_its_inlines_have_the_rule(people):
    request = RequestFactory().get("/beheer/")
    request.user = people["users"]["superuser"]
    checked = 0
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_add_permission(request):
            continue  # read-only admins (services only) show no form to type in
        form = model_admin.get_form(request, None, change=False)
        assert issubclass(form, OneLineFieldsMixin), model._meta.label
        for formset, _inline in model_admin.get_formsets_with_inlines(request, None):
            assert issubclass(formset.form, OneLineFieldsMixin), (model._meta.label, formset)
        checked += 1
    assert checked >= 20


def test_a_name_with_a_line_break_is_refused_in_admin(client, people):
    client.force_login(people["users"]["superuser"])
    elim = people["elim"]
    response = client.post(
        f"/beheer/smederijen/smederij/{elim.pk}/change/",
        {
            "name": "Elim\r\nBcc: victim@evil.example",
            "slug": elim.slug,
            "kind": elim.kind,
            "description": "Dorp.\r\nMet twee regels.",
            "is_active": "on",
            "gebiedsregisseur": "",
        },
    )
    assert response.status_code == 200
    assert "Typ dit op één regel, zonder tab, enter of andere onzichtbare tekens." in (
        response.content.decode()
    )
    assert Smederij.objects.get(pk=elim.pk).name == "Elim"

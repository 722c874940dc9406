"""A resident's own data under the AVG, from "Mijn gegevens" (teams:my-details): the download of
everything the portal holds about them, and deleting their account. Both reach into every app
(ideas/privacy/), so they sit here, on top of them."""

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from smederijen import audit
from smederijen.models import AuditEvent

from . import privacy
from .privacy_forms import DeleteAccountForm


@login_required
def my_data_download(request):
    """Inzage: everything the portal holds about the signed-in person, as a zip file."""
    content = privacy.personal_data_zip(request.user)
    audit.record(
        actor=request.user,
        action="privacy.own_data_download",
        obj=request.user,
        kind=AuditEvent.Kind.EXPORT,
    )
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="mijn-gegevens-de-smederijen.zip"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def account_delete(request):
    refusal = privacy.erasure_refusal(request.user)
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST":
        if refusal:
            raise PermissionDenied(refusal)
        if form.is_valid():
            user = request.user
            try:
                privacy.erase_account(user=user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                logout(request)
                return redirect("ideas:account-deleted")
    ideas = request.user.ideas.exclude(status="concept").count()
    return render(
        request,
        "ideas/account_delete.html",
        {"form": form, "refusal": refusal, "idea_count": ideas},
    )


def account_deleted(request):
    return render(request, "ideas/account_deleted.html")

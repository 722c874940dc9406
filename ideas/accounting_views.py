"""The submitter's verantwoording after realisation: what it really cost, how it went, the
receipts and the photos of the result, sent to the wijkteam.

Only the idea's own submitter sees this page; for anyone else it does not exist (404). Every
change goes through the services (``save_accounting``, ``add_accounting_file``, ...), which check
again who asks and whether the verantwoording may still change.
"""

import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from budgets import services as budget_services
from budgets.models import Grant
from ideas.workflow import CLOSED, Status

from . import services
from .accounting_forms import AccountingForm
from .models import Accounting, Attachment, Idea
from .uploads import too_many_uploads_message, uploads_allowed

# The buttons of the form; "remove" carries the id of the file to remove.
SAVE, UPLOAD, SEND, REMOVE = "save", "upload", "send", "remove"


@dataclass
class Money:
    """The grant next to the costs: what was granted, what is paid out, what goes back."""

    granted: Decimal | None = None  # from the area's bewonersbudget (korte klap); None: no grant
    paid: Decimal = Decimal("0.00")  # paid out by the wijkteam already
    cost: Decimal | None = None  # the costs (as typed, or as accepted by the wijkteam)
    returned: Decimal | None = None  # what goes (or went) back to the bewonersbudget
    over: Decimal | None = None  # costs above the grant: not paid from the bewonersbudget


def grant_of(idea: Idea):
    """The idea's grant from the bewonersbudget, if it has one that counts (not withdrawn)."""
    try:
        grant = idea.grant
    except ObjectDoesNotExist:
        return None
    return grant if grant.state != Grant.State.WITHDRAWN else None


def money_of(idea: Idea, accounting: Accounting | None) -> Money:
    """What the resident (and, once signed off, the public) sees of the money.

    Before the sign-off it is what would go back with the costs as typed; after it, what really
    went back (the ledger's return for the grant: ``settle_grant`` lowers the grant to what was
    spent, so the amount granted is what was spent plus what went back)."""
    grant = grant_of(idea)
    signed_off = accounting is not None and accounting.state == Accounting.State.SIGNED_OFF
    cost = None
    if accounting is not None:
        cost = accounting.accepted_cost if signed_off else accounting.actual_cost
    if grant is None:
        return Money(cost=cost)
    if grant.state == Grant.State.SETTLED:
        sums = budget_services.grant_money(grant)
        over = cost - sums.granted if cost is not None and cost > sums.granted else None
        return Money(
            granted=sums.granted, paid=sums.paid, cost=cost, returned=sums.returned, over=over
        )
    money = Money(granted=grant.amount, paid=grant.spent, cost=cost)
    if cost is not None:
        settlement = budget_services.settlement_of(grant, cost)
        money.returned, money.over = settlement.goes_back, settlement.over
    return money


def open_question(idea: Idea, accounting: Accounting | None, history=None):
    """The wijkteam's question when it sent the verantwoording back: the last change of the
    verantwoording, when that is not the submitter's own sending. ``history``: the idea's status
    changes if they are loaded already (oldest first)."""
    if (
        accounting is None
        or accounting.state != Accounting.State.OPEN
        or idea.status != Status.GEREALISEERD
    ):
        return None
    if history is None:
        history = idea.history.filter(
            from_status=Status.GEREALISEERD, to_status=Status.GEREALISEERD
        ).order_by("at", "pk")
    changes = [
        change
        for change in history
        if change.from_status == change.to_status == Status.GEREALISEERD and change.public_text
    ]
    if not changes or changes[-1].actor_id == idea.submitted_by_id:
        return None
    return changes[-1]


def _files(idea: Idea) -> dict:
    attachments = list(idea.attachments.all())
    return {
        "receipts": [a for a in attachments if a.purpose == Attachment.Purpose.RECEIPT],
        "result_photos": [a for a in attachments if a.purpose == Attachment.Purpose.RESULT],
    }


def _page(request, idea: Idea, accounting: Accounting, form=None, status=200):
    files = _files(idea)
    editable = idea.status == Status.GEREALISEERD and accounting.state == Accounting.State.OPEN
    if editable and form is None:
        form = AccountingForm(
            initial={
                "actual_cost": accounting.actual_cost,
                "story": accounting.story,
                "photos_public": accounting.photos_public,
            },
            files_count=len(files["receipts"]) + len(files["result_photos"]),
        )
    return render(
        request,
        "ideas/accounting.html",
        {
            "idea": idea,
            "accounting": accounting,
            "editable": editable,
            "signed_off": accounting.state == Accounting.State.SIGNED_OFF,
            "form": form,
            "question": open_question(idea, accounting) if editable else None,
            "money": money_of(idea, accounting),
            **files,
        },
        status=status,
    )


@login_required
def accounting(request, public_id):
    idea = get_object_or_404(
        Idea.objects.select_related("smederij", "accounting", "grant").prefetch_related(
            "attachments"
        ),
        public_id=public_id,
        submitted_by=request.user,
    )
    accounting = _accounting(idea)
    if accounting is None:
        messages.info(request, _not_yet_message(idea))
        return redirect("ideas:my-idea", public_id=idea.public_id)
    if request.method != "POST":
        return _page(request, idea, accounting)
    if idea.status != Status.GEREALISEERD or accounting.state != Accounting.State.OPEN:
        messages.error(request, _refused_message(accounting))
        return redirect("ideas:accounting", public_id=idea.public_id)
    return _post(request, idea, accounting)


def _accounting(idea: Idea) -> Accounting | None:
    """The verantwoording, made when the realised idea first needs one."""
    try:
        return idea.accounting
    except ObjectDoesNotExist:
        if idea.status != Status.GEREALISEERD:
            return None
        return services.accounting_of(idea)


def _not_yet_message(idea: Idea) -> str:
    if idea.status in CLOSED:
        return _("This idea is closed. There is no verantwoording to write for it.")
    return _(
        "You can tell how it went once the wijkteam has marked your idea as realised. "
        "You will get an e-mail then."
    )


def _refused_message(accounting: Accounting) -> str:
    if accounting.state == Accounting.State.SIGNED_OFF:
        return _("The verantwoording has been signed off. It can no longer be changed.")
    if accounting.state == Accounting.State.OPEN:  # the idea was closed without it
        return _("This idea is closed. The verantwoording can no longer be changed.")
    return _(
        "You have sent the verantwoording. It can no longer be changed while the wijkteam "
        "looks at it."
    )


def _post(request, idea: Idea, accounting: Accounting):
    files = _files(idea)
    chosen = {name: request.FILES.getlist(name) for name in ("receipts", "result_photos")}
    # Over the upload limit the files are not opened; what was typed is still saved.
    limited = not uploads_allowed(request, sum(map(len, chosen.values())))
    form = AccountingForm(
        request.POST,
        None if limited else request.FILES,
        files_count=len(files["receipts"]) + len(files["result_photos"]),
    )
    form.is_valid()
    if limited:
        field = "receipts" if chosen["receipts"] else "result_photos"
        form.add_error(field, too_many_uploads_message())
    try:
        # What is typed is kept first, whatever the button: a later error loses nothing.
        if form.details_valid:
            accounting = services.save_accounting(
                idea,
                actor=request.user,
                actual_cost=form.cleaned_data["actual_cost"],
                story=form.cleaned_data["story"],
                photos_public=form.cleaned_data["photos_public"],
            )
        added = _add_files(request, idea, form)
        if REMOVE in request.POST:
            return _remove(request, idea, form)
        if SEND in request.POST and _complete(idea, accounting, form):
            services.send_accounting(idea, actor=request.user)
            messages.success(
                request, _("Thank you! Your verantwoording has been sent to the wijkteam.")
            )
            return redirect("ideas:accounting", public_id=idea.public_id)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:  # sent or signed off meanwhile (in another window)
        messages.error(request, " ".join(error.messages))
        return redirect("ideas:accounting", public_id=idea.public_id)
    if form.errors:
        idea = _fresh(idea)
        accounting = _accounting(idea)
        if accounting.state != Accounting.State.OPEN:  # sent meanwhile (in another window)
            messages.error(request, _refused_message(accounting))
            return redirect("ideas:accounting", public_id=idea.public_id)
        return _page(request, idea, accounting, form=form, status=429 if limited else 200)
    if added and SAVE not in request.POST:
        messages.success(request, _("Your files are added."))
        return redirect(reverse("ideas:accounting", args=[idea.public_id]) + "#files")
    messages.success(
        request, _("Your verantwoording is saved. You can change it until you send it.")
    )
    return redirect("ideas:accounting", public_id=idea.public_id)


def _complete(idea: Idea, accounting: Accounting, form: AccountingForm) -> bool:
    """Can it be sent? What is missing is told at its field; what was typed counts, also when
    another field has an error (then the stored value stands in for that field)."""
    typed = Accounting(
        actual_cost=(
            accounting.actual_cost
            if "actual_cost" in form.errors
            else form.cleaned_data.get("actual_cost")
        ),
        story=form.data.get("story", ""),
    )
    receipts = idea.attachments.filter(purpose=Attachment.Purpose.RECEIPT).count()
    form.add_missing(
        [m for m in services.missing_for_accounting(typed, receipts) if m not in form.errors]
    )
    return not form.errors


def _add_files(request, idea: Idea, form: AccountingForm) -> int:
    """Store each file that passed the checks; a file the service refuses (the most files,
    reached meanwhile) is told at its field."""
    added = 0
    for purpose, checked in form.checked_files():
        try:
            services.add_accounting_file(idea, checked, actor=request.user, purpose=purpose)
        except ValidationError as error:
            field = "receipts" if purpose == Attachment.Purpose.RECEIPT else "result_photos"
            if field not in form.errors:
                form.add_error(field, error)
            continue
        added += 1
    return added


def _remove(request, idea: Idea, form: AccountingForm):
    try:
        public_id = uuid.UUID(request.POST[REMOVE])
    except ValueError:
        raise Http404 from None
    attachment = next(
        (
            a
            for a in idea.attachments.all()
            if a.public_id == public_id and a.purpose in services.ACCOUNTING_FILE_PURPOSES
        ),
        None,
    )
    if attachment is None:
        raise Http404
    services.remove_accounting_file(attachment, actor=request.user)
    messages.success(request, _("The file %(name)s is removed.") % {"name": attachment})
    if form.errors:  # something typed could not be stored: show it again with the error
        idea = _fresh(idea)
        return _page(request, idea, _accounting(idea), form=form)
    return redirect(reverse("ideas:accounting", args=[idea.public_id]) + "#files")


def _fresh(idea: Idea) -> Idea:
    return (
        Idea.objects.select_related("smederij", "accounting", "grant")
        .prefetch_related("attachments")
        .get(pk=idea.pk)
    )

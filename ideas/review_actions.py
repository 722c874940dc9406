"""The wijkteam's actions on an idea: one table (``ACTIONS``) says per action which form it asks,
which service it calls and which step of the idea's way it takes; one view shows its confirm page
and carries it out.

Which actions fit is not worked out here: the step must be one that ``services.allowed_transitions``
gives the user as the idea's wijkteam, and what the service needs besides is asked of
``ideas.permissions`` (the same functions the services refuse with).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budgets import permissions as budget_permissions
from ideas import permissions
from ideas.workflow import TEAM, Status

from . import services
from .models import StandardText
from .review_action_forms import (
    ApproveForm,
    GrantForm,
    PublicTextForm,
    QuestionForm,
    ReclassifyForm,
    RejectForm,
    ReturnAccountingForm,
    SignOffForm,
    TakeUpForm,
)
from .review_forms import StandardTextChoiceForm
from .review_reads import (
    accounting_state,
    accounting_summary,
    current_budget,
    review_idea,
    review_url,
)

Use = StandardText.Use


@dataclass(frozen=True)
class Action:
    slug: str
    form_class: type
    title: str  # the confirm page's heading
    button: str  # on the review page and on the confirm button
    done: str  # the message after it is done
    steps: tuple  # what will happen, in plain language
    # Called as ``service(idea, actor=user, **form.service_kwargs())``.
    service: Callable
    # The status the service moves the idea to first (a function of the idea when that depends on
    # it); None: the action changes no status.
    step: str | Callable | None = None
    # What the service needs besides the step, from ideas.permissions (a function of the idea).
    precondition: Callable | None = None
    # Why the step cannot succeed now although it fits (no open budget, a plan not yet funded): a
    # function of the idea giving the reason, or None. The page says the reason instead of
    # offering a step the service would refuse after the confirm page.
    blocked: Callable | None = None
    standard_texts: str | None = None  # StandardText.use for the text field
    error_field: str | None = None  # where the service's refusal is shown
    danger: bool = False
    with_budget: bool = False  # the confirm page shows this year's bewonersbudget
    with_accounting: bool = False  # ... the verantwoording and its money


def _reclassify(idea, *, actor, kind, reason, internal_note=""):
    """The page keeps the internal note with the internal notes, not in the history."""
    with transaction.atomic():
        services.reclassify_idea(idea, actor=actor, kind=kind, reason=reason)
        if internal_note.strip():
            services.add_review_note(idea, actor=actor, text=internal_note)


def _why_no_grant(idea) -> str | None:
    year = timezone.localdate().year
    return budget_permissions.why_no_grant_from(current_budget(idea), idea.smederij, year)


def _why_not_started(idea) -> str | None:
    """A plan looking for money starts only once it is fully funded (permissions.may_start)."""
    if idea.status != Status.FINANCIERING:
        return None
    allowed, why = permissions.may_start(idea)
    return None if allowed else why


def _accounting_sent(idea) -> bool:
    return permissions.accounting_waits_for_team(idea, accounting_state(idea))


MAIL_STEP = gettext_lazy(
    "The submitter gets an e-mail with the new status and your explanation, if you write one."
)
NOTE_STEP = gettext_lazy("Your internal note is kept in the history. Only staff see it.")

ACTIONS = {
    action.slug: action
    for action in [
        Action(
            "oppakken",
            TakeUpForm,
            gettext_lazy("Take up the idea"),
            gettext_lazy("Take up the idea"),
            gettext_lazy("You took up the idea. Its status is now ‘being reviewed’."),
            (
                gettext_lazy("The idea gets the status ‘being reviewed’."),
                gettext_lazy("The submitter gets an e-mail that the wijkteam looks at the idea."),
                NOTE_STEP,
            ),
            service=services.take_up,
            step=Status.IN_BEHANDELING,
        ),
        Action(
            "vraag",
            QuestionForm,
            gettext_lazy("Ask the submitter a question"),
            gettext_lazy("Ask a question"),
            gettext_lazy("Your question has been sent to the submitter."),
            (
                gettext_lazy("The idea gets the status ‘more information asked’."),
                gettext_lazy(
                    "The submitter gets your question by e-mail and sees it under ‘My ideas’."
                ),
                gettext_lazy(
                    "The submitter can change the idea and answer. Then the idea comes back "
                    "into the werkvoorraad."
                ),
                NOTE_STEP,
            ),
            standard_texts=Use.QUESTION,
            error_field="question",
            service=services.ask_question,
            step=services.first_step_of_question,
        ),
        Action(
            "goedkeuren",
            ApproveForm,
            gettext_lazy("Approve the idea"),
            gettext_lazy("Approve"),
            gettext_lazy("The idea is approved: it meets the conditions."),
            (
                gettext_lazy("The idea gets the status ‘meets the conditions’."),
                gettext_lazy("After this you can grant money from the bewonersbudget."),
                MAIL_STEP,
                NOTE_STEP,
            ),
            standard_texts=Use.APPROVAL,
            service=services.approve,
            step=Status.GOEDGEKEURD,
        ),
        Action(
            "toekennen",
            GrantForm,
            gettext_lazy("Grant money from the bewonersbudget"),
            gettext_lazy("Grant money"),
            gettext_lazy("The money is granted. The idea's status is now ‘budget granted’."),
            (
                gettext_lazy(
                    "The amount goes from the area's bewonersbudget of this year to the idea. "
                    "The budget can never go below zero."
                ),
                gettext_lazy("The idea gets the status ‘budget granted’."),
                MAIL_STEP,
                NOTE_STEP,
            ),
            standard_texts=Use.GRANT,
            error_field="amount",
            service=services.grant,
            step=Status.BUDGET_TOEGEKEND,
            blocked=_why_no_grant,
            with_budget=True,
        ),
        Action(
            "afwijzen",
            RejectForm,
            gettext_lazy("Reject the idea"),
            gettext_lazy("Reject"),
            gettext_lazy("The idea is rejected. The submitter gets your explanation."),
            (
                gettext_lazy("The idea gets the status ‘rejected’. You cannot undo this."),
                gettext_lazy(
                    "The submitter gets your reason by e-mail. It is also shown with the idea "
                    "on the website."
                ),
                NOTE_STEP,
            ),
            standard_texts=Use.REJECTION,
            error_field="reason",
            danger=True,
            service=services.reject,
            step=Status.AFGEWEZEN,
        ),
        Action(
            "soort",
            ReclassifyForm,
            gettext_lazy("Change the kind of idea"),
            gettext_lazy("Change the kind"),
            gettext_lazy("The kind of idea is changed."),
            (
                gettext_lazy(
                    "A korte-klap idea becomes a lange-klap plan, or the other way round. The "
                    "status stays the same."
                ),
                gettext_lazy("Your reason is shown in the idea's history, also on the website."),
                gettext_lazy("Your internal note is kept with the internal notes."),
            ),
            standard_texts=Use.RECLASSIFY,
            error_field="reason",
            service=_reclassify,
            precondition=permissions.kind_may_change,
        ),
        Action(
            "stuurgroep",
            PublicTextForm,
            gettext_lazy("Send the plan to the stuurgroep"),
            gettext_lazy("Send to the stuurgroep"),
            gettext_lazy("The plan is sent to the stuurgroep."),
            (
                gettext_lazy("The plan gets the status ‘with the stuurgroep’."),
                gettext_lazy(
                    "The stuurgroep weighs the support for the plan and decides. Its secretary "
                    "gets an e-mail."
                ),
                MAIL_STEP,
                NOTE_STEP,
            ),
            standard_texts=Use.STUURGROEP,
            service=services.send_to_stuurgroep,
            step=Status.BIJ_STUURGROEP,
        ),
        Action(
            "starten",
            PublicTextForm,
            gettext_lazy("Start carrying out the idea"),
            gettext_lazy("Start carrying out"),
            gettext_lazy("The idea is being carried out now."),
            (
                gettext_lazy("The idea gets the status ‘being carried out’."),
                gettext_lazy("The residents may start. The team helps them where needed."),
                MAIL_STEP,
                NOTE_STEP,
            ),
            standard_texts=Use.OTHER,
            service=services.start_execution,
            step=Status.IN_UITVOERING,
            blocked=_why_not_started,
        ),
        Action(
            "gerealiseerd",
            PublicTextForm,
            gettext_lazy("Mark the idea as realised"),
            gettext_lazy("Mark as realised"),
            gettext_lazy("The idea is marked as realised."),
            (
                gettext_lazy("The idea gets the status ‘realised’."),
                gettext_lazy(
                    "The submitter is asked to account for the money: what it really cost, "
                    "with receipts and photos."
                ),
                MAIL_STEP,
                NOTE_STEP,
            ),
            standard_texts=Use.OTHER,
            service=services.mark_realised,
            step=Status.GEREALISEERD,
        ),
        Action(
            "afronden",
            SignOffForm,
            gettext_lazy("Sign off the verantwoording"),
            gettext_lazy("Sign off the verantwoording"),
            gettext_lazy("The verantwoording is signed off. The idea is completed."),
            (
                gettext_lazy(
                    "The costs you accept are booked as spent against the money granted from "
                    "the bewonersbudget."
                ),
                gettext_lazy(
                    "What was granted but not spent goes back to the area's bewonersbudget, so "
                    "other ideas can use it."
                ),
                gettext_lazy("The idea gets the status ‘completed’. You cannot undo this."),
                gettext_lazy(
                    "Photos of the result are shown on the idea's public page only if the "
                    "submitter agreed. Receipts are never shown."
                ),
                gettext_lazy(
                    "The submitter gets an e-mail with your explanation, and is asked how "
                    "satisfied they are with how their idea was handled."
                ),
                NOTE_STEP,
            ),
            standard_texts=Use.OTHER,
            error_field="accepted_cost",
            service=services.sign_off_accounting,
            step=Status.AFGEROND,
            precondition=_accounting_sent,
            with_accounting=True,
        ),
        Action(
            "verantwoording-terugsturen",
            ReturnAccountingForm,
            gettext_lazy("Send the verantwoording back"),
            gettext_lazy("Send the verantwoording back"),
            gettext_lazy("The verantwoording is sent back to the submitter with your question."),
            (
                gettext_lazy(
                    "The verantwoording goes back to the submitter. The idea keeps the status "
                    "‘realised’."
                ),
                gettext_lazy(
                    "The submitter gets your question by e-mail, can change the verantwoording "
                    "and send it again. Then it comes back into the werkvoorraad."
                ),
                gettext_lazy(
                    "Your question is also shown in the history on the idea's public page."
                ),
                NOTE_STEP,
            ),
            standard_texts=Use.QUESTION,
            error_field="question",
            service=services.return_accounting,
            precondition=_accounting_sent,
            with_accounting=True,
        ),
    ]
}


def _rights(user, idea) -> tuple[bool, set]:
    """Whether ``user`` acts for the idea's area as its wijkteam, and the steps they may take."""
    return (
        permissions.may_act_as(user, TEAM, idea),
        set(services.allowed_transitions(user, idea, as_actor=TEAM)),
    )


def _fits(action: Action, idea, acts: bool, steps: set) -> bool:
    """Does the action fit the idea's step, for someone with these rights (``_rights``)?"""
    step = action.step(idea) if callable(action.step) else action.step
    if step is None:
        allowed = acts
    else:
        allowed = step in steps and permissions.kind_fits_step(idea, step)
    return allowed and (action.precondition is None or action.precondition(idea))


def _blocked(action: Action, idea) -> str | None:
    return action.blocked(idea) if action.blocked is not None else None


def action_allowed(action: Action, user, idea) -> bool:
    """Does the action fit the idea now, for this user as its wijkteam, and can it succeed?"""
    return _fits(action, idea, *_rights(user, idea)) and _blocked(action, idea) is None


def page_actions(user, idea) -> tuple[list[Action], list[tuple[Action, str]]]:
    """The steps the review page offers this user, and those that fit but cannot succeed now,
    each with the reason (shown instead). The rights are asked once for all steps."""
    rights = _rights(user, idea)
    available, blocked = [], []
    for action in ACTIONS.values():
        if _fits(action, idea, *rights):
            reason = _blocked(action, idea)
            if reason is None:
                available.append(action)
            else:
                blocked.append((action, reason))
    return available, blocked


def _refused_message(action: Action, idea) -> str:
    reason = _blocked(action, idea)
    if reason is not None:
        return reason
    if action.with_accounting and idea.status == Status.GEREALISEERD:
        return _(
            "This step is not possible (any more): the verantwoording does not wait for the "
            "wijkteam."
        )
    return _("This step is not possible (any more): the idea has the status ‘%(status)s’.") % {
        "status": idea.get_status_display()
    }


def _standard_texts(request, action: Action):
    """The choice of a standard text for the action's text field (None: there is none)."""
    if not (action.standard_texts and action.form_class.text_field):
        return None
    chooser = StandardTextChoiceForm(
        request.GET if request.method == "GET" and "tekst" in request.GET else None,
        use=action.standard_texts,
    )
    return chooser if chooser.fields["tekst"].queryset.exists() else None


# The confirm page --------------------------------------------------------------------------------


@login_required
def review_action(request, public_id, action):
    idea = review_idea(request, public_id)
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    if not action_allowed(spec, request.user, idea):
        if request.method == "POST":
            messages.error(request, _refused_message(spec, idea))
            return redirect(review_url(idea))
        raise Http404
    budget = current_budget(idea) if spec.with_budget else None
    summary = accounting_summary(idea) if spec.with_accounting else None
    step = spec.step(idea) if callable(spec.step) else spec.step
    against = services.advice_against(idea, step) if step else None
    form_kwargs = {"idea": idea, "budget": budget, "summary": summary, "against": against}
    chooser = _standard_texts(request, spec)
    if request.method == "POST":
        form = spec.form_class(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                with transaction.atomic():  # a step of two transitions happens whole or not
                    spec.service(idea, actor=request.user, **form.service_kwargs())
            except ValidationError as error:
                form.add_error(spec.error_field, error)
            except PermissionDenied:
                form.add_error(None, _("You may not take this step for this idea."))
            else:
                messages.success(request, spec.done)
                return redirect(review_url(idea))
    else:
        initial = {}
        if chooser is not None and chooser.is_bound and chooser.is_valid():
            initial[spec.form_class.text_field] = chooser.cleaned_data["tekst"].text
        form = spec.form_class(initial=initial, **form_kwargs)
    return render(
        request,
        "ideas/review/action.html",
        {
            "idea": idea,
            "action": spec,
            "form": form,
            "chooser": chooser,
            "budget": budget,
            "accounting": summary,
            "text_field_id": form[spec.form_class.text_field].auto_id
            if spec.form_class.text_field
            else "",
        },
    )

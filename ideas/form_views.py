"""The ideeformulier: starting a concept, filling in its steps, sending it and deleting it.

A visitor who is not signed in checks their e-mail address with a sign-in code before the idea is
sent (``idea_confirm_email``, ``idea_finish``); the concept then becomes part of their account.
When the wijkteam asked a question, the last step is where the submitter answers it.
"""

import uuid

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ideas.workflow import Status

from . import permissions, services
from .forms import AnswerForm
from .idea_forms import (
    AttachmentsForm,
    ContactForm,
    DraagvlakForm,
    IdeaForm,
    PlaceForm,
    SubmitForm,
)
from .models import Attachment, Condition, Idea
from .money_forms import MoneyForm, budget_formset, period_problems
from .uploads import too_many_uploads_message, uploads_allowed

# The ideeformulier's steps: (slug in the address, title, form).
STEPS = [
    ("plek", gettext_lazy("Where and for whom"), PlaceForm),
    ("idee", gettext_lazy("Your idea"), IdeaForm),
    ("draagvlak", gettext_lazy("Support and own effort"), DraagvlakForm),
    ("geld", gettext_lazy("Money and planning"), MoneyForm),
    ("bijlagen", gettext_lazy("Photos and documents"), AttachmentsForm),
    ("contact", gettext_lazy("Your details"), ContactForm),
    ("versturen", gettext_lazy("Check and send"), SubmitForm),
]
STEP_SLUGS = [slug for slug, _title, _form in STEPS]
# Which step asks which question (to send the resident back to what is still missing).
FIELD_STEPS = {
    **dict.fromkeys(["kind", "smederij", "location", "reach"], "plek"),
    **dict.fromkeys(["title", "summary", "description", "notions"], "idee"),
    **dict.fromkeys(["support_description", "own_effort"], "draagvlak"),
    **dict.fromkeys(["amount_requested", "start_date", "end_date", "budget"], "geld"),
    **dict.fromkeys(["submitter_kind", "contact_name", "contact_email"], "contact"),
    "consent": "versturen",
}
# Buttons that leave the step without finishing it: what was typed is kept even if incomplete.
LEAVING = ("back", "save_and_stop", "goto", "add_line")


def _leaving(request) -> bool:
    return any(name in request.POST for name in LEAVING)


def resume_step(idea) -> str:
    """Where a resident continues a concept: the first step that is not finished."""
    incomplete = incomplete_steps(idea)
    return incomplete[0]["slug"] if incomplete else STEP_SLUGS[-1]


def _too_often(request, action: str, key=None) -> bool:
    """Counted in the shared cache (allauth's rate limiter), so all workers count together."""
    return not ratelimit.consume(request, action=action, key=key)


def _idea_for_editing(request, public_id) -> Idea:
    idea = get_object_or_404(
        Idea.objects.select_related("smederij").prefetch_related("budget_lines", "attachments"),
        public_id=public_id,
    )
    if not permissions.owns_idea(request.user, idea, request.session):
        raise Http404
    return idea


def idea_start(request):
    """The first page of the ideeformulier: what to expect, then a button that starts it."""
    concepts = []
    if request.user.is_authenticated:
        concepts = list(
            Idea.objects.filter(submitted_by=request.user, status=Status.CONCEPT)
            .prefetch_related("budget_lines")
            .order_by("-updated_at")
        )
    else:
        concepts = list(
            Idea.objects.filter(
                public_id__in=permissions.session_concepts(request.session),
                submitted_by__isnull=True,
                status=Status.CONCEPT,
            )
            .prefetch_related("budget_lines")
            .order_by("-updated_at")
        )
    if request.method == "POST":
        if _too_often(request, "idea_form"):
            messages.error(request, _("You started many ideas in a short time. Try again later."))
            return redirect("ideas:idea-start")
        idea = services.start_idea(user=request.user)
        if not request.user.is_authenticated:
            request.session[permissions.SESSION_KEY] = [
                *permissions.session_concepts(request.session)[-9:],
                str(idea.public_id),
            ]
        return redirect("ideas:idea-step", public_id=idea.public_id, step=STEP_SLUGS[0])
    for concept in concepts:
        concept.resume_step = resume_step(concept)
    year = timezone.localdate().year
    return render(
        request,
        "ideas/idea_start.html",
        {
            "login_url": f"{reverse('account_login')}?{urlencode({'next': request.path})}",
            "concepts": concepts,
            "steps": STEPS,
            "conditions": Condition.objects.for_year(year),
            "year": year,
        },
    )


def _step_context(idea, step, *, nav_form=False):
    index = STEP_SLUGS.index(step)
    unfinished = {item["slug"] for item in incomplete_steps(idea)}
    return {
        "nav_form": nav_form,
        "idea": idea,
        "step": step,
        "step_number": index + 1,
        "step_count": len(STEPS),
        "step_title": STEPS[index][1],
        "steps": [
            {
                "slug": slug,
                "title": title,
                "number": i + 1,
                "current": slug == step,
                "done": slug not in unfinished and slug != STEP_SLUGS[-1],
            }
            for i, (slug, title, _form) in enumerate(STEPS)
        ],
        "previous_step": STEP_SLUGS[index - 1] if index else None,
    }


def idea_step(request, public_id, step):
    if step not in STEP_SLUGS:
        raise Http404
    idea = _idea_for_editing(request, public_id)
    if not idea.is_editable:
        messages.info(request, _("This idea has been sent. You can follow it here."))
        return redirect("ideas:my-idea", public_id=idea.public_id)
    if step == "versturen":
        return _review_step(request, idea)
    if step == "bijlagen":
        return _attachments_step(request, idea)
    form_class = {slug: form for slug, _title, form in STEPS}[step]
    data = request.POST if request.method == "POST" else None
    extra_lines = 1 if request.GET.get("regels") == "1" else 0
    kwargs = {"idea": idea, "user": request.user}
    formset = None
    if step == "geld":
        formset = budget_formset(data, idea=idea, extra=extra_lines)
        kwargs["formset"] = formset
    form = form_class(data, **kwargs)
    if request.method == "POST" and _leaving(request):
        form.make_lenient()
    if request.method == "POST":
        valid = form.is_valid() and (formset is None or formset.is_valid())
        if valid:
            try:
                services.save_idea_step(
                    idea,
                    fields=form.step_fields(),
                    budget_lines=formset.lines() if formset is not None else None,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return _after_step(request, idea, step)
    return render(
        request,
        "ideas/idea_step.html",
        {**_step_context(idea, step, nav_form=True), "form": form, "formset": formset},
    )


def _after_step(request, idea, step):
    index = STEP_SLUGS.index(step)
    goto = request.POST.get("goto")
    if goto in STEP_SLUGS:
        return redirect("ideas:idea-step", public_id=idea.public_id, step=goto)
    if "add_line" in request.POST:
        url = reverse("ideas:idea-step", kwargs={"public_id": idea.public_id, "step": step})
        return redirect(f"{url}?regels=1#lines")
    if "back" in request.POST and index:
        target = STEP_SLUGS[index - 1]
    elif "save_and_stop" in request.POST:
        messages.success(
            request, _("Your concept is saved. You find it under 'My ideas' to continue later.")
        )
        return redirect("ideas:my-ideas")
    else:
        target = STEP_SLUGS[index + 1]
    return redirect("ideas:idea-step", public_id=idea.public_id, step=target)


def _attachments_step(request, idea):
    chosen = [] if request.POST.get("remove") else request.FILES.getlist("files")
    if chosen and not uploads_allowed(request, len(chosen)):
        # Over the limit: the files are not opened, the step is shown again with the message.
        form = AttachmentsForm(request.POST, idea=idea)
        form.is_valid()
        form.add_error("files", too_many_uploads_message())
        return _attachments_page(request, idea, form, status=429)
    form = AttachmentsForm(request.POST or None, request.FILES or None, idea=idea)
    if request.method == "POST":
        remove = request.POST.get("remove")
        if remove:
            try:
                remove = uuid.UUID(remove)
            except ValueError:
                raise Http404 from None
            attachment = get_object_or_404(Attachment, idea=idea, public_id=remove)
            services.remove_attachment(attachment)
            messages.success(request, _("The file %(name)s is removed.") % {"name": attachment})
            return redirect("ideas:idea-step", public_id=idea.public_id, step="bijlagen")
        if form.is_valid():
            try:
                for checked in form.cleaned_data["files"]:
                    services.add_attachment(idea, checked)
            except ValidationError as error:
                form.add_error("files", error)
            else:
                if form.cleaned_data["files"] and "upload" in request.POST:
                    messages.success(request, _("Your files are added."))
                    return redirect("ideas:idea-step", public_id=idea.public_id, step="bijlagen")
                return _after_step(request, idea, "bijlagen")
    return _attachments_page(request, idea, form)


def _attachments_page(request, idea, form, status=200):
    return render(
        request,
        "ideas/idea_step.html",
        {
            **_step_context(idea, "bijlagen", nav_form=True),
            "form": form,
            "attachments": list(idea.attachments.all()),
        },
        status=status,
    )


def incomplete_steps(idea) -> list[dict]:
    """Which steps still miss an answer, or break a rule, with the step to go back to."""
    problems: dict[str, list[str]] = {}
    for name in services.missing_for_submission(idea):
        if name != "consent":
            problems.setdefault(FIELD_STEPS[name], [])
    if not idea.budget_lines.all():
        problems.setdefault("geld", [])
    if period_problems(idea.kind, idea.start_date, idea.end_date):
        problems.setdefault("geld", []).extend(
            period_problems(idea.kind, idea.start_date, idea.end_date).values()
        )
    return [
        {"slug": slug, "title": title, "problems": problems[slug]}
        for slug, title, _form in STEPS
        if slug in problems
    ]


def _review_step(request, idea):
    if idea.status == Status.AANVULLING_GEVRAAGD:
        return _answer_step(request, idea)
    form = SubmitForm(request.POST or None, idea=idea, user=request.user)
    if request.method == "POST" and _leaving(request):
        form.make_lenient()
    incomplete = incomplete_steps(idea)
    if request.method == "POST" and form.is_valid():
        if form.is_spam():
            return redirect("smederijen:home")
        services.save_idea_step(idea, fields=form.step_fields())
        if _leaving(request):
            return _after_step(request, idea, "versturen")
        if not incomplete:
            if not request.user.is_authenticated:
                return redirect("ideas:idea-confirm-email", public_id=idea.public_id)
            return _finish(request, idea)
    return render(
        request,
        "ideas/idea_review.html",
        {
            **_step_context(idea, "versturen", nav_form=True),
            "form": form,
            "incomplete": incomplete,
            "attachments": list(idea.attachments.all()),
            "conditions": Condition.objects.for_year(timezone.localdate().year, idea.kind),
            **_money_check(idea),
        },
    )


def _money_check(idea) -> dict:
    """Does what is asked, paid and found elsewhere add up to the begroting?"""
    total = idea.budget_total
    covered = (idea.amount_requested or 0) + idea.own_contribution + idea.other_funding
    return {"money_gap": bool(total) and covered != total, "money_covered": covered}


def _answer_step(request, idea):
    form = AnswerForm(request.POST or None)
    question = idea.history.filter(to_status=Status.AANVULLING_GEVRAAGD).last()
    if request.method == "POST" and form.is_valid():
        services.answer_question(idea, actor=request.user, answer=form.cleaned_data["answer"])
        messages.success(request, _("Thank you. Your answer has been sent to the wijkteam."))
        return redirect("ideas:my-idea", public_id=idea.public_id)
    return render(
        request,
        "ideas/idea_review.html",
        {
            **_step_context(idea, "versturen"),
            "answer_form": form,
            "question": question,
            "incomplete": incomplete_steps(idea),
            "attachments": list(idea.attachments.all()),
        },
    )


def _finish(request, idea):
    if _too_often(request, "idea_submit"):
        messages.error(request, _("You sent many ideas in a short time. Try again later."))
        return redirect("ideas:idea-step", public_id=idea.public_id, step="versturen")
    if idea.submitted_by_id is None:
        idea = services.claim_concept(idea, user=request.user)
    services.submit_idea(idea, actor=request.user)
    concepts = permissions.session_concepts(request.session)
    if str(idea.public_id) in concepts:
        concepts.remove(str(idea.public_id))
        request.session[permissions.SESSION_KEY] = concepts
    return redirect("ideas:idea-sent", public_id=idea.public_id)


def idea_confirm_email(request, public_id):
    """A visitor checks their e-mail address with the sign-in code before the idea is sent."""
    idea = _idea_for_editing(request, public_id)
    if idea.status != Status.CONCEPT:
        return redirect("ideas:idea-sent", public_id=idea.public_id)
    if request.user.is_authenticated:
        return redirect("ideas:idea-step", public_id=idea.public_id, step="versturen")
    finish_url = reverse("ideas:idea-finish", kwargs={"public_id": idea.public_id})
    return render(
        request,
        "ideas/idea_confirm_email.html",
        {
            **_step_context(idea, "versturen"),
            "action": f"{reverse('account_request_login_code')}?{urlencode({'next': finish_url})}",
            "finish_url": finish_url,
        },
    )


@login_required
def idea_finish(request, public_id):
    """Where the sign-in code leads back to: the concept becomes the resident's and is sent."""
    idea = _idea_for_editing(request, public_id)
    if idea.status != Status.CONCEPT:
        return redirect("ideas:idea-sent", public_id=idea.public_id)
    if incomplete_steps(idea) or services.missing_for_submission(idea):
        return redirect("ideas:idea-step", public_id=idea.public_id, step="versturen")
    return _finish(request, idea)


def idea_sent(request, public_id):
    idea = _idea_for_editing(request, public_id)
    if idea.status == Status.CONCEPT:
        return redirect("ideas:idea-step", public_id=idea.public_id, step="versturen")
    return render(request, "ideas/idea_sent.html", {"idea": idea})


def concept_delete(request, public_id):
    idea = _idea_for_editing(request, public_id)
    if idea.status != Status.CONCEPT:
        raise Http404
    if request.method == "POST":
        services.delete_concept(idea, actor=request.user)
        messages.success(request, _("The concept is deleted."))
        return redirect("ideas:my-ideas" if request.user.is_authenticated else "ideas:idea-start")
    return render(request, "ideas/concept_delete.html", {"idea": idea})

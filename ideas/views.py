import uuid

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ideas.workflow import Status
from smederijen.pagecache import for_visitors
from teams.models import Initiatiefgroep

from . import permissions, services
from .accounting_views import money_of, open_question
from .forms import (
    AnswerForm,
    AttachmentsForm,
    ContactForm,
    DraagvlakForm,
    IdeaFilterForm,
    IdeaForm,
    InventoryRemarkForm,
    MoneyForm,
    PlaceForm,
    SubmitForm,
    SupportForm,
    WithdrawForm,
    budget_formset,
)
from .models import (
    Accounting,
    Attachment,
    Condition,
    Idea,
    InventoryRemark,
    Kind,
    Notion,
    PaperSupportList,
    StatusChange,
    StuurgroepDecision,
    Support,
)
from .plan_views import progress_of
from .search import search_ideas, search_pages
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
PER_PAGE = 20
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


def _supports_annotations():
    confirmed = (
        Support.objects.filter(idea=OuterRef("pk"), confirmed_at__isnull=False)
        .order_by()
        .values("idea")
        .annotate(n=Count("pk"))
        .values("n")
    )
    paper = (
        PaperSupportList.objects.filter(idea=OuterRef("pk"))
        .order_by()
        .values("idea")
        .annotate(n=Sum("count"))
        .values("n")
    )
    return {
        "support_total": Coalesce(Subquery(confirmed, output_field=IntegerField()), Value(0))
        + Coalesce(Subquery(paper, output_field=IntegerField()), Value(0))
    }


def _with_support_totals(page):
    """Each idea of the page with its support total, read in one query for these rows only: as
    an annotation of the list it would be counted for every row a deep page skips too."""
    ideas = list(page.object_list)
    if ideas:
        totals = dict(
            Idea.objects.filter(pk__in=[idea.pk for idea in ideas])
            .annotate(**_supports_annotations())
            .values_list("pk", "support_total")
        )
        for idea in ideas:
            idea.support_total = totals[idea.pk]
    page.object_list = ideas
    return page


# Starting and filling in -----------------------------------------------------------------------


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
    from .forms import period_problems

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


# Mijn ideeën -----------------------------------------------------------------------------------


@login_required
def my_ideas(request):
    ideas = list(
        Idea.objects.filter(submitted_by=request.user)
        .select_related("smederij")
        .prefetch_related("budget_lines")
        .order_by("-updated_at")
    )
    for idea in ideas:
        if idea.status == Status.CONCEPT:
            idea.resume_step = resume_step(idea)
    return render(request, "ideas/my_ideas.html", {"ideas": ideas})


def _public_history():
    return Prefetch(
        "history", queryset=StatusChange.objects.order_by("at", "pk"), to_attr="public_history"
    )


@login_required
def my_idea(request, public_id):
    idea = get_object_or_404(
        Idea.objects.select_related("smederij", "accounting").prefetch_related(
            "budget_lines", "attachments", _public_history()
        ),
        public_id=public_id,
        submitted_by=request.user,
    )
    question = None
    if idea.status == Status.AANVULLING_GEVRAAGD:
        asked = [h for h in idea.public_history if h.to_status == Status.AANVULLING_GEVRAAGD]
        question = asked[-1] if asked else None
    accounting = getattr(idea, "accounting", None)
    files = list(idea.attachments.all())
    return render(
        request,
        "ideas/my_idea.html",
        {
            "idea": idea,
            "question": question,
            "support_total": services.support_count(idea),
            # The idea's own files apart from the verantwoording's receipts and photos.
            "idea_files": [a for a in files if a.purpose == Attachment.Purpose.IDEA],
            "receipts": [a for a in files if a.purpose == Attachment.Purpose.RECEIPT],
            "result_photos": [a for a in files if a.purpose == Attachment.Purpose.RESULT],
            "accounting": accounting,
            "accounting_question": open_question(idea, accounting, idea.public_history),
        },
    )


@login_required
def idea_withdraw(request, public_id):
    idea = get_object_or_404(Idea, public_id=public_id, submitted_by=request.user)
    if not idea.can_be_withdrawn:
        messages.error(request, _("This idea can no longer be withdrawn."))
        return redirect("ideas:my-idea", public_id=idea.public_id)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.withdraw_idea(idea, actor=request.user, reason=form.cleaned_data["reason"])
        messages.success(
            request, _("Your idea %(reference)s is withdrawn.") % {"reference": idea.reference}
        )
        return redirect("ideas:my-idea", public_id=idea.public_id)
    return render(request, "ideas/idea_withdraw.html", {"idea": idea, "form": form})


def concept_delete(request, public_id):
    idea = _idea_for_editing(request, public_id)
    if idea.status != Status.CONCEPT:
        raise Http404
    if request.method == "POST":
        services.delete_concept(idea, actor=request.user)
        messages.success(request, _("The concept is deleted."))
        return redirect("ideas:my-ideas" if request.user.is_authenticated else "ideas:idea-start")
    return render(request, "ideas/concept_delete.html", {"idea": idea})


# Files -----------------------------------------------------------------------------------------


def attachment(request, public_id):
    """Every file goes through here: only those who may see it get it (others: not found)."""
    item = get_object_or_404(Attachment.objects.select_related("idea"), public_id=public_id)
    if not permissions.can_see_attachment(request.user, item, request.session):
        raise Http404
    response = FileResponse(
        item.file.open("rb"),
        content_type=item.content_type,
        as_attachment=item.content_type == "application/pdf" and "download" in request.GET,
        filename=item.original_name,
    )
    response["Cache-Control"] = (
        "private, no-store" if not item.is_public else "public, max-age=3600"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


def paper_list_scan(request, pk):
    """The scan of a paper support list: for the staff of the idea's area only."""
    paper = get_object_or_404(PaperSupportList.objects.select_related("idea"), pk=pk)
    if not paper.scan or not permissions.is_area_staff(request.user, paper.idea):
        raise Http404
    content_type = "application/pdf" if paper.scan.name.endswith(".pdf") else "image/jpeg"
    response = FileResponse(paper.scan.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


# Public pages ----------------------------------------------------------------------------------


@for_visitors
def idea_list(request):
    base = Idea.objects.published()
    years = sorted(
        {y for y in base.order_by().values_list("year", flat=True).distinct() if y}, reverse=True
    )
    filters = IdeaFilterForm(request.GET or None, years=years)
    ideas = base.select_related("smederij")
    if filters.is_valid():
        data = filters.cleaned_data
        if data["smederij"]:
            ideas = ideas.filter(smederij=data["smederij"])
        if data["kind"]:
            ideas = ideas.filter(kind=data["kind"])
        if data["status"]:
            ideas = ideas.filter(status=data["status"])
        if data["year"]:
            ideas = ideas.filter(year=data["year"])
        if data["notion"]:
            ideas = ideas.filter(**{f"serves_{data['notion']}": True})
    page = _with_support_totals(
        Paginator(ideas.order_by("-submitted_at", "-pk"), PER_PAGE).get_page(
            request.GET.get("pagina")
        )
    )
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "ideas/idea_list.html",
        {"page": page, "filters": filters, "query": query.urlencode(), "is_filtered": bool(query)},
    )


def _detail_context(request, idea, support_form=None):
    attachments = list(idea.attachments.all())
    accounting = getattr(idea, "accounting", None)
    result = None
    if (
        idea.status == Status.AFGEROND
        and accounting is not None
        and accounting.state == Accounting.State.SIGNED_OFF
    ):
        # What it cost, how it went and the photos the submitter allowed; receipts never.
        result = {
            "accounting": accounting,
            "money": money_of(idea, accounting),
            "photos": [
                a
                for a in attachments
                if a.purpose == Attachment.Purpose.RESULT
                and a.is_public
                and a.file_kind == Attachment.FileKind.PHOTO
            ],
        }
    return {
        "idea": idea,
        "support_total": services.support_count(idea),
        "can_be_supported": services.can_be_supported(idea),
        "support_form": support_form or SupportForm(),
        "photos": [a for a in attachments if a.is_public and a.purpose == Attachment.Purpose.IDEA],
        "result": result,
        **_plan_context(idea),
    }


def _plan_context(idea) -> dict:
    """A lange-klap plan's stuurgroep decisions (outcome and public reason only: never the votes
    or who voted) and its milestones. Korte-klap ideas read nothing more."""
    if idea.kind != Kind.LANGE_KLAP:
        return {}
    decisions = list(
        StuurgroepDecision.objects.filter(idea=idea)
        .select_related("meeting")
        .only("outcome", "public_reason", "recorded_at", "meeting__starts_at")
        .order_by("meeting__starts_at", "recorded_at")
    )
    return {"decisions": decisions, "plan_progress": progress_of(idea.milestones.all())}


def _public_idea(reference):
    return get_object_or_404(
        Idea.objects.published()
        .select_related("smederij", "accounting", "grant")
        .prefetch_related("budget_lines", "attachments", _public_history()),
        reference=reference,
    )


@for_visitors
def idea_detail(request, reference):
    idea = _public_idea(reference)
    return render(request, "ideas/idea_detail.html", _detail_context(request, idea))


@require_POST
def idea_support(request, reference):
    idea = _public_idea(reference)
    form = SupportForm(request.POST)
    if form.is_valid():
        if not form.is_spam():
            if _too_often(request, "support_idea", key=form.cleaned_data["email"].lower()):
                messages.error(
                    request, _("Many supports came from here in a short time. Try again later.")
                )
                return redirect(idea)
            try:
                services.give_support(
                    idea,
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                    street=form.cleaned_data["street"],
                    smederij=form.cleaned_data["smederij"],
                )
            except ValidationError as error:
                form.add_error(None, error)
        if not form.errors:
            return redirect("ideas:support-sent", reference=idea.reference)
    return render(
        request, "ideas/idea_detail.html", _detail_context(request, idea, support_form=form)
    )


def support_sent(request, reference):
    idea = _public_idea(reference)
    return render(request, "ideas/support_sent.html", {"idea": idea})


def support_confirm(request, token):
    """The link from the mail. A button confirms it, so mail scanners that open links do not."""
    support = get_object_or_404(Support.objects.select_related("idea"), token=token)
    if request.method == "POST":
        services.confirm_support(support)
        messages.success(request, _("Thank you! Your support now counts."))
        if support.idea.is_published:
            return redirect(support.idea)
        return redirect("ideas:idea-list")
    return render(request, "ideas/support_confirm.html", {"support": support, "idea": support.idea})


@for_visitors
def conditions(request):
    years = sorted(set(Condition.objects.values_list("year", flat=True)), reverse=True)
    current = timezone.localdate().year
    try:
        year = int(request.GET.get("jaar", current))
    except ValueError:
        year = current
    if years and year not in years:
        year = current if current in years else years[0]
    items = list(Condition.objects.for_year(year))
    groups = [
        (_("For every idea"), [c for c in items if c.kind == Condition.Applies.BOTH]),
        (Kind.KORTE_KLAP.label, [c for c in items if c.kind == Condition.Applies.KORTE_KLAP]),
        (Kind.LANGE_KLAP.label, [c for c in items if c.kind == Condition.Applies.LANGE_KLAP]),
    ]
    return render(
        request,
        "ideas/conditions.html",
        {"year": year, "years": years, "groups": [(t, c) for t, c in groups if c]},
    )


@for_visitors
def search(request):
    query = request.GET.get("q", "").strip()[:200]
    ideas = pages = []
    page = None
    if query:
        ideas = search_ideas(query).select_related("smederij")
        page = _with_support_totals(Paginator(ideas, PER_PAGE).get_page(request.GET.get("pagina")))
        pages = search_pages(query)
    return render(
        request,
        "ideas/search.html",
        {"q": query, "page": page, "pages": pages, "query": urlencode({"q": query})},
    )


# The initiatiefgroep's inventory ---------------------------------------------------------------


def inventory_list(request, slug):
    group = get_object_or_404(Initiatiefgroep.objects.select_related("smederij"), slug=slug)
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?next={request.path}")
    if not (
        permissions.is_initiatiefgroep_member(request.user, group.smederij_id)
        or permissions.is_area_staff(request.user, Idea(smederij=group.smederij))
    ):
        raise PermissionDenied
    ideas = (
        Idea.objects.submitted()
        .filter(smederij=group.smederij)
        .annotate(remark_count=Count("inventory_remarks"))
        .order_by("-submitted_at")
    )
    page = Paginator(ideas, PER_PAGE).get_page(request.GET.get("pagina"))
    return render(request, "ideas/inventory_list.html", {"group": group, "page": page})


@login_required
def inventory_detail(request, public_id):
    idea = get_object_or_404(
        Idea.objects.submitted()
        .select_related("smederij")
        .prefetch_related(
            "budget_lines",
            "attachments",
            _public_history(),
            Prefetch(
                "inventory_remarks",
                queryset=InventoryRemark.objects.select_related("author", "initiatiefgroep"),
            ),
        ),
        public_id=public_id,
    )
    if not permissions.can_see_inventory(request.user, idea):
        raise PermissionDenied
    can_add = permissions.can_add_inventory_remark(request.user, idea)
    form = InventoryRemarkForm(request.POST or None) if can_add else None
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied
        if form.is_valid():
            services.add_inventory_remark(idea, actor=request.user, text=form.cleaned_data["text"])
            messages.success(request, _("Your remark is saved."))
            return redirect("ideas:inventory-detail", public_id=idea.public_id)
    group = Initiatiefgroep.objects.filter(smederij_id=idea.smederij_id, is_active=True).first()
    return render(
        request,
        "ideas/inventory_detail.html",
        {
            "idea": idea,
            "form": form,
            "group": group,
            "support": services.support_make_up(idea),
            "notions": Notion,
        },
    )

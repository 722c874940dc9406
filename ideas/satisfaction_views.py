"""The satisfaction question after closing: the link in the closing mail leads here.

No sign-in: the random token in the link is the key (an unknown token is not found). Opening the
link never stores anything, because mail scanners open links too; the submitter presses a button.
One answer per idea; after that the page only says thank you.
"""

from allauth.core import ratelimit
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from . import services
from .models import SatisfactionSurvey
from .satisfaction_forms import SCORE_PARAMETER, SatisfactionForm, score_from_link

TEMPLATE = "ideas/satisfaction.html"
# Added to the address after sending, so the page thanks for the answer just given.
THANKS_PARAMETER = "bedankt"


@never_cache
def satisfaction(request, token):
    survey = get_object_or_404(SatisfactionSurvey.objects.select_related("idea"), token=token)
    if survey.answered_at is not None:
        return _answered(request, survey)
    if request.method == "POST":
        form = SatisfactionForm(request.POST)
        if not ratelimit.consume(request, action="satisfaction"):
            form.add_error(None, _("Many answers came from here in a short time. Try again later."))
            return _render(request, survey, form=form, status=429)
        if form.is_valid():
            try:
                services.answer_satisfaction(
                    survey,
                    score=form.cleaned_data["score"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                survey.refresh_from_db()
                if survey.answered_at is not None:
                    # Answered in another window a moment ago: that answer stays.
                    return redirect(survey.get_absolute_url())
                form.add_error(None, error)
            else:
                return redirect(f"{survey.get_absolute_url()}?{THANKS_PARAMETER}=1")
    else:
        # Opening the link stores nothing; the score chosen in the mail is filled in.
        score = score_from_link(request.GET.get(SCORE_PARAMETER))
        form = SatisfactionForm(initial={"score": score} if score else None)
    return _render(request, survey, form=form)


def _answered(request, survey):
    """After the answer (just now, or before): thanks, and nothing to change."""
    state = "thanks" if THANKS_PARAMETER in request.GET else "answered"
    return _render(request, survey, state=state)


def _render(request, survey, *, form=None, state="question", status=200):
    response = render(
        request,
        TEMPLATE,
        {"survey": survey, "idea": survey.idea, "form": form, "state": state},
        status=status,
    )
    # A personal link: search engines must not keep the page.
    response["X-Robots-Tag"] = "noindex"
    return response

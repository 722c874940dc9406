"""Mail of the idea's way, sent after the commit: no mail tells of what did not happen."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budgets.models import Grant
from ideas.workflow import (
    ASKED_HOW_SATISFIED,
    Status,
)
from smederijen import calendar, mail
from smederijen.models import MailText
from smederijen.templatetags.money import format_euro
from teams.models import Team

from ..models import (
    Idea,
    Invitation,
    Overleg,
    SatisfactionSurvey,
    StatusChange,
    Support,
)

logger = logging.getLogger("smederijen.events")


# Mail (sent after the commit, so no mail tells of something that did not happen) ----------------


def team_addresses(idea: Idea) -> list[str]:
    """The area's team mailbox, its members with an account, and the gebiedsregisseur."""
    addresses = []
    teams = Team.objects.filter(smederijen=idea.smederij_id, is_active=True).prefetch_related(
        "members__user"
    )
    for team in teams:
        if team.email:
            addresses.append(team.email)
        addresses.extend(m.user.email for m in team.members.all() if m.user and m.user.email)
    if idea.smederij and idea.smederij.gebiedsregisseur:
        addresses.append(idea.smederij.gebiedsregisseur.email)
    return list(dict.fromkeys(a for a in addresses if a))


def _send(
    subject: str, template: str, context: dict, to: list[str], attachments: tuple = ()
) -> None:
    if not to:
        return
    # The opening and closing words support staff keep in admin (none: the standard words).
    context = {**context, "mail_text": MailText.for_template(template)}
    mail.send(
        subject=f"De Smederijen: {subject}",
        body=render_to_string(template, context),
        to=to,
        attachments=attachments,
    )


def _site_url(path: str) -> str:
    return settings.SMEDERIJEN_SITE_URL.rstrip("/") + path


def _mail_submitted(idea_pk: int) -> None:
    idea = Idea.objects.select_related("smederij__gebiedsregisseur").get(pk=idea_pk)
    context = {
        "idea": idea,
        "my_ideas_url": _site_url(reverse("ideas:my-idea", kwargs={"public_id": idea.public_id})),
        "conditions_url": _site_url(reverse("ideas:conditions")),
    }
    _send(
        _("your idea %(reference)s has arrived") % {"reference": idea.reference},
        "ideas/email/submitted_submitter.txt",
        context,
        [idea.contact_email],
    )
    _mail_team(idea_pk, "ideas/email/submitted_team.txt")


# The subject of a mail to the area's team names what happened (issue 20, item 5).
TEAM_SUBJECTS = {
    "ideas/email/submitted_team.txt": gettext_lazy("new idea %(reference)s for %(smederij)s"),
    "ideas/email/answered_team.txt": gettext_lazy(
        "the submitter answered your question about idea %(reference)s"
    ),
    "ideas/email/accounting_sent_team.txt": gettext_lazy(
        "verantwoording of idea %(reference)s: please sign it off"
    ),
    "ideas/email/stuurgroep_decided_team.txt": gettext_lazy(
        "the stuurgroep decided on plan %(reference)s"
    ),
}


def _mail_team(idea_pk: int, template: str) -> None:
    idea = Idea.objects.select_related("smederij__gebiedsregisseur").get(pk=idea_pk)
    context = {
        "idea": idea,
        "admin_url": _site_url(reverse("ideas:review", kwargs={"public_id": idea.public_id})),
    }
    # To the staff: in the site's language, whatever language the submitter uses.
    with translation.override(settings.LANGUAGE_CODE):
        subject = TEAM_SUBJECTS.get(template, gettext_lazy("idea %(reference)s for %(smederij)s"))
        _send(
            str(subject) % {"reference": idea.reference, "smederij": idea.smederij},
            template,
            context,
            team_addresses(idea),
        )


def _mail_assigned(idea_pk: int, behandelaar_pk: int, actor_pk: int) -> None:
    """To the new behandelaar of an idea: who gave it to them, and the link to its review page."""
    idea = Idea.objects.select_related("smederij", "behandelaar").get(pk=idea_pk)
    if idea.behandelaar_id != behandelaar_pk:
        return  # assigned to someone else in the meantime
    User = get_user_model()
    actor = User.objects.filter(pk=actor_pk).first()
    # To a colleague: in the site's language, whatever language the sender browses in.
    with translation.override(settings.LANGUAGE_CODE):
        _send(
            _("you handle idea %(reference)s") % {"reference": idea.reference},
            "ideas/email/assigned.txt",
            {
                "idea": idea,
                "actor": actor,
                "review_url": _site_url(
                    reverse("ideas:review", kwargs={"public_id": idea.public_id})
                ),
            },
            [idea.behandelaar.email],
        )


# The subject of the submitter's mail names the step and the idea (the amount of a grant);
# a change without a new status keeps "news about your idea".
STATUS_SUBJECTS = {
    Status.IN_BEHANDELING: gettext_lazy("the wijkteam is looking at your idea %(reference)s"),
    Status.AANVULLING_GEVRAAGD: gettext_lazy("we have a question about your idea %(reference)s"),
    Status.GOEDGEKEURD: gettext_lazy("your idea %(reference)s meets the conditions"),
    Status.BUDGET_TOEGEKEND: gettext_lazy("your idea %(reference)s gets %(amount)s"),
    Status.AFGEWEZEN: gettext_lazy("your idea %(reference)s is rejected"),
    Status.BIJ_STUURGROEP: gettext_lazy("your plan %(reference)s goes to the stuurgroep"),
    Status.FINANCIERING: gettext_lazy("your plan %(reference)s: now looking for the money"),
    Status.IN_UITVOERING: gettext_lazy("your idea %(reference)s may start"),
    Status.GEREALISEERD: gettext_lazy("your idea %(reference)s is realised: how did it go?"),
    Status.AFGEROND: gettext_lazy("your idea %(reference)s is completed"),
    Status.INGETROKKEN: gettext_lazy("your idea %(reference)s is withdrawn"),
}


def _granted(idea: Idea) -> str | None:
    """The amount granted to the idea, written out ("€ 750,00"), if any."""
    amount = Grant.objects.filter(idea=idea).values_list("amount", flat=True).first()
    return format_euro(amount) if amount is not None else None


def _status_subject(change: StatusChange, granted: str | None) -> str:
    reference = change.idea.reference
    subject = STATUS_SUBJECTS.get(change.to_status)
    if change.from_status == change.to_status or subject is None:
        return _("news about your idea %(reference)s") % {"reference": reference}
    if change.to_status == Status.BUDGET_TOEGEKEND:
        if granted is None:
            return _("news about your idea %(reference)s") % {"reference": reference}
        return str(subject) % {"reference": reference, "amount": granted}
    return str(subject) % {"reference": reference}


def _mail_status_change(change_pk: int) -> None:
    """Tell the submitter what happened and why, with a link to their idea."""
    change = StatusChange.objects.select_related("idea").get(pk=change_pk)
    idea = change.idea
    if change.mail_queued or not idea.contact_email:
        return
    context = {
        "idea": idea,
        "change": change,
        "my_idea_url": _site_url(reverse("ideas:my-idea", kwargs={"public_id": idea.public_id})),
    }
    survey = SatisfactionSurvey.objects.filter(idea=idea, answered_at__isnull=True).first()
    if change.to_status in ASKED_HOW_SATISFIED and survey is not None:
        survey_url = _site_url(survey.get_absolute_url())
        context["survey_links"] = [
            (score, label, f"{survey_url}?cijfer={score}")
            for score, label in SatisfactionSurvey.Score.choices
        ]
    if change.to_status == Status.GEREALISEERD:
        context["accounting_url"] = _site_url(
            reverse("ideas:accounting", kwargs={"public_id": idea.public_id})
        )
    granted = _granted(idea) if change.to_status == Status.BUDGET_TOEGEKEND else None
    context["granted"] = granted
    _send(
        _status_subject(change, granted),
        "ideas/email/status_changed.txt",
        context,
        [idea.contact_email],
    )
    StatusChange.objects.filter(pk=change.pk).update(mail_queued=True)
    if change.to_status == Status.BIJ_STUURGROEP:
        _mail_stuurgroep_secretary(idea)


def _mail_stuurgroep_secretary(idea: Idea) -> None:
    """The gebiedsregisseur of the area is the stuurgroep's secretary for its plans."""
    regisseur = idea.smederij.gebiedsregisseur if idea.smederij else None
    if regisseur is None:
        return
    _send(
        _("plan %(reference)s for the stuurgroep") % {"reference": idea.reference},
        "ideas/email/to_stuurgroep.txt",
        {
            "idea": idea,
            "admin_url": _site_url(reverse("ideas:review", kwargs={"public_id": idea.public_id})),
        },
        [regisseur.email],
    )


def _mail_support(support_pk: int) -> None:
    support = Support.objects.select_related("idea").get(pk=support_pk)
    context = {
        "support": support,
        "idea": support.idea,
        "confirm_url": _site_url(reverse("ideas:support-confirm", kwargs={"token": support.token})),
    }
    _send(
        _("confirm your support for '%(title)s'") % {"title": support.idea.title},
        "ideas/email/support_confirm.txt",
        context,
        [support.email],
    )


# Het wijkoverleg ---------------------------------------------------------------------------------

OVERLEG_SUBJECTS = {
    "invited": gettext_lazy("invitation to the wijkoverleg of %(areas)s on %(date)s"),
    "changed": gettext_lazy("the wijkoverleg of %(areas)s on %(date)s has changed"),
    "cancelled": gettext_lazy("the wijkoverleg of %(areas)s on %(date)s is cancelled"),
}


def overleg_areas(overleg) -> str:
    return ", ".join(area.name for area in overleg.smederijen.all())


def overleg_agenda(overleg) -> list[str]:
    return [
        str(item.idea.title or item.idea.reference) if item.idea_id else item.title
        for item in overleg.items.all()
    ]


def overleg_appointment(overleg) -> calendar.Appointment:
    """The overleg as an appointment in a calendar (the same UID for each of its versions), with
    its agenda and the online link in the description."""
    lines = [f"{n}. {title}" for n, title in enumerate(overleg_agenda(overleg), 1)]
    if overleg.online_link:
        lines = [_("Online: %(link)s") % {"link": overleg.online_link}, *lines]
    description = "\n".join(lines)
    return calendar.Appointment(
        uid=f"wijkoverleg-{overleg.public_id}@desmederijen.nl",
        sequence=overleg.sequence,
        starts_at=overleg.starts_at,
        ends_at=overleg.ends_at,
        summary=_("Wijkoverleg %(areas)s") % {"areas": overleg_areas(overleg)},
        place=overleg.place,
        description=description,
        url=_site_url(reverse("ideas:overleg", kwargs={"public_id": overleg.public_id})),
        cancelled=overleg.state == Overleg.State.AFGELAST,
    )


def _mail_overleg(overleg_pk: int, kind: str) -> None:
    """To each invited person: the invitation, the change or the cancellation, with the calendar
    file and their own link to say whether they come. In the site's language."""
    overleg = Overleg.objects.prefetch_related("smederijen", "items__idea").get(pk=overleg_pk)
    invitations = Invitation.objects.filter(overleg=overleg).select_related("user")
    page_url = _site_url(reverse("ideas:overleg", kwargs={"public_id": overleg.public_id}))
    with translation.override(settings.LANGUAGE_CODE):
        starts = timezone.localtime(overleg.starts_at)
        subject = str(OVERLEG_SUBJECTS[kind]) % {
            "areas": overleg_areas(overleg),
            "date": date_format(starts, "j F Y"),
        }
        agenda = overleg_agenda(overleg)
        # The mail gives the attachment its charset itself.
        attachment = (
            "wijkoverleg.ics",
            calendar.ics(overleg_appointment(overleg)),
            "text/calendar",
        )
        for invitation in invitations:
            if not invitation.user.email:
                continue
            _send(
                subject,
                "ideas/email/overleg.txt",
                {
                    "overleg": overleg,
                    "kind": kind,
                    "areas": overleg_areas(overleg),
                    "starts": starts,
                    "ends": timezone.localtime(overleg.ends_at),
                    "agenda": agenda,
                    "invitation": invitation,
                    "page_url": page_url,
                    "answer_url": _site_url(
                        reverse("ideas:overleg-answer", kwargs={"token": invitation.token})
                    ),
                },
                [invitation.user.email],
                attachments=(attachment,),
            )


def _mail_minutes(overleg_pk: int, *, final: bool) -> None:
    """The minutes to everyone who was there: a draft to check, or final."""
    overleg = Overleg.objects.prefetch_related("smederijen", "items__idea").get(pk=overleg_pk)
    present = list(Invitation.objects.filter(overleg=overleg, present=True).select_related("user"))
    with translation.override(settings.LANGUAGE_CODE):
        starts = timezone.localtime(overleg.starts_at)
        areas = overleg_areas(overleg)
        subject = (
            _("minutes of the wijkoverleg of %(areas)s on %(date)s")
            if final
            else _("draft minutes of the wijkoverleg of %(areas)s on %(date)s")
        ) % {"areas": areas, "date": date_format(starts, "j F Y")}
        context = {
            "overleg": overleg,
            "areas": areas,
            "starts": starts,
            "final": final,
            "items": list(overleg.items.all()),
            "present": [invitation.user for invitation in present],
            "page_url": _site_url(
                reverse("ideas:overleg", kwargs={"public_id": overleg.public_id})
            ),
        }
        addresses = [invitation.user.email for invitation in present if invitation.user.email]
        if addresses:
            # One mail to all who were there: the minutes hold nothing personal for one of them.
            _send(subject, "ideas/email/overleg_minutes.txt", context, addresses)

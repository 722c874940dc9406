"""Reminders, sent every morning by `manage.py send_reminders` (deploy/smederijen.cron):

- a daily overview to each reviewer (everyone who acts for an area), only when something waits:
  what is assigned to them, new ideas, decisions overdue or due within a week, answered questions
  and verantwoordingen to sign off (the lists of Mijn werk, ``my_work.area_work``);
- one reminder to a submitter whose question from the wijkteam is still open after the term in
  the programme settings;
- one reminder to a stuurgroep member a few days (programme settings) before a meeting, of the
  plans on its agenda they have not assessed.

A ``Reminder`` row with a unique key is written in the same transaction as the mail is queued
after: nobody gets the same reminder twice, also when the command runs twice on one day.
"""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ideas.workflow import Status
from smederijen import mail
from smederijen.models import ProgrammeSettings, Smederij
from teams import permissions as team_permissions
from teams.models import StuurgroepMember

from .models import AgendaItem, Assessment, Idea, Meeting, Reminder, StatusChange
from .my_work import area_work

logger = logging.getLogger("smederijen.events")


@dataclass
class Sent:
    digests: int = 0
    questions: int = 0
    meetings: int = 0
    skipped: list = field(default_factory=list)  # keys already sent

    def __str__(self) -> str:
        return (
            f"{self.digests} daily overviews, {self.questions} question reminders, "
            f"{self.meetings} meeting reminders; {len(self.skipped)} already sent"
        )


def _site_url(path: str) -> str:
    return settings.SMEDERIJEN_SITE_URL.rstrip("/") + path


def _once(kind: str, key: str, subject: str, template: str, context: dict, to: str) -> bool:
    """Queue the mail unless a reminder with this key was sent already; True when queued."""
    if not to:
        return False
    try:
        with transaction.atomic():
            Reminder.objects.create(kind=kind, key=key)
            body = render_to_string(template, context)
            transaction.on_commit(
                lambda: mail.send(subject=f"De Smederijen: {subject}", body=body, to=[to])
            )
    except IntegrityError:
        return False
    logger.info("reminder queued", extra={"kind": kind, "key": key})
    return True


# The daily overview for reviewers ---------------------------------------------------------------


def reviewers():
    """Everyone who acts for an area: the members of its team with an account and its
    gebiedsregisseur."""
    return team_permissions.people_acting_for(Smederij.objects.values("pk")).exclude(email="")


def send_digests(today, sent: Sent) -> None:
    for person in reviewers():
        lists = [work for work in area_work(person, today) if work.count]
        if not lists:
            continue  # nothing waits: no mail
        total = sum(work.count for work in lists)
        subject = ngettext(
            "%(count)d thing waits for you (%(day)s)",
            "%(count)d things wait for you (%(day)s)",
            total,
        ) % {"count": total, "day": _day(today)}
        queued = _once(
            Reminder.Kind.DIGEST,
            f"user:{person.pk}:{today.isoformat()}",
            subject,
            "ideas/email/digest.txt",
            {
                "person": person,
                "lists": lists,
                "site_url": _site_url(""),
                "my_work_url": _site_url(reverse("ideas:my-work")),
            },
            person.email,
        )
        if queued:
            sent.digests += 1
        else:
            sent.skipped.append(f"digest {person.pk}")


def _day(day) -> str:
    return date_format(day, "j F")


# Open questions ---------------------------------------------------------------------------------


def send_question_reminders(now, sent: Sent) -> None:
    term = ProgrammeSettings.load().question_reminder_days
    asked_before = now - timedelta(days=term)
    questions = (
        StatusChange.objects.filter(
            to_status=Status.AANVULLING_GEVRAAGD,
            idea__status=Status.AANVULLING_GEVRAAGD,
            at__lte=asked_before,
        )
        # Only the question that is open now: the latest change of the idea.
        .exclude(Exists(StatusChange.objects.filter(idea=OuterRef("idea"), at__gt=OuterRef("at"))))
        .select_related("idea")
    )
    for question in questions:
        idea = question.idea
        url = reverse("ideas:my-idea", kwargs={"public_id": idea.public_id})
        queued = _once(
            Reminder.Kind.QUESTION,
            f"change:{question.pk}",
            _("we are waiting for your answer about idea %(reference)s")
            % {"reference": idea.reference},
            "ideas/email/question_reminder.txt",
            {"idea": idea, "question": question, "answer_url": _site_url(url), "days": term},
            idea.contact_email,
        )
        if queued:
            sent.questions += 1
        else:
            sent.skipped.append(f"question {question.pk}")


# Meetings of the stuurgroep ---------------------------------------------------------------------


def send_meeting_reminders(now, sent: Sent) -> None:
    days = ProgrammeSettings.load().meeting_reminder_days
    meetings = Meeting.objects.filter(starts_at__gt=now, starts_at__lte=now + timedelta(days=days))
    members = list(
        StuurgroepMember.objects.seated().filter(user__isnull=False).select_related("user")
    )
    for meeting in meetings:
        items = AgendaItem.objects.filter(meeting=meeting, idea__status=Status.BIJ_STUURGROEP)
        for member in members:
            plans = list(
                Idea.objects.filter(pk__in=items.values("idea"))
                .exclude(Exists(Assessment.objects.filter(idea=OuterRef("pk"), member=member)))
                .select_related("smederij")
                .order_by("submitted_at", "pk")
            )
            if not plans:
                continue
            queued = _once(
                Reminder.Kind.MEETING,
                f"meeting:{meeting.pk}:member:{member.pk}",
                ngettext(
                    "assess %(count)d plan before the meeting of %(day)s",
                    "assess %(count)d plans before the meeting of %(day)s",
                    len(plans),
                )
                % {"count": len(plans), "day": _day(timezone.localtime(meeting.starts_at))},
                "ideas/email/meeting_reminder.txt",
                {
                    "member": member,
                    "meeting": meeting,
                    "plans": [
                        (
                            plan,
                            _site_url(
                                reverse("ideas:dossier", kwargs={"public_id": plan.public_id})
                            ),
                        )
                        for plan in plans
                    ],
                    "meeting_url": _site_url(reverse("ideas:meeting", kwargs={"pk": meeting.pk})),
                },
                member.user.email,
            )
            if queued:
                sent.meetings += 1
            else:
                sent.skipped.append(f"meeting {meeting.pk} member {member.pk}")


def send_reminders(now=None) -> Sent:
    """Every reminder that is due now, each at most once; the mails are in Dutch."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = Sent()
    with translation.override(settings.LANGUAGE_CODE):
        send_digests(today, sent)
        send_question_reminders(now, sent)
        send_meeting_reminders(now, sent)
    return sent

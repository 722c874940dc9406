"""Retention: every night (``manage.py apply_retention``, cron) personal data older than the
periods set in admin (Programme settings) is removed; each idea it anonymises gets a history
note."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max, OuterRef, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from smederijen import audit, pagecache
from smederijen.models import AuditEvent, ProgrammeSettings

from ..models import Idea, StatusChange, Support
from ..workflow import CLOSED, Status
from .anonymise import _anonymise_idea, _anonymise_support, _delete_concept


@dataclass
class RetentionReport:
    ideas: list[str] = field(default_factory=list)
    supports_anonymised: int = 0
    supports_deleted: int = 0
    concepts_deleted: int = 0
    audit_rows_deleted: int = 0

    def __str__(self) -> str:
        return (
            f"{len(self.ideas)} ideas anonymised, {self.supports_anonymised} supports "
            f"anonymised, {self.supports_deleted} unconfirmed supports and "
            f"{self.concepts_deleted} concepts deleted, {self.audit_rows_deleted} audit rows "
            "deleted"
        )


def months_before(moment: datetime, months: int) -> datetime:
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = moment.day
    while True:
        try:
            return moment.replace(year=year, month=month + 1, day=day)
        except ValueError:
            day -= 1  # 31 March less one month: the last day of February


def closed_at():
    """When an idea reached its closed status: the latest history row into that status."""
    return Subquery(
        StatusChange.objects.filter(idea=OuterRef("pk"), to_status=OuterRef("status"))
        .exclude(from_status=F("to_status"))  # a note (such as ours) is not the closing
        .values("idea")
        .annotate(latest=Max("at"))
        .values("latest")[:1]
    )


@transaction.atomic
def apply_retention(*, now: datetime | None = None) -> RetentionReport:
    """Run every night (cron): anonymise what is older than the periods set in admin."""
    now = now or timezone.now()
    transaction.on_commit(pagecache.forget_all)  # no kept page keeps what is removed here
    periods = ProgrammeSettings.load()
    closed_before = months_before(now, periods.retention_closed_months)
    short_before = now - timedelta(days=periods.retention_unconfirmed_days)
    report = RetentionReport()
    with translation.override(settings.LANGUAGE_CODE):
        note = _(
            "Personal data removed: the idea was closed more than %(months)s months ago "
            "(retention period)."
        ) % {"months": periods.retention_closed_months}
    due = (
        Idea.objects.filter(status__in=CLOSED, personal_data_removed_at__isnull=True)
        .annotate(closed_at=closed_at())
        .filter(closed_at__lte=closed_before)
        .select_for_update(of=("self",))
    )
    closed_ids = []
    for idea in due:
        _anonymise_idea(idea, needles=[], now=now, note=note)
        report.ideas.append(idea.reference)
        closed_ids.append(idea.pk)
    old_closed = (
        Idea.objects.filter(status__in=CLOSED)
        .annotate(closed_at=closed_at())
        .filter(closed_at__lte=closed_before)
        .values("pk")
    )
    for support in Support.objects.filter(
        idea__in=old_closed, anonymised_at__isnull=True, confirmed_at__isnull=False
    ):
        _anonymise_support(support, now)
        report.supports_anonymised += 1
    report.supports_deleted, _by_model = Support.objects.filter(
        confirmed_at__isnull=True, created_at__lte=short_before
    ).delete()
    for concept in Idea.objects.filter(status=Status.CONCEPT, updated_at__lte=short_before):
        _delete_concept(concept)
        report.concepts_deleted += 1
    report.audit_rows_deleted, _by_model = AuditEvent.objects.filter(
        at__lt=months_before(now, periods.audit_retention_months)
    ).delete()
    if any(
        (
            report.ideas,
            report.supports_anonymised,
            report.supports_deleted,
            report.concepts_deleted,
        )
    ):
        audit.record(
            actor=None,
            action="privacy.retention",
            kind=AuditEvent.Kind.PRIVACY,
            source=AuditEvent.Source.SYSTEM,
            detail=str(report),
        )
    return report

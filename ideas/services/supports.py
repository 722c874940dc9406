"""Supports (draagvlak): residents back an idea online (confirmed by mail) or on a paper list."""

import functools
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connections, transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from ideas.workflow import (
    SUPPORTABLE,
)
from smederijen.audit import audited

from .. import permissions
from ..models import (
    Idea,
    PaperSupportList,
    Support,
)
from .mail import _mail_support

logger = logging.getLogger("smederijen.events")

# Supports (draagvlak) ------------------------------------------------------------------------


def can_be_supported(idea: Idea) -> bool:
    return idea.is_published and idea.status in SUPPORTABLE


def give_support(idea: Idea, *, name: str, email: str, street: str, smederij=None) -> Support:
    """Someone supports a public idea. It counts once they confirm by the link in the mail;
    the same address counts once per idea, however often it is given."""
    if not can_be_supported(idea):
        raise ValidationError(_("This idea cannot be supported (any more)."))
    email = email.strip()
    try:
        with transaction.atomic():
            support = Support.objects.create(
                idea=idea, name=name.strip(), email=email, street=street.strip(), smederij=smederij
            )
    except IntegrityError:  # this address gave its support before
        support = Support.objects.get(idea=idea, email__iexact=email)
    transaction.on_commit(lambda: _mail_support(support.pk))
    return support


@transaction.atomic
def confirm_support(support: Support) -> Support:
    # With its idea: the kept page of the idea is what the confirmation changes (page_scopes).
    locked = (
        Support.objects.select_related("idea").select_for_update(of=("self",)).get(pk=support.pk)
    )
    if locked.confirmed_at is None:
        locked.confirmed_at = timezone.now()
        locked.save(update_fields=["confirmed_at"])
        logger.info("support confirmed", extra={"idea": locked.idea_id})
    return locked


@audited("ideas.add_paper_list", target="idea")
def add_paper_list(idea: Idea, *, actor, count: int, note: str = "", scan=None) -> PaperSupportList:
    """Staff of the area count a list of signatures on paper."""
    if not permissions.is_area_staff(actor, idea):
        raise PermissionDenied
    paper = PaperSupportList(idea=idea, count=count, note=note, added_by=actor)
    if scan is not None:
        paper.scan.save("scan", scan, save=False)
    paper.save()
    return paper


def _support_subqueries(idea: str) -> tuple:
    """Confirmed supports and paper signatures of the idea named by ``idea`` ("pk" for a list of
    ideas, "idea" for rows that point at one), each read in the same query as the rows."""
    confirmed = (
        Support.objects.filter(idea=OuterRef(idea), confirmed_at__isnull=False)
        .order_by()
        .values("idea")
        .annotate(n=Count("pk"))
        .values("n")
    )
    paper = (
        PaperSupportList.objects.filter(idea=OuterRef(idea))
        .order_by()
        .values("idea")
        .annotate(n=Sum("count"))
        .values("n")
    )
    return (
        Coalesce(Subquery(confirmed, output_field=IntegerField()), Value(0)),
        Coalesce(Subquery(paper, output_field=IntegerField()), Value(0)),
    )


def support_annotations(idea: str = "pk") -> dict:
    """The two parts of ``support_count`` as annotations (``supports``, ``signatures``): what the
    stuurgroep weighs per plan on a meeting's agenda."""
    confirmed, paper = _support_subqueries(idea)
    return {"supports": confirmed, "signatures": paper}


def support_total_annotation(idea: str = "pk") -> dict:
    """``support_count`` as an annotation (``support_total``): read with the ideas themselves,
    for a list or an idea's page, instead of two queries per idea."""
    confirmed, paper = _support_subqueries(idea)
    return {"support_total": confirmed + paper}


@functools.cache
def _totals_query(number: int) -> tuple[str, list, list[int]]:
    """The SQL of ``support_totals`` for this many ideas, made by the ORM once per worker: the
    query is the same every time but for the ideas' keys (made from the ORM it took 1.4 ms of
    the 2.2 ms a kept list spent on its numbers). Made with keys that no row has (-1 ... -n),
    each found again among the parameters."""
    marks = [-index for index in range(1, number + 1)]
    ideas = (
        Idea.objects.filter(pk__in=marks)
        .order_by()
        .annotate(**support_total_annotation())
        .values_list("pk", "support_total")
    )
    sql, params = ideas.query.sql_with_params()
    places = [params.index(mark) for mark in marks]
    return sql, list(params), places


def support_totals(pks: list[int]) -> dict[int, int]:
    """``support_count`` of each of these ideas, in one query (for the holes of the kept lists:
    ideas/templatetags/idea_cards.py)."""
    pks = sorted(set(pks))
    if not pks:
        return {}
    sql, params, places = _totals_query(len(pks))
    params = list(params)
    for place, pk in zip(places, pks, strict=True):
        params[place] = pk
    with connections[Idea.objects.db].cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


def support_count(idea: Idea) -> int:
    """Confirmed supports plus signatures on paper: the number shown with the idea (already read
    when the idea was fetched with ``support_total_annotation``)."""
    if getattr(idea, "support_total", None) is not None:
        return idea.support_total
    confirmed = idea.supports.confirmed().count()
    paper = idea.paper_lists.aggregate(total=Sum("count"))["total"] or 0
    return confirmed + paper


def support_make_up(idea: Idea) -> dict:
    """Where the support comes from: the evidence the wijkteam and the stuurgroep weigh.

    One query: the confirmed supports counted per area and street, summed up here. The paper
    signatures are read too, unless the idea was fetched with ``paper_total`` annotated."""
    by_smederij: dict = {}
    by_street: dict = {}
    for row in idea.supports.confirmed().values("smederij__name", "street").annotate(n=Count("pk")):
        by_smederij[row["smederij__name"]] = by_smederij.get(row["smederij__name"], 0) + row["n"]
        by_street[row["street"]] = by_street.get(row["street"], 0) + row["n"]
    paper = getattr(idea, "paper_total", None)
    if paper is None:
        paper = idea.paper_lists.aggregate(total=Sum("count"))["total"]

    def most_first(counts: dict, key: str) -> list[dict]:
        ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0] or ""))
        return [{key: name, "n": n} for name, n in ordered]

    return {
        "confirmed": sum(by_smederij.values()),
        "paper": paper or 0,
        "by_smederij": most_first(by_smederij, "smederij__name"),
        "by_street": most_first(by_street, "street")[:10],
    }

"""The wijkoverleg on the public pages of an area (the Smederij page, an initiatiefgroep's page):
the next overleg (date, time, place; how to join the initiatiefgroep to take part) and the public
ideas it discussed lately, with the public summary of the minutes. Two queries.

A tag here, because the pages of areas and teams come from apps below ``ideas`` that do not know
ideas (the import contract); their templates ask for it by name."""

from django import template
from django.utils import timezone

from ..models import Overleg, OverlegItem

register = template.Library()
RECENT = 5


@register.inclusion_tag("ideas/overleg/_public.html")
def wijkoverleg_of(smederij, groups=(), heading_level=2, is_member=False):
    upcoming = (
        Overleg.objects.filter(
            smederijen=smederij, state=Overleg.State.GEPLAND, starts_at__gt=timezone.now()
        )
        .order_by("starts_at")
        .first()
    )
    discussed = list(
        OverlegItem.objects.filter(
            overleg__smederijen=smederij,
            overleg__state=Overleg.State.AFGESLOTEN,
            idea__is_published=True,
        )
        .exclude(public_summary="")
        .select_related("idea", "overleg")
        .order_by("-overleg__starts_at", "position")[:RECENT]
    )
    return {
        "smederij": smederij,
        "upcoming": upcoming,
        "discussed": discussed,
        "groups": groups,
        "level": heading_level,
        "is_member": is_member,
    }

"""Demo: the next wijkoverleg of Krakeel, planned through the services, with two ideas that wait,
a free topic, and a remark of the initiatiefgroep beforehand."""

from datetime import timedelta

from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from smederijen.models import Smederij
from teams.models import User

from .. import services
from ..models import Overleg


def load_overleg() -> None:
    krakeel = Smederij.objects.filter(slug="krakeel").first()
    if krakeel is None or krakeel.gebiedsregisseur is None or Overleg.objects.exists():
        return
    waiting = services.ideas_to_discuss([krakeel.pk])[:2]
    starts = (timezone.localtime() + timedelta(days=14)).replace(
        hour=19, minute=30, second=0, microsecond=0
    )
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        with transaction.atomic():
            overleg = services.plan_overleg(
                actor=krakeel.gebiedsregisseur,
                smederijen=[krakeel],
                starts_at=starts,
                ends_at=starts + timedelta(hours=1, minutes=30),
                place="Buurthuis De Kaap, Krakeel",
                ideas=waiting,
                points=["Buurtfeest in juni: wie helpt?"],
            )
            fatima = User.objects.filter(email="fatima.elamrani@example.org").first()
            item = overleg.items.filter(idea__isnull=False).first()
            if fatima is not None and item is not None:
                services.prepare_item(
                    item,
                    actor=fatima,
                    text="Veel buren vragen hierom. Wel goed kijken naar de plek.",
                    advice="positief",
                )

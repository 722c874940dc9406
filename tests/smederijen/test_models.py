from datetime import UTC, date, datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from smederijen.models import FeaturedItem
from tests.factories import FeaturedItemFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "link",
    [
        "https://example.org/",
        "//example.org/x",
        "smederijen/elim/",
        "/\\example.com",
        "/\t/example.org",
        "/ /example.org",
        "javascript:alert(1)",
    ],
)
def test_featured_items_only_link_inside_the_portal(link):
    item = FeaturedItemFactory.build(link=link)
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert "link" in error.value.message_dict


@pytest.mark.parametrize("link", ["/", "/smederijen/elim/", "/over-de-smederijen/#wie"])
def test_featured_items_may_link_to_pages_of_the_portal(link):
    FeaturedItemFactory.build(link=link).full_clean()


def test_a_featured_item_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError):
        FeaturedItemFactory(publish_from=date(2026, 5, 1), publish_until=date(2026, 4, 1))


def test_published_respects_the_period():
    shown = FeaturedItemFactory(publish_from=date(2026, 4, 1), publish_until=date(2026, 4, 30))
    inside = datetime(2026, 4, 15, 12, tzinfo=UTC)
    after = datetime(2026, 5, 1, 12, tzinfo=UTC)
    assert list(FeaturedItem.objects.published(now=inside)) == [shown]
    assert list(FeaturedItem.objects.published(now=after)) == []


# Fields that never show in a form or a list: numbers and tokens the code uses.
INTERNAL_FIELDS = {
    ("ideas.IdeaSequence", "last_number"),
    ("ideas.Idea", "public_id"),
    ("ideas.Idea", "number"),
    ("ideas.Attachment", "public_id"),
    ("ideas.Attachment", "content_type"),
    ("ideas.SatisfactionSurvey", "token"),
    ("ideas.Support", "token"),
}


def test_every_field_has_a_label_that_can_be_translated():
    """Admin shows a field by its verbose name: without one it shows the English field name
    ("Organisation:"), which no translation reaches (issue 20, item 8)."""
    missing = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label in ("smederijen", "teams", "budgets", "ideas")
        and not model._meta.proxy
        for field in model._meta.get_fields()
        if getattr(field, "concrete", False)
        and not field.primary_key
        and not field.auto_created
        and field._verbose_name is None
        and (model._meta.label, field.name) not in INTERNAL_FIELDS
    ]
    assert missing == []

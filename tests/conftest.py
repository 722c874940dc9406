import pytest
from django.core.cache import cache, caches
from django.core.files.storage import storages
from django.urls import reverse

from ideas.models import Attachment, PaperSupportList
from tests.factories import FeaturedItemFactory, SmederijFactory

# Every public page of the site, with the objects it needs from the `site_data` fixture.
PUBLIC_PAGES = [
    "smederijen:home",
    "smederijen:about",
    "smederijen:smederij-list",
    ("teams:smederij-detail", {"slug": "elim"}),
    "smederijen:accessibility",
    "smederijen:privacy",
    "smederijen:contact",
    "smederijen:contact-sent",
    "ideas:idea-list",
    "ideas:idea-start",
    "ideas:conditions",
    "ideas:search",
]


def page_url(page) -> str:
    if isinstance(page, tuple):
        return reverse(page[0], kwargs=page[1])
    return reverse(page)


@pytest.fixture
def site_data(db):
    """The areas of the brief and one featured item: what a visitor sees on a normal day."""
    areas = [
        SmederijFactory(name="Krakeel", slug="krakeel"),
        SmederijFactory(name="Zuid", slug="zuid"),
        SmederijFactory(name="Elim", slug="elim", kind="dorp", description="Dorp aan de Vaart."),
        SmederijFactory(name="Oud", slug="oud", is_active=False),
    ]
    featured = FeaturedItemFactory(title="Dorpshuis Elim", link="/smederijen/elim/")
    return {"areas": areas, "featured": featured}


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    """Sign-in throttling and used app codes live in the cache: each test starts with an empty
    one in memory (production shares a database table; tests/teams/test_sign_in.py checks it)."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"},
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "p"},
        "sessions": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "s"},
    }
    # Kept public pages (smederijen/pagecache.py) are off here: most tests change rows inside
    # one transaction that never commits, so no change would reach the cache. The tests of the
    # cache itself and the browser journeys switch it on.
    settings.PAGE_CACHE_SECONDS = 0
    # Parts of pages kept by version (smederijen/parts.py) likewise: a stamp only changes after a
    # commit. tests/smederijen/test_parts.py and the browser journeys switch them on.
    settings.PART_SECONDS = 0
    cache.clear()
    caches["pages"].clear()
    caches["sessions"].clear()
    yield
    cache.clear()
    caches["pages"].clear()
    caches["sessions"].clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests sign in many users; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    """Uploads land in a fresh folder per test, never in the checkout's private-media.

    Changing STORAGES makes Django forget its storages (django.test.signals.storages_changed),
    but a FileField built its storage once, when the model was imported: point those at the new
    "private" storage too, and back afterwards."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
    }
    storages._storages = {}
    fields = [Attachment._meta.get_field("file"), PaperSupportList._meta.get_field("scan")]
    before = [field.storage for field in fields]
    for field in fields:
        field.storage = storages["private"]
    yield tmp_path / "private"
    for field, storage in zip(fields, before, strict=True):
        field.storage = storage


def recreate_migration_data() -> None:
    """A transactional test (live server, threads) empties every table afterwards, and with them
    what the data migrations made: the role groups and their permissions, and the stuurgroep."""
    import importlib

    from django.apps import apps

    from smederijen import role_permissions

    for module, function in [
        ("teams.migrations.0003_role_groups_and_the_stuurgroep", "create_role_groups"),
        ("ideas.migrations.0003_role_permissions_for_ideas", "grant"),
        ("ideas.migrations.0005_role_permissions_for_the_review", "grant"),
        ("ideas.migrations.0007_role_permissions_for_the_verantwoording", "grant"),
        ("smederijen.migrations.0004_role_permissions_for_programme_settings", "grant"),
        ("ideas.migrations.0009_role_permissions_for_milestones", "grant"),
        ("budgets.migrations.0002_role_permissions_for_budgets", "grant"),
        ("smederijen.migrations.0012_support_staff_see_undeliverable_mail", "grant"),
    ]:
        getattr(importlib.import_module(module), function)(apps, None)
    # The stuurgroep's work was granted in teams/0005 and moved to ideas with its content types
    # (ideas/0012): the same permissions, on the models where they live now.
    stuurgroep_work = importlib.import_module(
        "teams.migrations.0005_role_permissions_for_the_stuurgroep_work"
    )
    role_permissions.grant(apps, "ideas", stuurgroep_work.ROLE_PERMISSIONS)

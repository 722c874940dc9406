"""Who may open which page: every role against every page, as a table."""

import pytest
from django.contrib.auth.models import Group, Permission

from tests.factories import FeaturedItemFactory, SmederijFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "resident", "ondersteuning", "gebiedsregisseur"]


@pytest.fixture
def users():
    def staff(name, models):
        group = Group.objects.create(name=name)
        group.permissions.set(
            Permission.objects.filter(
                content_type__app_label="smederijen", content_type__model__in=models
            )
        )
        user = UserFactory(is_staff=True)
        user.groups.add(group)
        return user

    return {
        "anonymous": None,
        "resident": UserFactory(),
        "ondersteuning": staff("Ondersteuning", ["featureditem"]),
        "gebiedsregisseur": staff("Gebiedsregisseur", ["smederij", "featureditem"]),
    }


@pytest.fixture
def objects():
    return {"smederij": SmederijFactory(slug="elim"), "featured": FeaturedItemFactory()}


# (url, expected status per role in ROLES order). 302 = sent to the sign-in page.
TABLE = [
    ("/", [200, 200, 200, 200]),
    ("/over-de-smederijen/", [200, 200, 200, 200]),
    ("/smederijen/", [200, 200, 200, 200]),
    ("/smederijen/elim/", [200, 200, 200, 200]),
    ("/toegankelijkheid/", [200, 200, 200, 200]),
    ("/privacy/", [200, 200, 200, 200]),
    ("/contact/", [200, 200, 200, 200]),
    ("/contact/verzonden/", [200, 200, 200, 200]),
    ("/smederijen/bestaat-niet/", [404, 404, 404, 404]),
    ("/beheer/", [302, 302, 200, 200]),
    ("/beheer/smederijen/smederij/", [302, 302, 403, 200]),
    ("/beheer/smederijen/smederij/{smederij}/change/", [302, 302, 403, 200]),
    ("/beheer/smederijen/smederij/add/", [302, 302, 403, 200]),
    ("/beheer/smederijen/featureditem/", [302, 302, 200, 200]),
    ("/beheer/smederijen/featureditem/{featured}/change/", [302, 302, 200, 200]),
    ("/beheer/teams/user/", [302, 302, 403, 403]),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url, statuses", TABLE, ids=[row[0] for row in TABLE])
def test_role_can_open_page(client, users, objects, role, url, statuses):
    if users[role]:
        client.force_login(users[role])
    url = url.format(smederij=objects["smederij"].pk, featured=objects["featured"].pk)
    response = client.get(url)
    assert response.status_code == statuses[ROLES.index(role)]
    if response.status_code == 302:
        assert response.headers["Location"].startswith("/beheer/login/")

"""A resident's own data under the AVG: the download (inzage) holds everything the portal keeps
about them, and deleting the account leaves no trace of their name, e-mail address or phone
number in any text column of any table, while their ideas, history and the money stay.

One resident, Olga Eigenaar, touches every model that can hold a resident's data: an account with
allauth's address and a session, an idea all the way to afgerond (question answered, files,
verantwoording, satisfaction answer), a concept, a support confirmed and one not, a membership
of an initiatiefgroep and a remark in its inventory, mail in django-mailer's queue and log, admin's
own log and the audit trail.
"""

import io
import json
import zipfile
from datetime import timedelta
from decimal import Decimal
from importlib import import_module

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.sessions.models import Session
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from mailer import engine
from mailer.models import Message, MessageLog

from budgets.models import Budget
from budgets.services import budget_totals
from ideas import services
from ideas.models import (
    Attachment,
    Idea,
    InventoryRemark,
    Invitation,
    ItemRemark,
    Overleg,
    OverlegItem,
    StatusChange,
    Support,
)
from ideas.privacy import personal_data_of
from ideas.uploads import check_upload
from ideas.workflow import Status
from smederijen.models import AuditEvent
from teams.models import Membership, User
from tests.ideas import test_transitions
from tests.ideas.conftest import owner  # noqa: F401 (the fixture world builds on)
from tests.ideas.factories import IdeaFactory, submitted_idea
from tests.ideas.test_accounting import jpeg
from tests.ideas.test_transitions import write_accounting

pytestmark = pytest.mark.django_db

world = test_transitions.world

NAME = "Olga Eigenaar"
EMAIL = "olga@example.org"
PHONE = "06 11223344"
TRACES = [NAME, EMAIL, PHONE]


def text_columns_holding(needle: str) -> list[str]:
    """Every text column of every table of the database that holds ``needle`` (any case)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' "
            "AND data_type IN ('character varying', 'text', 'jsonb', 'json', 'character')"
        )
        columns = cursor.fetchall()
        found = []
        for table, column in columns:
            cursor.execute(
                f'SELECT count(*) FROM "{table}" WHERE "{column}"::text ILIKE %s',
                [f"%{needle}%"],
            )
            if cursor.fetchone()[0]:
                found.append(f"{table}.{column}")
    return found


def mails_naming(needle: str) -> list[str]:
    """django-mailer stores each mail encoded: read them all."""
    found = []
    for row in [*Message.objects.all(), *MessageLog.objects.all()]:
        email = row.email
        text = " ".join([email.subject, email.body, *email.to, *email.reply_to]).lower()
        if needle.lower() in text:
            found.append(email.subject)
    return found


@pytest.fixture
def olga_everywhere(world, settings, client, django_capture_on_commit_callbacks):
    """Olga touches every model; her mail goes through the queue in the database."""
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"
    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    olga = world["users"]["submitter"]
    member = world["users"]["wijkteam_a"]
    other = world["users"]["resident"]
    group = world["krakeel"].initiatiefgroepen.get()
    EmailAddress.objects.create(user=olga, email=EMAIL, verified=True, primary=True)
    with django_capture_on_commit_callbacks(execute=True):
        concept = IdeaFactory(
            submitted_by=olga,
            smederij=world["krakeel"],
            contact_name=NAME,
            contact_email=EMAIL,
            contact_phone=PHONE,
            title="Bloembakken aan de Dorpsstraat",
        )
        services.add_attachment(concept, check_upload(jpeg("olga-eigenaar-bloembak.jpg")))
        idea = IdeaFactory(
            submitted_by=olga,
            smederij=world["krakeel"],
            contact_name=NAME,
            contact_email=EMAIL,
            contact_phone=PHONE,
            title="Buurtfeest aan de Vijverlaan",
            description=f"Wie vragen heeft belt {NAME} op {PHONE}.",
            amount_requested=Decimal("750.00"),
        )
        services.add_attachment(idea, check_upload(jpeg("olga-eigenaar-feest.jpg")))
        idea = services.submit_idea(idea, actor=olga)
        idea = services.take_up(idea, actor=member)
        idea = services.ask_question(idea, actor=member, question="Wie helpt er mee?")
        idea = services.answer_question(idea, actor=olga, answer=f"Mijn buren. Groet, {NAME}")
        services.add_review_note(idea, actor=member, text=f"{NAME} belde: alles loopt goed.")
        idea = services.approve(idea, actor=member)
        services.grant(idea, Decimal("750.00"), actor=member)
        idea = services.start_execution(idea, actor=member)
        idea = services.mark_realised(idea, actor=member)
        write_accounting(idea, olga, send=True)
        services.sign_off_accounting(idea, actor=member, accepted_cost=Decimal("690.00"))
        idea.refresh_from_db()
        services.answer_satisfaction(idea.satisfaction, score=4, reason="Snel en vriendelijk.")

        others = submitted_idea(
            smederij=world["krakeel"], submitted_by=other, title="Jeu de boules"
        )
        services.set_published(others, actor=member, published=True)
        confirmed = services.give_support(others, name=NAME, email=EMAIL, street="Vijverlaan")
        services.confirm_support(confirmed)
        third = submitted_idea(smederij=world["krakeel"], submitted_by=other, title="Speeltuin")
        services.set_published(third, actor=member, published=True)
        services.give_support(third, name=NAME, email=EMAIL.upper(), street="Vijverlaan")
        from teams import services as team_services

        team_services.join_initiatiefgroep(group, olga)
        services.add_inventory_remark(
            others, actor=olga, text="Goed plan; de buren aan de Vijverlaan doen mee."
        )
    engine.send_all()  # the mail so far is sent and logged; what follows waits in the queue
    with django_capture_on_commit_callbacks(execute=True):
        services.set_published(idea, actor=member, published=True)
        services.add_paper_list(idea, actor=member, count=12, note="Lijst van de Vijverlaan")
        from smederijen.services import send_contact_message

        send_contact_message(name=NAME, email=EMAIL, message="Hoe gaat het met ons feest?")
    # Staff open her details and her account; admin logs a change of the account.
    staff_client = client.__class__()
    staff_client.force_login(member)
    assert staff_client.get(reverse("ideas:review", args=[idea.public_id])).status_code == 200
    LogEntry.objects.log_actions(
        user_id=world["users"]["ondersteuning"].pk,
        queryset=[olga],
        action_flag=CHANGE,
        change_message=[{"changed": {"fields": ["Last name"]}}],
        single_object=True,
    )
    client.force_login(olga)
    phone = client.__class__()
    phone.force_login(olga)  # and on her phone
    assert Message.objects.exists() and MessageLog.objects.exists()
    assert Session.objects.exists()
    return {
        "olga": olga,
        "idea": Idea.objects.get(pk=idea.pk),
        "concept": concept,
        "client": client,
        "phone": phone,
    }


def test_the_download_holds_each_record_of_the_resident(olga_everywhere):
    client = olga_everywhere["client"]
    idea = olga_everywhere["idea"]
    olga = User.objects.get(email=EMAIL)
    overleg = Overleg.objects.create(
        starts_at=timezone.now() + timedelta(days=3),
        ends_at=timezone.now() + timedelta(days=3, hours=2),
        place="Buurthuis De Kaap",
    )
    Invitation.objects.create(overleg=overleg, user=olga, role="initiatiefgroep", answer="ja")
    item = OverlegItem.objects.create(overleg=overleg, idea=idea)
    ItemRemark.objects.create(item=item, author=olga, advice="positief", text="Mooi plan, doen!")
    response = client.get(reverse("ideas:my-data-download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read("mijn-gegevens.json"))
    text = json.dumps(data, ensure_ascii=False)

    account = data["account"]
    assert account["e-mailadres"] == EMAIL and account["voornaam"] == "Olga"
    assert [a["adres"] for a in account["e-mailadressen"]] == [EMAIL]
    by_title = {i["titel"]: i for i in data["ideeën"]}
    assert set(by_title) == {"Buurtfeest aan de Vijverlaan", "Bloembakken aan de Dorpsstraat"}
    feest = by_title["Buurtfeest aan de Vijverlaan"]
    assert feest["referentienummer"] == idea.reference and feest["telefoonnummer"] == PHONE
    assert feest["verantwoording"]["hoe het ging"].startswith("Het buurtfeest was een succes")
    assert feest["tevredenheidsvraag"]["waarom"] == "Snel en vriendelijk."
    assert any("Groet, Olga Eigenaar" in step["uitleg"] for step in feest["geschiedenis"])
    assert len(feest["begroting"]) == 2
    # Her files are in the zip, each where the list says.
    files = [f["in deze download"] for i in data["ideeën"] for f in i["bestanden"]]
    assert len(files) == 3  # a photo with each idea and the receipt
    assert set(files) <= set(archive.namelist())
    supported = Idea.objects.filter(title__in=["Jeu de boules", "Speeltuin"])
    assert sorted(s["idee"] for s in data["steunbetuigingen"]) == sorted(
        supported.values_list("reference", flat=True)
    )
    assert [g["naam"] for g in data["initiatiefgroepen"]] == ["Initiatiefgroep Krakeel"]
    assert data["opmerkingen in een inventarisatie"][0]["opmerking"].startswith("Goed plan")
    (invitation,) = data["uitnodigingen voor een wijkoverleg"]
    assert invitation["plaats"] == "Buurthuis De Kaap" and invitation["antwoord"] == "komt"
    (remark,) = data["opmerkingen voor een wijkoverleg"]
    assert remark["opmerking"] == "Mooi plan, doen!" and remark["advies"] == "positief"
    subjects = [m["onderwerp"] for m in data["berichten die we je stuurden"]]
    assert len(subjects) >= 8 and all(subjects)
    # Internal notes of staff are not hers.
    assert "belde: alles loopt goed" not in text
    # The download is in the audit trail.
    assert AuditEvent.objects.filter(action="privacy.own_data_download").count() == 1


def test_after_erasure_no_text_column_names_her_and_ideas_and_money_are_unchanged(
    olga_everywhere,
):
    client = olga_everywhere["client"]
    olga = olga_everywhere["olga"]
    idea = olga_everywhere["idea"]
    for trace in TRACES:
        assert text_columns_holding(trace), trace  # the search does find her before
    budget = Budget.objects.get(smederij=idea.smederij)
    money_before = budget_totals(budget)
    available_before = budget.available
    sent_ideas = set(Idea.objects.exclude(status=Status.CONCEPT).values_list("pk", flat=True))
    history_before = list(StatusChange.objects.filter(idea=idea).values_list("pk", "to_status"))
    supports_before = services.support_count(Idea.objects.get(title="Jeu de boules"))

    page = client.get(reverse("ideas:account-delete"))
    assert page.status_code == 200
    refused = client.post(reverse("ideas:account-delete"), {})
    assert refused.status_code == 200 and User.objects.filter(pk=olga.pk).exists()
    response = client.post(reverse("ideas:account-delete"), {"understood": "on"})
    assert response.status_code == 302
    assert response["Location"] == reverse("ideas:account-deleted")

    for trace in TRACES:
        assert text_columns_holding(trace) == [], trace
        assert mails_naming(trace) == [], trace
    assert not User.objects.filter(pk=olga.pk).exists()
    signed_in = [s.get_decoded().get("_auth_user_id") for s in Session.objects.all()]
    assert str(olga.pk) not in signed_in  # she is signed out everywhere
    # also the copy of her phone's session in the sessions cache (SESSION_ENGINE cached_db)
    phone_session = olga_everywhere["phone"].cookies[settings.SESSION_COOKIE_NAME].value
    assert not import_module(settings.SESSION_ENGINE).SessionStore().exists(phone_session)
    assert not EmailAddress.objects.filter(email__iexact=EMAIL).exists()
    assert not Membership.objects.filter(user_id=olga.pk).exists()
    # The ideas stay, anonymous, with their history (and one note that says why).
    assert set(Idea.objects.exclude(status=Status.CONCEPT).values_list("pk", flat=True)) == (
        sent_ideas
    )
    assert not Idea.objects.filter(pk=olga_everywhere["concept"].pk).exists()
    idea.refresh_from_db()
    assert idea.status == Status.AFGEROND and idea.submitted_by is None
    assert idea.contact_email == "" and idea.personal_data_removed_at is not None
    history_after = list(StatusChange.objects.filter(idea=idea).values_list("pk", "to_status"))
    assert history_after[: len(history_before)] == history_before
    assert len(history_after) == len(history_before) + 1
    assert Attachment.objects.filter(idea=idea).count() == 2  # photo and receipt stay
    # Her confirmed support still counts; the unconfirmed one is gone.
    assert services.support_count(Idea.objects.get(title="Jeu de boules")) == supports_before
    assert not Support.objects.filter(confirmed_at__isnull=True).exists()
    assert InventoryRemark.objects.filter(author=None).count() == 1
    budget.refresh_from_db()
    assert budget.available == available_before
    assert budget_totals(budget) == money_before
    # Her data is gone, and the trail says so, without naming her.
    assert AuditEvent.objects.filter(action="privacy.erase_account").count() == 1
    assert client.get(reverse("teams:my-details")).status_code == 302
    assert "Je account is verwijderd" in client.get(response["Location"]).content.decode()


def test_staff_cannot_delete_their_own_account_here(world, client):
    member = world["users"]["wijkteam_a"]
    client.force_login(member)
    page = client.get(reverse("ideas:account-delete"))
    assert page.status_code == 200
    assert "understood" not in page.content.decode()
    assert client.post(reverse("ideas:account-delete"), {"understood": "on"}).status_code == 403
    assert User.objects.filter(pk=member.pk).exists()


def test_a_visitor_is_asked_to_sign_in_for_the_download_and_the_deletion(client):
    for name in ("ideas:my-data-download", "ideas:account-delete"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_personal_data_of_is_in_english_for_an_english_reader(world, settings):
    settings.LANGUAGE_CODE = "nl"
    from django.utils import translation

    with translation.override("en"):
        data = personal_data_of(world["users"]["submitter"])
    assert "account" in data and "ideas" in data and "supports" in data


def test_the_download_and_the_delete_page_take_the_same_queries_for_1_or_12_ideas(world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    olga = world["users"]["submitter"]
    client.force_login(olga)

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    submitted_idea(smederij=world["krakeel"], submitted_by=olga)
    urls = (reverse("ideas:my-data-download"), reverse("ideas:account-delete"))
    for url in urls:  # the worker's first look-up of a content type is kept: not per idea
        queries(url)
    few = {url: queries(url) for url in urls}
    for _n in range(11):
        submitted_idea(smederij=world["krakeel"], submitted_by=olga)
    for url, count in few.items():
        assert queries(url) == count, url

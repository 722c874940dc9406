"""The verantwoording after realisation, as the submitter writes it: what it really cost, how it
went, receipts and photos of the result, sent to the wijkteam; and what the public page shows once
the wijkteam has signed it off.

The ideas are brought to ``gerealiseerd`` through the services, as the wijkteam does: a korte-klap
idea of Krakeel with € 750 granted from a bewonersbudget of € 1.000 (the transition tests'
``world``), with nothing of a verantwoording yet. Texts are checked in English (the
source texts) through the ``english`` client.
"""

import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from budgets.models import Budget, Grant
from ideas import services
from ideas.models import Accounting, Attachment, Idea
from ideas.uploads import check_upload
from tests.ideas import test_transitions
from tests.ideas.conftest import assert_error_next_to
from tests.ideas.factories import submitted_idea
from tests.ideas.test_uploads import PDF

pytestmark = pytest.mark.django_db

# The world of the transition tests: Krakeel and Elim, a user per role, a budget of € 1.000.
world = test_transitions.world

STORY = "We hebben de tafels samen geverfd. Dertig buren kwamen helpen."


def jpeg(name: str = "resultaat.jpg", colour: str = "green") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), colour).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def pdf(name: str = "bon-bouwmarkt.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def page_url(idea) -> str:
    return reverse("ideas:accounting", args=[idea.public_id])


def fresh_accounting(idea) -> Accounting:
    return Accounting.objects.get(idea=idea)


def files_of(idea, purpose=None) -> list[str]:
    files = Attachment.objects.filter(idea=idea)
    if purpose:
        files = files.filter(purpose=purpose)
    return sorted(files.values_list("original_name", flat=True))


def section(html: str, heading_id: str) -> str:
    """The part of the page from a heading to the end of its section."""
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


def world_member_email(idea) -> str:
    """The wijkteam member of the idea's area (``people``: Sanne Jonker of Krakeel)."""
    return idea.smederij.teams.get().members.exclude(user=None).get().user.email


def add_file(idea, upload, owner, purpose=Attachment.Purpose.RECEIPT) -> Attachment:
    return services.add_accounting_file(idea, check_upload(upload), actor=owner, purpose=purpose)


def carried_out(world, *, realised: bool = True) -> Idea:
    """Sent by Olga, approved, € 750 granted, carried out and (unless told) marked realised."""
    member = world["users"]["wijkteam_a"]
    idea = submitted_idea(
        smederij=world["krakeel"],
        submitted_by=world["users"]["submitter"],
        amount_requested=Decimal("750.00"),
    )
    idea = services.approve(services.take_up(idea, actor=member), actor=member)
    services.grant(idea, Decimal("750.00"), actor=member)
    idea = services.start_execution(idea, actor=member)
    if realised:
        idea = services.mark_realised(idea, actor=member)
    return Idea.objects.get(pk=idea.pk)


@pytest.fixture
def realised(world):
    return carried_out(world)


@pytest.fixture
def member(world):
    return world["users"]["wijkteam_a"]


@pytest.fixture
def owner_client(english, owner):
    english.force_login(owner)
    return english


# The submitter's way through the page -----------------------------------------------------------


def test_my_idea_asks_to_tell_how_it_went_once_it_is_realised(owner_client, realised):
    html = owner_client.get(reverse("ideas:my-idea", args=[realised.public_id])).content.decode()

    assert "Tell how it went and what it cost" in html
    assert f'href="{page_url(realised)}"' in html


def test_the_page_shows_the_grant_next_to_the_costs(owner_client, realised):
    response = owner_client.get(page_url(realised))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Granted from the bewonersbudget" in html and "750,00" in html
    assert 'name="actual_cost"' in html and 'name="send"' in html
    # The story is public: the resident is told so where they write it.
    assert "shown on the public page" in section(html, "costs-title")


def test_the_whole_way_save_upload_remove_send(
    owner_client, realised, owner, mailoutbox, django_capture_on_commit_callbacks
):
    url = page_url(realised)

    # Save, with a receipt (PDF) and a photo of the result chosen at the same time.
    response = owner_client.post(
        url,
        {
            "actual_cost": "€ 690",
            "story": STORY,
            "photos_public": "on",
            "receipts": [pdf()],
            "result_photos": [jpeg()],
            "save": "",
        },
    )
    assert response.status_code == 302
    accounting = fresh_accounting(realised)
    assert (accounting.actual_cost, accounting.story, accounting.photos_public) == (
        Decimal("690.00"),
        STORY,
        True,
    )
    assert files_of(realised, Attachment.Purpose.RECEIPT) == ["bon-bouwmarkt.pdf"]
    assert files_of(realised, Attachment.Purpose.RESULT) == ["resultaat.jpg"]
    html = owner_client.get(url).content.decode()
    assert "bon-bouwmarkt.pdf" in section(html, "receipts-title")
    assert "resultaat.jpg" in section(html, "result-photos-title")
    assert "60,00" in section(html, "money-title")  # € 750 granted − € 690 spent goes back
    assert 'value="690,00"' in html and STORY in html  # what was saved is in the form again

    # Remove the receipt: the file is gone, from the list and from the storage.
    receipt = Attachment.objects.get(idea=realised, purpose=Attachment.Purpose.RECEIPT)
    stored = receipt.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(
            url, {"actual_cost": "690", "story": STORY, "remove": str(receipt.public_id)}
        )
    assert response.status_code == 302
    assert files_of(realised, Attachment.Purpose.RECEIPT) == []
    assert not Attachment.file.field.storage.exists(stored)
    html = owner_client.get(url).content.decode()
    assert "The file bon-bouwmarkt.pdf is removed." in html
    assert "bon-bouwmarkt.pdf" not in section(html, "receipts-title")

    # Send without a receipt: what was typed is saved, the error sits at the receipts.
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(
            url, {"actual_cost": "1.234,50", "story": "Anders dan gedacht.", "send": ""}
        )
    assert response.status_code == 200
    html = response.content.decode()
    assert_error_next_to(html, "id_receipts", "Add the receipts or invoices of the costs.")
    assert 'value="1.234,50"' in html and "Anders dan gedacht." in html
    accounting = fresh_accounting(realised)
    assert accounting.state == Accounting.State.OPEN
    assert (accounting.actual_cost, accounting.story) == (Decimal("1234.50"), "Anders dan gedacht.")
    assert mailoutbox == []

    # Send complete (the receipt chosen with the send): the team hears of it once.
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(
            url,
            {
                "actual_cost": "690",
                "story": STORY,
                "receipts": [pdf("kassabon.jpg.pdf")],
                "send": "",
            },
        )
    assert response.status_code == 302
    accounting = fresh_accounting(realised)
    assert accounting.state == Accounting.State.SENT and accounting.sent_at is not None
    assert accounting.actual_cost == Decimal("690.00")
    assert len(mailoutbox) == 1
    assert realised.reference in mailoutbox[0].subject
    assert owner.email not in mailoutbox[0].to  # to the wijkteam, not to the resident
    assert world_member_email(realised) in mailoutbox[0].to

    # Now the page only shows what was sent.
    html = owner_client.get(url).content.decode()
    assert "You sent your verantwoording on" in html
    assert 'id="accounting-form"' not in html and 'name="remove"' not in html
    assert "kassabon.jpg.pdf" in html and STORY in html
    my_idea = owner_client.get(reverse("ideas:my-idea", args=[realised.public_id]))
    assert "The wijkteam looks at it now." in my_idea.content.decode()


def test_send_with_nothing_filled_in_shows_each_missing_answer_at_its_field(
    owner_client, realised, mailoutbox
):
    response = owner_client.post(page_url(realised), {"actual_cost": "", "story": "", "send": ""})

    assert response.status_code == 200
    html = response.content.decode()
    assert_error_next_to(html, "id_actual_cost", "Fill in what it really cost.")
    assert_error_next_to(html, "id_story", "Write a few lines about how it went.")
    assert 'href="#id_actual_cost"' in html  # the summary at the top leads to the field
    assert fresh_accounting(realised).state == Accounting.State.OPEN
    assert mailoutbox == []


def test_a_cost_of_nothing_needs_no_receipt(owner_client, realised):
    response = owner_client.post(
        page_url(realised), {"actual_cost": "0", "story": STORY, "send": ""}
    )

    assert response.status_code == 302
    assert fresh_accounting(realised).state == Accounting.State.SENT


@pytest.mark.parametrize(
    "typed, amount",
    [("690", "690.00"), ("1.234,50", "1234.50"), ("€ 690", "690.00"), ("250,-", "250.00")],
)
def test_amounts_are_understood_as_people_type_them(owner_client, realised, typed, amount):
    response = owner_client.post(page_url(realised), {"actual_cost": typed, "save": ""})

    assert response.status_code == 302
    assert fresh_accounting(realised).actual_cost == Decimal(amount)


def test_a_wrong_amount_is_explained_at_the_field_and_nothing_typed_is_lost(owner_client, realised):
    services.save_accounting(
        realised,
        actor=realised.submitted_by,
        actual_cost=Decimal("100"),
        story="Eerst",
        photos_public=False,
    )
    response = owner_client.post(
        page_url(realised),
        {"actual_cost": "zeshonderd", "story": STORY, "photos_public": "on", "save": ""},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert_error_next_to(html, "id_actual_cost", "Fill in an amount in euros")
    assert 'value="zeshonderd"' in html and STORY in html
    assert re.search(r'<input[^>]*name="photos_public"[^>]*checked', html)
    # Nothing half is stored: the saved verantwoording stays as it was until the amount is right.
    assert fresh_accounting(realised).story == "Eerst"


def test_a_pdf_is_not_a_photo_of_the_result(owner_client, realised):
    response = owner_client.post(
        page_url(realised), {"result_photos": [pdf("foto.pdf")], "upload": ""}
    )

    assert response.status_code == 200
    assert_error_next_to(response.content.decode(), "id_result_photos", "foto.pdf is not a photo")
    assert files_of(realised) == []


def test_a_file_that_is_not_a_photo_or_pdf_is_refused(owner_client, realised):
    fake = SimpleUploadedFile("bon.jpg", b"MZ\x90\x00" + b"\x00" * 200, content_type="image/jpeg")
    response = owner_client.post(page_url(realised), {"receipts": [fake], "upload": ""})

    assert response.status_code == 200
    assert_error_next_to(response.content.decode(), "id_receipts", "bon.jpg")
    assert files_of(realised) == []


def test_no_more_files_than_the_limit(owner_client, realised, owner, settings):
    settings.SMEDERIJEN_MAX_ACCOUNTING_FILES = 2
    add_file(realised, pdf("een.pdf"), owner)

    response = owner_client.post(
        page_url(realised), {"receipts": [pdf("twee.pdf"), pdf("drie.pdf")], "upload": ""}
    )

    assert response.status_code == 200
    assert_error_next_to(response.content.decode(), "id_receipts", "at most 2 receipts and photos")
    assert files_of(realised) == ["een.pdf"]


def test_over_the_upload_limit_the_files_wait_and_what_was_typed_is_kept(
    owner_client, realised, settings
):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "upload": "100/h/ip,2/h/key"}
    typed = {"actual_cost": "690", "story": STORY}
    response = owner_client.post(
        page_url(realised),
        {**typed, "receipts": [pdf("een.pdf")], "result_photos": [jpeg(), jpeg("twee.jpg")]},
    )

    assert response.status_code == 429
    html = response.content.decode()
    assert_error_next_to(html, "id_receipts", "You sent many files in a short time.")
    assert STORY in html
    assert files_of(realised) == []
    assert fresh_accounting(realised).story == STORY
    assert fresh_accounting(realised).actual_cost == Decimal("690")


def test_the_wijkteams_question_is_shown_at_the_top_and_it_can_be_changed_again(
    owner_client, realised, owner, member
):
    add_file(realised, pdf(), owner)
    services.save_accounting(
        realised, actor=owner, actual_cost=Decimal("690"), story=STORY, photos_public=False
    )
    services.send_accounting(realised, actor=owner)
    services.return_accounting(realised, actor=member, question="Waar is de bon van de verf?")

    html = owner_client.get(page_url(realised)).content.decode()
    assert "The wijkteam has a question about your verantwoording" in html
    assert html.index("Waar is de bon van de verf?") < html.index('id="accounting-form"')
    my_idea = owner_client.get(reverse("ideas:my-idea", args=[realised.public_id]))
    assert "Waar is de bon van de verf?" in my_idea.content.decode()

    response = owner_client.post(
        page_url(realised),
        {"actual_cost": "690", "story": STORY, "receipts": [pdf("verf.pdf")], "send": ""},
    )
    assert response.status_code == 302
    assert fresh_accounting(realised).state == Accounting.State.SENT
    # Sent again: the question is answered, no longer shown as open.
    assert "Waar is de bon" not in owner_client.get(page_url(realised)).content.decode()


def test_a_sent_verantwoording_takes_no_more_files_or_changes(owner_client, realised, owner):
    add_file(realised, pdf(), owner)
    services.save_accounting(
        realised, actor=owner, actual_cost=Decimal("690"), story=STORY, photos_public=False
    )
    services.send_accounting(realised, actor=owner)
    receipt = Attachment.objects.get(idea=realised)

    for data in (
        {"receipts": [pdf("later.pdf")], "upload": ""},
        {"result_photos": [jpeg()], "upload": ""},
        {"actual_cost": "1", "story": "Toch anders", "save": ""},
        {"remove": str(receipt.public_id)},
    ):
        response = owner_client.post(page_url(realised), data, follow=True)
        assert "can no longer be changed" in response.content.decode()

    assert files_of(realised) == ["bon-bouwmarkt.pdf"]
    accounting = fresh_accounting(realised)
    assert (accounting.actual_cost, accounting.story) == (Decimal("690.00"), STORY)


def test_before_realisation_the_page_sends_the_resident_back_to_the_idea(english, world, owner):
    idea = carried_out(world, realised=False)
    english.force_login(owner)

    response = english.post(page_url(idea), {"actual_cost": "10", "save": ""})

    assert response.status_code == 302
    assert response.headers["Location"] == reverse("ideas:my-idea", args=[idea.public_id])
    assert not Accounting.objects.filter(idea=idea).exists()


# Nobody else ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", ["resident", "initiatiefgroep_member", "wijkteam_a", "gebiedsregisseur", "superuser"]
)
def test_anyone_but_the_submitter_gets_not_found_and_changes_nothing(
    client, world, realised, owner, role
):
    receipt = add_file(realised, pdf(), owner)
    services.save_accounting(
        realised, actor=owner, actual_cost=Decimal("690"), story=STORY, photos_public=False
    )
    client.force_login(world["users"][role])
    url = page_url(realised)

    assert client.get(url).status_code == 404
    for data in (
        {"actual_cost": "1", "story": "Gehackt", "save": ""},
        {"actual_cost": "1", "story": "Gehackt", "send": ""},
        {"receipts": [pdf("vals.pdf")], "upload": ""},
        {"remove": str(receipt.public_id)},
    ):
        assert client.post(url, data).status_code == 404

    accounting = fresh_accounting(realised)
    assert (accounting.state, accounting.actual_cost, accounting.story) == (
        Accounting.State.OPEN,
        Decimal("690.00"),
        STORY,
    )
    assert files_of(realised) == ["bon-bouwmarkt.pdf"]


def test_a_visitor_is_asked_to_sign_in(client, realised):
    response = client.post(page_url(realised), {"actual_cost": "1", "save": ""})

    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("account_login"))
    assert not Accounting.objects.filter(idea=realised, actual_cost__isnull=False).exists()


def test_the_submitter_cannot_remove_the_files_of_the_idea_itself(owner_client, realised):
    idea_file = Attachment.objects.create(
        idea=realised,
        purpose=Attachment.Purpose.IDEA,
        original_name="schets.pdf",
        file_kind=Attachment.FileKind.PDF,
        content_type="application/pdf",
        size=len(PDF),
        file="ideas/schets.pdf",
    )
    response = owner_client.post(page_url(realised), {"remove": str(idea_file.public_id)})

    assert response.status_code == 404
    assert Attachment.objects.filter(pk=idea_file.pk).exists()


# Who sees the files ---------------------------------------------------------------------------


def published(idea, world) -> Idea:
    return services.set_published(idea, actor=world["users"]["gebiedsregisseur"], published=True)


def send_and_sign_off(idea, owner, member, *, photos_public: bool, cost="690") -> None:
    services.save_accounting(
        idea, actor=owner, actual_cost=Decimal(cost), story=STORY, photos_public=photos_public
    )
    services.send_accounting(idea, actor=owner)
    services.sign_off_accounting(idea, actor=member)


@pytest.mark.parametrize("consent", [True, False])
def test_receipts_are_never_public_and_photos_only_after_sign_off_with_consent(
    client, world, realised, owner, member, consent
):
    realised = published(realised, world)
    receipt = add_file(realised, pdf(), owner)
    photo = add_file(realised, jpeg(), owner, purpose=Attachment.Purpose.RESULT)

    def status_for(user, attachment):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client.get(attachment.get_absolute_url()).status_code

    users = world["users"]
    services.save_accounting(
        realised, actor=owner, actual_cost=Decimal("690"), story=STORY, photos_public=consent
    )
    services.send_accounting(realised, actor=owner)
    assert status_for(None, photo) == 404  # consent alone is not enough: not signed off yet
    services.sign_off_accounting(realised, actor=member)

    assert status_for(None, photo) == (200 if consent else 404)
    assert status_for(None, receipt) == 404
    assert status_for(users["resident"], receipt) == 404
    assert status_for(users["initiatiefgroep_member"], receipt) == 404
    assert status_for(users["wijkteam_b"], receipt) == 404
    assert status_for(users["wijkteam_a"], receipt) == 200
    assert status_for(users["gebiedsregisseur"], receipt) == 200
    assert status_for(owner, receipt) == 200
    assert not Attachment.objects.get(pk=receipt.pk).is_public


def test_a_receipt_marked_public_by_mistake_stays_private(client, world, realised, owner):
    realised = published(realised, world)
    receipt = add_file(realised, pdf(), owner)
    Attachment.objects.filter(pk=receipt.pk).update(is_public=True)

    assert client.get(receipt.get_absolute_url()).status_code == 404


# The public page ------------------------------------------------------------------------------


def test_the_public_page_shows_the_result_once_signed_off(english, world, realised, owner, member):
    realised = published(realised, world)
    receipt = add_file(realised, pdf(), owner)
    photo = add_file(realised, jpeg(), owner, purpose=Attachment.Purpose.RESULT)
    services.save_accounting(
        realised, actor=owner, actual_cost=Decimal("690"), story=STORY, photos_public=True
    )
    services.send_accounting(realised, actor=owner)

    html = english.get(realised.get_absolute_url()).content.decode()
    assert 'id="result-title"' not in html and STORY not in html  # not before the sign-off

    services.sign_off_accounting(realised, actor=member)
    html = english.get(realised.get_absolute_url()).content.decode()

    result = section(html, "result-title")
    assert "690,00" in result  # what it cost
    assert "750,00" in result  # what was granted
    assert "60,00" in result  # what went back to the bewonersbudget
    assert STORY in result
    assert f'src="{photo.get_absolute_url()}"' in result
    assert receipt.get_absolute_url() not in html and "bon-bouwmarkt.pdf" not in html
    # The photo of the result is in the result, not among the photos of the idea.
    assert 'id="photos-title"' not in html
    # The money really went back.
    grant = Grant.objects.get(idea=realised)
    assert (grant.state, grant.amount) == (Grant.State.SETTLED, Decimal("690.00"))
    assert Budget.objects.get(pk=world["budget"].pk).available == Decimal("310.00")


def test_without_consent_the_result_has_no_photos(english, world, realised, owner, member):
    realised = published(realised, world)
    photo = add_file(realised, jpeg(), owner, purpose=Attachment.Purpose.RESULT)
    add_file(realised, pdf(), owner)
    send_and_sign_off(realised, owner, member, photos_public=False)

    html = english.get(realised.get_absolute_url()).content.decode()

    assert STORY in section(html, "result-title")
    assert photo.get_absolute_url() not in html


def test_the_submitter_sees_what_was_accepted_and_what_went_back(
    owner_client, realised, owner, member
):
    add_file(realised, pdf(), owner)
    send_and_sign_off(realised, owner, member, photos_public=False, cost="800")

    html = owner_client.get(page_url(realised)).content.decode()

    assert "The wijkteam signed off your verantwoording on" in html
    money = section(html, "money-title")
    # It cost more than granted: the grant is spent in full, nothing goes back.
    assert "800,00" in money and "750,00" in money and "0,00" in money
    assert 'id="accounting-form"' not in html


# My idea: the idea's own files apart from the verantwoording ------------------------------------


def test_receipts_are_not_listed_as_the_ideas_own_files(
    owner_client, client, world, realised, owner
):
    Attachment.objects.create(
        idea=realised,
        purpose=Attachment.Purpose.IDEA,
        original_name="schets.pdf",
        file_kind=Attachment.FileKind.PDF,
        content_type="application/pdf",
        size=len(PDF),
        file="ideas/schets.pdf",
    )
    add_file(realised, pdf(), owner)

    html = owner_client.get(reverse("ideas:my-idea", args=[realised.public_id])).content.decode()
    own_files = section(html, "files-title")
    assert "schets.pdf" in own_files and "bon-bouwmarkt.pdf" not in own_files
    assert "bon-bouwmarkt.pdf" in section(html, "accounting-files-title")

    # The initiatiefgroep's inventory lists the idea's files, never the receipts.
    client.force_login(world["users"]["initiatiefgroep_member"])
    html = client.get(reverse("ideas:inventory-detail", args=[realised.public_id])).content.decode()
    assert "schets.pdf" in html and "bon-bouwmarkt.pdf" not in html


# A fixed number of queries, however many files ----------------------------------------------------


def test_the_verantwoording_page_needs_the_same_queries_for_1_or_10_files(
    owner_client,
    realised,
    owner,
    django_assert_max_num_queries,
    django_assert_num_queries,
    settings,
):
    add_file(realised, pdf(), owner)
    with django_assert_max_num_queries(15) as few:
        assert owner_client.get(page_url(realised)).status_code == 200

    for n in range(5):
        add_file(realised, pdf(f"bon-{n}.pdf"), owner)
    for n in range(4):
        add_file(realised, jpeg(f"foto-{n}.jpg"), owner, purpose=Attachment.Purpose.RESULT)
    assert len(files_of(realised)) == 10
    with django_assert_num_queries(len(few)):
        response = owner_client.get(page_url(realised))
    assert "foto-3.jpg" in response.content.decode()


def test_the_public_page_needs_the_same_queries_for_1_or_10_photos_of_the_result(
    client, world, realised, owner, member, django_assert_max_num_queries, django_assert_num_queries
):
    realised = published(realised, world)
    add_file(realised, pdf(), owner)
    add_file(realised, jpeg(), owner, purpose=Attachment.Purpose.RESULT)
    send_and_sign_off(realised, owner, member, photos_public=True)
    with django_assert_max_num_queries(12) as few:
        assert client.get(realised.get_absolute_url()).status_code == 200

    Attachment.objects.bulk_create(
        Attachment(
            idea=realised,
            purpose=Attachment.Purpose.RESULT,
            original_name=f"foto-{n}.jpg",
            file_kind=Attachment.FileKind.PHOTO,
            content_type="image/jpeg",
            size=100,
            file=f"ideas/foto-{n}.jpg",
            is_public=True,
        )
        for n in range(9)
    )
    with django_assert_num_queries(len(few)):
        response = client.get(realised.get_absolute_url())
    assert len(response.context["result"]["photos"]) == 10

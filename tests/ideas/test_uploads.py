"""Photos and PDFs with an idea: checked by their content, cleaned of hidden data, stored where
no web server looks, and handed out only to those who may see them."""

import io
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.views.static import serve
from PIL import Image

from ideas import services
from ideas.models import Attachment
from ideas.uploads import check_upload
from tests.ideas.conftest import give_session_concept, step_url
from tests.ideas.factories import IdeaFactory, published_idea
from tests.teams.conftest import ROLES

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8" + b"\x00" * 500
PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)
PDF_WITH_SCRIPT = PDF.replace(
    b"/Pages 2 0 R", b"/Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert(1)) >>"
)


def photo_with_position() -> bytes:
    """A JPEG from a phone: with EXIF and the GPS position where it was taken (Hoogeveen)."""
    exif = Image.Exif()
    exif[0x010F] = "Telefoonmerk"  # camera make
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (52.0, 43.0, 0.0), 3: "E", 4: (6.0, 28.0, 0.0)})
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "orange").save(out, format="JPEG", exif=exif)
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)  # the position is in there
    return data


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (30, 20), (0, 0, 255, 128)).save(out, format="PNG")
    return out.getvalue()


def upload_file(name: str, content: bytes, content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def served(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def my_concept(client, owner, people):
    """A concept of a signed-in resident in Krakeel, on the step with the files."""
    client.force_login(owner)
    return IdeaFactory(smederij=people["krakeel"], submitted_by=owner, contact_email=owner.email)


def upload(client, idea, *files):
    return client.post(step_url(idea, "bijlagen"), {"files": list(files), "upload": ""})


# Through the form, as the resident does ----------------------------------------------------------


def test_a_program_named_jpg_is_refused(client, my_concept):
    response = upload(client, my_concept, upload_file("vakantie.jpg", EXE))

    assert response.status_code == 200
    assert "vakantie.jpg" in response.content.decode()
    assert 'id="id_files_error_1"' in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_photo_comes_back_without_exif_or_gps_position(client, my_concept):
    response = upload(client, my_concept, upload_file("tuin.jpg", photo_with_position()))

    assert response.status_code == 302
    attachment = Attachment.objects.get(idea=my_concept)
    assert attachment.original_name == "tuin.jpg"
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    image = Image.open(io.BytesIO(served(response)))
    image.load()  # a whole, valid picture
    assert image.format == "JPEG" and image.size == (40, 30)
    assert GPS_IFD not in image.getexif()
    assert not image.getexif().get_ifd(GPS_IFD)
    assert len(image.getexif()) == 0


def test_a_png_is_accepted_and_served_as_jpeg(client, my_concept):
    response = upload(client, my_concept, upload_file("plattegrond.png", png_bytes(), "image/png"))

    assert response.status_code == 302
    attachment = Attachment.objects.get(idea=my_concept)
    response = client.get(attachment.get_absolute_url())
    assert response["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(served(response))).format == "JPEG"


def test_a_pdf_is_recognised_by_its_content_even_when_named_jpg(client, my_concept):
    response = upload(client, my_concept, upload_file("offerte.jpg", PDF))

    assert response.status_code == 302
    attachment = Attachment.objects.get(idea=my_concept)
    assert attachment.file_kind == Attachment.FileKind.PDF
    response = client.get(attachment.get_absolute_url())
    assert response["Content-Type"] == "application/pdf"
    assert served(response) == PDF


def test_a_pdf_with_a_script_is_refused(client, my_concept):
    response = upload(client, my_concept, upload_file("offerte.pdf", PDF_WITH_SCRIPT, "x/pdf"))

    assert response.status_code == 200
    assert 'id="id_files_error_1"' in response.content.decode()
    assert "offerte.pdf" in response.content.decode()
    assert not Attachment.objects.exists()


# The checks themselves (ideas.uploads), whatever the form does ------------------------------------


@pytest.mark.parametrize(
    "name, content, code",
    [
        ("vakantie.jpg", EXE, "wrong_type"),
        ("feest.jpg", b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200, "wrong_type"),
        ("begroting.pdf", b"Gewoon tekst, geen PDF.\n", "wrong_type"),
        ("offerte.pdf", PDF_WITH_SCRIPT, "unsafe_pdf"),
    ],
)
def test_the_type_comes_from_the_content_not_the_name(name, content, code):
    with pytest.raises(ValidationError) as refused:
        check_upload(upload_file(name, content))
    assert refused.value.code == code
    assert name in refused.value.messages[0]


def test_a_stored_photo_is_served_without_its_position(client, my_concept):
    attachment = services.add_attachment(
        my_concept, check_upload(upload_file("tuin.jpg", photo_with_position()))
    )

    response = client.get(attachment.get_absolute_url())

    assert response.status_code == 200
    image = Image.open(io.BytesIO(served(response)))
    image.load()
    assert image.format == "JPEG"
    assert not image.getexif().get_ifd(GPS_IFD) and len(image.getexif()) == 0
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_files_are_stored_outside_every_public_folder(my_concept, private_files):
    attachment = services.add_attachment(
        my_concept, check_upload(upload_file("Vijverlaan 12 Olga.jpg", photo_with_position()))
    )
    stored = Path(attachment.file.path)
    assert stored.is_file() and stored.is_relative_to(private_files)
    # The stored name tells nothing about the idea or who sent it.
    assert "Olga" not in attachment.file.name and "Vijverlaan" not in attachment.file.name
    # Where the portal keeps them for real: not in a folder that is served as static or media.
    private_root = Path(django_settings.PRIVATE_MEDIA_ROOT).resolve()
    public_roots = [
        Path(django_settings.STATIC_ROOT),
        Path(django_settings.MEDIA_ROOT),
        *map(Path, django_settings.STATICFILES_DIRS),
    ]
    for public in public_roots:
        public = public.resolve()
        assert not private_root.is_relative_to(public), public
        assert not stored.resolve().is_relative_to(public), public


def test_no_address_serves_the_upload_folders(client, my_concept):
    def views(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from views(pattern.url_patterns)
            else:
                yield pattern.callback

    assert serve not in list(views(get_resolver().url_patterns))
    attachment = services.add_attachment(my_concept, check_upload(upload_file("a.pdf", PDF)))
    for prefix in ("/media/", "/private-media/", "/", django_settings.STATIC_URL):
        assert client.get(prefix + attachment.file.name).status_code == 404, prefix


# Who gets a file ---------------------------------------------------------------------------------

IDEA_ROLES = ["owner", *ROLES]
# A private file of an idea that was sent to the wijkteam of Krakeel (area A).
SEES_PRIVATE_FILE = {
    "owner": 200,
    "anonymous": 404,
    "resident": 404,
    "initiatiefgroep_member": 200,
    "wijkteam_a": 200,
    "wijkteam_b": 404,
    "stuurgroep_member": 404,
    "gebiedsregisseur": 200,
    "ondersteuning": 200,
    "superuser": 200,
}
assert set(SEES_PRIVATE_FILE) == set(IDEA_ROLES)


def sign_in(client, people, owner, role):
    user = owner if role == "owner" else people["users"][role]
    if user is not None:
        client.force_login(user)


@pytest.fixture
def private_attachment(people, owner):
    idea = IdeaFactory(smederij=people["krakeel"], submitted_by=owner, contact_email=owner.email)
    attachment = services.add_attachment(idea, check_upload(upload_file("offerte.pdf", PDF)))
    services.submit_idea(idea, actor=owner)
    return attachment


@pytest.mark.parametrize("role", IDEA_ROLES)
def test_a_private_file_only_for_the_submitter_the_group_and_staff_of_the_area(
    client, people, owner, private_attachment, role
):
    sign_in(client, people, owner, role)
    response = client.get(private_attachment.get_absolute_url())
    assert response.status_code == SEES_PRIVATE_FILE[role]


def test_the_initiatiefgroep_sees_files_once_the_idea_is_sent(client, people, owner):
    idea = IdeaFactory(smederij=people["krakeel"], submitted_by=owner, contact_email=owner.email)
    attachment = services.add_attachment(idea, check_upload(upload_file("a.pdf", PDF)))
    client.force_login(people["users"]["initiatiefgroep_member"])
    assert client.get(attachment.get_absolute_url()).status_code == 404
    services.submit_idea(idea, actor=owner)
    assert client.get(attachment.get_absolute_url()).status_code == 200


def test_the_browser_that_started_a_concept_sees_its_files_and_no_other(client, people):
    idea = IdeaFactory(smederij=people["krakeel"], submitted_by=None)
    give_session_concept(client, idea)
    attachment = services.add_attachment(idea, check_upload(upload_file("a.pdf", PDF)))
    assert client.get(attachment.get_absolute_url()).status_code == 200
    assert Client().get(attachment.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("role", IDEA_ROLES)
def test_a_public_photo_of_a_published_idea_is_for_everyone(client, people, owner, role):
    idea = IdeaFactory(smederij=people["krakeel"], submitted_by=owner, contact_email=owner.email)
    attachment = services.add_attachment(
        idea, check_upload(upload_file("speeltuin.jpg", photo_with_position()))
    )
    Attachment.objects.filter(pk=attachment.pk).update(is_public=True)
    services.submit_idea(idea, actor=owner)
    services.set_published(idea, actor=people["users"]["gebiedsregisseur"], published=True)
    sign_in(client, people, owner, role)

    response = client.get(attachment.get_absolute_url())

    assert response.status_code == 200
    assert Image.open(io.BytesIO(served(response))).format == "JPEG"


def test_a_public_photo_stays_private_while_the_idea_is_not_published(client, people, owner):
    idea = published_idea(smederij=people["krakeel"], submitted_by=owner)
    services.set_published(idea, actor=people["users"]["gebiedsregisseur"], published=False)
    attachment = Attachment.objects.create(
        idea=idea,
        file="ideas/00/bestaat-niet.jpg",
        original_name="speeltuin.jpg",
        file_kind=Attachment.FileKind.PHOTO,
        content_type="image/jpeg",
        size=10,
        is_public=True,
    )
    assert client.get(attachment.get_absolute_url()).status_code == 404


# Removing files ----------------------------------------------------------------------------------


def test_a_removed_file_is_gone_from_the_storage_too(
    client, my_concept, django_capture_on_commit_callbacks
):
    attachment = services.add_attachment(my_concept, check_upload(upload_file("a.pdf", PDF)))
    stored = Path(attachment.file.path)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(step_url(my_concept, "bijlagen"), {"remove": attachment.public_id})

    assert response.status_code == 302
    assert not Attachment.objects.exists()
    assert not stored.exists()
    assert client.get(attachment.get_absolute_url()).status_code == 404


def test_removing_a_file_that_is_not_there_is_not_found(client, my_concept):
    other = IdeaFactory(submitted_by=None)
    theirs = services.add_attachment(other, check_upload(upload_file("a.pdf", PDF)))
    for value in (theirs.public_id, "geen-bestand"):
        response = client.post(step_url(my_concept, "bijlagen"), {"remove": value})
        assert response.status_code == 404, value
    assert Attachment.objects.filter(pk=theirs.pk).exists()


def test_deleting_a_concept_deletes_its_files(
    client, my_concept, django_capture_on_commit_callbacks
):
    attachment = services.add_attachment(my_concept, check_upload(upload_file("a.pdf", PDF)))
    stored = Path(attachment.file.path)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("ideas:concept-delete", args=[my_concept.public_id]))

    assert response.status_code == 302
    assert not stored.exists()
    assert not Attachment.objects.exists()

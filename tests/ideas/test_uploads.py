"""Photos and PDFs with an idea: checked by their content, cleaned of hidden data, stored where
no web server looks, and handed out only to those who may see them."""

import io
from pathlib import Path

import pikepdf
import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.views.static import serve
from PIL import Image

from ideas import services
from ideas.models import Attachment, PaperSupportList
from ideas.uploads import check_upload
from tests.factories import SmederijFactory, UserFactory
from tests.ideas import test_admin
from tests.ideas.conftest import assert_error_next_to, give_session_concept, step_url
from tests.ideas.factories import IdeaFactory, published_idea
from tests.teams.conftest import ROLES, with_second_factor

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8" + b"\x00" * 500
# A one-page PDF, written by hand as a simple tool would (no cross-reference table).
PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
    b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] >> endobj\n"
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


# PDFs are read as a viewer reads them (pikepdf) ---------------------------------------------------


def made_pdf(dress=None, **save) -> bytes:
    """A one-page PDF made with pikepdf; ``dress(pdf)`` adds to it before it is saved."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(300, 200))
    if dress:
        dress(pdf)
    out = io.BytesIO()
    pdf.save(out, **save)
    return out.getvalue()


def annotation(**entries):
    """Dress the page with one annotation."""

    def dress(pdf):
        annot = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Rect=[0, 0, 100, 20], **entries)
        pdf.pages[0].Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(annot)]))

    return dress


def link(**action):
    return annotation(Subtype=pikepdf.Name.Link, A=pikepdf.Dictionary(**action))


def on_open(action):
    def dress(pdf):
        pdf.Root.OpenAction = action

    return dress


def script_in_object_stream() -> bytes:
    """A document-level script (the /JavaScript name tree), packed in a compressed object stream:
    the words /JavaScript and /JS are nowhere in the file's bytes."""

    def dress(pdf):
        script = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
        tree = pikepdf.Dictionary(Names=[pikepdf.String("a"), pdf.make_indirect(script)])
        pdf.Root.Names = pdf.make_indirect(pikepdf.Dictionary(JavaScript=tree))

    data = made_pdf(
        dress, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True
    )
    assert b"/JavaScript" not in data and b"/JS" not in data
    return data


# A link whose action is a script, its names written with escapes (#53 is "S"): the same names
# to a PDF reader, other bytes to a search.
ESCAPED_SCRIPT = PDF.replace(
    b"/MediaBox [0 0 300 200]",
    b"/MediaBox [0 0 300 200] /Annots [<< /Type /Annot /Subtype /Link /Rect [0 0 100 20] "
    b"/A << /S /Java#53cript /J#53 (app.alert(1)) >> >>]",
)
assert b"/JavaScript" not in ESCAPED_SCRIPT and b"/JS" not in ESCAPED_SCRIPT


def attached_file(pdf):
    pdf.attachments["rekening.exe"] = pikepdf.AttachedFileSpec(pdf, EXE)


def xfa_form(pdf):
    xfa = pdf.make_stream(b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'/>")
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=[], XFA=xfa)


UNSAFE_PDFS = {
    "a script, names escaped": lambda: ESCAPED_SCRIPT,
    "a script in a compressed object stream": script_in_object_stream,
    "a website visited when the file opens": lambda: made_pdf(
        on_open(pikepdf.Dictionary(S=pikepdf.Name.URI, URI="https://evil.example/geopend"))
    ),
    "an action when the page opens": lambda: made_pdf(
        lambda pdf: setattr(
            pdf.pages[0],
            "AA",
            pikepdf.Dictionary(O=pikepdf.Dictionary(S=pikepdf.Name.URI, URI="https://e.example")),
        )
    ),
    "a program started": lambda: made_pdf(link(S=pikepdf.Name.Launch, F="calc.exe")),
    "another file opened": lambda: made_pdf(
        link(
            S=pikepdf.Name.GoToR, F="\\\\evil.example\\share\\offerte.pdf", D=[0, pikepdf.Name.Fit]
        )
    ),
    "form data sent away": lambda: made_pdf(
        link(
            S=pikepdf.Name.SubmitForm,
            F=pikepdf.Dictionary(FS=pikepdf.Name.URL, F="https://e.example"),
        )
    ),
    "an attached file": lambda: made_pdf(attached_file),
    "a file attachment annotation": lambda: made_pdf(
        annotation(Subtype=pikepdf.Name.FileAttachment, Contents="bijlage")
    ),
    "RichMedia (Flash)": lambda: made_pdf(
        annotation(Subtype=pikepdf.Name.RichMedia, RichMediaContent=pikepdf.Dictionary())
    ),
    "an XFA form": lambda: made_pdf(xfa_form),
}


@pytest.mark.parametrize("what", UNSAFE_PDFS)
def test_a_pdf_that_runs_or_fetches_something_by_itself_is_refused(what):
    with pytest.raises(ValidationError) as refused:
        check_upload(upload_file("offerte.pdf", UNSAFE_PDFS[what]()))
    assert refused.value.code == "unsafe_pdf"
    assert "offerte.pdf" in refused.value.messages[0]


@pytest.mark.parametrize(
    "what", ["a script, names escaped", "a script in a compressed object stream"]
)
def test_a_hidden_script_is_refused_through_the_form_too(client, my_concept, what):
    response = upload(client, my_concept, upload_file("offerte.pdf", UNSAFE_PDFS[what]()))

    assert response.status_code == 200
    assert_error_next_to(response.content.decode(), "id_files", "offerte.pdf bevat een script")
    assert not Attachment.objects.exists()


PLAIN_PDFS = {
    "written by hand": lambda: PDF,
    "made by a program": made_pdf,
    "packed in object streams": lambda: made_pdf(
        object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True
    ),
    "with a link to a website": lambda: made_pdf(
        link(S=pikepdf.Name.URI, URI="https://www.hoogeveen.nl/")
    ),
    "opening at its first page": lambda: made_pdf(
        lambda pdf: setattr(pdf.Root, "OpenAction", [pdf.pages[0].obj, pikepdf.Name.Fit])
    ),
    "protected against changes (no password to open)": lambda: made_pdf(
        encryption=pikepdf.Encryption(owner="kantoor", user="", allow=pikepdf.Permissions())
    ),
}


@pytest.mark.parametrize("what", PLAIN_PDFS)
def test_a_plain_pdf_is_accepted_as_it_came(what):
    content = PLAIN_PDFS[what]()
    checked = check_upload(upload_file("offerte.pdf", content))
    assert checked.file_kind == "pdf" and checked.content == content


@pytest.mark.parametrize(
    "content, code",
    [
        (b"%PDF-", "broken_pdf"),
        (b"%PDF-1.7\n" + bytes(range(256)) * 40, "broken_pdf"),
        (made_pdf()[:60], "broken_pdf"),
        (made_pdf(encryption=pikepdf.Encryption(owner="geheim", user="geheim")), "locked_pdf"),
    ],
    ids=["only the header", "bytes after the header", "cut off", "a password to open it"],
)
def test_a_pdf_that_cannot_be_read_is_refused(content, code):
    with pytest.raises(ValidationError) as refused:
        check_upload(upload_file("offerte.pdf", content))
    assert refused.value.code == code
    assert "offerte.pdf" in refused.value.messages[0]


def test_a_pdf_with_more_parts_than_any_document_is_refused():
    def dress(pdf):  # 60,000 objects: a long report has some thousands
        parts = [pdf.make_indirect(pikepdf.Dictionary()) for _ in range(60_000)]
        pdf.Root.Parts = pdf.make_indirect(pikepdf.Array(parts))

    content = made_pdf(
        dress, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True
    )
    assert len(content) < 2 * 1024 * 1024  # small: what costs time is the count, not the size
    with pytest.raises(ValidationError) as refused:
        check_upload(upload_file("offerte.pdf", content))
    assert refused.value.code == "complex_pdf"


# Photos with more pixels than a phone makes ------------------------------------------------------


def png_of(size, mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, "white").save(out, format="PNG")
    return out.getvalue()


def jpeg_of(size) -> bytes:
    out = io.BytesIO()
    Image.linear_gradient("L").resize(size).convert("RGB").save(out, format="JPEG", quality=90)
    return out.getvalue()


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_a_photo_of_7000_by_7000_pixels_is_refused_before_it_is_drawn(client, my_concept):
    heavy = png_of((7000, 7000))  # 49 megapixels in 160 KB
    assert len(heavy) < 200 * 1024

    response = upload(client, my_concept, upload_file("plattegrond.png", heavy, "image/png"))

    assert response.status_code == 200
    assert_error_next_to(
        response.content.decode(),
        "id_files",
        "De foto plattegrond.png heeft te veel pixels. Een foto mag niet meer dan 40 megapixel",
    )
    assert not Attachment.objects.exists()


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize("size", [(7300, 5500), (10000, 9000)])
def test_photos_above_the_pixel_budget_are_refused(size):
    # Just above the budget (our own check) and above twice the budget (Pillow's own guard).
    with pytest.raises(ValidationError) as refused:
        check_upload(upload_file("scan.png", png_of(size, mode="1")))
    assert refused.value.code == "too_many_pixels"
    assert "scan.png" in refused.value.messages[0]


def test_a_phone_photo_of_12_megapixels_is_accepted():
    checked = check_upload(upload_file("feest.jpg", jpeg_of((4032, 3024))))
    assert checked.file_kind == "photo"
    assert Image.open(io.BytesIO(checked.content)).size == (3000, 2250)


def test_a_phone_photo_with_a_second_picture_inside_is_accepted_as_one_photo():
    # iPhone HDR and portrait photos are JPEGs with a second picture inside (Pillow: "MPO").
    main = Image.linear_gradient("L").resize((1200, 900)).convert("RGB")
    depth = Image.new("RGB", (600, 450), "black")
    out = io.BytesIO()
    main.save(out, format="MPO", save_all=True, append_images=[depth])
    assert Image.open(io.BytesIO(out.getvalue())).format == "MPO"

    checked = check_upload(upload_file("IMG_0042.JPG", out.getvalue()))

    assert checked.file_kind == "photo"
    cleaned = Image.open(io.BytesIO(checked.content))
    assert (cleaned.format, cleaned.size, getattr(cleaned, "n_frames", 1)) == (
        "JPEG",
        (1200, 900),
        1,
    )


# How many files one account and one address may send ---------------------------------------------


def limit_uploads(settings, rates: str):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "upload": rates}


def photo(name: str) -> SimpleUploadedFile:
    return upload_file(name, photo_with_position())


TOO_OFTEN = "Je hebt in korte tijd veel bestanden gestuurd. Probeer het later opnieuw."


def test_the_upload_limit_per_address(client, my_concept, people, settings):
    limit_uploads(settings, "2/h/ip,100/h/key")
    here = {"REMOTE_ADDR": "192.0.2.10"}
    response = client.post(
        step_url(my_concept, "bijlagen"), {"files": [photo("a.jpg"), photo("b.jpg")]}, **here
    )
    assert response.status_code == 302

    response = client.post(step_url(my_concept, "bijlagen"), {"files": [photo("c.jpg")]}, **here)

    assert response.status_code == 429
    assert_error_next_to(response.content.decode(), "id_files", TOO_OFTEN)
    assert sorted(Attachment.objects.values_list("original_name", flat=True)) == ["a.jpg", "b.jpg"]
    # Another resident at the same address: the same count.
    other = IdeaFactory(smederij=people["krakeel"], submitted_by=people["users"]["resident"])
    client.force_login(people["users"]["resident"])
    response = client.post(step_url(other, "bijlagen"), {"files": [photo("d.jpg")]}, **here)
    assert response.status_code == 429
    # The same resident from another address may go on.
    response = client.post(
        step_url(other, "bijlagen"), {"files": [photo("d.jpg")]}, REMOTE_ADDR="192.0.2.11"
    )
    assert response.status_code == 302


def test_the_upload_limit_per_account(client, my_concept, settings):
    limit_uploads(settings, "100/h/ip,2/h/key")
    url = step_url(my_concept, "bijlagen")
    assert (
        client.post(url, {"files": [photo("a.jpg")]}, REMOTE_ADDR="192.0.2.10").status_code == 302
    )
    assert (
        client.post(url, {"files": [photo("b.jpg")]}, REMOTE_ADDR="192.0.2.11").status_code == 302
    )

    response = client.post(url, {"files": [photo("c.jpg")]}, REMOTE_ADDR="192.0.2.12")

    assert response.status_code == 429
    assert TOO_OFTEN in response.content.decode()
    assert Attachment.objects.count() == 2
    # Removing a file is no upload.
    gone = Attachment.objects.first()
    assert client.post(url, {"remove": gone.public_id}).status_code == 302


def test_the_upload_limit_without_an_account_counts_per_browser(people, settings):
    limit_uploads(settings, "100/h/ip,1/h/key")
    first, second = Client(), Client()
    concepts = []
    for browser in (first, second):
        concept = IdeaFactory(smederij=people["krakeel"], submitted_by=None)
        give_session_concept(browser, concept)
        concepts.append(concept)
    assert (
        first.post(step_url(concepts[0], "bijlagen"), {"files": [photo("a.jpg")]}).status_code
        == 302
    )
    assert (
        first.post(step_url(concepts[0], "bijlagen"), {"files": [photo("b.jpg")]}).status_code
        == 429
    )
    assert (
        second.post(step_url(concepts[1], "bijlagen"), {"files": [photo("c.jpg")]}).status_code
        == 302
    )


def test_the_upload_limit_holds_for_scans_in_admin_too(client, settings):
    limit_uploads(settings, "100/h/ip,1/h/key")
    staff = with_second_factor(UserFactory(is_staff=True, is_superuser=True))
    client.force_login(staff)
    area = SmederijFactory(name="Zuid", slug="zuid")
    resident = UserFactory(email="rita@example.org")
    ideas = [test_admin.sent_idea(area, resident) for _ in range(2)]
    for idea, status in zip(ideas, (302, 200), strict=True):
        data = test_admin.post_data(client.get(test_admin.change_url(idea)))
        data.update(
            {
                "paper_lists-TOTAL_FORMS": "1",
                "paper_lists-0-count": "12",
                "paper_lists-0-scan": test_admin.png(),
            }
        )
        response = client.post(test_admin.change_url(idea), data)
        assert response.status_code == status
    assert TOO_OFTEN in response.content.decode()
    assert not PaperSupportList.objects.filter(idea=ideas[1]).exists()


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

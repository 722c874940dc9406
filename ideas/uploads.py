"""Checking and cleaning uploads: the type comes from the content, never from the name.

Photos (JPEG, PNG, WebP) are opened and drawn again as new files, so nothing of the original
travels along: no EXIF, no GPS position, no hidden data after the picture. A photo with more than
``SMEDERIJEN_MAX_IMAGE_PIXELS`` is refused from its header alone, before a pixel is decoded:
drawing a picture costs time in proportion to its pixels, whatever the file's size.

PDFs are recognised by their header and read with a real PDF parser (pikepdf, on qpdf): every
object, also those packed in compressed object streams, with names as a viewer reads them
(``/Java#53cript`` is ``/JavaScript``). A PDF is refused when it carries anything that runs or
fetches by itself: JavaScript, an action when it is opened (other than going to a page) or on a
page, annotation or form field (``/AA``), actions that start a program, open another file, play
media or send data (Launch, GoToR, GoToE, SubmitForm, ImportData, Rendition, ...), attached files,
multimedia or 3D annotations, and XFA forms. Links to a website (``/URI``) are fine. A PDF that
does not parse, needs a password, or has more parts than any real document is refused too. The
file itself is stored as it came (a signed invoice stays signed).

How many files one account (or browser) and one address may send is counted with allauth's rate
limits: ``settings.ACCOUNT_RATE_LIMITS["upload"]``, one count per file, asked before any file is
opened (``uploads_allowed``).
"""

import io
import json
import logging
import re
from dataclasses import dataclass

import pikepdf
from allauth.core import ratelimit
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

logger = logging.getLogger(__name__)

# MPO: a JPEG with a second picture inside (iPhone HDR and portrait photos, many Samsung and
# Fujifilm cameras); only the main picture is drawn again.
PHOTO_FORMATS = {"JPEG", "MPO", "PNG", "WEBP"}
# Photos larger than this are made smaller: plenty for a screen or a print.
MAX_PHOTO_SIDE = 3000
# Pillow's own guard against decompression bombs, for every image the process opens: it warns
# above this many pixels and refuses above twice as many. Our own check (below) refuses sooner.
Image.MAX_IMAGE_PIXELS = settings.SMEDERIJEN_MAX_IMAGE_PIXELS

# What a PDF may not carry (names as the parser reads them, escapes undone).
# Keys that hold script, actions on events, attached files or XFA forms, wherever they are.
PDF_REFUSED_KEYS = frozenset(
    {"/JS", "/JavaScript", "/AA", "/EmbeddedFiles", "/EF", "/XFA", "/RichMediaContent"}
)
# Actions (``/S``) that run script, start a program, open or import another file, send form
# data away, or play media. GoTo (a page), URI (a website), Named (next page, print) stay.
PDF_REFUSED_ACTIONS = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/GoToR",
        "/GoToE",
        "/SubmitForm",
        "/ImportData",
        "/Rendition",
        "/Movie",
        "/Sound",
        "/RichMediaExecute",
        "/GoTo3DView",
    }
)
# Annotations that carry a file, multimedia or 3D content.
PDF_REFUSED_SUBTYPES = frozenset(
    {"/FileAttachment", "/RichMedia", "/3D", "/Movie", "/Sound", "/Screen"}
)
# Any of those names in qpdf's JSON of an object (names are written as "/Name", PDF strings as
# "u:..." or "b:..."): only such an object is looked at closely.
PDF_SUSPECT_NAMES = re.compile(
    rb'"(%s)"'
    % b"|".join(
        re.escape(name.encode())
        for name in sorted(
            PDF_REFUSED_KEYS | PDF_REFUSED_ACTIONS | PDF_REFUSED_SUBTYPES | {"/EmbeddedFile"}
        )
    )
)
# More objects than a real document of SMEDERIJEN_MAX_UPLOAD_MB has (a long report has some
# thousands, a scanned page a handful); reading this many takes about half a second.
MAX_PDF_OBJECTS = 50_000


@dataclass
class CheckedFile:
    content: bytes
    content_type: str
    file_kind: str  # Attachment.FileKind value
    original_name: str

    @property
    def size(self) -> int:
        return len(self.content)


def max_upload_bytes() -> int:
    return settings.SMEDERIJEN_MAX_UPLOAD_MB * 1024 * 1024


def check_upload(uploaded) -> CheckedFile:
    """Return the cleaned file, or raise a ValidationError in plain Dutch."""
    name = (uploaded.name or "bestand").replace("/", "_").replace("\\", "_")[-200:]
    if uploaded.size > max_upload_bytes():
        raise ValidationError(
            _("The file %(name)s is too large (%(size)s). A file may be at most %(max)s MB.")
            % {
                "name": name,
                "size": filesizeformat(uploaded.size),
                "max": settings.SMEDERIJEN_MAX_UPLOAD_MB,
            },
            code="too_large",
        )
    uploaded.seek(0)
    data = uploaded.read()
    if data.startswith(b"%PDF-"):
        _check_pdf(data, name)
        return CheckedFile(data, "application/pdf", "pdf", name)
    return CheckedFile(_clean_photo(data, name), "image/jpeg", "photo", name)


def check_uploads(uploads) -> list[CheckedFile]:
    """Check several files; the errors of all of them together, so the person sees every one."""
    checked, errors = [], []
    for upload in uploads:
        try:
            checked.append(check_upload(upload))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)
    return checked


def uploads_allowed(request, count: int) -> bool:
    """Count ``count`` files against the upload limit of this account (or, without an account,
    this browser) and of this address; False once either is reached. Asked before any file is
    opened, so files over the limit cost no time. Anonymous uploads are only possible for a
    concept held in the session, so there is always a session to count by."""
    if request.user.is_authenticated:
        key = f"user:{request.user.pk}"
    else:
        key = f"session:{request.session.session_key}"
    return all(ratelimit.consume(request, action="upload", key=key) for _each in range(count))


def too_many_uploads_message() -> str:
    return _("You sent many files in a short time. Try again later.")


def _unsafe_pdf(name: str) -> ValidationError:
    return ValidationError(
        _(
            "The PDF %(name)s contains a script or an attached file. Save it again as "
            "a plain PDF (for example with 'Print to PDF') and choose it again."
        )
        % {"name": name},
        code="unsafe_pdf",
    )


def _check_pdf(data: bytes, name: str) -> None:
    """Read every object of the PDF with qpdf and refuse it when one carries something that
    runs or fetches by itself (see the module's docstring), or when it cannot be read."""
    try:
        # Page attributes are not copied down to each page: not needed, and slow on many pages.
        with pikepdf.open(io.BytesIO(data), inherit_page_attributes=False) as pdf:
            # The size of the cross-reference table, known once the file is opened: asked before
            # the objects are listed (a second for a million of them).
            declared = pdf.trailer.get("/Size")
            if isinstance(declared, int) and declared > MAX_PDF_OBJECTS + 1:
                raise _too_complex_pdf(name)
            objects = pdf.objects
            if len(objects) > MAX_PDF_OBJECTS:
                raise _too_complex_pdf(name)
            danger = _open_action_danger(pdf.Root) or next(
                filter(None, map(_pdf_object_danger, objects)), None
            )
    except pikepdf.PasswordError:
        raise ValidationError(
            _(
                "The PDF %(name)s is protected with a password. Save it again without a "
                "password (for example with 'Print to PDF') and choose it again."
            )
            % {"name": name},
            code="locked_pdf",
        ) from None
    except (pikepdf.PikepdfError, ValueError, RecursionError):  # qpdf's errors; bad JSON
        raise ValidationError(
            _(
                "The file %(name)s looks like a PDF but cannot be read. Save it again as a PDF "
                "(for example with 'Print to PDF') and choose it again."
            )
            % {"name": name},
            code="broken_pdf",
        ) from None
    if danger:
        logger.info("PDF refused: it holds %s", danger)  # not the name: it may name a person
        raise _unsafe_pdf(name)


def _too_complex_pdf(name: str) -> ValidationError:
    return ValidationError(
        _(
            "The PDF %(name)s has too many parts to check. Save it again as a PDF (for example "
            "with 'Print to PDF') and choose it again."
        )
        % {"name": name},
        code="complex_pdf",
    )


def _open_action_danger(catalog) -> str | None:
    """What the document does when it is opened: going to a page is fine, any other action is
    not (a script, a program, a website that learns who opened the file)."""
    action = catalog.get("/OpenAction")
    if isinstance(action, pikepdf.Dictionary):
        if action.get("/S") != pikepdf.Name.GoTo or "/Next" in action:
            return f"/OpenAction {action.get('/S')}"
    return None


def _pdf_object_danger(obj) -> str | None:
    """The first refused part of one object and the direct objects inside it. qpdf writes the
    object as JSON: names as "/Name" (escapes undone), strings as "u:..." or "b:...", references
    to other objects as "n g R" (each of those is read on its own)."""
    written = obj.to_json(dereference=True)
    if not PDF_SUSPECT_NAMES.search(written):
        return None
    stack = [json.loads(written)]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):  # a dictionary, or the dictionary of a stream
            refused = PDF_REFUSED_KEYS.intersection(item)
            if refused:
                return min(refused)
            if item.get("/S") in PDF_REFUSED_ACTIONS:
                return f"/S {item['/S']}"
            if item.get("/Subtype") in PDF_REFUSED_SUBTYPES:
                return f"/Subtype {item['/Subtype']}"
            if item.get("/Type") == "/EmbeddedFile":
                return "/Type /EmbeddedFile"
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return None


def _not_a_photo_or_pdf(name: str) -> ValidationError:
    return ValidationError(
        _("The file %(name)s is not a photo (JPG, PNG or WebP) or a PDF. Choose another file.")
        % {"name": name},
        code="wrong_type",
    )


def _too_many_pixels(name: str) -> ValidationError:
    return ValidationError(
        _(
            "The photo %(name)s has too many pixels: a photo may have at most %(max)s megapixels. "
            "Make it smaller and choose it again."
        )
        % {"name": name, "max": settings.SMEDERIJEN_MAX_IMAGE_PIXELS // 1_000_000},
        code="too_many_pixels",
    )


def _clean_photo(data: bytes, name: str) -> bytes:
    """Draw the photo again as a new JPEG: turned upright, no metadata, at most 3000 pixels."""
    try:
        # Opening reads the header only: the size is known before a pixel is decoded.
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in PHOTO_FORMATS:
                raise _not_a_photo_or_pdf(name)
            width, height = probe.size
            if width * height > settings.SMEDERIJEN_MAX_IMAGE_PIXELS:
                raise _too_many_pixels(name)
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image = ImageOps.exif_transpose(image)
            if image.mode not in ("RGB", "L"):
                background = Image.new("RGB", image.size, "white")
                rgba = image.convert("RGBA")
                background.paste(rgba, mask=rgba.getchannel("A"))
                image = background
            image.thumbnail((MAX_PHOTO_SIDE, MAX_PHOTO_SIDE))
            clean = Image.new(image.mode, image.size)
            clean.paste(image)
            out = io.BytesIO()
            clean.save(out, format="JPEG", quality=85, optimize=True)
            return out.getvalue()
    except ValidationError:
        raise
    except Image.DecompressionBombError:  # Pillow's own guard (above twice the budget)
        raise _too_many_pixels(name) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise _not_a_photo_or_pdf(name) from None

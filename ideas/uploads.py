"""Checking and cleaning uploads: the type comes from the content, never from the name.

Photos (JPEG, PNG, WebP) are opened and drawn again as new files, so nothing of the original
travels along: no EXIF, no GPS position, no hidden data after the picture. PDFs are recognised by
their header and refused when they carry script or launch actions.
"""

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}
# Photos larger than this are made smaller: plenty for a screen or a print.
MAX_PHOTO_SIDE = 3000
PDF_DANGERS = (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile")


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
        if any(danger in data for danger in PDF_DANGERS):
            raise ValidationError(
                _(
                    "The PDF %(name)s contains a script or an attached file. Save it again as "
                    "a plain PDF (for example with 'Print to PDF') and choose it again."
                )
                % {"name": name},
                code="unsafe_pdf",
            )
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


def _not_a_photo_or_pdf(name: str) -> ValidationError:
    return ValidationError(
        _("The file %(name)s is not a photo (JPG, PNG or WebP) or a PDF. Choose another file.")
        % {"name": name},
        code="wrong_type",
    )


def _clean_photo(data: bytes, name: str) -> bytes:
    """Draw the photo again as a new JPEG: turned upright, no metadata, at most 3000 pixels."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in PHOTO_FORMATS:
                raise _not_a_photo_or_pdf(name)
            width, height = probe.size
            if width * height > settings.SMEDERIJEN_MAX_IMAGE_PIXELS:
                raise ValidationError(
                    _("The photo %(name)s has too many pixels. Make it smaller and try again.")
                    % {"name": name},
                    code="too_many_pixels",
                )
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
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _not_a_photo_or_pdf(name) from None

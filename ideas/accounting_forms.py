"""The form of the verantwoording: what it really cost, how it went, whether the photos may be
public, and the receipts and photos of the result.

It is one form, so every button keeps what was typed. Files are checked like the idea's own
files (``check_uploads``: photos drawn again, PDFs checked); the view stores each checked file at
once, so an error in another field never asks for a file again.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from smederijen.fields import EuroField
from smederijen.forms import PortalForm

from .forms import MultipleFileField, MultipleFileInput
from .models import Accounting, Attachment
from .uploads import check_uploads

PHOTO_TYPES = "image/jpeg,image/png,image/webp"
# What a send needs (``services.missing_for_accounting``), told at the field it is about.
MISSING = {
    "actual_cost": _("Fill in what it really cost."),
    "story": _("Write a few lines about how it went."),
    "receipts": _("Add the receipts or invoices of the costs."),
}


class AccountingForm(PortalForm):
    actual_cost = EuroField(
        label=_("What did it really cost?"),
        help_text=_(
            "All costs together, in euros. For example 690 or 1.234,50. Fill in 0 if it cost "
            "nothing."
        ),
        required=False,
    )
    story = forms.CharField(
        label=_("How did it go?"),
        help_text=_(
            "A few lines: what did you do, who helped, what is different now? This text is shown "
            "on the public page of your idea, so do not write names or addresses of others."
        ),
        required=False,
        max_length=Accounting._meta.get_field("story").max_length,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    photos_public = forms.BooleanField(
        label=_("The photos of the result may be shown on the website"),
        help_text=_(
            "Only the photos of the result, once the wijkteam has signed off. Receipts are never "
            "shown on the website."
        ),
        required=False,
    )
    receipts = MultipleFileField(
        label=_("Add receipts or invoices"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": f"{PHOTO_TYPES},application/pdf"}),
    )
    result_photos = MultipleFileField(
        label=_("Add photos of the result"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": PHOTO_TYPES}),
    )

    def __init__(self, *args, files_count: int = 0, **kwargs):
        """``files_count``: how many receipts and photos the verantwoording has already."""
        self.files_count = files_count
        super().__init__(*args, **kwargs)
        limit = settings.SMEDERIJEN_MAX_ACCOUNTING_FILES
        size = settings.SMEDERIJEN_MAX_UPLOAD_MB
        self.fields["receipts"].help_text = _(
            "A photo (JPG, PNG) or a PDF of each receipt or invoice, at most %(size)s MB each. "
            "Only you and the wijkteam see them."
        ) % {"size": size}
        self.fields["result_photos"].help_text = _(
            "Photos (JPG, PNG) of what you made or did, at most %(size)s MB each. You can add "
            "at most %(max)s receipts and photos in all."
        ) % {"size": size, "max": limit}
        self.fields["story"].error_messages["max_length"] = _(
            "Use at most %(limit_value)d characters (you used %(show_value)d)."
        )

    def _too_many_files(self) -> bool:
        """More files chosen than there is room for: clean() says so, and none of them is opened
        (drawing photos again costs time)."""
        chosen = sum(
            len(self.files.getlist(self.add_prefix(name))) for name in ("receipts", "result_photos")
        )
        return chosen > settings.SMEDERIJEN_MAX_ACCOUNTING_FILES - self.files_count

    def clean_receipts(self):
        if self._too_many_files():
            return []
        return check_uploads(self.cleaned_data["receipts"])

    def clean_result_photos(self):
        if self._too_many_files():
            return []
        checked = check_uploads(self.cleaned_data["result_photos"])
        not_photos = [c.original_name for c in checked if c.file_kind != Attachment.FileKind.PHOTO]
        if not_photos:
            raise ValidationError(
                [
                    _(
                        "The file %(name)s is not a photo. Add a PDF of a receipt or an invoice "
                        "under 'Add receipts or invoices'."
                    )
                    % {"name": name}
                    for name in not_photos
                ]
            )
        return checked

    def clean(self):
        data = super().clean()
        limit = settings.SMEDERIJEN_MAX_ACCOUNTING_FILES
        chosen = {
            name: len(self.files.getlist(self.add_prefix(name)))
            for name in ("receipts", "result_photos")
        }
        room = limit - self.files_count
        if sum(chosen.values()) > room:
            # None of the chosen files is stored: the resident chooses again, fewer.
            field = "receipts" if chosen["receipts"] else "result_photos"
            for name in chosen:
                data.pop(name, None)
            if field not in self.errors:
                self.add_error(
                    field,
                    _(
                        "You can add at most %(max)s receipts and photos in all. You already "
                        "have %(existing)s, so choose at most %(room)s more."
                    )
                    % {"max": limit, "existing": self.files_count, "room": max(room, 0)},
                )
        return data

    @property
    def details_valid(self) -> bool:
        """Cost, story and consent can be stored (the files are checked on their own)."""
        return not any(name in self.errors for name in ("actual_cost", "story", "photos_public"))

    def checked_files(self) -> list[tuple[str, object]]:
        """The files that passed the checks, with what they are (receipt or photo)."""
        data = self.cleaned_data
        return [
            *[(Attachment.Purpose.RECEIPT, c) for c in data.get("receipts", [])],
            *[(Attachment.Purpose.RESULT, c) for c in data.get("result_photos", [])],
        ]

    def add_missing(self, missing: list[str]) -> None:
        for name in missing:
            self.add_error(name, MISSING[name])

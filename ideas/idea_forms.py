"""The ideeformulier in steps (the money and planning step is in ``money_forms.py``).

Each step is a form of its own; the view stores a step only when all of it is valid, and a form
that comes back with errors keeps everything that was typed. Uploads are on their own step and are
stored as soon as they pass the checks, so no later error asks for them again.
"""

from crispy_forms.layout import Layout
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from smederijen.forms import HoneypotMixin, PortalForm, PortalModelForm, honeypot
from smederijen.models import Smederij

from .forms import (
    MultipleFileField,
    MultipleFileInput,
    inline_helper,
    max_length_messages,
    required,
)
from .models import Attachment, Idea, Kind, Notion, SubmitterKind
from .uploads import check_uploads


class StepForm(PortalModelForm):
    """A step of the ideeformulier. The view stores ``cleaned_data`` through the service."""

    lenient = False

    def __init__(self, *args, idea: Idea, user, **kwargs):
        self.idea = idea
        self.user = user
        super().__init__(*args, instance=idea, **kwargs)
        self.helper = inline_helper()

    def make_lenient(self) -> None:
        """Going back, to another step or stopping for now: keep what was typed, even when the
        step is not complete yet. Only what cannot be stored (a wrong date, a wrong amount) is
        refused; the rules across fields are checked when the idea is sent."""
        self.lenient = True
        for field in self.fields.values():
            field.required = False

    def step_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}

    def _post_clean(self):
        # The model is checked as a whole at submission; a step only checks its own fields.
        pass


class PlaceForm(StepForm):
    class Meta:
        model = Idea
        fields = ["kind", "smederij", "location", "reach", "target_group"]
        labels = {
            "kind": _("What kind of idea is it?"),
            "smederij": _("In which Smederij is your idea?"),
            "location": _("Where exactly?"),
            "reach": _("Who in the area is it for?"),
            "target_group": _("Is it for a special group?"),
        }
        help_texts = {
            "kind": _(
                "Korte klap: simple and done within a year, paid from the area's resident budget. "
                "Lange klap: big, takes longer and needs money from several places. Not sure? "
                "Choose what fits best; the wijkteam helps you."
            ),
            "smederij": _("Your wijk or dorp."),
            "location": _("A street, square, park or building. For example: Speeltuin Krakeel."),
            "target_group": _(
                "For example: children up to 12, older residents. Leave empty if it is for "
                "everyone."
            ),
        }
        widgets = {"kind": forms.RadioSelect, "reach": forms.RadioSelect}
        error_messages = {
            "kind": required(_("Choose korte klap or lange klap.")),
            "smederij": required(_("Choose your wijk or dorp.")),
            "location": required(_("Write where your idea takes place.")),
            "reach": required(_("Choose who in the area it is for.")),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("kind", "smederij", "location", "reach"):
            self.fields[name].required = True
        self.fields["kind"].choices = Kind.choices
        self.fields["reach"].choices = Idea._meta.get_field("reach").choices
        self.fields["smederij"].queryset = Smederij.objects.active()
        self.fields["smederij"].empty_label = _("Choose your wijk or dorp")


class IdeaForm(StepForm):
    notions = forms.MultipleChoiceField(
        label=_("What does your idea help with?"),
        help_text=_("Choose one or more."),
        choices=Notion.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages=required(_("Choose at least one.")),
    )

    class Meta:
        model = Idea
        fields = ["title", "summary", "description", "notions_explanation"]
        labels = {
            "title": _("Give your idea a short name"),
            "summary": _("Your idea in one or two sentences"),
            "description": _("Tell us more about your idea"),
            "notions_explanation": _("How does your idea help with this?"),
        }
        help_texts = {
            "title": _("At most 120 characters. For example: New benches at the Krakeel pond."),
            "summary": _("At most 300 characters. This is shown in the list of ideas."),
            "description": _("What do you want to do, and why? What will be different afterwards?"),
            "notions_explanation": _("For example: neighbours meet each other at the bench."),
        }
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 8}),
            "notions_explanation": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "title": required(_("Give your idea a name.")),
            "summary": required(_("Write your idea in one or two sentences.")),
            "description": required(_("Write a few sentences about your idea.")),
        }

    field_order = ["title", "summary", "description", "notions", "notions_explanation"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("title", "summary", "description"):
            self.fields[name].required = True
        self.fields["notions"].initial = self.idea.notions
        max_length_messages(self)

    def step_fields(self) -> dict:
        fields = {name: self.cleaned_data[name] for name in self._meta.fields}
        for notion in Notion.values:
            fields[f"serves_{notion}"] = notion in self.cleaned_data["notions"]
        return fields


class DraagvlakForm(StepForm):
    class Meta:
        model = Idea
        fields = [
            "support_description",
            "supporters_estimate",
            "neighbours_involvement",
            "own_effort",
        ]
        labels = {
            "support_description": _("Who supports your idea?"),
            "supporters_estimate": _("About how many people support it?"),
            "neighbours_involvement": _("How did you involve the neighbours?"),
            "own_effort": _("What will you and the others do yourselves?"),
        }
        help_texts = {
            "support_description": _(
                "For example: the residents of our street, the football club."
            ),
            "supporters_estimate": _("A number. A guess is fine."),
            "neighbours_involvement": _(
                "For example: we went door to door, or talked about it at the street party."
            ),
            "own_effort": _("For example: we paint the benches and keep the garden tidy."),
        }
        widgets = {
            "support_description": forms.Textarea(attrs={"rows": 4}),
            "neighbours_involvement": forms.Textarea(attrs={"rows": 4}),
            "own_effort": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "support_description": required(_("Write who supports your idea.")),
            "own_effort": required(_("Write what you will do yourselves.")),
            "supporters_estimate": {
                "invalid": _("Fill in a whole number, for example 25."),
                "max_value": _("That is more people than live in Hoogeveen. Check the number."),
                "min_value": _("Fill in a number of 0 or more."),
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["support_description"].required = True
        self.fields["own_effort"].required = True
        self.fields["supporters_estimate"].widget.attrs["inputmode"] = "numeric"
        max_length_messages(self)


class AttachmentsForm(PortalForm):
    files = MultipleFileField(
        label=_("Add photos or documents"),
        required=False,
        widget=MultipleFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}
        ),
    )

    def __init__(self, *args, idea: Idea, user=None, **kwargs):
        self.idea = idea
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = _(
            "Photos (JPG, PNG) or PDF files, at most %(count)s files of %(size)s MB each. "
            "We delete the location data from photos. You can skip this step."
        ) % {
            "count": settings.SMEDERIJEN_MAX_ATTACHMENTS,
            "size": settings.SMEDERIJEN_MAX_UPLOAD_MB,
        }
        self.helper = inline_helper()

    def clean_files(self):
        uploads = self.cleaned_data["files"]
        existing = self.idea.attachments.filter(purpose=Attachment.Purpose.IDEA).count()
        room = settings.SMEDERIJEN_MAX_ATTACHMENTS - existing
        if len(uploads) > room:
            raise ValidationError(
                _(
                    "You can add at most %(max)s files in all. You already have %(existing)s, "
                    "so choose at most %(room)s more."
                )
                % {
                    "max": settings.SMEDERIJEN_MAX_ATTACHMENTS,
                    "existing": existing,
                    "room": max(room, 0),
                }
            )
        return check_uploads(uploads)


class ContactForm(StepForm):
    class Meta:
        model = Idea
        fields = [
            "submitter_kind",
            "organisation_name",
            "contact_name",
            "contact_email",
            "contact_phone",
            "contact_address",
            "name_is_public",
        ]
        labels = {
            "submitter_kind": _("Who sends in this idea?"),
            "organisation_name": _("Name of the organisation or vereniging"),
            "contact_name": _("Your name"),
            "contact_email": _("Your e-mail address"),
            "contact_phone": _("Your phone number"),
            "contact_address": _("Your address"),
            "name_is_public": _("My name may be shown with the idea on the website"),
        }
        help_texts = {
            "organisation_name": _("Only if you send it in for an organisation or vereniging."),
            "contact_email": _(
                "We send a code to this address to check it, and keep you informed here."
            ),
            "contact_phone": _("So the wijkteam can call you with a question."),
            "contact_address": _("Street, house number and place."),
            "name_is_public": _(
                "Your e-mail address, phone number and address are never shown on the website."
            ),
        }
        widgets = {"submitter_kind": forms.RadioSelect}
        error_messages = {
            "submitter_kind": required(_("Choose who sends in the idea.")),
            "contact_name": required(_("Fill in your name.")),
            "contact_email": {
                "required": _("Fill in your e-mail address."),
                "invalid": _("Fill in an e-mail address like name@example.nl."),
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submitter_kind"].required = True
        self.fields["submitter_kind"].choices = SubmitterKind.choices
        self.fields["contact_name"].required = True
        self.fields["contact_email"].required = True
        for name, autocomplete in (
            ("contact_name", "name"),
            ("contact_email", "email"),
            ("contact_phone", "tel"),
            ("contact_address", "street-address"),
            ("organisation_name", "organization"),
        ):
            self.fields[name].widget.attrs["autocomplete"] = autocomplete
        self.fields["contact_phone"].widget.input_type = "tel"
        if self.user.is_authenticated:
            # The address of the account: it is confirmed already (change it in Mijn gegevens).
            field = self.fields["contact_email"]
            field.disabled = True
            field.help_text = _(
                "The address of your account. You can change it under 'My details'."
            )
            self.initial["contact_email"] = self.user.email
        max_length_messages(self)

    def clean(self):
        data = super().clean()
        if self.lenient:
            return data
        kind = data.get("submitter_kind")
        if (
            kind in (SubmitterKind.ORGANISATIE, SubmitterKind.VERENIGING)
            and not (data.get("organisation_name") or "").strip()
        ):
            self.add_error(
                "organisation_name", _("Fill in the name of the organisation or vereniging.")
            )
        return data


class SubmitForm(HoneypotMixin, StepForm):
    class Meta:
        model = Idea
        fields = ["accepted_conditions", "accepted_privacy"]
        labels = {
            "accepted_conditions": _("I have read the conditions and my idea meets them"),
            "accepted_privacy": _("I agree that De Smederijen uses my details for this idea"),
        }
        error_messages = {
            "accepted_conditions": required(_("Tick this box to send your idea.")),
            "accepted_privacy": required(_("Tick this box to send your idea.")),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accepted_conditions"].required = True
        self.fields["accepted_privacy"].required = True
        self.helper.layout = Layout(
            "accepted_conditions",
            "accepted_privacy",
            honeypot(),
        )

    def step_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}

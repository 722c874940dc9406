"""The forms of het wijkoverleg: plan or change one, a point for the agenda, the initiatiefgroep's
remark beforehand. The forms check what was typed; ``ideas.services.overleg`` checks the rules."""

from datetime import datetime

from django import forms
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smederijen.fields import DateField, TimeField
from smederijen.forms import PortalForm, PortalModelForm

from .models import Idea, OverlegItem, Recommendation


class IdeaChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, idea) -> str:
        area = idea.smederij.name if idea.smederij_id else ""
        if idea.submitted_at is None:
            return f"{idea.reference} {idea.title} ({area})"
        submitted = timezone.localtime(idea.submitted_at).strftime("%d-%m-%Y")
        return f"{idea.reference} {idea.title} ({area}, {submitted})"


class WhenAndWhereForm(PortalForm):
    date = DateField(
        label=_("Date"), error_messages={"required": _("Fill in the date of the overleg.")}
    )
    start = TimeField(
        label=_("Starts at"), error_messages={"required": _("Fill in when the overleg starts.")}
    )
    end = TimeField(
        label=_("Ends at"), error_messages={"required": _("Fill in when the overleg ends.")}
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        help_text=_("For example: Buurthuis De Kaap, Hoogeveen."),
        error_messages={
            "required": _("Fill in where the overleg is."),
            "max_length": _("Use at most %(limit_value)d characters."),
        },
    )
    online_link = forms.URLField(
        label=_("Link to take part online"),
        required=False,
        max_length=500,
        assume_scheme="https",
        validators=[URLValidator(schemes=["https"])],
        help_text=_("Only if people can also take part online. It starts with https://"),
        error_messages={
            "invalid": _("Fill in a web address that starts with https://"),
            "max_length": _("Use at most %(limit_value)d characters."),
        },
    )

    def clean(self):
        data = super().clean()
        if data.get("date") and data.get("start") and data.get("end"):
            if data["end"] <= data["start"]:
                self.add_error("end", _("The overleg must end after it starts."))
            elif self.starts_at() <= timezone.now():
                self.add_error("date", _("Choose a moment in the future."))
        return data

    def starts_at(self) -> datetime:
        return timezone.make_aware(
            datetime.combine(self.cleaned_data["date"], self.cleaned_data["start"])
        )

    def ends_at(self) -> datetime:
        return timezone.make_aware(
            datetime.combine(self.cleaned_data["date"], self.cleaned_data["end"])
        )

    @classmethod
    def of(cls, overleg, **kwargs):
        starts, ends = timezone.localtime(overleg.starts_at), timezone.localtime(overleg.ends_at)
        initial = {
            "date": starts.date(),
            "start": starts.time(),
            "end": ends.time(),
            "place": overleg.place,
            "online_link": overleg.online_link,
        }
        return cls(initial=initial, **kwargs)


class PlanOverlegForm(WhenAndWhereForm):
    """Plan: the area first (its ideas that wait make the agenda), then when, where, the agenda."""

    smederij = forms.ChoiceField(
        label=_("Area"),
        help_text=_("An area, or all areas of one team together."),
        error_messages={
            "required": _("Choose the area of the overleg."),
            "invalid_choice": _("Choose one of the areas in the list."),
        },
    )
    ideas = IdeaChoiceField(
        label=_("Ideas on the agenda"),
        queryset=Idea.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The ideas of the area that wait to be discussed, oldest first. You can change the "
            "order on the page of the overleg."
        ),
        error_messages={
            "invalid_choice": _("One of the chosen ideas cannot be discussed (any more).")
        },
    )
    points = forms.CharField(
        label=_("Other topics"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One topic per line, for example: Buurtfeest in juni."),
        error_messages={"max_length": _("Use at most %(limit_value)d characters.")},
    )
    field_order = ["smederij", "date", "start", "end", "place", "online_link", "ideas", "points"]

    def __init__(self, *args, places, waiting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["smederij"].choices = [("", "---------")] + [
            (value, label) for value, (label, _areas) in places.items()
        ]
        self.fields["ideas"].queryset = Idea.objects.filter(pk__in=[i.pk for i in waiting])
        self.fields["ideas"].choices = [
            (i.pk, self.fields["ideas"].label_from_instance(i)) for i in waiting
        ]

    def clean_points(self):
        lines = [line.strip() for line in self.cleaned_data["points"].splitlines()]
        titles = [line for line in lines if line]
        if any(len(title) > 200 for title in titles):
            raise forms.ValidationError(_("Keep each topic under 200 characters."))
        return titles


class PointForm(PortalForm):
    title = forms.CharField(
        label=_("Topic"),
        max_length=200,
        error_messages={
            "required": _("Fill in the topic."),
            "max_length": _("Use at most %(limit_value)d characters."),
        },
    )


class ItemRemarkForm(PortalForm):
    advice = forms.ChoiceField(
        label=_("Your advice"),
        required=False,
        choices=[("", _("No advice (yet)")), *Recommendation.choices],
        error_messages={"invalid_choice": _("Choose an advice from the list.")},
    )
    text = forms.CharField(
        label=_("Your remark"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The invited people and the wijkteam read it before the overleg; it is never public."
        ),
        error_messages={
            "required": _("Write your remark."),
            "max_length": _("Use at most %(limit_value)d characters."),
        },
    )


class RecordItemForm(PortalModelForm):
    """The minutes of one point: what was discussed, the advice, the next step. Its fields, labels
    and lengths are the agenda point's own; ``services.record_item`` saves them."""

    advice = forms.ChoiceField(
        label=_("Advice of the initiatiefgroep"),
        required=False,
        choices=[("", _("No advice")), *Recommendation.choices],
        error_messages={"invalid_choice": _("Choose an advice from the list.")},
    )
    next_step_by = DateField(label=_("Next step: by when"), required=False)

    class Meta:
        model = OverlegItem
        fields = [
            "discussion",
            "advice",
            "advice_reason",
            "next_step_what",
            "next_step_who",
            "next_step_by",
            "public_summary",
        ]
        widgets = {
            "discussion": forms.Textarea(attrs={"rows": 3}),
            "advice_reason": forms.Textarea(attrs={"rows": 2}),
            "public_summary": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "discussion": _("For the people who were there and the staff; not on the website."),
            "public_summary": _(
                "A few sentences for the idea's history on the website and for the submitter's "
                "mail. No names or other personal details."
            ),
        }

    def __init__(self, *args, item, **kwargs):
        kwargs.setdefault("prefix", f"verslag{item.pk}")
        super().__init__(*args, instance=item, **kwargs)
        for field in self.fields.values():
            if getattr(field, "max_length", None):
                field.error_messages["max_length"] = _("Use at most %(limit_value)d characters.")
        if item.idea_id is None:
            for name in ("advice", "advice_reason", "public_summary"):
                del self.fields[name]

    def clean(self):
        data = super().clean()
        if data.get("advice") and not (data.get("advice_reason") or "").strip():
            self.add_error("advice_reason", _("Write the reason for the advice."))
        if (data.get("next_step_who") or data.get("next_step_by")) and not data.get(
            "next_step_what"
        ):
            self.add_error("next_step_what", _("Write what the next step is."))
        return data


class PresenceForm(PortalForm):
    present = forms.MultipleChoiceField(
        label=_("Who was there"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose from the people who were invited.")},
    )

    def __init__(self, *args, invitations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [
            (str(i.user_id), i.user.get_full_name() or i.user.email) for i in invitations
        ]
        if not self.is_bound:
            self.initial["present"] = [str(i.user_id) for i in invitations if i.present]

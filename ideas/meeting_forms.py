"""The forms of the stuurgroep's meetings: plan a meeting, who is present, the decision on a plan.

The forms check what was typed; every change goes through ``ideas.services`` (plan_meeting,
record_attendance, decide), which checks the rules again.
"""

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ideas.workflow import Status
from smederijen.forms import PortalForm
from teams.models import SeatType

from .models import Idea, Kind, Recommendation


class PlanChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, idea) -> str:
        area = idea.smederij.name if idea.smederij_id else ""
        return (
            f"{idea.reference} {idea.title} ({area})" if area else f"{idea.reference} {idea.title}"
        )


def plans_with_the_stuurgroep():
    return (
        Idea.objects.filter(status=Status.BIJ_STUURGROEP, kind=Kind.LANGE_KLAP)
        .select_related("smederij")
        .order_by("reference", "pk")
    )


class MeetingForm(PortalForm):
    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Fill in the date of the meeting."),
            "invalid": _("Fill in a date, for example 25-09-2025."),
        },
    )
    time = forms.TimeField(
        label=_("Starting time"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={
            "required": _("Fill in when the meeting starts."),
            "invalid": _("Fill in a time, for example 19:30."),
        },
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        help_text=_("For example: Raadhuis Hoogeveen, room 2."),
        error_messages={"required": _("Fill in where the meeting is.")},
    )
    ideas = PlanChoiceField(
        label=_("Plans on the agenda"),
        queryset=Idea.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The lange-klap plans that are with the stuurgroep now."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ideas"].queryset = plans_with_the_stuurgroep()

    def starts_at(self) -> datetime:
        return timezone.make_aware(
            datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"])
        )


def seat_label(member) -> str:
    if member.seat_type == SeatType.RESIDENT:
        kind = _("resident member")
        where = member.smederij.name if member.smederij_id else ""
    else:
        kind = _("organisation member")
        where = member.organisation.name if member.organisation_id else ""
    extra = f", {where}" if where else ""
    chair = f", {_('chair')}" if member.is_chair else ""
    return f"{member.name} ({kind}{extra}{chair})"


class AttendanceForm(PortalForm):
    present = forms.MultipleChoiceField(
        label=_("Who is present?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick every member who is at the meeting."),
    )

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {str(row.member_id): row.member for row in rows}
        self.fields["present"].choices = [
            (str(row.member_id), seat_label(row.member)) for row in rows
        ]
        if not self.is_bound:
            self.initial["present"] = [str(row.member_id) for row in rows if row.present]

    def present_members(self) -> list:
        return [self.members[pk] for pk in self.cleaned_data["present"]]


def _votes_field(label):
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=10,
        error_messages={
            "required": _("Fill in a number: 0 or more."),
            "invalid": _("Fill in a whole number, for example 3."),
            "min_value": _("Fill in a number: 0 or more."),
            "max_value": _("The stuurgroep has ten seats: fill in at most 10."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class DecisionForm(PortalForm):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=Recommendation.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the decision.")},
    )
    public_reason = forms.CharField(
        label=_("Public reason"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "The submitter and everyone on the public page read this. With ‘hold over’, write "
            "the stuurgroep's questions for the wijkteam. No names or personal details."
        ),
        error_messages={
            "required": _(
                "Write the reason for the decision: the submitter and the public read it."
            )
        },
    )
    votes_for = _votes_field(_("Votes for"))
    votes_against = _votes_field(_("Votes against"))
    abstentions = _votes_field(_("Abstentions"))

    def __init__(self, *args, voters: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.voters = voters
        self.fields["abstentions"].initial = 0

    def clean(self):
        data = super().clean()
        votes = [data.get(name) for name in ("votes_for", "votes_against", "abstentions")]
        if any(v is None for v in votes):
            return data
        votes_for, votes_against, _abstentions = votes
        if sum(votes) != self.voters:
            self.add_error(
                "votes_for",
                _(
                    "%(voters)s members present may vote (members with a conflict of interest "
                    "do not), but the votes add up to %(total)s."
                )
                % {"voters": self.voters, "total": sum(votes)},
            )
        outcome = data.get("outcome")
        if outcome == Recommendation.POSITIEF and votes_for <= votes_against:
            self.add_error("outcome", _("A positive decision needs more votes for than against."))
        if outcome == Recommendation.NEGATIEF and votes_against < votes_for:
            self.add_error(
                "outcome", _("A negative decision cannot have more votes for than against.")
            )
        return data

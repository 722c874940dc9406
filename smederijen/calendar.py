"""Calendar files (.ics, iCalendar) for the mails that invite people to a meeting, made with the
well-kept library icalendar: the time in Europe/Amsterdam with its VTIMEZONE, so a calendar shows
the right hour in summer and winter; the same UID for every version of a meeting and a higher
SEQUENCE with each change, so a calendar replaces the appointment instead of adding one; a
cancellation as METHOD:CANCEL with STATUS:CANCELLED."""

import zoneinfo
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

PRODUCT = "-//De Smederijen Hoogeveen//Portaal//NL"
CONTENT_TYPE = "text/calendar; charset=utf-8"


@dataclass(frozen=True)
class Appointment:
    uid: str
    sequence: int
    starts_at: datetime
    ends_at: datetime
    summary: str
    place: str
    description: str = ""
    url: str = ""
    cancelled: bool = False


def ics(appointment: Appointment) -> bytes:
    """The calendar file of one appointment: an invitation (or its change), or its cancellation."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if appointment.cancelled else "PUBLISH")
    event = Event()
    event.add("uid", appointment.uid)
    event.add("sequence", appointment.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", appointment.starts_at.astimezone(zone))
    event.add("dtend", appointment.ends_at.astimezone(zone))
    event.add("summary", appointment.summary)
    event.add("location", appointment.place)
    if appointment.description:
        event.add("description", appointment.description)
    if appointment.url:
        event.add("url", appointment.url)
    event.add("status", "CANCELLED" if appointment.cancelled else "CONFIRMED")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()

"""Emails to registrants, in their language, with the event as an iCalendar attachment.

Only the event's public data travels: title, date, place, the public page, the personal
cancellation link. Never a presenter's question (DESIGN.md, confidentiality model).
"""

from datetime import datetime

import icalendar
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from entraide.core.exports import ics_text
from entraide.core.links import site_url
from entraide.core.mail import Attachment, send_plain_mail

from ..models import Event, Registration

CONFIRMED = "confirmed"
WAITING = "waiting"
PROMOTED = "promoted"
EVENT_CANCELLED = "event_cancelled"

ICS_FILENAME = "evenement.ics"


def location_of(event: Event) -> str:
    if event.mode == Event.Mode.ONLINE:
        return event.place or _("Online")
    return ", ".join(part for part in (event.place, event.region) if part)


def event_times(event: Event) -> tuple[datetime, datetime]:
    """(start, end), aware, in the zone of the event's place (``Event.time_zone``)."""
    return event.starts_at(), event.ends_at()


def event_calendar(event: Event, base_url: str = "") -> bytes:
    """The event as an iCalendar file: one VEVENT with a stable UID, local times with their
    VTIMEZONE, the place (or “Online”) and the public page. Public data only; every text through
    ``core.exports.ics_text`` (no control character, no stray line break)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Entraide//Events//FR")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    vevent = icalendar.Event()
    start, end = event_times(event)
    vevent.add("uid", f"{event.uid}@entraide")
    vevent.add("sequence", event.sequence)
    vevent.add("dtstamp", timezone.now())
    vevent.add("dtstart", start)
    vevent.add("dtend", end)
    vevent.add("summary", ics_text(event.title))
    vevent.add("location", ics_text(location_of(event)))
    vevent.add("url", site_url(base_url) + event.public_url())
    if event.description:
        vevent.add("description", ics_text(event.description, multiline=True))
    vevent.add("status", "CANCELLED" if event.status == Event.Status.CANCELLED else "CONFIRMED")
    calendar.add_component(vevent)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def send_registration_email(registration: Registration, cancel_token: str | None, kind: str, base_url: str = "") -> None:
    """Confirmation, waiting-list, promotion or cancelled-event email, in the registrant's
    language. The calendar file goes with every email but the waiting-list one."""
    event = registration.event
    root = site_url(base_url)
    with translation.override(registration.language):
        start, end = event_times(event)
        context = {
            "registration": registration,
            "event": event,
            "kind": kind,
            "role_label": registration.get_role_display(),
            "start": start,
            "end": end,
            "location": location_of(event),
            "public_url": root + event.public_url(),
            "cancel_url": root + reverse("events:cancel", kwargs={"org": event.organisation.slug, "slug": event.slug, "token": cancel_token}) if cancel_token else "",
        }
        if kind == EVENT_CANCELLED:
            subject = _("Cancelled: %(title)s") % {"title": event.title}
        elif kind == WAITING:
            subject = _("Waiting list: %(title)s") % {"title": event.title}
        elif kind == PROMOTED:
            subject = _("A place is free for you: %(title)s") % {"title": event.title}
        else:
            subject = _("Registration confirmed: %(title)s") % {"title": event.title}
    attachments = []
    if kind in (CONFIRMED, PROMOTED, EVENT_CANCELLED):
        attachments.append(Attachment(ICS_FILENAME, event_calendar(event, base_url), "text/calendar"))
    send_plain_mail(
        registration.email, registration.language, "events/email/registration.txt", context,
        subject=subject, attachments=attachments,
    )

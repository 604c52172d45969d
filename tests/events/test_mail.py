"""The confirmation email: the registrant's language, the event as .ics, never the question."""

import email
from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core import mail

from entraide.events.domain.events import save_event
from entraide.events.domain.mail import event_calendar
from entraide.events.domain.registrations import register
from entraide.events.models import Event

from .conftest import PARTICIPANT, PRESENTER, QUESTION, event_data

pytestmark = pytest.mark.integration

GREETING = {"fr": "Bonjour Bruno,", "de": "Hallo Bruno,", "en": "Hello Bruno,"}
SUBJECT = {"fr": "Inscription confirmée", "de": "Anmeldung bestätigt", "en": "Registration confirmed"}


def _vevent(attachment_content) -> icalendar.Event:
    calendar = icalendar.Calendar.from_ical(attachment_content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    return events[0]


@pytest.mark.parametrize("language", ["fr", "de", "en"])
def test_confirmation_email_in_the_registrants_language_with_ics(event, on_commit, language):
    with on_commit():
        registered = register(event, PRESENTER, "Bruno", "bruno@example.org", language, QUESTION, base_url="https://entraide.example")
    [message] = mail.outbox
    assert message.to == ["bruno@example.org"]
    assert message.subject.startswith(SUBJECT[language])
    assert GREETING[language] in message.body
    assert f"https://entraide.example/evenements/reseau/{event.slug}/" in message.body
    assert f"/annulation/{registered.cancel_token}/" in message.body
    [(filename, content, mimetype)] = message.attachments
    assert filename.endswith(".ics") and mimetype.startswith("text/calendar")
    # Never the question: not in the subject, body, nor the calendar file.
    everything = message.subject + message.body + (content.decode() if isinstance(content, bytes) else content)
    assert QUESTION not in everything and "deuil" not in everything
    # As a mail client gets it: the MIME message, its text/calendar part, parsed back.
    received = email.message_from_bytes(message.message().as_bytes())
    [part] = [p for p in received.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_content_charset() == "utf-8" and part.get_filename() == "evenement.ics"
    vevent = _vevent(part.get_payload(decode=True))
    zone = ZoneInfo("Europe/Paris")
    assert vevent.decoded("dtstart") == datetime.combine(event.date, event.start, tzinfo=zone)
    assert vevent.decoded("dtstart").utcoffset() == datetime.combine(event.date, event.start, tzinfo=zone).utcoffset()
    assert vevent.decoded("dtend") == datetime.combine(event.date, event.end, tzinfo=zone)
    assert str(vevent["uid"]) == f"{event.uid}@entraide"
    assert str(vevent["location"]) == "Salle communale, Suhr, Argovie"
    assert str(vevent["url"]) == f"https://entraide.example/evenements/reseau/{event.slug}/"
    assert str(vevent["summary"]) == event.title


def test_waiting_list_email_gives_the_position_and_no_calendar(builtins, organisation, coordinator, on_commit):
    event = save_event(organisation, coordinator, event_data(), {PARTICIPANT: 1})
    with on_commit():
        register(event, PARTICIPANT, "Ana", "ana@example.org", "fr")
        register(event, PARTICIPANT, "Bruno", "bruno@example.org", "en")
    waiting = mail.outbox[1]
    assert waiting.subject.startswith("Waiting list")
    assert "number 1 on the waiting list" in waiting.body
    assert waiting.attachments == []


def test_online_event_location_and_stable_uid_across_edits(builtins, organisation, coordinator):
    event = save_event(organisation, coordinator, event_data(mode=Event.Mode.ONLINE, place=""), {PARTICIPANT: 3})
    first = _vevent(event_calendar(event))
    assert str(first["location"]) == "En ligne"
    edited = save_event(organisation, coordinator, event_data(mode=Event.Mode.ONLINE, place="", title="Renommé"), {PARTICIPANT: 3}, event=event)
    second = _vevent(event_calendar(edited))
    assert second["uid"] == first["uid"]
    assert int(second["sequence"]) == int(first["sequence"]) + 1


def test_the_event_time_zone_is_used(builtins, organisation, coordinator):
    event = save_event(organisation, coordinator, event_data(timezone="America/Montreal"), {PARTICIPANT: 3})
    start = _vevent(event_calendar(event)).decoded("dtstart")
    assert start == datetime.combine(event.date, event.start, tzinfo=ZoneInfo("America/Montreal"))


def test_cancelling_the_event_emails_everyone_still_registered(event, organisation, coordinator, on_commit):
    from .conftest import HOST

    register(event, PRESENTER, "Bruno", "bruno@example.org", "de", QUESTION)
    register(event, HOST, "Ana", "ana@example.org", "fr")
    mail.outbox.clear()
    with on_commit():
        save_event(organisation, coordinator, event_data(status=Event.Status.CANCELLED), {HOST: 2, PRESENTER: 2, PARTICIPANT: 2}, event=event)
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@example.org", "bruno@example.org"]
    german = next(m for m in mail.outbox if m.to == ["bruno@example.org"])
    assert german.subject.startswith("Abgesagt")
    assert QUESTION not in german.body
    assert str(_vevent(german.attachments[0][1])["status"]) == "CANCELLED"
    mail.outbox.clear()
    with on_commit():  # saving it again, still cancelled, emails nobody
        save_event(organisation, coordinator, event_data(status=Event.Status.CANCELLED), {HOST: 2, PRESENTER: 2, PARTICIPANT: 2}, event=event)
    assert mail.outbox == []

"""An event's time zone (issue 12): the zone of its place, chosen in the form, used by its
pages, emails and calendar files. A Lausanne event (Europe/Zurich) and a Montréal event
(America/Toronto) of a French network (default Europe/Paris)."""

import html
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from entraide.core.tenancy import tenant_scope
from entraide.events.domain.events import default_time_zone, save_event, upcoming_for_member
from entraide.events.domain.mail import event_calendar
from entraide.events.domain.registrations import register, registrations_open
from entraide.events.models import Event

from .conftest import PARTICIPANT, event_data

pytestmark = pytest.mark.integration

LAUSANNE = dict(title="Atelier pratique à Lausanne", place="Maison de quartier, Lausanne", region="Vaud", timezone="Europe/Zurich")
MONTREAL = dict(title="Atelier pratique à Montréal", place="Centre communautaire, Montréal", region="Québec", timezone="America/Toronto")


def text(response) -> str:
    return html.unescape(response.content.decode())


def _vevent(content: bytes) -> tuple[icalendar.Calendar, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(content)
    [vevent] = calendar.walk("VEVENT")
    return calendar, vevent


@pytest.fixture
def lausanne(builtins, organisation, coordinator) -> Event:
    return save_event(organisation, coordinator, event_data(**LAUSANNE), {PARTICIPANT: 5})


@pytest.fixture
def montreal(builtins, organisation, coordinator) -> Event:
    return save_event(organisation, coordinator, event_data(**MONTREAL, start=time(18, 30), end=time(21)), {PARTICIPANT: 5})


@pytest.mark.parametrize("place, zone", [(LAUSANNE, "Europe/Zurich"), (MONTREAL, "America/Toronto")], ids=["lausanne", "montreal"])
def test_confirmation_mail_and_its_calendar_file_in_the_events_zone(builtins, organisation, coordinator, on_commit, place, zone):
    event = save_event(organisation, coordinator, event_data(**place), {PARTICIPANT: 5})
    with on_commit():
        register(event, PARTICIPANT, "Bruno", "bruno@example.org", "fr")
    [message] = mail.outbox
    assert f"(heure de {zone})" in message.body and "Europe/Paris" not in message.body
    assert f"{event.start:%H:%M}–{event.end:%H:%M}" in message.body
    [(_name, content, _type)] = message.attachments
    calendar, vevent = _vevent(content)
    # DTSTART/DTEND carry the TZID of the place, and the file describes that zone.
    assert vevent["dtstart"].params["TZID"] == zone and vevent["dtend"].params["TZID"] == zone
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == [zone]
    start = vevent.decoded("dtstart")
    assert start == datetime.combine(event.date, event.start, tzinfo=ZoneInfo(zone))
    assert start.utcoffset() == datetime.combine(event.date, event.start, tzinfo=ZoneInfo(zone)).utcoffset()
    assert vevent.decoded("dtend") == datetime.combine(event.date, event.end, tzinfo=ZoneInfo(zone))
    # The raw text, as any calendar reads it.
    raw = content.decode() if isinstance(content, bytes) else content
    assert f"DTSTART;TZID={zone}:{event.date:%Y%m%d}T{event.start:%H%M}00" in raw


def test_waiting_list_and_cancellation_mails_name_the_zone(builtins, organisation, coordinator, on_commit):
    event = save_event(organisation, coordinator, event_data(**MONTREAL), {PARTICIPANT: 1})
    with on_commit():
        register(event, PARTICIPANT, "Ana", "ana@example.org", "de")
        register(event, PARTICIPANT, "Bruno", "bruno@example.org", "en")
    assert "(Zeit in America/Toronto)" in mail.outbox[0].body
    assert "(time in America/Toronto)" in mail.outbox[1].body  # the waiting list
    mail.outbox.clear()
    with on_commit():
        save_event(organisation, coordinator, event_data(**MONTREAL, status=Event.Status.CANCELLED), {PARTICIPANT: 1}, event=event)
    assert all("America/Toronto" in m.body for m in mail.outbox) and len(mail.outbox) == 2
    _calendar, vevent = _vevent(mail.outbox[0].attachments[0][1])
    assert vevent["dtstart"].params["TZID"] == "America/Toronto" and str(vevent["status"]) == "CANCELLED"


def test_ics_download_of_the_public_page(client, lausanne):
    response = client.get(reverse("events:ics", kwargs={"org": lausanne.organisation.slug, "slug": lausanne.slug}))
    _calendar, vevent = _vevent(response.content)
    assert vevent["dtstart"].params["TZID"] == "Europe/Zurich"


def test_pages_name_the_zone_only_when_it_differs(client, lausanne, montreal, coordinator, member, organisation):
    paris = save_event(organisation, coordinator, event_data(title="À Paris"), {PARTICIPANT: 5})
    assert paris.time_zone == "Europe/Paris"
    for event, zone in ((lausanne, "Europe/Zurich"), (montreal, "America/Toronto")):
        page = text(client.get(event.public_url()))
        assert f"{event.start:%H:%M}–{event.end:%H:%M} (heure de {zone})" in page
    assert "heure de" not in text(client.get(paris.public_url()))
    client.force_login(coordinator)
    listing = text(client.get(reverse("events:list", kwargs={"org": organisation.slug})))
    assert "(heure de Europe/Zurich)" in listing and "(heure de America/Toronto)" in listing
    assert listing.count("heure de") == 2
    detail = text(client.get(montreal.get_absolute_url()))
    assert "18:30–21:00 (heure de America/Toronto)" in detail
    client.force_login(member)
    upcoming = text(client.get(reverse("events:upcoming", kwargs={"org": organisation.slug})))
    assert "18:30–21:00 (heure de America/Toronto)" in upcoming and "(heure de Europe/Zurich)" in upcoming
    me = text(client.get(reverse("web:community-me", kwargs={"org": organisation.slug})))
    assert "(heure de America/Toronto)" in me


def test_the_form_offers_the_zone_and_refuses_an_unknown_one(client, builtins, organisation, coordinator):
    client.force_login(coordinator)
    create = reverse("events:create", kwargs={"org": organisation.slug})
    page = text(client.get(create))
    assert 'list="time-zones"' in page and '<option value="America/Toronto">' in page
    assert 'value="Europe/Paris"' in page  # the organisation's default, prefilled
    data = {
        "title": "Atelier pratique", "date": "2031-03-14", "start": "14:00", "end": "17:00", "mode": "on_site",
        "place": "Lausanne", "languages": ["fr"], "capacity_participant": "4", "capacity_host": "0",
        "capacity_presenter": "0", "status": "published", "public": "on", "time_zone": "Europe/Lausanne",
    }
    refused = client.post(create, data)
    assert refused.status_code == 400
    assert "Fuseau horaire inconnu « Europe/Lausanne »" in text(refused)
    with tenant_scope(organisation):
        assert not Event.objects.exists()
    assert client.post(create, {**data, "time_zone": " Europe/Zurich "}).status_code == 302
    with tenant_scope(organisation):
        event = Event.objects.get()
    assert event.time_zone == "Europe/Zurich"
    edit = reverse("events:edit", kwargs={"org": organisation.slug, "slug": event.slug})
    assert 'value="Europe/Zurich"' in text(client.get(edit))
    # Left empty on an edit: the zone stays.
    assert client.post(edit, {**data, "time_zone": ""}).status_code == 302
    event.refresh_from_db()
    assert event.time_zone == "Europe/Zurich"


def test_the_default_zone_comes_from_the_organisations_country(builtins, organisation, coordinator, settings):
    assert default_time_zone(organisation) == "Europe/Paris"
    organisation.country = "CH"
    organisation.save()
    assert default_time_zone(organisation) == "Europe/Zurich"
    event = save_event(organisation, coordinator, event_data(), {PARTICIPANT: 2})
    assert event.time_zone == "Europe/Zurich"
    organisation.country = "XX"
    settings.TIME_ZONE = "Europe/Brussels"
    assert default_time_zone(organisation) == "Europe/Brussels"


def test_registrations_and_upcoming_events_follow_the_events_own_day(builtins, organisation, coordinator, member, monkeypatch):
    # 02:00 in Paris on day D is still day D-1 in Montréal: a Montréal event of D-1 is still on.
    now = datetime(2031, 3, 14, 2, 0, tzinfo=ZoneInfo("Europe/Paris"))
    monkeypatch.setattr(timezone, "now", lambda: now)
    yesterday = date(2031, 3, 13)
    montreal = save_event(organisation, coordinator, event_data(**MONTREAL, date=yesterday), {PARTICIPANT: 2})
    paris = save_event(organisation, coordinator, event_data(title="À Paris", date=yesterday), {PARTICIPANT: 2})
    assert registrations_open(montreal) and not registrations_open(paris)
    assert [row.event for row in upcoming_for_member(organisation, member)] == [montreal]
    assert [row.event for row in upcoming_for_member(organisation, member, today=yesterday + timedelta(days=1))] == []

"""The community calendar feeds with hostile group names and places: one property per line."""

import pytest
from icalendar import Calendar

from entraide.community.domain import calendars
from entraide.community.models import Group, GroupSession
from entraide.core.tenancy import tenant_scope

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("breaker", ["\r", "\n", "\x0b", "\x0c", "\u2028"])
def test_a_group_name_or_place_cannot_add_calendar_properties(organisation, group, sessions, breaker):
    with tenant_scope(organisation):
        # Written directly, as rows saved before the single-line rule would be.
        Group.objects.filter(pk=group.pk).update(name=f"Analyse{breaker}ATTENDEE:mailto:evil@example.org")
        GroupSession.objects.filter(group=group).update(place=f"Salle{breaker}BEGIN:VALARM")
        group = Group.objects.get(pk=group.pk)
    body = calendars.group_feed(group, "testserver")
    lines = body.decode("utf-8").replace("\r\n ", "").split("\r\n")
    names = [line.split(":", 1)[0].split(";", 1)[0] for line in lines if line]
    assert "ATTENDEE" not in names and "BEGIN:VALARM" not in lines
    assert not any(c in line for line in lines for c in "\r\n\x0b\x0c\u2028")
    calendar = Calendar.from_ical(body)
    assert str(calendar["X-WR-CALNAME"]) == "Analyse ATTENDEE:mailto:evil@example.org"
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 5
    assert str(events[0]["SUMMARY"]) == "Analyse ATTENDEE:mailto:evil@example.org, séance 1"
    assert str(events[0]["LOCATION"]) == "Salle BEGIN:VALARM"

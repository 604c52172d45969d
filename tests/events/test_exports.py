"""The events' exports with hostile values: the registrations CSV and the iCalendar file."""

import csv
import io

import icalendar
import pytest
from django.urls import reverse

from entraide.core.tenancy import tenant_scope
from entraide.events.domain.mail import event_calendar
from entraide.events.domain.registrations import register
from entraide.events.models import Event, Registration

from .conftest import HOST, PARTICIPANT

pytestmark = pytest.mark.integration

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def exported_rows(client, event, coordinator) -> list[list[str]]:
    client.force_login(coordinator)
    response = client.get(reverse("events:csv", kwargs={"org": event.organisation.slug, "slug": event.slug}))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == f'attachment; filename="{event.slug}-inscriptions.csv"'
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_a_registration_email_beginning_with_a_formula_is_neutralised(client, event, coordinator):
    register(event, PARTICIPANT, "Ana", "=1+1@example.org")
    register(event, PARTICIPANT, "-2+3", "+cmd@example.org")
    register(event, HOST, "@SUM(A1)", "-x@example.org")
    rows = exported_rows(client, event, coordinator)
    assert len(rows) == 4
    cells = {cell for row in rows[1:] for cell in row}
    assert {"'=1+1@example.org", "'+cmd@example.org", "'-x@example.org", "'-2+3", "'@SUM(A1)"} <= cells
    # No cell of any column begins like a formula.
    assert not [cell for row in rows for cell in row if cell.startswith(TRIGGERS)]


def test_tabs_and_carriage_returns_stored_earlier_neither_run_nor_split_rows(client, event, coordinator):
    ana = register(event, PARTICIPANT, "Ana", "ana@example.org").registration
    bruno = register(event, PARTICIPANT, "Bruno", "bruno@example.org").registration
    with tenant_scope(event.organisation):
        # Names saved before the single-line rule: written directly, as old rows would be.
        Registration.objects.filter(pk=ana.pk).update(name="\t=HYPERLINK(\"http://evil.example/\")")
        Registration.objects.filter(pk=bruno.pk).update(name="\r=1+1\r\nBruno")
    rows = exported_rows(client, event, coordinator)
    assert len(rows) == 3  # the carriage returns stay inside their quoted cell
    names = sorted(row[0] for row in rows[1:])
    assert names == sorted(["'\t=HYPERLINK(\"http://evil.example/\")", "'\r=1+1\r\nBruno"])


def ics_lines(data: bytes) -> list[str]:
    """The unfolded content lines of an iCalendar file (RFC 5545 3.1)."""
    text = data.decode("utf-8").replace("\r\n ", "").replace("\r\n\t", "")
    assert text.endswith("\r\n")
    return text[:-2].split("\r\n")


@pytest.mark.parametrize("breaker", ["\r", "\n", "\r\n", "\x0b", "\x0c", "\x85", "\u2028", "\u2029"])
def test_line_breaks_in_an_event_cannot_add_calendar_properties(event, breaker):
    with tenant_scope(event.organisation):
        Event.objects.filter(pk=event.pk).update(
            title=f"Atelier{breaker}ATTENDEE:mailto:evil@example.org",
            place=f"Salle{breaker}BEGIN:VALARM",
            description=f"Gratuit.{breaker}URL:http://evil.example/",
        )
        event = Event.objects.get(pk=event.pk)
    data = event_calendar(event, "http://testserver")
    lines = ics_lines(data)
    names = [line.split(":", 1)[0].split(";", 1)[0] for line in lines]
    assert "ATTENDEE" not in names and names.count("BEGIN") == names.count("END")
    assert names.count("URL") == 1 and "BEGIN:VALARM" not in lines
    assert not any(c in line for line in lines for c in "\r\n\x0b\x0c\x85\u2028\u2029")
    parsed = icalendar.Calendar.from_ical(data)
    vevent = next(iter(parsed.walk("VEVENT")))
    assert str(vevent["SUMMARY"]) == "Atelier ATTENDEE:mailto:evil@example.org"
    assert str(vevent["LOCATION"]).startswith("Salle BEGIN:VALARM")
    # The description keeps its line break, as an escaped \n inside its one property.
    assert str(vevent["DESCRIPTION"]) == "Gratuit.\nURL:http://evil.example/"


def test_the_ics_download_goes_through_the_same_helper(client, event):
    with tenant_scope(event.organisation):
        Event.objects.filter(pk=event.pk).update(title="Atelier\rBEGIN:VALARM")
    response = client.get(reverse("events:ics", kwargs={"org": event.organisation.slug, "slug": event.slug}))
    assert response.status_code == 200
    assert "BEGIN:VALARM" not in ics_lines(response.content)

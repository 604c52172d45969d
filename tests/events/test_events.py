"""Creating and changing events: bad input refused, nothing changed."""

from datetime import time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.http import Http404

from entraide.core.tenancy import tenant_scope
from entraide.events.domain.errors import EventError
from entraide.events.domain.events import save_event
from entraide.events.models import Event, EventRole, Registration

from .conftest import HOST, PARTICIPANT, PRESENTER, event_data, registrations, sign_up

pytestmark = pytest.mark.integration


def _capacities(event):
    with tenant_scope(event.organisation):
        return dict(EventRole.objects.filter(event=event).values_list("role", "capacity"))


def test_create_uses_the_atelier_pratique_protocol_and_a_slug_from_the_title(event):
    assert event.protocol.key == "atelier-pratique"
    assert event.slug == "atelier-pratique-de-printemps"
    assert _capacities(event) == {HOST: 2, PRESENTER: 2, PARTICIPANT: 2}


def test_same_title_gets_a_free_slug(event, organisation, coordinator):
    # The same title on another day is another event (the next edition), with its own address.
    second = save_event(organisation, coordinator, event_data(date=event.date + timedelta(days=7)), {PARTICIPANT: 3})
    assert second.slug == "atelier-pratique-de-printemps-2"


def test_capacity_below_confirmed_registrations_is_refused_and_nothing_changes(event, organisation, coordinator):
    sign_up(event, PARTICIPANT, 2)
    with pytest.raises(EventError) as refused:
        save_event(organisation, coordinator, event_data(title="Nouveau titre"), {HOST: 5, PRESENTER: 2, PARTICIPANT: 1}, event=event)
    assert refused.value.field == "capacity_participant"
    assert "2" in refused.value.message
    with tenant_scope(organisation):
        stored = Event.objects.get(pk=event.pk)
    assert stored.title == "Atelier pratique de printemps"
    assert _capacities(event) == {HOST: 2, PRESENTER: 2, PARTICIPANT: 2}


def test_raising_capacity_confirms_the_waiting_list_in_order(event, organisation, coordinator, on_commit):
    people = sign_up(event, PARTICIPANT, 5)
    mail.outbox.clear()
    with on_commit():
        save_event(organisation, coordinator, event_data(), {HOST: 2, PRESENTER: 2, PARTICIPANT: 3}, event=event)
    statuses = [(r.status, r.waiting_position) for r in registrations(event)]
    assert statuses == [("confirmed", None)] * 3 + [("waiting", 1), ("waiting", 2)]
    assert [m.to for m in mail.outbox] == [[people[2].registration.email]]


@pytest.mark.parametrize("changes, capacities, field", [
    ({"title": "  "}, {PARTICIPANT: 3}, "title"),
    ({"start": time(17), "end": time(14)}, {PARTICIPANT: 3}, "end"),
    ({"place": ""}, {PARTICIPANT: 3}, "place"),
    ({"languages": ()}, {PARTICIPANT: 3}, "languages"),
    ({"languages": ("it",)}, {PARTICIPANT: 3}, "languages"),
    ({"timezone": "Mars/Olympus"}, {PARTICIPANT: 3}, "time_zone"),
    ({}, {PARTICIPANT: -1}, "capacity_participant"),
    ({}, {}, "capacity_participant"),  # publishing with no open role
])
def test_bad_event_input_is_refused_and_nothing_saved(builtins, organisation, coordinator, changes, capacities, field):
    with pytest.raises(EventError) as refused:
        save_event(organisation, coordinator, event_data(**changes), capacities)
    assert refused.value.field == field
    with tenant_scope(organisation):
        assert not Event.objects.exists()


def test_online_event_needs_no_place(builtins, organisation, coordinator):
    event = save_event(organisation, coordinator, event_data(mode=Event.Mode.ONLINE, place=""), {PARTICIPANT: 3})
    assert event.mode == "online"


def test_slug_taken_by_another_event_is_refused(event, organisation, coordinator):
    with pytest.raises(EventError) as refused:
        save_event(organisation, coordinator, event_data(slug=event.slug), {PARTICIPANT: 3})
    assert refused.value.field == "slug"


def test_only_coordinators_of_the_organisation_manage_events(event, organisation, facilitator, other_coordinator):
    with pytest.raises(PermissionDenied):
        save_event(organisation, facilitator, event_data(title="X"), {PARTICIPANT: 1})
    with pytest.raises(Http404):
        save_event(organisation, other_coordinator, event_data(title="X"), {PARTICIPANT: 1})
    with tenant_scope(organisation):
        assert Event.objects.count() == 1


def test_editing_bumps_the_calendar_sequence(event, organisation, coordinator):
    updated = save_event(organisation, coordinator, event_data(start=time(13)), {HOST: 2, PRESENTER: 2, PARTICIPANT: 2}, event=event)
    assert updated.sequence == event.sequence + 1 and updated.uid == event.uid


def test_the_address_of_the_new_event_page_is_not_a_slug(builtins, organisation, coordinator):
    assert save_event(organisation, coordinator, event_data(title="Nouveau"), {PARTICIPANT: 3}).slug == "nouveau-2"
    with pytest.raises(EventError) as refused:
        save_event(organisation, coordinator, event_data(slug="nouveau"), {PARTICIPANT: 3})
    assert refused.value.field == "slug"

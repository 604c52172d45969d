"""Tables are the engine's unit: a session holds tables; table commands change (and lock) their
table only, session-wide commands change every table. A session with one table is the
atelier d'entraide as it always ran."""

import os

import pytest

from entraide.core.tenancy import all_tenants
from entraide.live.domain.commands import table_of
from entraide.live.domain.state import session_state
from entraide.live.models import LiveSession, LiveTable, Participant

pytestmark = pytest.mark.integration


def _second_table(room, people):
    """A second table of the room, with ``people`` moved to it (what the next issue's table
    forming will do), at the same step as the first."""
    with all_tenants():
        first = LiveTable.objects.get(session=room.session, number=1)
        second = LiveTable.objects.create(session=room.session, number=2, step_index=first.step_index, step_started_at=first.step_started_at)
        Participant.objects.filter(pk__in=[p.pk for p in people]).update(table=second)
    for person in people:
        person.refresh_from_db()
    return second


def test_a_new_session_has_one_table_where_everyone_sits(room):
    with all_tenants():
        tables = list(LiveTable.objects.filter(session=room.session))
        seated = set(Participant.objects.filter(session=room.session).values_list("table_id", flat=True))
    assert [t.number for t in tables] == [1] and seated == {tables[0].pk}
    state = session_state(room.refresh(), room.people[0])
    assert {k: state["table"][k] for k in ("id", "number", "room", "out")} == {"id": tables[0].pk, "number": 1, "room": True, "out": False}
    assert state["session"]["version"] == tables[0].version


def test_a_table_command_changes_its_own_table_only(room):
    room.run(room.facilitator, "start")
    room.go_to("rules")
    other = _second_table(room, room.people[3:])
    with all_tenants():
        before = dict(LiveTable.objects.filter(session=room.session).values_list("number", "version"))
    # In the plenary everybody works at the room: a command there changes the room only.
    outcome = room.run(room.people[0], "set_ready")
    with all_tenants():
        after = dict(LiveTable.objects.filter(session=room.session).values_list("number", "version"))
    assert after == {1: before[1] + 1, 2: before[2]} and outcome.version == after[1]
    # The facilitator's next step enters the tables' steps: every formed table goes there too.
    room.run(room.facilitator, "next_step")
    with all_tenants():
        other.refresh_from_db()
        first = LiveTable.objects.get(session=room.session, number=1)
    assert first.step_index == other.step_index
    # From now on the table moves on its own, by its host; the room stays.
    with all_tenants():
        LiveTable.objects.filter(pk=other.pk).update(host=room.people[3])
    room.run(room.people[3], "skip_step")
    with all_tenants():
        other.refresh_from_db()
        first.refresh_from_db()
    assert other.step_index == first.step_index + 1
    mine = session_state(room.refresh(), room.people[0])
    theirs = session_state(room.session, room.people[4])
    assert mine["table"]["number"] == 1 and theirs["table"]["number"] == 2
    assert mine["step"]["key"] != theirs["step"]["key"]
    assert theirs["session"]["version"] == other.version


def test_a_session_wide_command_changes_every_table(room):
    room.run(room.facilitator, "start")
    _second_table(room, room.people[3:])
    with all_tenants():
        before = dict(LiveTable.objects.filter(session=room.session).values_list("number", "version"))
    room.run(room.facilitator, "pause")
    with all_tenants():
        after = dict(LiveTable.objects.filter(session=room.session).values_list("number", "version"))
    # Every table takes the next version after the highest: nobody moving between tables goes
    # back in version.
    top = max(before.values()) + 1
    assert after == {1: top, 2: top}
    # Paused: every table's clock stands still.
    for person in (room.people[0], room.people[4]):
        assert session_state(room.refresh(), person)["clock"]["running"] is False


def test_the_offerer_of_any_table_cannot_be_removed(room):
    room.run(room.facilitator, "start")
    second = _second_table(room, room.people[3:])
    with all_tenants():
        LiveTable.objects.filter(pk=second.pk).update(offerer=room.people[4])
    from entraide.live.domain.commands import CommandRefused

    with pytest.raises(CommandRefused) as refused:
        room.run(room.facilitator, "remove_participant", participant=room.people[4].pk)
    assert refused.value.code == "offerer"


def test_a_seatless_person_is_served_by_the_first_table(room):
    with all_tenants():
        Participant.objects.filter(pk=room.people[0].pk).update(table=None)
    room.people[0].refresh_from_db()
    assert table_of(room.refresh(), room.people[0]).number == 1


def test_a_facilitator_coming_back_signals_the_tables_version(room, monkeypatch, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    from entraide.live.domain import opening

    sent = []
    monkeypatch.setattr(opening, "_signal", lambda session_id, version: sent.append((session_id, version)))
    with all_tenants():
        Participant.objects.filter(pk=room.facilitator.pk).update(last_seen_at=timezone.now() - timedelta(minutes=5))
    room.facilitator.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        opening.mark_seen(room.facilitator)
    assert sent == [(room.session.pk, room.table().version)]


def test_the_view_model_has_exactly_the_fields_its_type_declares(room):
    from entraide.live.domain.state import LiveView

    room.run(room.facilitator, "start")
    for viewer in (room.facilitator, room.people[0]):
        assert set(session_state(room.refresh(), viewer)) == set(LiveView.__annotations__)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="row locks: PostgreSQL only")
def test_a_table_command_locks_its_own_table_only(builtins, organisation, facilitator):
    """While a command holds table 2's row (and the session's, as a session-wide command
    does), a command at table 1 goes through at once; one at table 2 waits for it (here: gives
    up after the lock timeout)."""
    import threading
    from datetime import time

    from django.db import OperationalError, connection, transaction

    from .conftest import open_room

    room = open_room(organisation, facilitator, "atelier-entraide", time(14), time(16, 30))
    room.run(room.facilitator, "start")
    room.go_to("rules")
    second = _second_table(room, room.people[3:])
    room.run(room.facilitator, "next_step")  # the tables' steps: each works at its own table
    locked, release = threading.Event(), threading.Event()

    def hold_second_table():
        try:
            with all_tenants(), transaction.atomic():
                LiveSession.objects.select_for_update(no_key=True).get(pk=room.session.pk)
                LiveTable.objects.select_for_update().get(pk=second.pk)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_second_table)
    holder.start()
    try:
        assert locked.wait(5)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '1s'")
        room.run(room.people[0], "set_ready")  # table 1: not blocked by table 2's lock
        with pytest.raises(OperationalError):
            room.run(room.people[4], "set_ready")  # table 2: waits for its row
    finally:
        release.set()
        holder.join()
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = 0")

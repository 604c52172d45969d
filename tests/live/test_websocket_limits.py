"""The websocket door under abuse and in agreement with the other doors: a flood is stopped
with a message in the person's language, a malformed or deeply nested frame gets an error frame
and the connection stays, and the clocks a frame carries are the ones the page gets."""

import asyncio
import json
import uuid
from datetime import datetime, timedelta, timezone as dt_timezone

import pytest
from asgiref.sync import async_to_sync
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from entraide.core.tenancy import all_tenants
from entraide.live.domain.commands import WRITE_QUOTA_BYTES
from entraide.live.domain.state import session_state
from entraide.live.models import PrivateNote
from entraide.realtime.consumers import FRAME_BURST, MAX_DEPTH, too_deep

from .test_websocket import communicator, receive, send

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _note(text: str) -> dict:
    return {"type": "command", "id": str(uuid.uuid4()), "name": "write_note", "args": {"text": text}}


def test_a_flood_of_notes_is_stopped_with_a_french_message(room):
    room.run(room.facilitator, "start")
    amina = room.people[0]

    async def scenario():
        ws = communicator(room, amina)
        assert (await ws.connect(timeout=10))[0]
        await receive(ws)
        for _ in range(300):
            await ws.send_json_to(_note("n" * 4000))
        answers = [await receive(ws) for _ in range(300)]
        results = [a for a in answers if a["type"] == "result"]
        refused = [a for a in answers if a["type"] == "error"]
        # Stopped by the connection's rate (and, on a slow machine, by the write quota first).
        assert FRAME_BURST <= len(results) <= WRITE_QUOTA_BYTES // 4000
        codes = {a["code"] for a in refused}
        assert "rate_limited" in codes and codes <= {"rate_limited", "quota_bytes"}
        messages = {a["code"]: a["message"] for a in refused}
        assert messages["rate_limited"] == "Trop de messages à la fois : attendez quelques secondes, puis réessayez."
        # A moment later the same connection works again.
        await asyncio.sleep(1)
        await send(ws, _note("Après la pause"))
        assert (await receive(ws))["type"] == "result"
        await ws.disconnect()
        return len(results)

    stored = async_to_sync(scenario)()
    with all_tenants():
        assert PrivateNote.objects.filter(author=amina).count() == stored + 1


def test_a_deeply_nested_frame_gets_an_error_and_the_connection_stays(room):
    room.run(room.facilitator, "start")
    nested = "[" * 5000 + "]" * 5000  # 10 kB
    in_args = json.dumps({"type": "command", "id": str(uuid.uuid4()), "name": "write_note", "args": {"text": "x"}})
    in_args = in_args.replace('"x"', "[" * 4000 + "]" * 4000)

    async def scenario():
        ws = communicator(room, room.people[0])
        assert (await ws.connect(timeout=10))[0]
        await receive(ws)
        for frame in (nested, in_args, "1" * 9000, '{"type": "sync", "version": ' + "9" * 5000 + "}"):
            await ws.send_to(text_data=frame)
            error = await receive(ws)
            assert error["type"] == "error" and error["code"] == "malformed" and error["id"] is None
            assert error["message"] in ("Ce message est imbriqué trop profondément.", "Ce message n'est pas du JSON valide.")
        await ws.send_to(bytes_data=b"\x00\x01")
        assert (await receive(ws))["code"] == "malformed"
        # The next valid command still works on the same connection.
        command = _note("Toujours là")
        await send(ws, command)
        result = await receive(ws)
        assert result["type"] == "result" and result["id"] == command["id"]
        await ws.disconnect()

    async_to_sync(scenario)()
    with all_tenants():
        assert PrivateNote.objects.filter(author=room.people[0]).count() == 1


def test_the_depth_check_counts_brackets_outside_strings_only():
    assert too_deep("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))
    assert not too_deep("[" * MAX_DEPTH + "]" * MAX_DEPTH)
    assert not too_deep(json.dumps({"type": "command", "args": {"text": "[[[[[[[[[[[[[[[[ {{{{{{{{{{{{ \\\" [[[["}}))
    assert not too_deep(json.dumps({"args": {"ballot": {"1": 2, "2": 1}}}))


def test_the_clocks_of_a_frame_are_the_clocks_of_the_page(room, monkeypatch):
    """One rule, every door: at the same moment the websocket state frame and the page's JSON
    give the same step clock and turn clock (remaining seconds and the deadline phones use)."""
    now = datetime(2026, 11, 21, 14, 0, tzinfo=dt_timezone.utc)
    monkeypatch.setattr(timezone, "now", lambda: now)
    room.run(room.facilitator, "start")
    room.go_to("problem_write")
    for person in room.people[:2]:
        room.run(person, "write_problem", text=f"Problème de {person.display_name}")
    room.go_to("pitch")
    room.run(room.facilitator, "pause")
    now += timedelta(seconds=60)
    room.run(room.facilitator, "next_turn", participant=room.people[0].pk)
    now += timedelta(seconds=60)
    room.run(room.facilitator, "resume")
    now += timedelta(seconds=30)
    viewer = room.people[3]

    async def scenario():
        ws = communicator(room, viewer)
        assert (await ws.connect(timeout=10))[0]
        await receive(ws)
        await send(ws, {"type": "sync"})
        frame = await receive(ws)
        await ws.disconnect()
        return frame["state"]

    by_socket = async_to_sync(scenario)()
    page = Client()
    page.cookies[f"entraide_live_{room.session.pk}"] = room.secrets[viewer.pk]
    by_page = page.get(reverse("web:live-state", kwargs={"code": room.session.join_code})).json()
    by_domain = session_state(room.refresh(), viewer)
    for state in (by_socket, by_page):
        assert state["clock"] == by_domain["clock"]
        assert state["turn"]["clock"] == by_domain["turn"]["clock"]
    assert by_domain["turn"]["clock"]["remaining_seconds"] == 90


def test_every_command_of_the_command_path_is_documented():
    from entraide.live.domain.commands import COMMANDS

    from .asyncapi import document

    documented = document()["components"]["schemas"]["Command"]["properties"]["name"]["enum"]
    assert sorted(documented) == sorted(COMMANDS)


def test_every_commands_arguments_are_documented_as_declared():
    """docs/asyncapi.yaml's CommandArguments is the command path's declarations, exactly."""
    from entraide.live.domain.commands import arguments_schemas

    from .asyncapi import document

    documented = document()["components"]["schemas"]["CommandArguments"]["properties"]
    assert documented == arguments_schemas()

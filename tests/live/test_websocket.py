"""The websocket door: real frames through the ASGI application (origin check included),
checked against the AsyncAPI document."""

import json
import uuid

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator

from entraide.asgi import application
from entraide.core.tenancy import all_tenants
from entraide.live.models import GroundRule, LiveSession

from .asyncapi import check

# Channels closes old connections around each database call: the tests must commit for real.
pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ORIGIN = (b"origin", b"http://127.0.0.1:8000")


def communicator(room, person, origin=ORIGIN, session=None, language=b"fr"):
    session = session or room.session
    headers = [origin, (b"cookie", f"entraide_live_{session.pk}={room.secrets[person.pk]}".encode()), (b"accept-language", language)]
    return WebsocketCommunicator(application, f"/ws/s/{session.join_code}/", headers=headers)


async def receive(ws, skip_changed: bool = True) -> dict:
    """The next message (checked against the AsyncAPI document), passing over the "changed"
    signals that interleave with replies whenever a command commits."""
    while True:
        message = await ws.receive_json_from(timeout=5)
        check(message)
        if not (skip_changed and message["type"] == "changed"):
            return message


async def send(ws, message: dict) -> None:
    if message.get("type") in ("command", "sync", "ping"):
        check(message)
    await ws.send_json_to(message)


def test_hello_state_and_a_command_round_trip(room):
    async def scenario():
        ws = communicator(room, room.facilitator)
        connected, _ = await ws.connect(timeout=10)
        assert connected
        hello = await receive(ws)
        assert hello["type"] == "hello" and hello["role"] == "facilitator"
        await send(ws, {"type": "sync"})
        state = await receive(ws)
        assert state["type"] == "state" and state["state"]["session"]["status"] == "open"
        command_id = str(uuid.uuid4())
        await send(ws, {"type": "command", "id": command_id, "name": "start", "args": {}})
        result = await receive(ws)
        assert result["type"] == "result" and result["id"] == command_id and not result["repeated"]
        await send(ws, {"type": "command", "id": command_id, "name": "start", "args": {}})
        again = await receive(ws)
        assert again["repeated"] and again["version"] == result["version"]
        await send(ws, {"type": "sync", "version": result["version"]})
        assert (await receive(ws))["type"] == "synced"
        await send(ws, {"type": "ping"})
        assert (await receive(ws))["type"] == "pong"
        await ws.disconnect()

    async_to_sync(scenario)()
    assert room.refresh().status == LiveSession.Status.RUNNING


def test_bad_frames_get_a_clear_french_error_and_keep_the_connection(room):
    async def scenario():
        ws = communicator(room, room.people[0])
        await ws.connect(timeout=10)
        await receive(ws)
        await ws.send_to(text_data="{not json")
        error = await receive(ws)
        assert error["code"] == "malformed" and "JSON" in error["message"]
        await ws.send_to(text_data=json.dumps({"type": "launch"}))
        assert (await receive(ws))["code"] == "malformed"
        await ws.send_to(text_data="x" * 20000)
        assert (await receive(ws))["code"] == "too_large"
        await send(ws, {"type": "command", "id": str(uuid.uuid4()), "name": "start", "args": {}})
        refused = await receive(ws)
        assert refused["code"] == "wrong_role" and refused["message"] == "Votre rôle ne le permet pas."
        await ws.send_json_to({"type": "command", "id": "x", "name": "add_rule", "args": {"text": "ok"}})
        assert (await receive(ws))["code"] in ("bad_id", "not_started")
        # Still connected and answering.
        await send(ws, {"type": "ping"})
        assert (await receive(ws))["type"] == "pong"
        await ws.disconnect()

    async_to_sync(scenario)()


def test_errors_follow_the_participants_language(room):
    async def scenario():
        ws = communicator(room, room.people[0], language=b"de-DE,de;q=0.9")
        await ws.connect(timeout=10)
        await receive(ws)
        await send(ws, {"type": "command", "id": str(uuid.uuid4()), "name": "start", "args": {}})
        assert (await receive(ws))["message"] == "Ihre Rolle erlaubt das nicht."
        await ws.disconnect()

    async_to_sync(scenario)()


def test_a_foreign_origin_is_refused(room):
    async def scenario():
        ws = communicator(room, room.facilitator, origin=(b"origin", b"https://evil.example"))
        connected, _ = await ws.connect(timeout=10)
        assert not connected

    async_to_sync(scenario)()


def test_nobody_gets_into_another_session(room, organisation, facilitator):
    from datetime import time

    from entraide.live.domain.opening import open_session

    other, _seat = open_session(organisation=organisation, protocol=room.session.protocol_version.protocol, facilitator=facilitator, participants=7, start=time(9), end=time(12))

    async def scenario():
        # A participant's cookie of one session opens nothing in the other.
        ws = communicator(room, room.people[0], session=other)
        connected, code = await ws.connect(timeout=10)
        assert not connected or code == 4403
        # Without any cookie: closed too.
        anonymous = WebsocketCommunicator(application, f"/ws/s/{room.session.join_code}/", headers=[ORIGIN])
        connected, code = await anonymous.connect()
        assert not connected

    async_to_sync(scenario)()


def test_a_change_is_signalled_to_every_participant(room):
    async def scenario():
        sockets = []
        for person in [room.facilitator, *room.people[:3]]:
            ws = communicator(room, person)
            assert (await ws.connect(timeout=10))[0]
            await receive(ws)
            sockets.append(ws)
        await send(sockets[0], {"type": "command", "id": str(uuid.uuid4()), "name": "start", "args": {}})
        first = await receive(sockets[0], skip_changed=False)
        second = await receive(sockets[0], skip_changed=False)
        result = first if first["type"] == "result" else second
        assert {first["type"], second["type"]} == {"result", "changed"}
        for message in (first, second):
            assert message["version"] == result["version"]
        for ws in sockets[1:]:
            changed = await receive(ws, skip_changed=False)
            assert changed == {"type": "changed", "version": result["version"]}
            # The signal carries no content: the state comes from a resync.
            await send(ws, {"type": "sync", "version": result["version"] - 1})
            state = await receive(ws)
            assert state["state"]["session"]["status"] == "running" and state["state"]["my_notes"] == []
        for ws in sockets:
            await ws.disconnect()

    async_to_sync(scenario)()


def test_what_people_write_is_encrypted_at_rest(room):
    from django.db import connection

    room.run(room.facilitator, "start")
    room.go_to("rules")
    room.run(room.people[0], "add_rule", text="Bienveillance et confidentialité")
    with all_tenants():
        rule = GroundRule.objects.get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM live_groundrule WHERE id = %s", [rule.pk])
        assert "Bienveillance" not in cursor.fetchone()[0]


def test_a_stranger_on_the_websocket_counts_toward_the_guessing_limit(room):
    """The websocket is a door that takes a code too: a stranger (no seat) is closed the same way
    for a live and a wrong code, and each try counts toward the network's limit (issue 10)."""
    from django.test import Client
    from django.urls import reverse

    from entraide.live.domain.opening import FAILED_PER_HOUR

    address = "198.51.100.7"

    async def stranger(code: str):
        ws = WebsocketCommunicator(application, f"/ws/s/{code}/", headers=[ORIGIN])
        ws.scope["client"] = (address, 40000)
        connected, close_code = await ws.connect(timeout=10)
        await ws.disconnect()
        return connected, close_code

    async def scenario():
        live = await stranger(room.session.join_code)
        wrong = await stranger("ZZZZZZZZ")
        assert live == wrong and live[0] is False
        for _ in range(FAILED_PER_HOUR):
            await stranger("ZZZZZZZZ")

    async_to_sync(scenario)()
    joined = Client(REMOTE_ADDR=address).post(reverse("web:live-join"), {"code": room.session.join_code, "name": "Inconnu"})
    assert joined.status_code == 400  # this network now gets "too many" even for the live code
    with all_tenants():
        assert not room.session.participants.filter(display_name="Inconnu").exists()


def test_a_domain_refusal_inside_a_command_is_an_error_frame(room, monkeypatch):
    """A DomainError raised by a domain that a command reaches (themes, follow-up...) is the
    websocket door's error frame with its stable code, like the engine's own refusals."""
    from entraide.live.domain import commands
    from entraide.themes.domain.library import ThemeError

    def refuse(*args, **kwargs):
        raise ThemeError("Ce thème n’est plus disponible.", code="theme_gone")

    monkeypatch.setattr(commands, "execute", refuse)

    async def scenario():
        ws = communicator(room, room.facilitator)
        await ws.connect(timeout=10)
        await receive(ws)
        command_id = str(uuid.uuid4())
        await send(ws, {"type": "command", "id": command_id, "name": "start", "args": {}})
        error = await receive(ws)
        assert error == {"type": "error", "id": command_id, "code": "theme_gone", "message": "Ce thème n’est plus disponible."}
        await send(ws, {"type": "ping"})
        assert (await receive(ws))["type"] == "pong"
        await ws.disconnect()

    async_to_sync(scenario)()
    assert room.refresh().status == LiveSession.Status.OPEN


def test_a_vote_step_state_and_a_ballot_follow_the_document(room):
    """At the dot vote the state's problems and vote match docs/asyncapi.yaml's Problem and
    Vote (what a client reads to vote), and a ballot sent as the document says is counted."""
    room.run(room.facilitator, "start")
    problems = room.write_problems(room.people[:3])
    amina = room.people[0]

    async def scenario():
        ws = communicator(room, amina)
        connected, _ = await ws.connect(timeout=10)
        assert connected
        await receive(ws)
        await send(ws, {"type": "sync"})
        state = (await receive(ws))["state"]
        assert state["step"]["activity"] == "vote" and state["can"]["cast_vote"]
        vote = state["vote"]
        assert sorted(vote["candidates"]) == sorted(problems.values())
        assert vote["votes_left"] == state["limits"]["votes"] == 3 and vote["totals"] is None
        first, second = vote["candidates"][:2]
        await send(ws, {"type": "command", "id": str(uuid.uuid4()), "name": "cast_vote", "args": {"ballot": {str(first): 2, str(second): 1}}})
        assert (await receive(ws))["type"] == "result"
        await send(ws, {"type": "sync", "version": state["session"]["version"]})
        after = (await receive(ws))["state"]["vote"]
        assert after["my_ballot"] == {str(first): 2, str(second): 1} and after["votes_left"] == 0 and after["voters"] == 1
        await ws.disconnect()

    async_to_sync(scenario)()

"""Exchanging contact details at the closing step (field 002, issue 12): mutual only, nothing by
default, withdrawable, invisible to third parties and to the facilitator; encrypted at rest;
through the command path, the HTTP door and the websocket (checked against docs/asyncapi.yaml)."""

import re
import uuid
from datetime import time
from html import unescape

import pytest
from django.db import connection
from django.urls import reverse

from entraide.core.tenancy import all_tenants
from entraide.live.domain.activities.contacts import CONTACT_MAX, closing_step_index
from entraide.live.domain.commands import CommandRefused
from entraide.live.domain.state import session_state
from entraide.live.models import ContactCard, ContactOffer, LiveSession
from entraide.realtime import render

from .conftest import Room, open_room

pytestmark = pytest.mark.integration

AMINA_MAIL = "amina@example.org"
BRUNO_PHONE = "+41 79 123 45 67"


def go_to_closing(room: Room) -> None:
    room.run(room.facilitator, "start")
    while room.table().step_index < closing_step_index(room.session):
        room.run(room.facilitator, "skip_step")


def contacts(room: Room, person) -> dict | None:
    room.refresh()
    return session_state(room.session, person)["parts"]["contacts"]


def refused(room: Room, person, name: str, **args) -> str:
    with pytest.raises(CommandRefused) as error:
        room.run(person, name, **args)
    return error.value.code


@pytest.fixture
def atelier(builtins, organisation, facilitator) -> Room:
    room = open_room(organisation, facilitator, "atelier-pratique", time(14), time(17))
    go_to_closing(room)
    return room


def test_the_closing_step_of_the_atelier_pratique_is_its_aperitif(atelier):
    from entraide.live.domain.steps import live_steps

    atelier.refresh()
    steps = live_steps(atelier.session.protocol_version.spec, atelier.session.agenda)
    assert steps[atelier.table().step_index].key == "aperitif"


def test_details_are_shared_only_when_both_offered(atelier):
    amina, bruno, chloe = atelier.people[:3]
    # Nothing by default: everyone sees the others, nobody's details.
    assert all(row["details"] is None and not row["offered"] for row in contacts(atelier, amina)["people"])
    atelier.run(amina, "write_contact_details", text=f"  {AMINA_MAIL} ")
    atelier.run(amina, "offer_contact", participant=bruno.pk)
    atelier.run(amina, "offer_contact", participant=bruno.pk)  # twice: one offer
    mine = contacts(atelier, amina)
    assert mine["my_details"] == AMINA_MAIL and mine["matches"] == []
    assert next(r for r in mine["people"] if r["id"] == bruno.pk)["offered"] is True
    # Bruno learns nothing of the offer until he offers too.
    his = contacts(atelier, bruno)
    assert his["matches"] == [] and all(not r["offered"] and r["details"] is None for r in his["people"])
    atelier.run(bruno, "write_contact_details", text=BRUNO_PHONE)
    atelier.run(bruno, "offer_contact", participant=amina.pk)
    assert [(m["id"], m["details"]) for m in contacts(atelier, amina)["matches"]] == [(bruno.pk, BRUNO_PHONE)]
    assert [(m["id"], m["details"]) for m in contacts(atelier, bruno)["matches"]] == [(amina.pk, AMINA_MAIL)]
    # Chloé offered to Amina, who did not choose her: Chloé sees nothing of Amina.
    atelier.run(chloe, "write_contact_details", text="chloe@example.org")
    atelier.run(chloe, "offer_contact", participant=amina.pk)
    assert contacts(atelier, chloe)["matches"] == []
    assert [m["id"] for m in contacts(atelier, amina)["matches"]] == [bruno.pk]
    with all_tenants():
        assert ContactOffer.objects.filter(session=atelier.session).count() == 3


def test_either_may_withdraw(atelier):
    amina, bruno = atelier.people[:2]
    for person, other, text in ((amina, bruno, AMINA_MAIL), (bruno, amina, BRUNO_PHONE)):
        atelier.run(person, "write_contact_details", text=text)
        atelier.run(person, "offer_contact", participant=other.pk)
    atelier.run(bruno, "withdraw_contact", participant=amina.pk)
    assert contacts(atelier, amina)["matches"] == [] and contacts(atelier, bruno)["matches"] == []
    assert refused(atelier, bruno, "withdraw_contact", participant=amina.pk) == "not_found"
    atelier.run(bruno, "offer_contact", participant=amina.pk)
    assert contacts(atelier, amina)["matches"][0]["details"] == BRUNO_PHONE
    # Erasing one's details withdraws every offer.
    atelier.run(amina, "erase_contact_details")
    assert contacts(atelier, bruno)["matches"] == []
    assert contacts(atelier, amina)["my_details"] == ""
    with all_tenants():
        assert not ContactOffer.objects.filter(offerer=amina).exists() and not ContactCard.objects.filter(participant=amina).exists()


def test_the_facilitator_and_third_parties_see_nothing(atelier):
    amina, bruno, chloe = atelier.people[:3]
    for person, other, text in ((amina, bruno, AMINA_MAIL), (bruno, amina, BRUNO_PHONE)):
        atelier.run(person, "write_contact_details", text=text)
        atelier.run(person, "offer_contact", participant=other.pk)
    atelier.refresh()
    assert contacts(atelier, atelier.facilitator) is None
    for viewer in (atelier.facilitator, chloe):
        state = repr(session_state(atelier.session, viewer))
        assert AMINA_MAIL not in state and BRUNO_PHONE not in state
    # The shared render of the contributors' phones holds nobody's details.
    shared = render.shared_state(atelier.session, "contributor")
    assert AMINA_MAIL not in repr(shared) and BRUNO_PHONE not in repr(shared)
    # Rebuilt for each phone, it is their own state again.
    for viewer in atelier.people:
        if viewer.role == "contributor":
            assert render.personal_state(shared, atelier.session, viewer)["parts"] == session_state(atelier.session, viewer)["parts"]
    # The facilitator may not take part in the exchange, nor be chosen.
    assert refused(atelier, atelier.facilitator, "write_contact_details", text="x@example.org") == "wrong_role"
    assert refused(atelier, amina, "offer_contact", participant=atelier.facilitator.pk) == "no_participant"


def test_bad_input_is_refused_and_changes_nothing(atelier, organisation, facilitator):
    amina, bruno = atelier.people[:2]
    assert refused(atelier, amina, "offer_contact", participant=bruno.pk) == "no_details"
    assert refused(atelier, amina, "write_contact_details", text="amina@example.org\nBcc: x@example.org") == "bad_text"
    assert refused(atelier, amina, "write_contact_details", text="   ") == "empty_text"
    assert refused(atelier, amina, "write_contact_details", text="x" * (CONTACT_MAX + 1)) == "too_long"
    assert refused(atelier, amina, "write_contact_details", text=42) == "bad_text"
    atelier.run(amina, "write_contact_details", text=AMINA_MAIL)
    assert refused(atelier, amina, "offer_contact", participant=amina.pk) == "no_participant"
    assert refused(atelier, amina, "offer_contact", participant="abc") == "bad_args"
    assert refused(atelier, amina, "offer_contact", participant=bruno.pk, extra=1) == "bad_args"
    other = open_room(organisation, facilitator, "atelier-pratique", time(14), time(17))
    assert refused(atelier, amina, "offer_contact", participant=other.people[0].pk) == "no_participant"
    with all_tenants():
        assert not ContactOffer.objects.exists()
        assert ContactCard.objects.get(participant=amina).details == AMINA_MAIL
    # The message is in the person's language.
    with pytest.raises(CommandRefused) as error:
        atelier.run(amina, "write_contact_details", text="a\tb")
    assert "une seule ligne" in error.value.message or "ligne" in error.value.message


def test_only_at_the_closing_step_and_until_the_end(builtins, organisation, facilitator):
    room = open_room(organisation, facilitator, "atelier-pratique", time(14), time(17))
    amina, bruno = room.people[:2]
    room.run(room.facilitator, "start")
    assert refused(room, amina, "write_contact_details", text=AMINA_MAIL) == "wrong_step"
    assert contacts(room, amina) is None
    go_to_closing_from_running(room)
    for person, other, text in ((amina, bruno, AMINA_MAIL), (bruno, amina, BRUNO_PHONE)):
        room.run(person, "write_contact_details", text=text)
        room.run(person, "offer_contact", participant=other.pk)
    room.run(room.facilitator, "end_session")
    assert refused(room, bruno, "withdraw_contact", participant=amina.pk) == "ended"
    # After the end, each keeps the exchange, read only; others get no part.
    after = contacts(room, amina)
    assert after["open"] is False and [m["details"] for m in after["matches"]] == [BRUNO_PHONE]
    assert contacts(room, room.people[2]) is None


def go_to_closing_from_running(room: Room) -> None:
    while room.table().step_index < closing_step_index(room.session):
        room.run(room.facilitator, "skip_step")


@pytest.mark.parametrize("key", ["atelier-entraide", "atelier-pratique", "analyse-des-pratiques", "echange-de-pratiques", "supervision-collective", "brouillon-atelier"])
def test_every_protocol_offers_it_at_its_closing_step(builtins, organisation, facilitator, key):
    room = open_room(organisation, facilitator, key, time(14), time(17, 30))
    go_to_closing(room)
    amina = next(p for p in room.people if p.role in ("contributor", "offerer"))
    room.run(amina, "write_contact_details", text=AMINA_MAIL)
    assert contacts(room, amina)["my_details"] == AMINA_MAIL


def test_details_are_encrypted_at_rest(atelier):
    atelier.run(atelier.people[0], "write_contact_details", text=AMINA_MAIL)
    with all_tenants():
        card = ContactCard.objects.get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT details FROM live_contactcard WHERE id = %s", [card.pk])
        assert "amina" not in cursor.fetchone()[0]


# --- Doors ------------------------------------------------------------------------------------


def _phone(client, room: Room, person):
    client.cookies[f"entraide_live_{room.session.pk}"] = room.secrets[person.pk]
    return client


def _post(client, room: Room, name: str, **fields):
    data = {"command": name, "client_id": str(uuid.uuid4()), "view": "participant", **fields}
    return client.post(reverse("web:live-command", kwargs={"code": room.session.join_code}), data)


def _page(client, room: Room) -> str:
    return unescape(client.get(reverse("web:live", kwargs={"code": room.session.join_code})).content.decode())


def test_the_http_door_without_javascript(atelier):
    from django.test import Client

    amina, bruno = atelier.people[:2]
    a, b, c = _phone(Client(), atelier, amina), _phone(Client(), atelier, bruno), _phone(Client(), atelier, atelier.people[2])
    page = _page(a, atelier)
    assert "Échanger mes coordonnées" in page and 'data-testid="contacts"' in page
    bad = _post(a, atelier, "write_contact_details", text="a\nb")
    assert bad.status_code in (302, 400)
    assert "une seule ligne" in unescape((a.get(bad["Location"]) if bad.status_code == 302 else bad).content.decode())
    assert _post(a, atelier, "write_contact_details", text=AMINA_MAIL).status_code == 302
    assert _post(a, atelier, "offer_contact", participant=str(bruno.pk)).status_code == 302
    assert _post(b, atelier, "write_contact_details", text=BRUNO_PHONE).status_code == 302
    assert AMINA_MAIL not in _page(b, atelier)
    assert _post(b, atelier, "offer_contact", participant=str(amina.pk)).status_code == 302
    assert BRUNO_PHONE in _page(a, atelier) and AMINA_MAIL in _page(b, atelier)
    third = _page(c, atelier)
    assert AMINA_MAIL not in third and BRUNO_PHONE not in third
    console = unescape(Client().get(reverse("web:live-console", kwargs={"code": atelier.session.join_code}), HTTP_COOKIE=f"entraide_live_{atelier.session.pk}={atelier.secrets[atelier.facilitator.pk]}").content.decode())
    assert AMINA_MAIL not in console and BRUNO_PHONE not in console
    projector = unescape(Client().get(reverse("web:live-projector", kwargs={"code": atelier.session.join_code}), HTTP_COOKIE=f"entraide_live_{atelier.session.pk}={atelier.secrets[atelier.facilitator.pk]}").content.decode())
    assert AMINA_MAIL not in projector and BRUNO_PHONE not in projector
    assert re.search(r'name="command" value="withdraw_contact"', _page(a, atelier))


@pytest.mark.django_db(transaction=True)
def test_the_websocket_door_checked_against_the_asyncapi_document(builtins, organisation, facilitator):
    from asgiref.sync import async_to_sync

    from .test_websocket import communicator, receive, send

    room = open_room(organisation, facilitator, "atelier-pratique", time(14), time(17))
    go_to_closing(room)
    amina, bruno = room.people[:2]
    room.run(bruno, "write_contact_details", text=BRUNO_PHONE)
    room.run(bruno, "offer_contact", participant=amina.pk)

    async def scenario():
        ws = communicator(room, amina)
        connected, _ = await ws.connect(timeout=10)
        assert connected
        assert (await receive(ws))["type"] == "hello"
        for name, args in (
            ("write_contact_details", {"text": "a\nb"}),
            ("write_contact_details", {"text": AMINA_MAIL}),
            ("offer_contact", {"participant": bruno.pk}),
        ):
            await send(ws, {"type": "command", "id": str(uuid.uuid4()), "name": name, "args": args})
            replies.append(await receive(ws))
        await send(ws, {"type": "sync"})
        replies.append(await receive(ws))
        await ws.disconnect()

    replies: list[dict] = []
    async_to_sync(scenario)()
    assert replies[0]["type"] == "error" and replies[0]["code"] == "bad_text"
    assert [r["type"] for r in replies[1:3]] == ["result", "result"]
    state = replies[3]["state"]
    assert state["parts"]["contacts"]["matches"] == [{"id": bruno.pk, "name": bruno.display_name, "offered": True, "details": BRUNO_PHONE}]


@pytest.mark.django_db
def test_the_closing_step_says_there_is_something_to_do_on_the_phone(atelier):
    """The phone offers the exchange at the closing step instead of saying that there is
    nothing to send (the two used to show together); the facilitator is offered none."""
    a = atelier.people[0]
    state = session_state(atelier.refresh(), a)
    assert "write_contact_details" in state["step"]["offers"]
    assert state["step"]["nothing_to_do"] is False
    console = session_state(atelier.refresh(), atelier.facilitator)
    assert "write_contact_details" not in console["step"]["offers"]

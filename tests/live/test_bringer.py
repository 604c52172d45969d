"""Who brings the situation, as each protocol says; share rounds without the facilitator's
first turn; a vote with nothing to vote on never blocks; the offerer queues for the floor
where the protocol makes them an actor of the exchange."""

from datetime import time

import pytest

from entraide.core.tenancy import all_tenants
from entraide.live.domain.commands import CommandRefused
from entraide.live.domain.state import session_state
from entraide.live.models import LiveRole, Problem

from .conftest import open_room

pytestmark = pytest.mark.integration


def room_at(organisation, facilitator, key, activity):
    room = open_room(organisation, facilitator, key, time(9), time(12))
    room.run(room.facilitator, "start")
    room.go_to(activity)
    return room


def refused(room, who, name, **args) -> CommandRefused:
    with pytest.raises(CommandRefused) as caught:
        room.run(who, name, **args)
    return caught.value


def test_volunteers_propose_and_the_facilitator_picks_the_bringer(builtins, organisation, facilitator, settings):
    settings.LANGUAGE_CODE = "en"
    room = room_at(organisation, facilitator, "analyse-des-pratiques", "situations")
    amina, bruno = room.people[:2]
    step = session_state(room.session, room.facilitator)["step"]["key"]
    # Nobody proposed: "Next step" says plainly what to do, and nothing moves.
    assert "Nobody has proposed a situation yet" in refused(room, room.facilitator, "next_step", step=step).message
    assert "at most 200" in refused(room, amina, "write_problem", text="x" * 201).message
    room.run(amina, "write_problem", text="Un groupe qui ne vient plus")
    room.run(bruno, "write_problem", text="Un partenaire qui se retire")
    assert refused(room, amina, "choose_situation", problem=1).code == "wrong_role"
    assert refused(room, room.facilitator, "name_bringer", participant=amina.pk).code == "wrong_step"
    with all_tenants():
        amina_problem = Problem.objects.get(author=amina)
    assert refused(room, room.facilitator, "choose_situation", problem=amina_problem.pk + 1000).code == "not_found"
    room.run(room.facilitator, "choose_situation", problem=amina_problem.pk)
    room.refresh()
    table = room.table()
    assert table.offerer_id == amina.pk and table.chosen_problem_id == amina_problem.pk and amina.role == LiveRole.OFFERER
    assert refused(room, amina, "withdraw_situation").code == "chosen"
    # Choosing again moves the role; the previous one is a contributor again.
    with all_tenants():
        bruno_problem = Problem.objects.get(author=bruno)
    room.run(room.facilitator, "choose_situation", problem=bruno_problem.pk)
    room.refresh()
    assert (amina.role, bruno.role) == (LiveRole.CONTRIBUTOR, LiveRole.OFFERER)
    room.run(amina, "withdraw_situation")
    room.run(room.facilitator, "next_step", step=step)
    state = session_state(room.refresh(), bruno)
    assert state["case"]["offerer"]["id"] == bruno.pk and state["step"]["activity"] == "expose"
    assert state["me"]["role_name"] == "Professional presenting a situation"


def test_the_facilitator_names_who_raised_the_problem(builtins, organisation, facilitator, settings):
    settings.LANGUAGE_CODE = "en"
    room = room_at(organisation, facilitator, "supervision-collective", "situations")
    chloe = room.people[2]
    step = session_state(room.session, room.facilitator)["step"]["key"]
    assert "Choose the person who brings the situation" in refused(room, room.facilitator, "next_step", step=step).message
    assert refused(room, room.facilitator, "name_bringer", participant=room.facilitator.pk).code == "offerer"
    room.run(room.facilitator, "name_bringer", participant=chloe.pk)
    room.run(room.facilitator, "next_step", step=step)
    room.refresh()
    assert room.table().offerer_id == chloe.pk and chloe.role == LiveRole.OFFERER


def test_a_share_round_never_gives_the_facilitator_the_first_turn(builtins, organisation, facilitator):
    for key, facilitator_last in (("analyse-des-pratiques", False), ("brouillon-atelier", False), ("supervision-collective", True)):
        room = room_at(organisation, facilitator, key, "share_round")
        order = [p["id"] for p in session_state(room.session, room.facilitator)["turn"]["order"]]
        assert order[0] != room.facilitator.pk
        assert (order[-1] == room.facilitator.pk) is facilitator_last, key
        if not facilitator_last:
            assert refused(room, room.facilitator, "next_turn", participant=room.facilitator.pk).code == "not_in_turn"


def test_a_vote_with_nothing_to_vote_on_does_not_block(builtins, organisation, facilitator, settings):
    settings.LANGUAGE_CODE = "en"
    room = room_at(organisation, facilitator, "atelier-entraide", "vote")
    state = session_state(room.session, room.people[0])
    assert state["vote"]["candidates"] == [] and state["step"]["nothing_to_do"]
    room.run(room.facilitator, "next_step", step=state["step"]["key"])
    assert session_state(room.refresh(), room.facilitator)["step"]["activity"] == "consent"


def test_the_offerer_queues_only_where_the_protocol_makes_them_an_actor(builtins, organisation, facilitator):
    room = room_at(organisation, facilitator, "echange-de-pratiques", "pitch")
    amina = room.people[0]
    room.run(amina, "write_problem", text="Une situation")
    with all_tenants():
        problem = Problem.objects.get(author=amina)
    room.run(room.facilitator, "choose_situation", problem=problem.pk)
    room.go_to("exchange")
    room.run(amina, "raise_hand")
    assert session_state(room.session, amina)["queue"]["hand_raised"]

    atelier = room_at(organisation, facilitator, "atelier-entraide", "exchange")
    offerer = atelier.people[0]
    with all_tenants():
        offerer.role = LiveRole.OFFERER
        offerer.save(update_fields=["role"])
    assert refused(atelier, offerer, "raise_hand").code == "wrong_role"

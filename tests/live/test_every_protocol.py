"""Every step of every built-in protocol, walked through the command path: at each step, each
role present either has something to do on its page (a control for a command it may send) or
reads plainly that there is nothing to do; and doing what each step asks, the facilitator goes
from the first step to the last with "Next step" (never "Skip")."""

import re
from datetime import time
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from entraide.core.tenancy import all_tenants
from entraide.live.domain.state import session_state
from entraide.live.domain.steps import live_steps
from entraide.live.models import LiveRole, LiveSession, Problem, Question
from entraide.protocols.domain.library import builtin_sources
from entraide.protocols.domain.spec import parse_spec

from .conftest import Room, open_room

pytestmark = pytest.mark.integration

PROTOCOLS = [parse_spec(source.text, source.filename).key for source in builtin_sources()]
NOTHING_TO_DO = 'data-testid="nothing-to-do"'


def forms(html: str) -> set[str]:
    """The commands the page has a control for."""
    return set(re.findall(r'name="command" value="([a-z_]+)"', html))


def page(client: Client, room: Room, view: str) -> str:
    name = "web:live-console" if view == "console" else "web:live"
    response = client.get(reverse(name, kwargs={"code": room.session.join_code}))
    assert response.status_code == 200
    return unescape(response.content.decode())


def clients(room: Room, facilitator_account) -> dict[int, Client]:
    seats = {}
    for person in [room.facilitator, *room.people]:
        client = Client()
        if person.pk == room.facilitator.pk:
            client.force_login(facilitator_account)
        response = client.get(reverse("web:live-rejoin", kwargs={"code": room.session.join_code, "secret": room.secrets[person.pk]}))
        assert response.status_code == 302
        seats[person.pk] = client
    return seats


def do_what_the_step_asks(room: Room, activity: str) -> None:
    """What the people of the room do at a step of this activity, through the command path."""
    session = room.refresh()
    bringer = session.protocol_version.spec.bringer
    people = [p for p in room.people if p.role != LiveRole.FACILITATOR]
    offerer = next((p for p in people if p.role == LiveRole.OFFERER), None)
    contributors = [p for p in people if p.role == LiveRole.CONTRIBUTOR]
    if activity == "rules":
        room.run(contributors[0], "add_rule", text="Confidentialité")
    elif activity in ("problem_write", "situations") or activity == "pitch" and bringer != "vote":
        for person in contributors[:3]:
            room.run(person, "write_problem", text=f"Situation de {person.display_name}")
        if activity == "pitch":
            with all_tenants():
                authors = list(Problem.objects.filter(session=session).values_list("author_id", flat=True))
            for author in authors:
                room.run(room.facilitator, "next_turn", participant=author)
        if bringer in ("volunteers", "raised") and activity in ("situations", "pitch"):
            with all_tenants():
                first = Problem.objects.filter(session=session).order_by("pk").first()
            if bringer == "raised":
                room.run(room.facilitator, "name_bringer", participant=first.author_id)
            else:
                room.run(room.facilitator, "choose_situation", problem=first.pk)
    elif activity == "pitch":
        with all_tenants():
            authors = list(Problem.objects.filter(session=session).values_list("author_id", flat=True))
        for author in authors:
            room.run(room.facilitator, "next_turn", participant=author)
    elif activity == "vote":
        with all_tenants():
            first = Problem.objects.filter(session=session).order_by("pk").first()
        for person in contributors:
            room.run(person, "cast_vote", ballot={str(first.pk): 2})
        room.run(room.facilitator, "reveal_votes")
    elif activity == "consent":
        with all_tenants():
            table = room.table()
            author = next(p for p in people if p.pk == table.chosen_problem.author_id)
        room.run(author, "consent_case", agrees=True, problem=table.chosen_problem_id)
    elif activity == "clarify":
        room.run(contributors[0], "ask_question", text="Depuis quand ?")
        with all_tenants():
            question = Question.objects.filter(session=session).last()
        room.run(offerer, "answer_question", question=question.pk, text="Depuis septembre.")
    elif activity == "reformulate":
        room.run(offerer, "write_request", text="trouver une façon de dire non")
    elif activity == "exchange":
        room.run(contributors[0], "raise_hand")
        room.run(room.facilitator, "give_floor", participant=contributors[0].pk)
        room.run(contributors[0], "end_floor", participant=contributors[0].pk)
    elif activity == "harvest" and offerer is not None:
        room.run(offerer, "add_idea", text="Dire non avec bienveillance")
    elif activity == "action_plan" and offerer is not None:
        room.run(offerer, "add_action", text="En parler à mon équipe")
    elif activity == "share_round":
        state = session_state(session, room.facilitator)
        for person in state["turn"]["order"]:
            room.run(room.facilitator, "next_turn", participant=person["id"])
    elif activity == "documentation":
        for person in [room.facilitator, *room.people]:
            room.run(person, "give_consent", agrees=True)


def check_every_role(room: Room, seats: dict[int, Client], step) -> None:
    """Each role present: a control for a command it is offered, or the "nothing to do" sentence."""
    session = room.refresh()
    seen: set[str] = set()
    for person in [room.facilitator, *room.people]:
        if person.role in seen:
            continue
        seen.add(person.role)
        state = session_state(session, person)
        assert state["step"]["key"] == step.key
        if person.role == LiveRole.FACILITATOR:
            html = page(seats[person.pk], room, "console")
            assert {"next_step", "end_session"} & forms(html), step.key
            for item in state["step"]["role_instructions"]:
                assert item["name"] == session.protocol_version.spec.roles[item["role"]].name.get()
            continue
        html = page(seats[person.pk], room, "participant")
        offered = state["step"]["offers"]
        if offered:
            assert set(offered) & forms(html), (step.key, person.role, offered)
            assert NOTHING_TO_DO not in html
        else:
            assert NOTHING_TO_DO in html, (step.key, person.role)
        assert state["me"]["role_name"] == session.protocol_version.spec.roles[person.role].name.get()


@pytest.mark.parametrize("key", PROTOCOLS)
def test_every_step_offers_each_role_something_and_next_step_goes_to_the_end(key, builtins, organisation, facilitator, settings):
    settings.LANGUAGE_CODE = "en"
    room = open_room(organisation, facilitator, key, time(9), time(12, 30))
    seats = clients(room, facilitator)
    room.run(room.facilitator, "start")
    steps = live_steps(room.session.protocol_version.spec, room.session.agenda)
    visited = []
    while True:
        session = room.refresh()
        step = steps[room.table().step_index]
        visited.append(step.key)
        check_every_role(room, seats, step)
        do_what_the_step_asks(room, step.activity)
        check_every_role(room, seats, step)
        if step.index == len(steps) - 1:
            room.run(room.facilitator, "end_session")
            break
        room.run(room.facilitator, "next_step", step=step.key)
    assert visited == [s.key for s in steps]
    session = room.refresh()
    assert session.status == LiveSession.Status.ENDED and room.table().skipped_steps == []
    if session.protocol_version.spec.bringer != "none":
        assert room.table().offerer_id is not None

"""The atelier pratique live (field document 002, issue 12 item 2): an event's three registered
presenters come in with their questions, pose them in plenary in timed turns, nine participants
mark the cases they prefer, one table of 3 to 5 forms around each presenter (automatically),
three timed rounds run at every table (questions, experiences by turns of speech, what the
presenter takes away), each table posts its results and the plenary harvests them all."""

import uuid

import pytest

from entraide.core.models import Role
from entraide.core.tenancy import all_tenants
from entraide.events.domain.events import EventData, save_event
from entraide.events.domain.registrations import register
from entraide.events.models import Event, EventRoleKind
from entraide.live.domain import commands
from entraide.live.domain.commands import CommandRefused, table_of
from entraide.live.domain.event_session import open_event_session
from entraide.live.domain.opening import join
from entraide.live.domain.state import session_state
from entraide.live.domain.steps import live_steps
from entraide.live.models import ROOM_NUMBER, LiveRole, LiveSession, LiveTable, Participant, Problem

from ..conftest import _account

pytestmark = pytest.mark.integration

QUESTIONS = {
    "Marc": "Comment garder des bénévoles motivé·es quand le groupe s'essouffle ?",
    "Nadia": "Comment accueillir une personne en deuil dans notre groupe de voisinage ?",
    "Olga": "Wie finden wir neue Freiwillige im Dorf?",
}
OTHERS = ["Amina", "Bruno", "Chloé", "Dario", "Emma", "Farid", "Gina", "Hugo", "Inès"]


def _event(organisation, coordinator, animator):
    from datetime import time, timedelta

    from django.utils import timezone

    data = EventData(
        title="Atelier pratique de Suhr", date=timezone.localdate() + timedelta(days=3), start=time(13, 30), end=time(17, 30),
        place="Suhr", region="Argovie", languages=("fr", "de"), status=Event.Status.PUBLISHED, description="",
        facilitators=(animator.pk,),
    )
    event = save_event(organisation, coordinator, data, {EventRoleKind.HOST: 1, EventRoleKind.PRESENTER: 3, EventRoleKind.PARTICIPANT: 12})
    for name, question in QUESTIONS.items():
        register(event, EventRoleKind.PRESENTER, name, f"{name.lower()}@example.org", language="de" if name == "Olga" else "fr", question=question, notify=False)
    return event


class Room:
    def __init__(self, session, facilitator):
        self.session, self.facilitator = session, facilitator

    def run(self, who, name, **args):
        return commands.execute(self.session.pk, who.pk, str(uuid.uuid4()), name, args)

    def people(self):
        with all_tenants():
            return {p.display_name: p for p in Participant.objects.filter(session=self.session)}

    def tables(self):
        with all_tenants():
            return list(LiveTable.objects.filter(session=self.session, number__gt=ROOM_NUMBER).order_by("number"))

    def room(self):
        with all_tenants():
            self.session = LiveSession.objects.select_related("protocol_version").get(pk=self.session.pk)
        return table_of(self.session)

    def step(self, table=None):
        steps = live_steps(self.session.protocol_version.spec, self.session.agenda)
        table = table or self.room()
        table.refresh_from_db()
        return steps[table.step_index]


@pytest.fixture
def room(builtins, organisation, coordinator):
    animator = _account(organisation, "animation@example.org", Role.MEMBER)
    event = _event(organisation, coordinator, animator)
    session, seat, seated = open_event_session(event, animator)
    assert [s.seat.participant.display_name for s in seated] == list(QUESTIONS)
    for name in OTHERS:
        join(session, name)
    return Room(session, seat.participant)


def _to(room, key):
    while room.step().key != key:
        room.run(room.facilitator, "skip_step")


def test_an_atelier_pratique_from_the_questions_to_the_harvest(room):
    people = room.people()
    presenters = [people[name] for name in QUESTIONS]
    assert all(p.role == LiveRole.OFFERER for p in presenters) and people["Olga"].languages == "de"
    room.run(room.facilitator, "start")
    _to(room, "questions")
    # In plenary, each presenter poses their question in a timed turn.
    state = session_state(room.session, room.facilitator)
    assert [p["name"] for p in state["turn"]["order"]] == list(QUESTIONS) if "order" in (state.get("turn") or {}) else True
    for presenter in presenters:
        room.run(room.facilitator, "next_turn", participant=presenter.pk)
        assert room.room().turn_participant_id == presenter.pk
    with all_tenants():
        assert Problem.objects.filter(session=room.session, pitched_at__isnull=False).count() == 3
        cases = {p.author.display_name: p for p in Problem.objects.filter(session=room.session).select_related("author")}
    # Participants mark the cases they prefer on their phones (at most three).
    wishes = {"Amina": "Marc", "Bruno": "Marc", "Chloé": "Nadia", "Dario": "Nadia", "Emma": "Olga", "Farid": "Olga", "Gina": "Marc", "Hugo": "Nadia", "Inès": "Olga"}
    for name, wanted in wishes.items():
        room.run(people[name], "prefer_case", problem=cases[wanted].pk)
    with pytest.raises(CommandRefused):
        room.run(people["Amina"], "prefer_case", problem=999999)
    _to(room, "tables")
    # One table around each presenter, automatically: 3 tables of 4, the presenter as offerer.
    room.run(room.facilitator, "form_tables", assign="auto", seed=7)
    tables = room.tables()
    assert len(tables) == 3
    people = room.people()
    seated = {}
    for table in tables:
        members = [p for p in people.values() if p.table_id == table.pk]
        assert 3 <= len(members) <= 5
        offerer = next(p for p in people.values() if p.pk == table.offerer_id)
        assert offerer.display_name in QUESTIONS and offerer.role == LiveRole.OFFERER and offerer.table_id == table.pk
        assert table.chosen_problem_id == cases[offerer.display_name].pk
        seated[offerer.display_name] = {p.display_name for p in members}
    placed = sum(1 for name, wanted in wishes.items() if name in seated[wanted])
    assert placed >= 8  # preferences honoured wherever sizes allow
    assert sum(len(v) for v in seated.values()) == 12  # nobody at two tables, everybody seated
    # Three rounds at every table, on their own clocks.
    room.run(room.facilitator, "next_step")
    assert [room.step(t).key for t in room.tables()] == ["round-1"] * 3
    first, second, third = room.tables()
    contributor = next(p for p in room.people().values() if p.table_id == first.pk and p.role == LiveRole.CONTRIBUTOR)
    room.run(contributor, "ask_question", text="Depuis quand le groupe s'essouffle-t-il ?")
    room.run(room.facilitator, "visit_table", table=first.pk)
    room.run(room.facilitator, "next_step")  # the visited table goes on: round 2
    assert [room.step(t).key for t in room.tables()] == ["round-2", "round-1", "round-1"]
    # Round 2: each member speaks in turn (hands raised, the floor given).
    room.run(contributor, "raise_hand")
    room.run(room.facilitator, "give_floor", participant=contributor.pk)
    room.run(contributor, "end_floor", participant=contributor.pk)
    room.run(room.facilitator, "next_step")
    assert room.step(room.tables()[0]).key == "round-3"
    # Round 3: the presenter posts what the table brings back.
    marc = room.people()["Marc"] if room.tables()[0].offerer_id == room.people()["Marc"].pk else next(
        p for p in room.people().values() if p.pk == room.tables()[0].offerer_id
    )
    room.run(marc, "add_idea", text="Un café des bénévoles chaque mois")
    room.run(room.facilitator, "visit_table")
    # The recall brings everybody back to the plenary, where every table's results are harvested.
    room.run(room.facilitator, "recall")
    assert room.step().key in ("break", "plenary-harvest")
    _to(room, "plenary-harvest")
    state = session_state(room.session, room.people()["Amina"])
    results = [t["results"] for t in state["tables"]["list"]]
    assert results[0]["ideas"] == ["Un café des bénévoles chaque mois"]
    assert {r["case"] for r in results} == set(QUESTIONS.values())

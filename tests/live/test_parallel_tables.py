"""Parallel tables (issue 12): codevelopment in sub-groups. Fifteen people: the welcome and
the rules in plenary, three tables of five that each choose their own problem by their own
vote and run their own steps and clocks, a help call, a message to every table, the recall
to the plenary; nobody at two tables, moves keep each table's content, a table's command
never touches another table."""

import sys
import types
import uuid
from datetime import time

import pytest

from entraide.core.tenancy import all_tenants
from entraide.live.domain import commands
from entraide.live.domain.commands import CommandRefused, table_of
from entraide.live.domain.opening import join, open_session
from entraide.live.domain.state import session_state
from entraide.live.domain.steps import live_steps
from entraide.live.models import LiveSession, LiveTable, Participant, Problem, Vote
from entraide.protocols.models import Protocol

pytestmark = pytest.mark.integration

NAMES = [f"P{n:02d}" for n in range(1, 16)]


class Group:
    def __init__(self, session, facilitator, people):
        self.session, self.facilitator, self.people = session, facilitator, people

    def run(self, who, name, **args):
        return commands.execute(self.session.pk, who.pk, str(uuid.uuid4()), name, args)

    def refresh(self):
        with all_tenants():
            self.session = LiveSession.objects.select_related("protocol_version").get(pk=self.session.pk)
            for person in [self.facilitator, *self.people]:
                person.refresh_from_db()
        return self.session

    def tables(self):
        with all_tenants():
            return list(LiveTable.objects.filter(session=self.session, number__gt=1).order_by("number"))

    def steps(self):
        return live_steps(self.session.protocol_version.spec, self.session.agenda)

    def activity_of(self, table):
        table.refresh_from_db()
        return self.steps()[table.step_index].activity


@pytest.fixture
def group(builtins, organisation, facilitator) -> Group:
    with all_tenants():
        protocol = Protocol.objects.get(organisation=None, key="atelier-entraide")
    session, seat = open_session(organisation=organisation, protocol=protocol, facilitator=facilitator, participants=12, start=time(14), end=time(17))
    with all_tenants():
        LiveSession.objects.filter(pk=session.pk).update(seat_margin=6)  # the facilitator's "+5 places"
    session.seat_margin = 6
    people = [join(session, name).participant for name in NAMES]
    return Group(session, seat.participant, people)


def _seat_by_hand(group: Group) -> list[LiveTable]:
    group.run(group.facilitator, "form_tables", count=3, assign="hand")
    tables = group.tables()
    for index, person in enumerate(group.people):
        group.run(group.facilitator, "move_participant", participant=person.pk, table=tables[index // 5].pk)
    for table, first in zip(tables, group.people[::5]):
        group.run(group.facilitator, "set_host", table=table.pk, participant=first.pk)
    return group.tables()


def _to_rules(group: Group) -> None:
    group.run(group.facilitator, "start")
    while group.steps()[table_of(group.refresh()).step_index].activity != "rules":
        group.run(group.facilitator, "skip_step")


def test_three_tables_of_five_each_choose_their_own_problem(group):
    tables = _seat_by_hand(group)
    _to_rules(group)
    # In plenary everybody is at the room, whatever their table.
    assert {table_of(group.refresh(), p).number for p in group.people} == {1}
    group.run(group.people[3], "add_rule", text="Bienveillance")
    group.run(group.facilitator, "next_step")  # the tables' steps begin
    assert {table.step_index for table in group.tables()} == {table_of(group.refresh()).step_index}
    hosts = [t.host for t in tables]
    for t_index, table in enumerate(group.tables()):
        members = group.people[t_index * 5:(t_index + 1) * 5]
        assert {table_of(group.refresh(), p).pk for p in members} == {table.pk}
        assert group.activity_of(table) == "problem_write"
        for person in members[1:]:
            group.run(person, "write_problem", text=f"Problème {person.display_name}")
    # Each table's problems are its own.
    for t_index, table in enumerate(group.tables()):
        with all_tenants():
            authors = set(Problem.objects.filter(table=table).values_list("author_id", flat=True))
        assert authors == {p.pk for p in group.people[t_index * 5 + 1:(t_index + 1) * 5]}
        state = session_state(group.refresh(), group.people[t_index * 5 + 1])
        assert {p["author"] for p in state["problems"]} == {p.display_name for p in group.people[t_index * 5 + 1:(t_index + 1) * 5]}
    # Table 1 goes on to its vote while the others keep writing: independent steps.
    first = group.tables()[0]
    group.run(hosts[0], "next_step")  # pitches
    group.run(hosts[0], "next_step")  # vote
    assert group.activity_of(first) == "vote"
    assert [group.activity_of(t) for t in group.tables()[1:]] == ["problem_write", "problem_write"]
    with all_tenants():
        problems = list(Problem.objects.filter(table=first))
    for person in group.people[1:5]:
        group.run(person, "cast_vote", ballot={str(problems[0].pk): 2, str(problems[1].pk): 1})
    before = {t.pk: t.version for t in group.tables()[1:]}
    group.run(hosts[0], "reveal_votes")
    assert {t.pk: t.version for t in group.tables()[1:]} == before  # the other tables untouched
    first.refresh_from_db()
    assert first.chosen_problem_id == problems[0].pk
    # A vote at table 1 cannot name table 2's problem.
    with all_tenants():
        foreign = Problem.objects.filter(table=group.tables()[1]).first()
    with pytest.raises(CommandRefused):
        group.run(group.people[2], "cast_vote", ballot={str(foreign.pk): 1})
    with all_tenants():
        assert not Vote.objects.filter(problem=foreign).exists()
    # A host cannot run what belongs to the facilitator of the whole session.
    with pytest.raises(CommandRefused) as refused:
        group.run(hosts[1], "recall")
    assert refused.value.code == "wrong_role"
    # A table's last step leads to the plenary only by the facilitator's recall.
    with pytest.raises(CommandRefused) as refused:
        group.run(group.facilitator, "next_step")
    assert refused.value.code == "tables_at_work"


def test_help_call_broadcast_visit_and_recall(group):
    tables = _seat_by_hand(group)
    _to_rules(group)
    with pytest.raises(CommandRefused) as refused:
        group.run(group.people[7], "call_help")
    assert refused.value.code == "in_plenary"
    group.run(group.facilitator, "next_step")
    group.run(group.people[7], "call_help")
    panel = session_state(group.refresh(), group.facilitator)["tables"]
    assert [t["help_called"] for t in panel["list"]] == [False, True, False] and panel["calls"] == 1
    group.run(group.facilitator, "broadcast", text="Encore 5 minutes")
    assert all(session_state(group.refresh(), p)["broadcast"]["text"] == "Encore 5 minutes" for p in group.people[::4])
    with pytest.raises(CommandRefused):
        group.run(group.facilitator, "broadcast", text="x" * 201)
    # Joining the table answers its call; the facilitator then acts on that table.
    group.run(group.facilitator, "visit_table", table=tables[1].pk)
    state = session_state(group.refresh(), group.facilitator)
    assert state["table"]["number"] == tables[1].number and not state["table"]["help_called"]
    group.run(group.facilitator, "skip_step")
    assert group.activity_of(group.tables()[1]) == "pitch"
    assert group.activity_of(group.tables()[0]) == "problem_write"
    group.run(group.facilitator, "recall")
    room = table_of(group.refresh())
    assert group.steps()[room.step_index].step.scope == "plenary"
    assert {table_of(group.refresh(), p).number for p in group.people} == {1}
    assert session_state(group.refresh(), group.facilitator)["table"]["room"] is True
    with pytest.raises(CommandRefused) as refused:
        group.run(group.facilitator, "recall")
    assert refused.value.code == "not_out"


def test_moving_a_person_keeps_each_tables_content_and_nobody_sits_at_two(group):
    tables = _seat_by_hand(group)
    _to_rules(group)
    group.run(group.facilitator, "next_step")
    mover = group.people[6]
    group.run(mover, "write_problem", text="Mon problème")
    group.run(group.facilitator, "move_participant", participant=mover.pk, table=tables[2].pk)
    with all_tenants():
        problem = Problem.objects.get(author=mover)
        seats = Participant.objects.filter(pk=mover.pk).values_list("table_id", flat=True)
    assert problem.table_id == tables[1].pk and list(seats) == [tables[2].pk]
    assert table_of(group.refresh(), mover).pk == tables[2].pk
    # At the new table they write anew: their first problem stays with the first table.
    group.run(mover, "write_problem", text="Nouveau")
    with all_tenants():
        assert sorted(Problem.objects.filter(author=mover).values_list("table__number", flat=True)) == [3, 4]
        every_seat = list(Participant.objects.filter(session=group.session).values_list("table_id", flat=True))
    assert len(every_seat) == 16  # one table each, facilitator included (at the room)
    # A table's case bringer stays with it.
    with all_tenants():
        LiveTable.objects.filter(pk=tables[0].pk).update(offerer=group.people[2])
    with pytest.raises(CommandRefused) as refused:
        group.run(group.facilitator, "move_participant", participant=group.people[2].pk, table=tables[1].pk)
    assert refused.value.code == "offerer"


def test_forming_refusals_change_nothing(group):
    with pytest.raises(CommandRefused):
        group.run(group.facilitator, "form_tables")
    with pytest.raises(CommandRefused):
        group.run(group.facilitator, "form_tables", count=0)
    with pytest.raises(CommandRefused) as refused:
        group.run(group.facilitator, "form_tables", count=20, assign="auto")
    assert refused.value.code == "too_few"
    with pytest.raises(CommandRefused):
        group.run(group.people[0], "form_tables", count=3)
    assert group.tables() == []


def test_automatic_forming_calls_the_grouping_package(group, monkeypatch):
    """Without entraide.grouping the facilitator is told so; with it, its tables are used as
    they come (form_tables(people, cases, min_size=, max_size=, seed=))."""
    monkeypatch.setitem(sys.modules, "entraide.grouping", None)
    with pytest.raises(CommandRefused) as refused:
        group.run(group.facilitator, "form_tables", count=3, assign="auto")
    assert refused.value.code == "no_grouping" and group.tables() == []

    calls = []
    fake = types.ModuleType("entraide.grouping")

    class Person:
        def __init__(self, key, preferences=(), languages=frozenset(), community="", avoid=frozenset()):
            self.key, self.preferences, self.languages = key, preferences, languages

    class Case:
        def __init__(self, key, presenter, language=""):
            self.key, self.presenter, self.language = key, presenter, language

    class GroupingImpossible(ValueError):
        pass

    def form_tables(people, cases, *, min_size, max_size, seed=0, time_limit_s=2.0):
        calls.append((len(people), len(cases), min_size, max_size, seed))
        keys = [p.key for p in people]
        return types.SimpleNamespace(tables=[keys[i::len(cases)] for i in range(len(cases))], cases=[c.key for c in cases], score={})

    fake.Person, fake.Case, fake.GroupingImpossible, fake.form_tables = Person, Case, GroupingImpossible, form_tables
    monkeypatch.setitem(sys.modules, "entraide.grouping", fake)
    group.run(group.facilitator, "form_tables", per_table=5, assign="auto", seed=7)
    assert calls == [(15, 3, 4, 7, 7)]  # the protocol's table sizes (tables: {min: 4, max: 7})
    with all_tenants():
        sizes = [Participant.objects.filter(table=t).count() for t in group.tables()]
    assert sizes == [5, 5, 5]

    def impossible(*args, **kwargs):
        raise GroupingImpossible("7 personnes ne peuvent pas former 3 tables d'au moins 3.")

    fake.form_tables = impossible
    with pytest.raises(CommandRefused) as refused:
        group.run(group.facilitator, "form_tables", count=3, assign="auto")
    assert "7 personnes" in refused.value.message
    with all_tenants():
        assert [Participant.objects.filter(table=t).count() for t in group.tables()] == [5, 5, 5]


def test_one_table_runs_the_atelier_as_always(group):
    """Without formed tables the steps per table run at the room, for everybody."""
    _to_rules(group)
    group.run(group.facilitator, "next_step")
    assert {table_of(group.refresh(), p).number for p in group.people} == {1}
    group.run(group.people[0], "write_problem", text="Un problème")
    assert len(session_state(group.refresh(), group.people[5])["problems"]) == 1


def test_pages_show_the_tables_without_javascript(builtins, organisation, facilitator, client):
    """The console's panel (forming, "Déplacer vers…", help call, recall), a phone's table card
    with the host's controls, and the projector's status of every table, through plain forms."""
    from html import unescape

    from django.test import Client
    from django.urls import reverse

    from entraide.live.domain.opening import format_code

    client.force_login(facilitator)
    client.post(reverse("web:live-open", kwargs={"key": "atelier-entraide"}),
                {"organisation": organisation.pk, "participants": 7, "start": "14:00", "end": "16:30"})
    with all_tenants():
        session = LiveSession.objects.get()
    phones = []
    for name in ("Amina", "Bruno", "Chloé", "Driss"):
        phone = Client()
        phone.post(reverse("web:live-join"), {"code": format_code(session.join_code), "name": name})
        phones.append(phone)
    code = session.join_code
    console = reverse("web:live-console", kwargs={"code": code})
    act = reverse("web:live-command", kwargs={"code": code})

    def post(who, name, view="participant", **fields):
        return who.post(act, {"command": name, "client_id": str(uuid.uuid4()), "view": view, **fields})

    html = unescape(client.get(console).content.decode())
    assert "Former les tables" in html and 'name="per_table"' in html
    post(client, "form_tables", view="console", count="2", assign="hand")
    with all_tenants():
        tables = list(LiveTable.objects.filter(session=session, number__gt=1).order_by("number"))
        people = list(Participant.objects.filter(session=session).exclude(role="facilitator").order_by("pk"))
    html = unescape(client.get(console).content.decode())
    assert "Déplacer vers…" in html and "Pas encore placé·es" in html
    for person, table in zip(people, [tables[0], tables[0], tables[1], tables[1]]):
        post(client, "move_participant", view="console", participant=str(person.pk), table=str(table.pk))
    post(client, "set_host", view="console", table=str(tables[0].pk), participant=str(people[0].pk))
    post(client, "start", view="console")
    while True:
        with all_tenants():
            room = LiveTable.objects.get(session=session, number=1)
        if live_steps(session.protocol_version.spec, session.agenda)[room.step_index].activity == "rules":
            break
        post(client, "skip_step", view="console")
    post(client, "next_step", view="console", step="rules")
    page = unescape(phones[0].get(reverse("web:live", kwargs={"code": code})).content.decode())
    assert "Table 1" in page and "Vous animez la Table 1" in page and "Étape suivante" in page
    other = unescape(phones[1].get(reverse("web:live", kwargs={"code": code})).content.decode())
    assert "Appeler l'animateur·rice" in other and "Vous animez" not in other
    post(phones[1], "call_help")
    html = unescape(client.get(console).content.decode())
    assert 'data-testid="help-call"' in html and "Rappeler tout le monde en plénière" in html
    projector = unescape(client.get(reverse("web:live-projector", kwargs={"code": code})).content.decode())
    assert 'data-testid="projector-tables"' in projector and "Table 2" in projector
    post(client, "recall", view="console")
    page = unescape(phones[1].get(reverse("web:live", kwargs={"code": code})).content.decode())
    assert 'data-testid="my-table"' not in page


def test_every_change_at_any_table_reaches_the_console_as_a_newer_version(group):
    """A table host advancing their table (or anyone at a table acting) changes the console's
    panel: the facilitator's view takes a newer version each time, so pushed fragments are
    kept (live.js keeps only newer versions); phones follow their own table's version. Also
    when tables are formed again with fewer of them."""

    def console_version():
        return session_state(group.refresh(), group.facilitator)["session"]["version"]

    group.run(group.facilitator, "form_tables", count=4, assign="hand")
    before_reform = console_version()
    tables = _seat_by_hand(group)  # formed again: three tables replace four
    assert console_version() > before_reform
    _to_rules(group)
    group.run(group.facilitator, "next_step")
    seen = [console_version()]
    phone = group.people[6]  # at the second table
    phone_version = session_state(group.refresh(), phone)["session"]["version"]
    for who in (group.people[0], group.people[5], group.people[10], group.people[1]):
        group.run(who, "set_ready")
        seen.append(console_version())
    assert seen == sorted(set(seen)), seen  # strictly newer after every table's change
    assert session_state(group.refresh(), phone)["session"]["version"] == phone_version + 1  # one change at their table
    assert len(tables) == 3


def test_after_the_recall_each_table_documents_its_own_work(group):
    """At the plenary's documentation, each offerer condenses their own table's notes (nobody
    overwrites another table's record) and each table's members consent for that table only;
    a host is a member like the others there. The group then sees only the consenting tables'
    records (documentation.consented_tables)."""
    from entraide.live.domain.activities.documentation import consented_tables

    tables = _seat_by_hand(group)
    _to_rules(group)
    group.run(group.facilitator, "next_step")  # the tables' steps
    offerers = [group.people[0], group.people[6], group.people[12]]  # table 1's is its host
    with all_tenants():
        for table, offerer in zip(tables, offerers):
            LiveTable.objects.filter(pk=table.pk).update(offerer=offerer)
            Participant.objects.filter(pk=offerer.pk).update(role="offerer")
    group.run(group.facilitator, "recall")
    while group.steps()[table_of(group.refresh()).step_index].activity != "documentation":
        group.run(group.facilitator, "next_step")
    for index, offerer in enumerate(offerers):
        group.refresh()
        assert table_of(group.session, offerer).pk == tables[index].pk
        state = session_state(group.session, offerer)
        assert state["step"]["activity"] == "documentation"
        assert state["can"]["write_record"]
        group.run(offerer, "write_record", text=f"Notes de la table {index + 1}")
    with all_tenants():
        assert [t.record for t in group.tables()] == ["Notes de la table 1", "Notes de la table 2", "Notes de la table 3"]
        assert not table_of(group.refresh()).record  # the room's stays empty
    for person in group.people[5:10]:  # table 2 agrees
        group.run(person, "give_consent", agrees=True)
    group.run(group.people[1], "give_consent", agrees=False)  # table 1 does not
    documentation = session_state(group.refresh(), group.people[7])["documentation"]
    assert documentation["total"] == 5 and documentation["everyone_agrees"] and documentation["record"] == "Notes de la table 2"
    assert session_state(group.refresh(), group.people[2])["documentation"]["record"] == ""  # table 1: not shared
    panel = session_state(group.refresh(), group.facilitator)["documentation"]
    assert panel["answered"] == 6
    with all_tenants():
        assert [t.pk for t in consented_tables(group.session)] == [tables[1].pk]

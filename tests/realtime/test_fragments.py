"""Fragments on the websocket (realtime.render): one render per version and role view, the
personal parts filled per viewer. What a phone receives must be exactly what the page would
render for that person alone, and a contributor must never receive what only the offerer or
the facilitator sees."""

import uuid

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.utils import timezone, translation

from entraide.core.tenancy import all_tenants
from entraide.live.domain.state import session_state
from entraide.live.domain.steps import live_steps
from entraide.live.models import LiveRole, LiveSession, Participant, Problem
from entraide.realtime import render

from tests.live.asyncapi import check
from tests.live.test_websocket import communicator, send

LINKS = {"join_url": "http://testserver/join/?code=X", "rejoin_path": "/r/", "rejoin_url": "http://testserver/r/"}


def people(room) -> list[Participant]:
    with all_tenants():
        return list(Participant.objects.filter(session=room.session, removed_at__isnull=True))


def check_every_viewer(room) -> int:
    """For every contributor: the state derived from the shared one equals session_state, and
    the shared render filled for them equals their render alone. Returns how many were checked."""
    session = room.refresh()
    now = timezone.now()
    checked = 0
    memo: dict = {}  # one batch: the phones share the renders of the parts that read nothing of theirs
    with all_tenants(), translation.override("fr"):
        shared = render.build_shared(session, LiveRole.CONTRIBUTOR, "participant", LINKS, now)
        for viewer in people(room):
            if not render.shareable(session, viewer, "participant"):
                continue
            alone = render.render_alone(session, viewer, "participant", LINKS, now)
            assert render.personal_state(shared.state, session, viewer) == session_state(session, viewer, now)
            assert render.fill(shared, session, viewer, LINKS) == alone
            assert render.fill(shared, session, viewer, LINKS, memo=memo) == alone
            checked += 1
    return checked


def step_activity(room) -> str | None:
    session = room.refresh()
    if session.status != LiveSession.Status.RUNNING:
        return None
    return live_steps(session.protocol_version.spec, session.agenda)[room.table().step_index].activity


@pytest.mark.django_db
def test_a_shared_render_filled_for_each_phone_is_their_own_page_at_every_step(room):
    """The whole atelier, people acting at each step: at every step every contributor's
    fragment from the shared render equals their page rendered alone (so nothing of another
    person, nor of another role, reaches them)."""
    a, b, c, d, e, f = room.people
    assert check_every_viewer(room) == 6  # open
    room.run(room.facilitator, "start")
    for person in (a, b):
        room.run(person, "set_ready", ready=True)
    seen = set()
    while (activity := step_activity(room)) is not None:
        seen.add(activity)
        if activity == "rules":
            room.run(a, "add_rule", text="Règle secrète d'Amina")
        elif activity == "problem_write":
            for person in (a, b, c):
                room.run(person, "write_problem", text=f"Problème de {person.display_name}")
        elif activity == "vote":
            with all_tenants():
                problems = list(Problem.objects.filter(session=room.session).order_by("pk"))
            room.run(a, "cast_vote", ballot={str(problems[0].pk): 2, str(problems[1].pk): 1})
            room.run(b, "cast_vote", ballot={str(problems[0].pk): 2})
            assert check_every_viewer(room) == 6
            room.run(room.facilitator, "reveal_votes")
        elif activity == "consent":
            assert check_every_viewer(room) == 6  # the author of the chosen problem is asked
            chosen = room.table().chosen_problem
            author = next(p for p in room.people if p.pk == chosen.author_id)
            room.run(author, "consent_case", agrees=True, problem=chosen.pk)
        elif activity == "clarify":
            room.run(c, "ask_question", text="Question de Chloé ?")
            room.run(d, "ask_question", text="Question de Driss ?")
        elif activity == "reformulate":
            offerer = next(p for p in people(room) if p.role == LiveRole.OFFERER)
            room.run(offerer, "write_request", text="M'aider à trancher")
        elif activity == "reflect":
            room.run(e, "write_note", text="Note privée d'Élise")
            room.run(f, "write_note", text="Note privée de Fanny")
        elif activity == "exchange":
            room.run(c, "raise_hand")
            room.run(d, "raise_hand")
            room.run(room.facilitator, "give_floor", participant=c.pk)
        elif activity == "documentation":
            room.run(e, "give_consent", agrees=True)
            room.run(f, "give_consent", agrees=False)
        checked = check_every_viewer(room)
        assert checked >= 5, activity
        session = room.refresh()
        last = room.table().step_index == len(live_steps(session.protocol_version.spec, session.agenda)) - 1
        room.run(room.facilitator, "end_session" if last else "next_step")
    assert {"rules", "problem_write", "vote", "consent", "clarify", "reflect", "exchange", "documentation"} <= seen


@pytest.mark.django_db
def test_the_shared_part_holds_nothing_personal_and_nothing_of_another_role(room):
    a, b, *_ = room.people
    room.run(room.facilitator, "start")
    room.go_to("problem_write")
    room.run(a, "write_problem", text="Le problème très personnel d'Amina")
    room.go_to("reflect")
    room.run(a, "write_note", text="Carnet secret")
    session = room.refresh()
    with all_tenants(), translation.override("fr"):
        shared = render.build_shared(session, LiveRole.CONTRIBUTOR, "participant", LINKS)
        html = "".join(part for part in shared.parts if isinstance(part, str))
        assert "Carnet secret" not in html and "Amina ·" not in html
        assert all(p["me"] is False for p in shared.state["participants"]) and shared.state["my_notes"] == []
        # What the facilitator alone sees (every role's instruction, airtime) is not in it.
        assert shared.state["step"]["instructions"] == {}
        console = render.render_alone(session, room.refresh() and people(room)[0], "console", LINKS)
        assert "Facilitator console" in console or "Console" in console
        for viewer in people(room):
            if viewer.role == LiveRole.CONTRIBUTOR:
                mine = render.fill(shared, session, viewer, LINKS)
                assert ("Carnet secret" in mine) == (viewer.pk == a.pk)
                assert "instructions" not in mine and "What each role does" not in mine and "Ce que fait chaque rôle" not in mine


@pytest.mark.django_db(transaction=True)
def test_a_phone_with_a_view_receives_the_fragment_and_resyncs_by_version(room):
    render.clear()

    async def receive(ws) -> dict:
        message = await ws.receive_json_from(timeout=10)
        check(message)
        return message

    async def scenario():
        phones = []
        for person in room.people[:3]:
            ws = communicator(room, person)
            ws.scope["query_string"] = b"view=participant"
            assert (await ws.connect(timeout=10))[0]
            hello = await receive(ws)
            assert hello["type"] == "hello"
            phones.append(ws)
        console = communicator(room, room.facilitator)
        console.scope["query_string"] = b"view=console"
        assert (await console.connect(timeout=10))[0]
        await receive(console)
        await send(console, {"type": "command", "id": str(uuid.uuid4()), "name": "start", "args": {}})
        got = []
        while len(got) < 2:
            got.append(await receive(console))
        kinds = {m["type"] for m in got}
        assert kinds == {"result", "fragment"}
        version = next(m for m in got if m["type"] == "result")["version"]
        pushed = next(m for m in got if m["type"] == "fragment")
        assert pushed["view"] == "console" and f'data-version="{version}"' in pushed["html"]
        for ws, person in zip(phones, room.people[:3]):
            message = await receive(ws)
            assert message["type"] == "fragment" and message["version"] == version and message["view"] == "participant"
            assert f"{person.display_name} ·" in message["html"] and 'value="__csrf__"' in message["html"]
            assert "Facilitator console" not in message["html"] and "Console de facilitation" not in message["html"]
            # A phone that missed frames says the version it has: it gets the current fragment.
            await send(ws, {"type": "sync", "version": version - 1})
            again = await receive(ws)
            assert again["type"] == "fragment" and again["version"] == version
            await send(ws, {"type": "sync", "version": version})
            assert (await receive(ws)) == {"type": "synced", "version": version}
        for ws in [*phones, console]:
            await ws.disconnect()

    async_to_sync(scenario)()


@pytest.mark.django_db(transaction=True)
def test_a_view_the_role_may_not_see_gets_the_bare_signal(room):
    async def scenario():
        ws = communicator(room, room.people[0])
        ws.scope["query_string"] = b"view=console"
        assert (await ws.connect(timeout=10))[0]
        assert (await ws.receive_json_from(timeout=10))["type"] == "hello"
        await sync_to_async(room.run)(room.facilitator, "start")
        message = await ws.receive_json_from(timeout=10)
        check(message)
        assert message["type"] == "changed"
        await ws.disconnect()

    async_to_sync(scenario)()


@pytest.mark.django_db
@pytest.mark.parametrize("protocol_key", ["analyse-des-pratiques", "echange-de-pratiques", "supervision-collective", "brouillon-atelier", "atelier-pratique"])
def test_every_protocol_s_shared_render_is_each_phone_s_own_page(builtins, organisation, facilitator, protocol_key):
    """The other protocols' parts that are a person's own (their roadmap, their debrief answer,
    what their page offers) are filled per phone too: at every step, after some people acted,
    the shared render filled for each contributor is their page alone."""
    from datetime import time

    from tests.live.conftest import open_room

    room = open_room(organisation, facilitator, protocol_key, time(9), time(17))
    room.run(room.facilitator, "start")
    a = room.people[0]
    while (activity := step_activity(room)) is not None:
        if activity == "action_plan" and room.refresh() and _can(room, a, "write_roadmap"):
            room.run(a, "write_roadmap", text="Ma feuille de route personnelle")
        if activity == "debrief" and _can(room, a, "answer_debrief"):
            room.run(a, "answer_debrief", worked="Le rythme", ratings={})
        if activity in ("problem_write", "situations") and _can(room, a, "write_problem"):
            room.run(a, "write_problem", text="Ma situation à moi")
        assert check_every_viewer(room) >= 1
        steps = live_steps(room.session.protocol_version.spec, room.session.agenda)
        if room.table().step_index + 1 >= len(steps):
            break
        room.run(room.facilitator, "skip_step")


def _can(room, person, name) -> bool:
    return session_state(room.refresh(), person)["can"][name]


@pytest.mark.parametrize("source, expected", [
    ("{{ live.step.title }}", {"known": True, "participants": False, "identity": False, "links": False}),
    ("{{ live.me.name }}", {"known": True, "identity": True}),
    ("{% if live.case.offerer.id == live.me.id %}x{% endif %}", {"known": True, "identity": True}),
    ("{% with m=live.me %}{{ m.role }}{% endwith %}", {"known": True, "identity": True}),
    ("{% for p in live.participants %}{% if p.me %}{{ p.ready }}{% endif %}{% endfor %}", {"known": True, "participants": True}),
    ("{% blocktranslate %}Your link: {{ rejoin_url }}{% endblocktranslate %}", {"known": True, "links": True}),
    ("{% include name %}", {"known": False}),
    ("{{ live|length }}", {"known": False}),
    ("{{ live|my_problem }}", {"known": True, "identity": False}),
])
def test_what_a_personal_part_reads_is_found_in_its_template(source, expected):
    """A personal part shares its render between phones only by what its template reads
    (PersonalNode.needs): the viewer's id or name, the participants list with its "me" flag,
    the personal link; a part the analysis cannot follow is rendered for each phone."""
    from django.template import engines

    template = engines["django"].from_string("{% load live_render live_tags i18n %}{% personal %}" + source + "{% endpersonal %}")
    node = next(n for n in template.template.nodelist if type(n).__name__ == "PersonalNode")
    needs = node.needs()
    for name, value in expected.items():
        assert getattr(needs, name) == value, (source, name)


@pytest.mark.django_db
def test_phones_that_differ_only_by_name_share_the_render_of_their_parts(room, monkeypatch):
    """In one batch, the activity part of six phones with nothing of their own renders once,
    not six times; each phone still gets its own name and link."""
    from entraide.web.templatetags.live_render import PersonalNode

    room.run(room.facilitator, "start")
    calls = []
    original = PersonalNode.render_for
    monkeypatch.setattr(PersonalNode, "render_for", lambda self, *args: calls.append(self) or original(self, *args))
    session = room.refresh()
    jobs = [
        {"session_id": session.pk, "participant_id": viewer.pk, "view": "participant", "language": "fr",
         "base_url": "http://testserver", "secret": f"s{viewer.pk}", "fresh": True, "version": None}
        for viewer in people(room) if viewer.role == LiveRole.CONTRIBUTOR
    ]
    results = render.fragments(jobs)
    assert len(jobs) >= 5 and all(result for result in results)
    slots = len(set(calls))
    per_phone = len(calls) / len(jobs)
    assert per_phone < slots  # some parts were rendered once for all
    for job, (_version, html) in zip(jobs, results):
        viewer = next(p for p in people(room) if p.pk == job["participant_id"])
        assert viewer.display_name in html and f"s{viewer.pk}" in html

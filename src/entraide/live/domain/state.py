"""What one participant sees of a live session, for their role: one JSON-able dict that the
HTML pages render and the websocket sends. The confidentiality rules of what is shown live
here: private notes are their author's only; vote totals appear once revealed; after the
session, problems that were not chosen are shown to their authors only; the condensed record
only when everyone consents; airtime only to the facilitator."""

from datetime import datetime, timedelta
from typing import TypedDict

from django.utils import timezone

from entraide.core.tenancy import all_tenants

from ..models import ROOM_NUMBER, Action, Consent, GroundRule, Idea, LiveRole, LiveSession, Participant, PrivateNote, Problem, SpeakingTurn, Vote
from . import clocks, commands, rules
from .activities.bringer import CHOOSING, PICKED_BY_FACILITATOR, cases_make_tables
from .commands import table_of
from .parts import PartContext, build_parts
from .reads import read
from .rows import instances, select
from .activities.questions import question_order
from .activities.queue import may_ask_floor, speaking_queue
from .activities.turns import next_in_turn, turn_order
from .activities.vote import candidates, current_tally
from .opening import format_code
from .steps import live_steps

CONNECTED_WITHIN = timedelta(seconds=45)


def epoch_ms(moment: datetime | None) -> int | None:
    return int(moment.timestamp() * 1000) if moment else None


def clock_view(clock: rules.Clock, session: LiveSession, now: datetime) -> dict:
    """One timer as every door shows it (the same for the step, a turn and the floor): seconds
    planned (added time included), remaining (negative when over time) and elapsed at ``now``,
    and the epoch-ms deadline that phones count down to (null while paused)."""
    running = clock.running and session.status == LiveSession.Status.RUNNING
    deadline = clock.deadline() if running else None
    return {
        "planned_seconds": clock.planned_seconds + clock.extra_seconds,
        "remaining_seconds": int(round(clock.remaining(now))),
        "elapsed_seconds": int(round(clock.elapsed(now))),
        "running": running,
        "paused": session.paused_at is not None,
        "deadline_ms": epoch_ms(deadline),
    }


class LiveView(TypedDict):
    """What one viewer sees of a live session (built by ``session_state``, one per viewer): the
    pages render it, the websocket sends it as JSON. Nested parts are plain JSON objects, their
    fields documented in docs/asyncapi.yaml's State. ``can`` and ``limits`` come from the
    command path itself (commands.refusal, commands.LIMITS): pages never re-derive them."""

    roles: dict[str, str]  # role key -> its name in this protocol
    bringer: str  # how the protocol chooses the situation bringer
    session: dict  # id, code, title, protocol, status, version (the viewer's table's)
    table: dict  # id, number, label, room, host, language, help_called, members
    server_now_ms: int
    me: dict  # id, name, role, role_name, role_card, ready, writing (quota)
    steps: list[dict]
    participants: list[dict]
    rules: list[dict]
    facilitator_present: bool
    facilitator_present_until_ms: int | None
    step: dict | None  # the current step, None unless running
    clock: dict | None
    turn: dict | None
    problems: list[dict]
    vote: dict | None
    case: dict
    questions: list[dict]
    my_notes: list[dict]  # the viewer's own, never anyone else's
    queue: dict | None
    ideas: list[dict]
    actions: list[dict]
    documentation: dict
    can: dict[str, bool]  # command name -> whether the command path would let it through now
    limits: dict
    parts: dict  # what other apps add (live.domain.parts): theme, shared_plans...
    debrief: dict | None
    roadmap: dict | None
    broadcast: dict | None  # the facilitator's message to every table: text, at_ms
    tables: dict  # the formed tables: out (at work), list (the console's panel), cases (room's)


def session_state(session: LiveSession, viewer: Participant, now: datetime | None = None) -> LiveView:
    now = now or timezone.now()
    with all_tenants():
        return _state(session, viewer, now)


def _state(session: LiveSession, viewer: Participant, now: datetime) -> LiveView:
    table = _table(session, viewer)
    spec = session.protocol_version.spec
    steps = live_steps(spec, session.agenda)
    running = session.status == LiveSession.Status.RUNNING
    ended = session.status == LiveSession.Status.ENDED
    current = steps[table.step_index] if steps else None
    # A formed table's host runs it with the facilitator's tools (commands.role_at).
    role = commands.role_at(table, viewer, steps)
    hosting = role != viewer.role
    viewer_role = viewer.role
    is_facilitator = role == LiveRole.FACILITATOR
    everybody = read(("people", session.pk), lambda: instances(Participant, "session_id = %s AND removed_at IS NULL", [session.pk]))
    names = {p.pk: p.display_name for p in everybody}
    all_tables = getattr(table, "all_tables", None) or [table]
    out = commands.tables_out(session, all_tables, steps)
    # Who works here: at a formed table its members (and the facilitator); else everybody.
    people = [p for p in everybody if not out or table.number == ROOM_NUMBER or p.table_id == table.pk or p.role == LiveRole.FACILITATOR]
    role_spec = spec.roles.get(viewer_role) or spec.roles.get(LiveRole.CONTRIBUTOR)

    state: dict = {
        # Every role's name in this protocol (spec.roles[...].name): what pages call people.
        "roles": {key: value.name.get() for key, value in spec.roles.items()},
        "bringer": spec.bringer,
        "session": {
            "id": session.pk,
            "code": format_code(session.join_code),
            "title": session.title or spec.title.get(),
            "protocol": spec.title.get(),
            "status": session.status,
            "version": commands.view_version(table, viewer),
        },
        "table": _table_view(table, names, out, viewer),
        "server_now_ms": epoch_ms(now),
        "me": {
            "id": viewer.pk,
            "name": viewer.display_name,
            "role": viewer_role,
            "hosting": hosting,
            "table_id": viewer.table_id,
            "preferences": list(viewer.preferences or []),
            "role_name": role_spec.name.get() if role_spec else "",
            "role_card": role_spec.card.get() if role_spec else "",
            "ready": running and viewer.ready_step == table.step_index,
            "writing": commands.write_quota(viewer),
        },
        "steps": [
            {
                "index": s.index,
                "key": s.key,
                "title": s.step.title.get(),
                "minutes": s.minutes,
                "activity": s.activity,
                "state": (
                    "current" if running and s.index == table.step_index
                    else "skipped" if s.key in table.skipped_steps
                    else "done" if ended or (running and s.index < table.step_index)
                    else "todo"
                ),
            }
            for s in steps
        ],
        "participants": [
            {
                "id": p.pk,
                "name": p.display_name,
                "role": p.role,
                "connected": now - p.last_seen_at <= CONNECTED_WITHIN,
                "ready": running and p.ready_step == table.step_index,
                "me": p.pk == viewer.pk,
            }
            for p in people
        ],
        "rules": [
            {"id": r.pk, "text": r.text, "mine": r.author_id == viewer.pk}
            for r in read(("rules", session.pk), lambda: instances(GroundRule, "session_id = %s", [session.pk]))
        ],
        "step": None,
        "clock": None,
        "turn": None,
    }
    facilitators = [p for p in people if p.role == LiveRole.FACILITATOR]
    state["facilitator_present"] = any(now - p.last_seen_at <= CONNECTED_WITHIN for p in facilitators)
    # Until when the facilitator counts as present without a new heartbeat: a phone refetches
    # then by itself (their going away sends no signal).
    last_seen = max((p.last_seen_at for p in facilitators), default=None)
    state["facilitator_present_until_ms"] = epoch_ms(last_seen + CONNECTED_WITHIN) if state["facilitator_present"] and last_seen else None

    if running and current is not None:
        step = current.step
        state["step"] = {
            "index": current.index,
            "key": current.key,
            "title": step.title.get(),
            "activity": current.activity,
            "scope": step.scope,
            "minutes": current.minutes,
            "purpose": step.purpose.get() if step.purpose else "",
            "instruction": step.instruction(role) or step.instruction(LiveRole.CONTRIBUTOR if role == LiveRole.OFFERER else role),
            "instructions": {key: step.instruction(key) for key in spec.roles} if is_facilitator else {},
            # The same, in the protocol's role order, with each role's name (the console's
            # "What each role does").
            "role_instructions": [
                {"role": key, "name": value.name.get(), "text": step.instruction(key)}
                for key, value in spec.roles.items() if step.instruction(key)
            ] if is_facilitator else [],
            # The facilitator picks the person who brings the situation here (spec "bringer").
            # Not at the room when each case gets its own table (cases_make_tables).
            "choosing_bringer": current.activity in CHOOSING and spec.bringer in PICKED_BY_FACILITATOR
            and not cases_make_tables(session, table),
            "worksheet": step.worksheet,
            "is_last": current.index == len(steps) - 1,
        }
        step_clock = clocks.step_clock(table, current)
        if step_clock is not None:
            state["clock"] = clock_view(step_clock, session, now)
        if current.activity in ("pitch", "share_round"):
            order = read(("turn_order", table.pk, current.key), lambda: turn_order(session, current, table))
            following = next_in_turn(table, current, order)
            speaking = table.turn_participant_id
            turn_clock = clocks.turn_clock(table, current)
            state["turn"] = {
                "participant": {"id": speaking, "name": names.get(speaking, "")} if speaking else None,
                "next": {"id": following.pk, "name": following.display_name} if following else None,
                "order": [{"id": p.pk, "name": p.display_name} for p in order],
                "clock": clock_view(turn_clock, session, now) if turn_clock else None,
                "mine": speaking == viewer.pk,
            }

    state["problems"] = _problems(session, table, viewer, ended, names)
    state["vote"] = _vote(session, table, viewer, current, names) if current and current.activity == "vote" and running else None
    chosen = table.chosen_problem
    state["case"] = {
        "chosen": {"id": chosen.pk, "text": chosen.text, "author": names.get(chosen.author_id, ""), "mine": chosen.author_id == viewer.pk} if chosen else None,
        "offerer": {"id": table.offerer_id, "name": names.get(table.offerer_id, ""), "mine": table.offerer_id == viewer.pk} if table.offerer_id else None,
        "help_request": table.help_request or "",
    }
    state["questions"] = [
        {"id": q.pk, "text": q.text, "author": names.get(q.author_id, ""), "mine": q.author_id == viewer.pk, "asked": q.asked_at is not None, "answer": q.answer or ""}
        for q in read(("questions", table.pk), lambda: question_order(table))
    ]
    state["my_notes"] = [
        {"id": n.pk, "step_key": n.step_key, "text": n.text}
        # Nobody's (the shared render's phantom seat, pk 0): each phone's are filled apart.
        for n in (instances(PrivateNote, "session_id = %s AND author_id = %s", [session.pk, viewer.pk]) if viewer.pk else ())
    ]
    state["queue"] = _queue(session, table, viewer, current, names, people, now, is_facilitator) if current and current.activity == "exchange" and running else None
    state["ideas"] = [{"id": i.pk, "text": i.text} for i in read(("ideas", table.pk), lambda: instances(Idea, "table_id = %s", [table.pk]))]
    state["actions"] = [
        {"id": a.pk, "text": a.text, "due": a.due.isoformat() if a.due else None}
        for a in read(("actions", table.pk), lambda: instances(Action, "table_id = %s", [table.pk]))
    ]
    state["documentation"] = _documentation(session, table, all_tables, viewer, people, names, is_facilitator)
    # What this viewer may send now, by the very check the command path runs (commands.refusal),
    # and the limits it applies: the pages read these, never a role or a step of their own.
    state["can"] = {name: commands.refusal(session, table, viewer, name, steps) is None for name in commands.COMMANDS}
    state["limits"] = LIMITS_VIEW
    state["parts"] = build_parts(parts_context(session, table, viewer, steps))
    state["broadcast"] = {"text": session.broadcast, "at_ms": epoch_ms(session.broadcast_at)} if session.broadcast else None
    state["tables"] = _tables_panel(session, all_tables, everybody, steps, now, viewer, out)
    _activity_parts(state, session, viewer, current if running else None)
    if state["step"] is not None:
        offered = offered_commands(table, viewer, steps, state)
        state["step"]["offers"] = offered
        # Said plainly on the page when this person has nothing to send at this step.
        state["step"]["nothing_to_do"] = not offered
    return state


# The command path's limits, as the pages show them (maxlength, "2 or 3 ideas", +N minutes).
LIMITS_VIEW = {
    "text": dict(commands.LIMITS),
    "ideas": commands.MAX_IDEAS,
    "added_minutes": commands.MAX_ADDED_MINUTES,
    "votes": rules.VOTES_PER_PERSON,
    "votes_per_problem": rules.MAX_VOTES_PER_PROBLEM,
}


def _activity_parts(state: dict, session: LiveSession, viewer: Participant, current) -> None:
    """The parts the activity modules (live.domain.activities) add to ``viewer``'s state:
    ``debrief`` (brouillon d'atelier) and ``roadmap`` (roadmap and review steps); None when the
    protocol or the step has none."""
    from .activities import debrief, roadmap

    state["debrief"] = debrief.view(session, viewer, current.activity if current else None)
    state["roadmap"] = roadmap.view(session, viewer, current)
# What a participant's page offers at each activity: the commands it renders a control for.
# Generic controls (ready, private notes) and the facilitator's navigation are not counted.
ACTIVITY_OFFERS = {
    "rules": ("add_rule",),
    "problem_write": ("write_problem",),
    "pitch": ("write_problem",),
    "situations": ("write_problem", "withdraw_situation"),
    "vote": ("cast_vote",),
    "consent": ("consent_case",),
    "clarify": ("ask_question", "mark_question_asked", "answer_question"),
    "reformulate": ("write_request",),
    "exchange": ("raise_hand", "lower_hand", "end_floor"),
    "harvest": ("add_idea", "remove_idea"),
    "action_plan": ("add_action", "write_roadmap"),
    "debrief": ("answer_debrief",),
    "documentation": ("give_consent", "write_record"),
}


def offered_commands(table, viewer: Participant, steps, state: dict) -> list[str]:
    """The commands ``viewer``'s page offers a control for at ``table``'s current step: those of
    its activity (ACTIVITY_OFFERS) that ``state["can"]`` (``commands.refusal``, the check
    ``execute`` runs) allows,
    and whose object is there (a pending question to answer, one's own chosen problem to
    consent to...). Empty: the page says there is nothing to do at this step. The
    facilitator's console is not counted here (it always runs the step)."""
    current = steps[table.step_index]
    role = viewer.role
    offered = []
    for name in ACTIVITY_OFFERS.get(current.activity, ()):
        if not state["can"].get(name):
            continue
        if name == "write_record" and role == LiveRole.FACILITATOR:
            continue  # written on the console
        if name in ("write_problem", "withdraw_situation") and role == LiveRole.FACILITATOR:
            continue
        if name == "write_problem" and current.activity == "situations" and role != LiveRole.CONTRIBUTOR:
            continue  # the person chosen has proposed already
        chosen = state["case"]["chosen"]["id"] if state["case"]["chosen"] else None
        if name == "withdraw_situation" and not any(p["mine"] and p["id"] != chosen for p in state["problems"]):
            continue
        if name == "cast_vote" and (not state["vote"] or state["vote"]["revealed"] or not state["vote"]["candidates"]):
            continue
        if name == "consent_case" and not (state["case"]["chosen"] and state["case"]["chosen"]["mine"] and not state["case"]["offerer"]):
            continue
        if name in ("mark_question_asked", "answer_question") and not any(not q["answer"] for q in state["questions"]):
            continue
        if name == "end_floor" and not (state["queue"] and state["queue"]["speaking"] and state["queue"]["speaking"]["mine"]):
            continue
        if name == "add_idea" and len(state["ideas"]) >= commands.MAX_IDEAS:
            continue
        if name == "remove_idea" and not state["ideas"]:
            continue
        offered.append(name)
    # The exchange of contacts (activities/contacts.py) is offered at the closing step of every
    # protocol, whatever its activity: its part is there when it is.
    if (state.get("parts") or {}).get("contacts") is not None and state["can"].get("write_contact_details"):
        offered.append("write_contact_details")
    return offered


def _table(session: LiveSession, viewer: Participant):
    """``table_of(session, viewer)``, read once per push (live.domain.reads): ``session`` takes
    the state read with the table's version."""
    where = (viewer.pk, viewer.role, viewer.table_id, getattr(viewer, "visiting_table_id", None))
    table = read(("table", session.pk, where), lambda: table_of(session, viewer))
    if table.session is not session:
        for name in commands.SNAPSHOT_FIELDS:
            setattr(session, name, getattr(table.session, name))
    return table


def _problems(session, table, viewer, ended, names) -> list[dict]:
    problems = read(("problems", table.pk), lambda: instances(Problem, "table_id = %s", [table.pk]))
    if ended:
        # What was not chosen is kept by its author only.
        problems = [p for p in problems if p.author_id == viewer.pk or p.pk == table.chosen_problem_id]
    return [
        {
            "id": p.pk,
            "text": p.text,
            "author": names.get(p.author_id, ""),
            "mine": p.author_id == viewer.pk,
            "pitched": p.pitched_at is not None,
            "declined": p.declined,
        }
        for p in problems
    ]


def _vote(session, table, viewer, current, names) -> dict:
    round_candidates = candidates(table)
    mine = dict(Vote.objects.filter(table=table, voter=viewer, round=table.vote_round).values_list("problem_id", "count"))
    voters = read(("voters", table.pk, table.vote_round), lambda: set(Vote.objects.filter(table=table, round=table.vote_round).values_list("voter_id", flat=True)))
    vote = {
        "round": table.vote_round,
        "candidates": round_candidates,
        "my_ballot": {str(k): v for k, v in mine.items()},
        "votes_left": rules.VOTES_PER_PERSON - sum(mine.values()),
        "per_problem": rules.MAX_VOTES_PER_PROBLEM,
        "revealed": table.votes_revealed,
        "voters": len(voters),
        "totals": None,
        "leaders": [],
        "tied": False,
        "chosen": table.chosen_problem_id,
    }
    if table.votes_revealed:
        result = current_tally(table)
        vote["totals"] = {str(k): v for k, v in result.totals.items()}
        vote["ranking"] = list(result.ranking)
        vote["leaders"] = list(result.leaders)
        vote["tied"] = result.tied
    return vote


def _queue(session, table, viewer, current, names, people, now, is_facilitator) -> dict:
    key = current.key
    pauses = clocks.session_pauses(session)
    waiting = read(("queue", table.pk, key), lambda: speaking_queue(table, key))
    speaking = read(("speaking", table.pk, key), lambda: SpeakingTurn.objects.filter(table=table, step_key=key, started_at__isnull=False, ended_at__isnull=True).first())
    queue = {
        "waiting": [{"id": t.participant_id, "name": names.get(t.participant_id, ""), "mine": t.participant_id == viewer.pk} for t in waiting],
        "speaking": {
            "id": speaking.participant_id,
            "name": names.get(speaking.participant_id, ""),
            "since_ms": epoch_ms(speaking.started_at),
            "clock": clock_view(clocks.floor_clock(session, speaking, pauses), session, now),
            "mine": speaking.participant_id == viewer.pk,
        } if speaking else None,
        "hand_raised": any(t.participant_id == viewer.pk for t in waiting),
        "may_raise": may_ask_floor(viewer.role, current),
        "airtime": None,
    }
    if is_facilitator:
        airtime: dict[int, float] = {}
        turns: dict[int, int] = {}
        for turn in SpeakingTurn.objects.filter(table=table, step_key=key, started_at__isnull=False):
            # Airtime is the floor's clock: pauses of the session do not count.
            seconds = clocks.floor_clock(session, turn, pauses).elapsed(now)
            airtime[turn.participant_id] = airtime.get(turn.participant_id, 0) + seconds
            turns[turn.participant_id] = turns.get(turn.participant_id, 0) + 1
        speakers = [p for p in people if may_ask_floor(p.role, current) or p.pk in airtime]
        queue["airtime"] = [
            {"id": p.pk, "name": p.display_name, "seconds": int(airtime.get(p.pk, 0)), "turns": turns.get(p.pk, 0)}
            for p in speakers
        ]
    return queue


def _documentation(session, table, all_tables, viewer, people, names, is_facilitator) -> dict:
    """Who agreed to share the condensed record. With one table, everybody's consent on the
    room's record. Once tables have worked, each formed table's record needs its own members'
    consent (documentation.consented_tables); the facilitator, at the room, follows everybody's
    answers across the tables."""
    if len(all_tables) > 1 and table.number == ROOM_NUMBER:
        consents = read(("consents", "session", session.pk), lambda: {row["participant"]: row["agrees"] for row in select(Consent, ["participant", "agrees"], "session_id = %s", [session.pk])})
    else:
        consents = read(("consents", table.pk), lambda: {row["participant"]: row["agrees"] for row in select(Consent, ["participant", "agrees"], "table_id = %s", [table.pk])})
    if len(all_tables) > 1 and table.number != ROOM_NUMBER:
        people = [p for p in people if p.table_id == table.pk]
    everyone = bool(people) and all(consents.get(p.pk) is True for p in people)
    is_offerer = viewer.pk == table.offerer_id
    return {
        "my_consent": consents.get(viewer.pk),
        "answered": sum(1 for p in people if p.pk in consents),
        "total": len(people),
        "everyone_agrees": everyone,
        "waiting_for": [names[p.pk] for p in people if p.pk not in consents] if is_facilitator else [],
        "record": (table.record or "") if (everyone or is_offerer) else "",
        "record_shared": everyone and bool(table.record),
    }


def _table_view(table, names: dict, out: bool, viewer) -> dict:
    """The viewer's table as every page shows it: its number, label, whether it is the room,
    its host, language, help call and members (while the tables work)."""
    return {
        "id": table.pk,
        "number": table.number,
        "label": table.label,
        "room": table.number == ROOM_NUMBER,
        "out": out,
        "host": {"id": table.host_id, "name": names.get(table.host_id, "")} if table.host_id else None,
        "language": table.language,
        "help_called": table.help_called_at is not None,
    }


def _tables_panel(session, tables, people, steps, now, viewer, out: bool) -> dict:
    """Every formed table, for the console's panel, the projector and the forming: its step,
    time left, members (ready or not), host, language and help call; the cases presented at the
    room with who prefers them; and, for the viewer, their own seat and preferences. Content
    (problems, notes) is not here: visiting a table shows it."""
    formed = [t for t in tables if t.number != ROOM_NUMBER]
    room = next((t for t in tables if t.number == ROOM_NUMBER), None)
    is_facilitator = viewer.role == LiveRole.FACILITATOR
    running = session.status == LiveSession.Status.RUNNING
    # Back from the tables: the room is past a ``scope: table`` step (the plenary harvest).
    back = room is not None and not out and any(s.step.scope == "table" and s.index < room.step_index for s in steps)
    listed = []
    for table in formed:
        members = [p for p in people if p.table_id == table.pk and p.role != LiveRole.FACILITATOR]
        step = steps[table.step_index] if steps else None
        clock = clocks.step_clock(table, step) if (out and step is not None) else None
        listed.append({
            "id": table.pk,
            "number": table.number,
            "label": table.label,
            "step": {"index": step.index, "title": step.step.title.get(), "key": step.key} if out and step is not None else None,
            "clock": clock_view(clock, session, now) if clock is not None else None,
            "members": [
                {"id": p.pk, "name": p.display_name, "ready": running and p.ready_step == table.step_index, "host": p.pk == table.host_id,
                 "offerer": p.pk == table.offerer_id, "connected": now - p.last_seen_at <= CONNECTED_WITHIN}
                for p in members
            ],
            "host": {"id": table.host_id, "name": next((p.display_name for p in people if p.pk == table.host_id), "")} if table.host_id else None,
            "language": table.language,
            "help_called": table.help_called_at is not None,
            "help_called_ms": epoch_ms(table.help_called_at),
            "visiting": is_facilitator and viewer.visiting_id == table.pk,
            # What the table brings back to the plenary (its harvest), once everybody is back.
            "results": _results(table) if back and running else None,
        })
    cases = []
    if room is not None and formed or (room is not None and steps and any(s.step.scope == "table" for s in steps)):
        # The room's problems, read once per push for every view (the same read as _problems).
        for problem in (p for p in read(("problems", room.pk), lambda: instances(Problem, "table_id = %s", [room.pk])) if not p.declined):
            cases.append({
                "id": problem.pk,
                "text": problem.text,
                "author": next((p.display_name for p in people if p.pk == problem.author_id), ""),
                "preferred_by": sum(1 for p in people if problem.pk in (p.preferences or [])),
            })
    unseated = [{"id": p.pk, "name": p.display_name} for p in people if p.role != LiveRole.FACILITATOR and (p.table_id is None or p.table_id == (room.pk if room else None))] if formed else []
    return {
        "out": out,
        "back": back,
        "list": listed,
        "unseated": unseated,
        "cases": cases,
        "visiting": viewer.visiting_id if is_facilitator else None,
        "calls": sum(1 for t in listed if t["help_called"]),
        "has_table_steps": any(s.step.scope == "table" for s in steps),
    }


def _results(table) -> dict:
    """A formed table's results for the plenary harvest: its case (the question presented in
    plenary, atelier pratique), its case's request, its ideas and
    actions (group content, as the harvest step shows it at the table)."""
    case = Problem.objects.filter(pk=table.chosen_problem_id).first() if table.chosen_problem_id else None
    return {
        "case": case.text if case is not None else "",
        "help_request": table.help_request or "",
        "ideas": [idea.text for idea in Idea.objects.filter(table=table)],
        "actions": [{"text": a.text, "due": a.due.isoformat() if a.due else None} for a in Action.objects.filter(table=table)],
    }


def parts_context(session: LiveSession, table, viewer: Participant, steps: list | None = None) -> PartContext:
    """What the registry's builders see of a view (live.domain.parts): the session, the viewer's
    table, the viewer, and the table's step while the session runs (None otherwise). ``steps``:
    the session's ``live_steps``, when already at hand."""
    steps = steps if steps is not None else live_steps(session.protocol_version.spec, session.agenda)
    running = session.status == LiveSession.Status.RUNNING
    return PartContext(session, table, viewer, steps[table.step_index] if steps and running else None)


def shares_renders(session: LiveSession) -> bool:
    """Whether every contributor of ``session`` sees the same page but for their own parts
    (realtime.render shares one render among them): not once tables are formed, where each
    person works at their own table (``table_count``: set by commands.table_of)."""
    return getattr(session, "table_count", 1) <= 1

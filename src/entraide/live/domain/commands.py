"""The one command path of a live session.

Every change to a live session goes through ``execute``: the websocket consumer, the HTTP
views (with or without JavaScript), the API and the tests call it. It

1. answers a repeated command (same client-generated id) with the first outcome, applying
   nothing twice;
2. locks what the command changes (the actor's table; or the session then every table), checks
   that the actor belongs to this session, has a role allowed to send this command, and that
   the current step of their table allows it;
3. applies the command in one transaction and bumps the version of the tables it changed;
4. after commit, signals "changed" on the channel layer (which may drop it: clients resync
   by version).

Refusals raise ``CommandRefused`` with a message in the actor's language; nothing is changed.
"""

import copy
import inspect
import logging
import types
import typing
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, NewType

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from entraide.core.db import serialised_writes
from entraide.core.tenancy import all_tenants

from ..models import ROOM_NUMBER, AppliedCommand, LiveRole, LiveSession, LiveTable, Participant
from . import rows, rules
from .notify import signal_changed
from .reads import read, shared_reads
from .steps import LiveStep, live_steps
from .versions import with_protocol

logger = logging.getLogger(__name__)

# Limits on what people write, stated to them when exceeded.
LIMITS = {
    "rule": 300,
    "problem": 1000,
    "situation": 200,  # the short title of a situation a volunteer proposes
    "question": 300,
    "answer": 1000,
    "note": 4000,
    "request": 500,
    "idea": 300,
    "action": 300,
    "record": 10000,
}
MAX_IDEAS = 3
MAX_ADDED_MINUTES = 30

# What one participant may write in one session, every kind of text together: each text
# stored (a note, a rule, a question, a new version of their problem...) counts as one item
# and its UTF-8 size in bytes. Generous for a 3-hour workshop (a person writes a few dozen
# texts), and a stop to a script storing hundreds of 4,000-character notes.
WRITE_QUOTA_ITEMS = 150
WRITE_QUOTA_BYTES = 150_000

# Commands one participant may send through any door (websocket, HTML forms, API): a burst of
# COMMAND_BURST, then COMMAND_RATE a second. A person taps a few times a second at most.
COMMAND_BURST = 60
COMMAND_RATE = 5.0

FACILITATOR = LiveRole.FACILITATOR
OFFERER = LiveRole.OFFERER
CONTRIBUTOR = LiveRole.CONTRIBUTOR
EVERYONE = frozenset({FACILITATOR, OFFERER, CONTRIBUTOR})
PARTICIPANTS = frozenset({OFFERER, CONTRIBUTOR})  # everyone but the facilitator


class CommandRefused(Exception):
    """A command was refused: ``code`` is stable for machines, ``message`` is in the actor's
    language. Nothing was changed."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Outcome:
    name: str
    version: int
    repeated: bool = False
    notice: str = ""  # what to tell the actor (e.g. thanks to the offerer)


@dataclass
class Context:
    """What a handler works on: the session, the actor's table (``table``) and, for a
    session-wide command, every table (``tables``, locked with the session). The pipeline saves
    what the handler changed of the session, the tables and the ``actor``; other rows are the
    handler's to save."""

    session: LiveSession
    table: LiveTable
    actor: Participant
    now: datetime
    steps: list[LiveStep]
    tables: list[LiveTable] = field(default_factory=list)
    notice: str = ""

    @property
    def step(self) -> LiveStep:
        return self.steps[self.table.step_index]

    @property
    def room(self) -> LiveTable:
        """The session's room (the plenary), among the locked tables or read."""
        found = next((t for t in self.tables if t.number == ROOM_NUMBER), None)
        return found or LiveTable.objects.get(session=self.session, number=ROOM_NUMBER)


# --- Arguments: declared once by each command's signature, parsed the same for every door ----

Id = NewType("Id", int)  # an id: a JSON integer or a form's decimal text
Text = NewType("Text", str)  # a text people write; clean_text applies its limit and the quota
StepKey = NewType("StepKey", str)  # the key of the step the page was showing
DateText = NewType("DateText", str)  # a calendar date, YYYY-MM-DD

# What a yes/no argument may be: JSON booleans, or the words HTML forms send.
YES = ("true", "yes", "on", "1")
NO = ("false", "no", "off", "0")


def _malformed() -> CommandRefused:
    return CommandRefused("bad_args", _("This command's data is malformed."))


def parse_flag(value) -> bool:
    """A yes/no argument: true/false, or one of YES/NO (any case); anything else is refused
    (bad_args), so that {"ready": "no"} never means yes."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in YES + NO:
        return value.strip().lower() in YES
    raise _malformed()


def parse_int(value) -> int:
    """An integer argument: a JSON integer (not a boolean, not a fraction) or decimal text."""
    if isinstance(value, bool):
        raise _malformed()
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    raise _malformed()


def parse_text(value) -> str:
    if not isinstance(value, str):
        raise CommandRefused("bad_text", _("Please write a text."))
    return value


def parse_word(value) -> str:
    if not isinstance(value, str) or len(value) > 100:
        raise _malformed()
    return value


def parse_mapping(value) -> dict:
    if not isinstance(value, dict):
        raise _malformed()
    return value


PARSERS: dict = {bool: parse_flag, int: parse_int, Id: parse_int, Text: parse_text, StepKey: parse_word, DateText: parse_word, dict: parse_mapping}
# JSON Schema of each argument type (docs/asyncapi.yaml's CommandArguments is checked against it).
_DECIMAL = {"type": "string", "pattern": "^-?[0-9]+$"}
SCHEMAS: dict = {
    bool: {"anyOf": [{"type": "boolean"}, {"enum": list(YES + NO)}]},
    int: {"anyOf": [{"type": "integer"}, _DECIMAL]},
    Id: {"anyOf": [{"type": "integer"}, _DECIMAL]},
    Text: {"type": "string"},
    StepKey: {"type": "string"},
    DateText: {"type": "string", "format": "date"},
    dict: {"type": "object"},
}


@dataclass(frozen=True)
class Argument:
    """One argument of a command, read from its handler's signature: ``kind`` is one of PARSERS'
    keys or a Literal of allowed strings; optional arguments default to ``default``."""

    name: str
    kind: object
    required: bool
    default: object = None

    def parse(self, value):
        # A form's empty field is an optional argument left out (a date, an id); never a yes/no.
        if value is None or (value == "" and not self.required and self.kind not in (Text, bool)):
            if self.required and self.kind is Text:
                raise CommandRefused("bad_text", _("Please write a text."))
            if self.required:
                raise _malformed()
            return self.default
        if typing.get_origin(self.kind) is Literal:
            if value not in typing.get_args(self.kind):
                raise _malformed()
            return value
        return PARSERS[self.kind](value)

    def schema(self) -> dict:
        if typing.get_origin(self.kind) is Literal:
            return {"enum": list(typing.get_args(self.kind))}
        return dict(SCHEMAS[self.kind])


def _declared_arguments(handler: Callable) -> tuple[Argument, ...]:
    hints = typing.get_type_hints(handler)
    arguments = []
    for parameter in list(inspect.signature(handler).parameters.values())[1:]:
        kind = hints[parameter.name]
        options = typing.get_args(kind) if typing.get_origin(kind) in (typing.Union, types.UnionType) else ()
        if options:
            kind = next(option for option in options if option is not type(None))
        required = parameter.default is inspect.Parameter.empty
        if typing.get_origin(kind) is not Literal and kind not in PARSERS:
            raise TypeError(f"{handler.__name__}: argument {parameter.name} has no parser for {kind!r}")
        arguments.append(Argument(parameter.name, kind, required, None if required else parameter.default))
    return tuple(arguments)


@dataclass(frozen=True)
class CommandSpec:
    handler: Callable[..., None]
    roles: frozenset[str]
    activities: frozenset[str] | None  # None: any step; checked while the session runs
    when: frozenset[str] = field(default_factory=lambda: frozenset({LiveSession.Status.RUNNING}))
    arguments: tuple[Argument, ...] = ()
    # TABLE: changes the actor's table only (its row is the one locked); SESSION: changes the
    # session and every table (all locked, session first); ROOM: SESSION while the actor works
    # at the room (a step change there reaches every formed table), TABLE at a formed table.
    scope: str = "table"
    # A rule of the protocol beyond role and step (its ``bringer``, a step's actors):
    # ``allowed(session, actor, step)`` gives the refusal, or None; step is None unless running.
    allowed: Callable[..., "CommandRefused | None"] | None = None

    def parse(self, args: dict) -> dict:
        """The handler's keyword arguments from a door's ``args`` (JSON or form values), or
        CommandRefused("bad_args") for an unknown, missing or malformed one."""
        known = {argument.name for argument in self.arguments}
        if set(args) - known:
            raise _malformed()
        return {argument.name: argument.parse(args.get(argument.name)) for argument in self.arguments}

    def schema(self) -> dict:
        """The JSON Schema of this command's ``args`` (for docs/asyncapi.yaml)."""
        return {
            "type": "object",
            "additionalProperties": False,
            "required": [a.name for a in self.arguments if a.required],
            "properties": {a.name: a.schema() for a in self.arguments},
        }


COMMANDS: dict[str, CommandSpec] = {}


def arguments_schemas() -> dict:
    """{command name: JSON Schema of its args}, from the declarations: what docs/asyncapi.yaml's
    CommandArguments must say (tests/live/test_websocket_limits.py checks it)."""
    return {name: spec.schema() for name, spec in sorted(COMMANDS.items())}


TABLE = "table"
SESSION = "session"
ROOM = "room"


def command(name: str, roles=EVERYONE, activities=None, when=(LiveSession.Status.RUNNING,), scope=TABLE, allowed=None):
    """Register ``handler(context, **arguments)`` as the command ``name``: who may send it
    (``roles``), at which steps' activities while the session runs (None: any), in which
    session states (``when``), what it changes (``scope``: the actor's TABLE, or the whole
    SESSION), and ``allowed(session, actor, step)``: a rule of the protocol beyond role and
    step, returning a CommandRefused or None; its typed keyword parameters declare its
    arguments."""

    def register(handler):
        COMMANDS[name] = CommandSpec(
            handler=handler,
            roles=frozenset(roles),
            activities=frozenset(activities) if activities is not None else None,
            when=frozenset(when),
            arguments=_declared_arguments(handler),
            scope=scope,
            allowed=allowed,
        )
        return handler

    return register


def refusal(
    session: LiveSession, table: LiveTable, actor: Participant, name: str, steps: list[LiveStep] | None = None
) -> CommandRefused | None:
    """Why ``actor`` may not send ``name`` now, whatever its arguments, or None when they may:
    the session's state, the actor's role, the current step's activity and the command's
    protocol rule (``allowed``). ``execute`` runs
    this very check, and the view model's ``can`` is computed from it."""
    spec = COMMANDS.get(name)
    if spec is None:
        return CommandRefused("unknown", _("Unknown command."))
    if session.status not in spec.when:
        if session.status == LiveSession.Status.ENDED:
            return CommandRefused("ended", _("This session has ended."))
        return CommandRefused("not_started", _("The session has not started yet."))
    # A formed table's host runs it (role_at); what changes the whole session stays the
    # facilitator's.
    if (actor.role if spec.scope == SESSION else role_at(table, actor, steps)) not in spec.roles:
        return CommandRefused("wrong_role", _("Your role does not allow this."))
    if spec.activities is not None and session.status == LiveSession.Status.RUNNING:
        steps = steps if steps is not None else live_steps(session.protocol_version.spec, session.agenda)
        if steps[table.step_index].activity not in spec.activities:
            return CommandRefused("wrong_step", _("This is not possible at this step."))
    if spec.allowed is not None:
        step = None
        if session.status == LiveSession.Status.RUNNING:
            steps = steps if steps is not None else live_steps(session.protocol_version.spec, session.agenda)
            step = steps[table.step_index]
        return spec.allowed(session, actor, step)
    return None


def role_at(table: LiveTable, actor: Participant, steps: list[LiveStep] | None = None) -> str:
    """The role ``actor`` acts with at ``table``: the facilitator's for the host of a formed
    table while it works its own steps (``scope: table``: they run its steps, turns and
    clocks), else their own (at the plenary's documentation, say, the host is a member like
    the others)."""
    if table is None or table.number == ROOM_NUMBER or table.host_id is None or table.host_id != actor.pk:
        return actor.role
    if steps is None:
        session = table.session
        steps = live_steps(session.protocol_version.spec, session.agenda)
    if table.step_index < len(steps) and steps[table.step_index].step.scope != "table":
        return actor.role
    return FACILITATOR


def execute(session_id: int, actor_id: int, client_id: str | uuid.UUID, name: str, args: dict | None = None) -> Outcome:
    """Apply one command of one participant, once. See the module docstring."""
    try:
        client_uuid = uuid.UUID(str(client_id))
    except ValueError:
        raise CommandRefused("bad_id", _("This command has no valid identifier; reload the page.")) from None
    spec = COMMANDS.get(name)
    if spec is None:
        raise CommandRefused("unknown", _("Unknown command."))
    args = args or {}
    if not isinstance(args, dict):
        raise CommandRefused("bad_args", _("This command's data is malformed."))
    with all_tenants():
        try:
            return _execute(session_id, actor_id, client_uuid, name, spec, args)
        except CommandRefused as refused:
            logger.info("live command %s refused in session %s: %s", name, session_id, refused.code)
            raise
        except IntegrityError:
            # Two copies of the same command raced: the other one was applied.
            repeated = _applied(session_id, client_uuid)
            if repeated is None:
                raise
            return repeated


def _execute(session_id, actor_id, client_uuid, name, spec, args) -> Outcome:
    with serialised_writes(), transaction.atomic():
        # Lock only the rows the command changes: the actor's table, or (session-wide) the
        # session then its tables. FOR NO KEY UPDATE, so that rows referring to them (the
        # applied command, the actor's counters) can still be written by other commands, and
        # never the joined protocol version, which every session of a protocol shares.
        seated = rows.instances(Participant, "id = %s AND session_id = %s AND removed_at IS NULL", [actor_id, session_id])
        actor = seated[0] if seated else None
        scope = spec.scope
        looked = None
        if scope == ROOM:
            # Unlocked look at where the actor works; checked again once locked.
            looked = look(session_id, actor)
            where = looked[1] if actor is not None else None
            scope = SESSION if where is None or where.number == ROOM_NUMBER else TABLE
        if scope == SESSION:
            session = with_protocol(LiveSession.objects.select_for_update(no_key=True).filter(pk=session_id).first())
            tables = list(LiveTable.objects.select_for_update(no_key=True).filter(session_id=session_id).order_by("number"))
        else:
            session, where = looked or look(session_id, actor)
            table = _locked_table(session, actor, where) if session is not None else None
            tables = [table] if table is not None else []
        if session is None or not tables:
            raise CommandRefused("no_session", _("This session does not exist."))
        repeated = _applied(session.pk, client_uuid)
        if repeated is not None:
            return repeated
        if actor is None:
            raise CommandRefused("not_participant", _("You are not (or no longer) a participant of this session."))
        for each in tables:
            each.session = session
        before = {each.pk: _saved_values(each) for each in tables}
        session_before = _saved_values(session)
        steps = live_steps(session.protocol_version.spec, session.agenda)
        table = working_table(session, tables, actor, steps) if scope == SESSION else tables[0]
        if spec.scope == ROOM and scope == TABLE and table.number == ROOM_NUMBER:
            # The tables were recalled meanwhile: the page was stale.
            raise CommandRefused("moved", _("Everybody is back in the plenary: nothing was changed; look again."))
        refused = refusal(session, table, actor, name, steps)
        if refused is not None:
            raise refused
        now = timezone.now()
        actor_before = _saved_values(actor)
        _take_token(actor, now)
        context = Context(session, table, actor, now, steps, tables)
        spec.handler(context, **spec.parse(args))
        # The actor's token bucket and write quota, with what the handler changed of the actor
        # (ready, role, table...): one row update whatever the command wrote. Handlers change
        # ``context.actor`` and leave saving it here.
        actor.save(update_fields={*ACTOR_COUNTERS, *_changed(actor, actor_before)})
        if scope == SESSION:
            changed = _changed(session, session_before)
            if changed:
                session.save(update_fields=changed)
            # A change of every table: each takes the next version after the highest, so that a
            # person moved from one table to another never goes back in version.
            top = max(each.version for each in tables) + 1
            for each in tables:
                each.version = top
                if each.pk in before:
                    each.save(update_fields={*_changed(each, before[each.pk]), "version"})
                else:  # formed by this command
                    each.save()
        else:
            table.version += 1
            table.save(update_fields={*_changed(table, before[table.pk]), "version"})
        version = table.version
        AppliedCommand.objects.create(session=session, client_id=client_uuid, participant=actor, name=name, version=version)
        transaction.on_commit(lambda: signal_changed(session_id, version))
    logger.info("live command %s applied to session %s (v%s)", name, session_id, version)
    return Outcome(name=name, version=version, notice=context.notice)


def _applied(session_id: int, client_uuid: uuid.UUID) -> Outcome | None:
    """The outcome of the command ``client_uuid`` if it was already applied in this session
    (marked ``repeated``), else None: one plain query."""
    client_id = AppliedCommand._meta.get_field("client_id").get_db_prep_value(client_uuid, connection)
    found = rows.select(AppliedCommand, ["name", "version"], "session_id = %s AND client_id = %s", [session_id, client_id])
    return Outcome(name=found[0]["name"], version=found[0]["version"], repeated=True) if found else None


def _saved_values(row) -> dict:
    """{column attribute: value} of ``row`` as read, lists and dicts copied (a handler may
    change them in place), to save only what the command changed: an encrypted text saved
    again costs its encryption, and a full row was half a command's SQL."""
    return {
        field.attname: copy.copy(getattr(row, field.attname))
        for field in row._meta.concrete_fields if not field.primary_key
    }


def _changed(row, before: dict) -> list[str]:
    """The attributes of ``row`` that differ from ``before`` (``_saved_values``)."""
    return [name for name, value in before.items() if getattr(row, name) != value]


def look(session_id: int, actor: Participant | None) -> tuple[LiveSession | None, LiveTable | None]:
    """The session and the table where ``actor`` works now (``table_of``; the room without an
    actor), both unlocked and read in one statement; (None, None) for no such session."""
    with shared_reads():
        tables = session_tables(session_id)
        if not tables:
            return None, None
        session = with_protocol(tables[0].session)
        return session, table_of(session, actor)


def _locked_table(session: LiveSession, actor: Participant | None, where: LiveTable | None) -> LiveTable | None:
    """The table where the actor works now (``where``, as ``look`` found it unlocked),
    locked, and still the one once held (the room's step decides where people work: the
    tables may be recalled or sent out meanwhile; then the new one is taken)."""
    for _attempt in range(5):
        if where is None:
            return None
        locked = LiveTable.objects.select_for_update(no_key=True).filter(pk=where.pk).first()
        if locked is None:
            return None
        if getattr(session, "table_count", 1) < 2:
            # One table (the room): nothing can send the actor elsewhere meanwhile, since tables
            # are formed (PLANNING) before a later command sends them to work.
            return locked
        again = table_of(session, actor)
        if again is not None and again.pk == locked.pk:
            return locked
        where = again
    raise CommandRefused("busy", _("The tables are moving: try again in a moment."))


def tables_out(session: LiveSession, tables: list[LiveTable], steps: list[LiveStep] | None = None) -> bool:
    """Whether the formed tables are at work: the session runs, has tables besides its room,
    and the room is at a ``scope: table`` step (DESIGN.md capability 3). Otherwise everybody is
    in the plenary, at the room."""
    if len(tables) < 2 or session.status != LiveSession.Status.RUNNING:
        return False
    room = next((t for t in tables if t.number == ROOM_NUMBER), None)
    if room is None:
        return False
    steps = steps if steps is not None else live_steps(session.protocol_version.spec, session.agenda)
    return steps[room.step_index].step.scope == "table"


# Plenary activities that work on each person's own table's content once tables have worked:
# the documentation (each table's notes are condensed by its offerer and shared only with the
# consent of the people of that table, field document 001 "Documentation"), during the session
# and after it.
OWN_TABLE_ACTIVITIES = frozenset({"documentation"})


def working_table(session: LiveSession, tables: list[LiveTable], participant: Participant | None, steps=None) -> LiveTable:
    """Where ``participant`` works and looks now, among the session's ``tables``: their formed
    table while the tables are at work (``tables_out``; for a facilitator, the table they
    visit), their own formed table at a plenary step of OWN_TABLE_ACTIVITIES, else the room
    (number ROOM_NUMBER: the whole group, the plenary). The formed tables follow the room into
    those steps (``activities.course.follow_room``), so that their own step is that one."""
    ordered = sorted(tables, key=lambda t: t.number)
    room = next((t for t in ordered if t.number == ROOM_NUMBER), ordered[0])
    if participant is None or len(ordered) < 2:
        return room
    if not tables_out(session, ordered, steps):
        if participant.role == FACILITATOR or participant.table_id in (None, room.pk):
            return room
        steps = steps if steps is not None else live_steps(session.protocol_version.spec, session.agenda)
        if room.step_index >= len(steps) or steps[room.step_index].activity not in OWN_TABLE_ACTIVITIES:
            return room
        return next((t for t in ordered if t.pk == participant.table_id), room)
    wanted = participant.visiting_id if participant.role == FACILITATOR else participant.table_id
    return next((t for t in ordered if t.pk == wanted), room)


def session_tables(session_id: int) -> list[LiveTable]:
    """Every table of the session, each with the session's row read in the same statement
    (``table.session``): once per push for every view of it (live.domain.reads), a plain read
    elsewhere. Empty for a session that does not exist."""
    def load() -> list[LiveTable]:
        # Plain SQL (live.domain.rows): as an ORM query with select_related this one statement
        # was a tenth of a worker's time (py-spy, bench/room.py on PostgreSQL).
        return rows.instances_with(LiveTable, "session", "t.session_id = %s", [session_id])

    return read(("tables", session_id), load)


def table_of(session: LiveSession, participant: Participant | None = None) -> LiveTable:
    """The table where ``participant`` works now (``working_table``: their formed table while
    tables are at work, else the room); the room without a participant. Not locked."""
    tables = session_tables(session.pk)
    if not tables:
        return None
    # Every table and the session in one statement, one snapshot: ``session`` takes the state
    # read with the tables' versions, so that a view never shows an older state (say, still
    # running) under a newer version (the session's end), which clients would then skip.
    snapshot = tables[0].session
    for name in SNAPSHOT_FIELDS:
        setattr(session, name, getattr(snapshot, name))
    for table in tables:
        table.session = session
    session.table_count = len(tables)
    found = working_table(session, tables, participant)
    found.all_tables = sorted(tables, key=lambda t: t.number)
    return found


def view_version(table: LiveTable, viewer: Participant | None) -> int:
    """The version of what ``viewer`` sees at ``table`` (as ``table_of`` returns it, with every
    table of the session read in the same statement). Their table's own, except for the
    facilitator, whose console and projector show every table (the tables' panel): the sum of
    the session's table versions. Every change of any table raises that sum, without a lock
    shared by the tables (tables only ever go up; ``form_tables`` gives the tables it creates
    the versions of those it replaces). Clients keep a fragment only when its version is newer
    (live.js), so a change at one table reaches the console as a newer version."""
    tables = getattr(table, "all_tables", None) or [table]
    if viewer is not None and viewer.role == FACILITATOR and len(tables) > 1:
        return sum(t.version for t in tables)
    return table.version


# The session's fields a command changes, refreshed by table_of with the table's version.
SNAPSHOT_FIELDS = ("status", "ended_at", "paused_at", "pauses", "seat_margin", "broadcast", "broadcast_at")


# The actor's columns the command path itself keeps (saved once per applied command by _execute).
ACTOR_COUNTERS = ["command_tokens", "command_tokens_at", "written_items", "written_bytes"]


def _take_token(actor: Participant, now: datetime) -> None:
    """Spend one of the actor's command tokens (rules.TokenBucket of COMMAND_BURST, refilled at
    COMMAND_RATE a second), or refuse: the flood control of every door, kept in the database
    so that it holds across processes (saved by _execute with the command). A refused command
    rolls its token back with the rest."""
    at = now.timestamp()
    if actor.command_tokens is None or actor.command_tokens_at is None:
        bucket = rules.TokenBucket.full(COMMAND_BURST, COMMAND_RATE, at)
    else:
        bucket = rules.TokenBucket(COMMAND_BURST, COMMAND_RATE, actor.command_tokens, actor.command_tokens_at.timestamp())
    taken = bucket.take(at)
    if taken is None:
        raise CommandRefused("rate_limited", _("Too many actions at once: wait a few seconds, then try again."))
    actor.command_tokens = taken.tokens
    actor.command_tokens_at = now


# --- Checking input ------------------------------------------------------------------------


def clean_text(context: Context, value, kind: str) -> str:
    """The text ``value`` of this ``kind`` (a key of LIMITS), stripped, charged to the actor's
    write quota; refused (CommandRefused) when not a text, empty, longer than its limit or over
    the quota. Every text written in a session goes through here."""
    if not isinstance(value, str):
        raise CommandRefused("bad_text", _("Please write a text."))
    text = value.strip()
    if not text:
        raise CommandRefused("empty_text", _("The text is empty."))
    limit = LIMITS[kind]
    if len(text) > limit:
        raise CommandRefused(
            "too_long", _("The text is too long: %(length)d characters, at most %(max)d.") % {"length": len(text), "max": limit}
        )
    _charge_quota(context.actor, text)
    return text


def _charge_quota(actor: Participant, text: str) -> None:
    """Count one more text of ``len(text.encode())`` bytes against WRITE_QUOTA_ITEMS and
    WRITE_QUOTA_BYTES for this participant (saved by _execute with the command), or refuse."""
    size = len(text.encode("utf-8"))
    if actor.written_items + 1 > WRITE_QUOTA_ITEMS:
        raise CommandRefused(
            "quota_items",
            _("You have written %(max)d texts in this session, the most one person may write.") % {"max": WRITE_QUOTA_ITEMS},
        )
    if actor.written_bytes + size > WRITE_QUOTA_BYTES:
        raise CommandRefused(
            "quota_bytes",
            _("You have written as much as one person may write in this session (%(max)d kB).")
            % {"max": WRITE_QUOTA_BYTES // 1000},
        )
    actor.written_items += 1
    actor.written_bytes += size


def write_quota(participant: Participant) -> dict:
    """What this participant has written and may still write: {"items", "max_items", "bytes",
    "max_bytes"} (bytes of UTF-8), for the views to show."""
    return {
        "items": participant.written_items,
        "max_items": WRITE_QUOTA_ITEMS,
        "bytes": participant.written_bytes,
        "max_bytes": WRITE_QUOTA_BYTES,
    }


def clean_id(value) -> int:
    """An id argument (see parse_int), or CommandRefused("bad_args")."""
    return parse_int(value)


def active_participants(session: LiveSession):
    return Participant.objects.filter(session=session, removed_at__isnull=True)


def present_participant(session: LiveSession, participant_id) -> Participant:
    found = active_participants(session).filter(pk=clean_id(participant_id)).first()
    if found is None:
        raise CommandRefused("no_participant", _("This person is not in the session."))
    return found


def own_item(model, context: Context, item_id):
    """The item ``item_id`` of ``model`` at the actor's table (or, for session-wide content such
    as ground rules, in the session), which the actor wrote or, as facilitator, may change."""
    scoped = any(f.name == "table" for f in model._meta.get_fields())
    where = {"table": context.table} if scoped else {"session": context.session}
    found = model.objects.filter(pk=clean_id(item_id), **where).first()
    if found is None:
        raise CommandRefused("not_found", _("This item no longer exists."))
    if found.author_id != context.actor.pk and context.actor.role != FACILITATOR:
        raise CommandRefused("wrong_role", _("Your role does not allow this."))
    return found


# Every activity's commands register themselves with @command when their module is imported.
from . import activities  # noqa: E402, F401

"""Parallel tables (DESIGN.md capability 3; field document 002, the atelier pratique: "des
petits groupes de 3 à 5 personnes discutent ensuite de la problématique lors de trois tours de
table"; issue 12): forming the tables, moving people, hosts and languages, the facilitator's
message to every table, a table's call for help, visiting a table and the recall to the
plenary.

The room (table ``ROOM_NUMBER``) is the whole group and the plenary. Formed tables are numbers
2 and up. While the room is at a ``scope: table`` step, every formed table works on its own
step position, clocks, turn and case (``commands.working_table``); each table's content
(problems, votes, questions, turns, ideas, actions, consents) belongs to it, so moving a person
keeps every table's content where it was written.
"""

import math

from django.utils.translation import gettext as _

from ...models import ROOM_NUMBER, LiveSession, LiveTable, Participant, Problem
from ..commands import (
    EVERYONE,
    FACILITATOR,
    OFFERER,
    PARTICIPANTS,
    SESSION,
    CommandRefused,
    Context,
    Id,
    Text,
    active_participants,
    clean_id,
    clean_text,
    command,
    present_participant,
    tables_out,
)
from typing import Literal

BROADCAST_MAX = 200
LANGUAGES = ("", "fr", "de", "en", "it")
PLANNING = (LiveSession.Status.OPEN, LiveSession.Status.RUNNING)


def _not_while_out(context: Context) -> None:
    if tables_out(context.session, context.tables, context.steps):
        raise CommandRefused("tables_at_work", _("The tables are at work: recall everybody to the plenary first."))


def _table(context: Context, table_id, *, room: bool = False) -> LiveTable:
    """The table ``table_id`` (an id) of this session among those held; the room only when
    ``room``."""
    wanted = clean_id(table_id)
    found = next((t for t in context.tables if t.pk == wanted), None)
    if found is None or (found.number == ROOM_NUMBER and not room):
        raise CommandRefused("no_table", _("This table does not exist (any more): look again."))
    return found


def seated(context: Context) -> list[Participant]:
    """The people to seat at tables: everybody present but the facilitator."""
    return [p for p in active_participants(context.session) if p.role != FACILITATOR]


def room_cases(session: LiveSession, room: LiveTable) -> list[Problem]:
    """The cases presented in plenary (problems written at the room), in writing order: in an
    atelier pratique each is a presenter's question, and a table forms around each."""
    return list(Problem.objects.filter(table=room, declined=False).select_related("author"))


def _sizes(count: int, people: int, session: LiveSession) -> tuple[int, int]:
    """(min, max) people per table for ``people`` at ``count`` tables: the protocol's
    ``tables: {min, max}`` where it has them, else as even as possible."""
    spec = session.protocol_version.spec
    low, high = math.floor(people / count), math.ceil(people / count)
    return min(low, spec.table_min or low), max(high, spec.table_max or high)


def _replace_tables(context: Context, count: int) -> list[LiveTable]:
    """``count`` fresh formed tables (the previous ones, which hold nothing yet, removed); every
    participant back at the room until seated."""
    old = [t for t in context.tables if t.number != ROOM_NUMBER]
    for table in old:
        if Problem.objects.filter(table=table).exists():
            raise CommandRefused("tables_worked", _("The tables have worked already: move people between them instead."))
    room = context.room
    Participant.objects.filter(session=context.session).update(table=room, visiting=None)
    LiveTable.objects.filter(pk__in=[t.pk for t in old]).delete()
    # The new tables start above the room and carry the versions of those they replace, so that
    # the sum of the session's versions (what the console holds, commands.view_version) still
    # goes up once the command has raised every table.
    top = max(t.version for t in context.tables) + sum(t.version for t in old)
    created = [
        LiveTable.objects.create(session=context.session, number=ROOM_NUMBER + n, step_index=room.step_index, version=top)
        for n in range(1, count + 1)
    ]
    for table in created:
        table.session = context.session
    context.tables[:] = [room] + created
    return created


@command("form_tables", roles={FACILITATOR}, when=PLANNING, scope=SESSION)
def form_tables(
    context: Context, count: int | None = None, per_table: int | None = None, assign: Literal["auto", "hand", "choice"] = "auto", seed: int = 0
) -> None:
    """Form the tables before a ``scope: table`` part: ``count`` tables, or as many as needed for
    ``per_table`` people each (one of the two; in a session with cases presented in plenary,
    one table per case when neither is given). ``assign``: "auto" (entraide.grouping.form_tables:
    preferred cases, languages, sizes; deterministic for ``seed``), "hand" (the facilitator
    moves people) or "choice" (each person chooses a table on their phone). Refused while
    tables are at work, for fewer than one person per table, or when the tables already hold
    work."""
    _not_while_out(context)
    people = seated(context)
    cases = room_cases(context.session, context.room)
    if count is None and per_table is None and cases:
        count = len(cases)
    if count is None and per_table is None:
        raise CommandRefused("bad_tables", _("Say how many tables, or how many people per table."))
    if count is not None and not 1 <= count <= 50:
        raise CommandRefused("bad_tables", _("Choose between 1 and 50 tables."))
    if count is None:
        if not 2 <= per_table <= 20:
            raise CommandRefused("bad_tables", _("Choose between 2 and 20 people per table."))
        count = max(1, math.ceil(len(people) / per_table))
    if assign == "auto" and len(people) < count:
        raise CommandRefused(
            "too_few", _("%(people)d people cannot form %(count)d tables.") % {"people": len(people), "count": count}
        )
    created = _replace_tables(context, count)
    around = cases if len(cases) == count else []
    if assign == "auto":
        _assign_auto(context, people, created, around, seed)
    _seat_presenters(context, created, around)


def _seat_presenters(context: Context, tables: list[LiveTable], cases: list[Problem]) -> None:
    """One table around each case presented in plenary (field document 002: "des petits groupes
    ... conseillent collégialement la personne qui présente le cas"): its author sits at their
    table as the person who brings it (role offerer, ``make_offerer``) and the case is the one
    the table works on, whichever way the others are seated."""
    from .bringer import make_offerer

    for table, case in zip(tables, cases):
        author = case.author
        if author.removed_at is not None or author.role == FACILITATOR:
            continue
        if author.table_id != table.pk:
            author.table = table
            author.save(update_fields=["table"])
        make_offerer(context.session, table, author, case)


def _assign_auto(context: Context, people: list[Participant], tables: list[LiveTable], cases: list[Problem], seed: int) -> None:
    """Seat ``people`` at ``tables`` with ``entraide.grouping.form_tables``: around each case's
    presenter when the room has one case per table (their preferences count), else around
    anchors spread in joining order. The grouping's refusals (sizes, languages) are the
    facilitator's message."""
    try:
        from entraide.grouping import Case, GroupingImpossible, Person
        from entraide.grouping import form_tables as solve
    except ImportError:
        raise CommandRefused(
            "no_grouping",
            _("Automatic forming is not available here (the grouping package is missing): assign by hand or let people choose."),
        ) from None
    by_key = {str(p.pk): p for p in people}
    if cases:
        anchors = [case.author for case in cases]
        keys = [f"case-{case.pk}" for case in cases]
        case_of = {case.pk: key for case, key in zip(cases, keys)}
    else:
        order = sorted(people, key=lambda p: (p.joined_at, p.pk))
        anchors = order[:: max(1, len(order) // len(tables))][: len(tables)]
        keys = [f"table-{t.number}" for t in tables]
        case_of = {}
    grouping_cases = [
        Case(key=key, presenter=str(anchor.pk), language=table.language) for key, anchor, table in zip(keys, anchors, tables)
    ]
    grouping_people = [
        Person(
            key=str(p.pk),
            preferences=tuple(case_of[c] for c in p.preferences if c in case_of),
            languages=frozenset(p.languages.split()),
        )
        for p in people
    ]
    low, high = _sizes(len(tables), len(people), context.session)
    try:
        result = solve(grouping_people, grouping_cases, min_size=low, max_size=high, seed=seed)
    except GroupingImpossible as impossible:
        raise CommandRefused("grouping_impossible", str(impossible)) from None
    for table, members in zip(tables, result.tables):
        Participant.objects.filter(pk__in=[by_key[k].pk for k in members if k in by_key]).update(table=table)


@command("move_participant", roles={FACILITATOR}, when=PLANNING, scope=SESSION)
def move_participant(context: Context, participant: Id, table: Id) -> None:
    """Seat ``participant`` (an id) at ``table`` (an id; the room's: unseated). What they wrote
    stays at the table where it was written. Refused for the facilitator, and for the person
    whose case a table is working on."""
    person = present_participant(context.session, participant)
    target = _table(context, table, room=True)
    if person.role == FACILITATOR:
        raise CommandRefused("self", _("The facilitator visits the tables rather than sitting at one."))
    if person.table_id == target.pk:
        return
    if any(t.offerer_id == person.pk and t.pk != target.pk and t.number != ROOM_NUMBER for t in context.tables):
        raise CommandRefused("offerer", _("This person brings the case of their table: they stay with it."))
    for each in context.tables:
        if each.host_id == person.pk and each.pk != target.pk:
            each.host = None
    person.table = target
    person.ready_step = None
    person.save(update_fields=["table", "ready_step"])


@command("choose_table", roles=PARTICIPANTS, when=PLANNING, scope=SESSION)
def choose_table(context: Context, table: Id) -> None:
    """Sit at ``table`` (an id) oneself, while the tables are forming: refused once they are at
    work, and at a table already at the protocol's maximum size."""
    _not_while_out(context)
    target = _table(context, table)
    limit = context.session.protocol_version.spec.table_max
    members = Participant.objects.filter(table=target, removed_at__isnull=True).exclude(pk=context.actor.pk).count()
    if limit and members >= limit:
        raise CommandRefused("table_full", _("This table is full: choose another."))
    if any(t.offerer_id == context.actor.pk and t.pk != target.pk for t in context.tables if t.number != ROOM_NUMBER):
        raise CommandRefused("offerer", _("This person brings the case of their table: they stay with it."))
    context.actor.table = target


@command("prefer_case", roles=PARTICIPANTS, when=PLANNING, scope=SESSION)
def prefer_case(context: Context, problem: Id, wanted: bool = True) -> None:
    """Mark (or unmark) the case ``problem`` (an id of a case presented in plenary) as one the
    actor would like to work on; the order of marking is the ranking (field document 002:
    participants choose the situation they discuss). At most three."""
    case = clean_id(problem)
    if case not in {p.pk for p in room_cases(context.session, context.room)}:
        raise CommandRefused("not_found", _("This item no longer exists."))
    ranked = [c for c in context.actor.preferences if c != case]
    if wanted:
        if len(ranked) >= 3:
            raise CommandRefused("too_many", _("Choose at most three cases."))
        ranked.append(case)
    context.actor.preferences = ranked


@command("set_host", roles={FACILITATOR}, when=PLANNING, scope=SESSION)
def set_host(context: Context, table: Id, participant: Id | None = None) -> None:
    """Make ``participant`` (an id, a member of ``table``) the host of ``table`` (an id): they
    run its steps, turns and clocks while it works. Without ``participant``: no host."""
    target = _table(context, table)
    if participant is None:
        target.host = None
        return
    person = present_participant(context.session, participant)
    if person.table_id != target.pk:
        raise CommandRefused("not_member", _("Seat this person at the table first."))
    if person.pk == target.offerer_id:
        raise CommandRefused("offerer", _("The person who brings the case cannot also host the table."))
    target.host = person


@command("set_table_language", roles={FACILITATOR}, when=PLANNING, scope=SESSION)
def set_table_language(context: Context, table: Id, language: Literal["", "fr", "de", "en", "it"] = "") -> None:
    """The language ``table`` (an id) works in (empty: any), for multilingual events."""
    _table(context, table).language = language


@command("broadcast", roles={FACILITATOR}, when=PLANNING, scope=SESSION)
def broadcast(context: Context, text: Text) -> None:
    """A short message (at most BROADCAST_MAX characters) shown on every phone and table until
    the next one ("5 minutes left", "come back at 10:30"). An empty text is refused."""
    context.session.broadcast = clean_text(context, text, "broadcast")
    context.session.broadcast_at = context.now


@command("call_help", roles=EVERYONE, scope=SESSION)
def call_help(context: Context) -> None:
    """A formed table calls the facilitator (shown on the console until answered); refused in
    the plenary, where the facilitator is present. Session-wide, so that the room's version
    moves too and the console (at the room) is pushed the call at once."""
    if context.table.number == ROOM_NUMBER:
        raise CommandRefused("in_plenary", _("You are in the plenary: the facilitator is with you."))
    if context.table.help_called_at is None:
        context.table.help_called_at = context.now


@command("answer_help", roles={FACILITATOR}, scope=SESSION)
def answer_help(context: Context, table: Id) -> None:
    """The facilitator answers ``table``'s call (an id): the call is cleared."""
    _table(context, table).help_called_at = None


@command("visit_table", roles={FACILITATOR}, scope=SESSION)
def visit_table(context: Context, table: Id | None = None) -> None:
    """Look at (and act on) ``table`` (an id) from the console while the tables work; without
    ``table``: back to the panel of all tables. Visiting a table that called answers it."""
    if table is None:
        context.actor.visiting = None
    else:
        target = _table(context, table)
        target.help_called_at = None
        context.actor.visiting = target


@command("recall", roles={FACILITATOR}, scope=SESSION)
def recall(context: Context) -> None:
    """Bring everybody back to the plenary at once: the room goes to the first plenary step
    after the tables' steps; every table keeps what it wrote (the plenary harvests it)."""
    from .course import enter_step, follow_room
    from .queue import close_floor

    room = context.room
    steps = context.steps
    if steps[room.step_index].step.scope != "table" or len(context.tables) < 2:
        raise CommandRefused("not_out", _("Everybody is already in the plenary."))
    following = next((s.index for s in steps[room.step_index + 1 :] if s.step.scope != "table"), None)
    if following is None:
        raise CommandRefused("no_plenary", _("No plenary step follows: end the session."))
    for table in context.tables:
        if table.number != ROOM_NUMBER:
            close_floor(context, table)
            table.turn_participant = None
            table.help_called_at = None
    context.table = room
    enter_step(context, following, room)
    follow_room(context, following)
    Participant.objects.filter(session=context.session, visiting__isnull=False).update(visiting=None)
    context.actor.visiting = None


# The limits of what this module lets people write (commands.LIMITS).
from ..commands import LIMITS  # noqa: E402

LIMITS.setdefault("broadcast", BROADCAST_MAX)

from typing import Literal
from datetime import datetime
from django.utils.translation import gettext as _

from ..commands import OWN_TABLE_ACTIVITIES, ROOM, CommandRefused, Context, FACILITATOR, MAX_ADDED_MINUTES, SESSION, StepKey, clean_id, command
from ...models import ROOM_NUMBER, LiveSession, LiveTable, Problem
from .bringer import CHOOSING, PICKED_BY_FACILITATOR, bringer_of, cases_make_tables
from .vote import candidates
from .queue import close_floor
from .. import rules
from ..clocks import session_pauses, step_clock, turn_clock


# --- Steps and the timer (facilitator) ------------------------------------------------------


def enter_step(context: Context, index: int, table: LiveTable | None = None) -> None:
    """Make step ``index`` current at ``table`` (the actor's by default). Its clock starts now,
    or at resume when the session is paused (the pause stays: one pause button for every
    clock)."""
    table = table or context.table
    table.step_index = index
    table.step_started_at = context.now
    table.extra_seconds = 0
    table.turn_participant = None
    table.turn_started_at = None
    table.turn_extra_seconds = 0
    close_floor(context, table)
    # A step done again is no longer "skipped".
    key = context.steps[index].key
    if key in table.skipped_steps:
        table.skipped_steps = [skipped for skipped in table.skipped_steps if skipped != key]


def check_current_step(context: Context, step) -> None:
    """``step`` names the step the facilitator acts on (its key): refuse when the session is
    elsewhere (another device moved it, or the page is stale). None: the current step."""
    if step is None:
        return
    if step != context.step.key:
        raise CommandRefused(
            "stale_step",
            _("The session is now at the step “%(title)s”: nothing was changed; look again.")
            % {"title": context.step.step.title.get()},
        )


@command("start", roles={FACILITATOR}, when=(LiveSession.Status.OPEN,), scope=SESSION)
def start(context: Context) -> None:
    session = context.session
    session.status = LiveSession.Status.RUNNING
    for table in context.tables:
        enter_step(context, 0, table)


def check_can_leave(context: Context) -> None:
    """Refuse (CommandRefused, saying what to do) to leave a step whose work decides what
    follows: a vote with problems to vote on must be settled, the consent given, and where the
    facilitator picks the person who brings the situation (spec ``bringer`` "volunteers" or
    "raised"), that person chosen. A vote with nothing to vote on never blocks."""
    session = context.session
    table = context.table
    activity = context.step.activity
    if activity == "vote" and table.chosen_problem_id is None and candidates(table):
        raise CommandRefused("choose_first", _("Reveal the votes and settle the choice before going on."))
    if activity in CHOOSING and bringer_of(session) in PICKED_BY_FACILITATOR and table.offerer_id is None and not cases_make_tables(session, table):
        if not Problem.objects.filter(table=table).exists() and bringer_of(session) == "volunteers":
            raise CommandRefused(
                "choose_bringer",
                _("Nobody has proposed a situation yet: ask who would like to bring one (they propose it on their phone), then choose it here."),
            )
        raise CommandRefused("choose_bringer", _("Choose the person who brings the situation before going on."))
    if activity == "consent" and table.offerer_id is None:
        raise CommandRefused("consent_first", _("The offerer must consent before going on."))


def formed_tables(context: Context) -> list[LiveTable]:
    """The formed tables (numbers after the room's), among those the command holds."""
    return [t for t in context.tables if t.number != ROOM_NUMBER]


def scope_of(context: Context, index: int) -> str:
    return context.steps[index].step.scope


def move_to(context: Context, index: int) -> None:
    """Make step ``index`` current where the actor works. At a formed table, only within the
    table's steps (``scope: table``): the plenary that follows is the facilitator's recall. At
    the room: while formed tables are at work, refused (recall them first); entering a
    ``scope: table`` step sends every formed table to it, each on its own clock."""
    table = context.table
    here = table.step_index
    if table.number != ROOM_NUMBER:
        if scope_of(context, index) != "table":
            if index > here:
                raise CommandRefused(
                    "plenary_next",
                    _("This is the table's last step: the facilitator will bring everybody back to the plenary."),
                )
            raise CommandRefused("first_table_step", _("This is the table's first step."))
        enter_step(context, index)
        return
    formed = formed_tables(context)
    if formed and scope_of(context, here) == "table":
        raise CommandRefused("tables_at_work", _("The tables are at work: recall everybody to the plenary first."))
    if formed and scope_of(context, index) == "table" and index < here:
        raise CommandRefused("tables_done", _("The tables have worked already: their steps are behind us."))
    enter_step(context, index)
    if formed and scope_of(context, index) == "table":
        for each in formed:
            enter_step(context, index, each)
            each.help_called_at = None
    else:
        follow_room(context, index)


def follow_room(context: Context, index: int) -> None:
    """At a plenary step where each person works on their own table's content
    (commands.OWN_TABLE_ACTIVITIES: the documentation of what each table worked), the formed
    tables take that step too, so that each offerer condenses their own table's notes and its
    members consent to sharing them (field document 001, "Documentation")."""
    if context.steps[index].activity in OWN_TABLE_ACTIVITIES:
        for each in formed_tables(context):
            enter_step(context, index, each)


@command("next_step", roles={FACILITATOR}, scope=ROOM)
def next_step(context: Context, step: StepKey | None = None) -> None:
    """Leave the current step ``step`` (its key) for the next one, once its guard allows."""
    check_current_step(context, step)
    check_can_leave(context)
    if context.table.step_index + 1 >= len(context.steps):
        raise CommandRefused("last_step", _("This is the last step: end the session."))
    move_to(context, context.table.step_index + 1)


@command("skip_step", roles={FACILITATOR}, scope=ROOM)
def skip_step(context: Context, step: StepKey | None = None) -> None:
    """Pass the current step ``step`` on purpose (one situation only, no vote needed...): no
    guard applies."""
    check_current_step(context, step)
    if context.table.step_index + 1 >= len(context.steps):
        raise CommandRefused("last_step", _("This is the last step: end the session."))
    skipped = set(context.table.skipped_steps)
    skipped.add(context.step.key)
    context.table.skipped_steps = sorted(skipped)
    move_to(context, context.table.step_index + 1)


@command("previous_step", roles={FACILITATOR}, scope=ROOM)
def previous_step(context: Context, step: StepKey | None = None) -> None:
    """Go back from the current step ``step`` to the one before."""
    check_current_step(context, step)
    if context.table.step_index == 0:
        raise CommandRefused("first_step", _("This is the first step."))
    move_to(context, context.table.step_index - 1)


@command("pause", roles={FACILITATOR}, scope=SESSION)
def pause(context: Context) -> None:
    """Pause every clock of the session (step, turn, floor); pausing again changes nothing."""
    if context.session.paused_at is None:
        context.session.paused_at = context.now


def end_pause(session: LiveSession, now: datetime) -> None:
    if session.paused_at is not None:
        closed = rules.close_pause(session_pauses(session), session.paused_at, now)
        session.pauses = [[start.isoformat(), end.isoformat()] for start, end in closed]
        session.paused_at = None


@command("resume", roles={FACILITATOR}, scope=SESSION)
def resume(context: Context) -> None:
    """Every clock counts again from now; a clock started during the pause starts now."""
    end_pause(context.session, context.now)


TIMERS = ("step", "turn")


@command("add_time", roles={FACILITATOR})
def add_time(context: Context, minutes: int = 1, timer: Literal["step", "turn"] = "step") -> None:
    """Give ``minutes`` (1 to MAX_ADDED_MINUTES) more to the step's clock, or to the current
    turn's with ``timer="turn"``: counted from what is left, or from now when over time."""
    minutes = clean_id(minutes)
    if not 1 <= minutes <= MAX_ADDED_MINUTES:
        raise CommandRefused("bad_minutes", _("Add between 1 and %(max)d minutes.") % {"max": MAX_ADDED_MINUTES})
    if timer not in TIMERS:
        raise CommandRefused("bad_args", _("This command's data is malformed."))
    table = context.table
    if timer == "turn":
        clock = turn_clock(table, context.step)
        if clock is None:
            raise CommandRefused("no_turn", _("Nobody has the turn."))
        table.turn_extra_seconds = clock.extra_after_adding(minutes * 60, context.now)
        return
    clock = step_clock(table, context.step)
    if clock is None:
        raise CommandRefused("untimed", _("This step has no timer."))
    table.extra_seconds = clock.extra_after_adding(minutes * 60, context.now)


@command("end_session", roles={FACILITATOR}, when=(LiveSession.Status.OPEN, LiveSession.Status.RUNNING), scope=SESSION)
def end_session(context: Context) -> None:
    session = context.session
    for table in context.tables:
        close_floor(context, table)
    session.status = LiveSession.Status.ENDED
    session.ended_at = context.now
    end_pause(session, context.now)

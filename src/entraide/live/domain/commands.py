"""The one command path of a live session.

Every change to a live session goes through ``execute``: the websocket consumer, the HTTP
views (with or without JavaScript), the API and the tests call it. It

1. answers a repeated command (same client-generated id) with the first outcome, applying
   nothing twice;
2. locks the session row, checks that the actor belongs to this session, has a role allowed
   to send this command, and that the current step allows it;
3. applies the command in one transaction and bumps the session's version;
4. after commit, signals "changed" on the channel layer (which may drop it: clients resync
   by version).

Refusals raise ``CommandRefused`` with a message in the actor's language; nothing is changed.
"""

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from entraide.core.db import serialised_writes
from entraide.core.tenancy import all_tenants

from ..models import (
    Action,
    AppliedCommand,
    Consent,
    GroundRule,
    Idea,
    LiveRole,
    LiveSession,
    Participant,
    PrivateNote,
    Problem,
    Question,
    SpeakingTurn,
    Vote,
)
from . import rules
from .notify import signal_changed
from .steps import LiveStep, live_steps

logger = logging.getLogger(__name__)

# Limits on what people write, stated to them when exceeded.
LIMITS = {
    "rule": 300,
    "problem": 1000,
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

# The default duration of a turn (pitch, sharing round) when the protocol gives none.
DEFAULT_TURN_SECONDS = 120

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
    session: LiveSession
    actor: Participant
    now: datetime
    steps: list[LiveStep]
    notice: str = ""

    @property
    def step(self) -> LiveStep:
        return self.steps[self.session.step_index]


@dataclass(frozen=True)
class CommandSpec:
    handler: Callable[..., None]
    roles: frozenset[str]
    activities: frozenset[str] | None  # None: any step
    when: frozenset[str] = field(default_factory=lambda: frozenset({LiveSession.Status.RUNNING}))


COMMANDS: dict[str, CommandSpec] = {}


def command(name: str, roles=EVERYONE, activities=None, when=(LiveSession.Status.RUNNING,)):
    def register(handler):
        COMMANDS[name] = CommandSpec(
            handler=handler,
            roles=frozenset(roles),
            activities=frozenset(activities) if activities is not None else None,
            when=frozenset(when),
        )
        return handler

    return register


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
            repeated = AppliedCommand.objects.filter(session_id=session_id, client_id=client_uuid).first()
            if repeated is None:
                raise
            return Outcome(name=repeated.name, version=repeated.version, repeated=True)


def _execute(session_id, actor_id, client_uuid, name, spec, args) -> Outcome:
    with serialised_writes(), transaction.atomic():
        # Lock the session's row only: a plain FOR UPDATE would also lock the joined protocol
        # version, which every session of that protocol shares, and serialise them all.
        session = LiveSession.objects.select_for_update(of=("self",)).select_related("protocol_version").filter(pk=session_id).first()
        if session is None:
            raise CommandRefused("no_session", _("This session does not exist."))
        repeated = AppliedCommand.objects.filter(session=session, client_id=client_uuid).first()
        if repeated is not None:
            return Outcome(name=repeated.name, version=repeated.version, repeated=True)
        actor = Participant.objects.filter(pk=actor_id, session=session, removed_at__isnull=True).first()
        if actor is None:
            raise CommandRefused("not_participant", _("You are not (or no longer) a participant of this session."))
        if session.status not in spec.when:
            if session.status == LiveSession.Status.ENDED:
                raise CommandRefused("ended", _("This session has ended."))
            raise CommandRefused("not_started", _("The session has not started yet."))
        if actor.role not in spec.roles:
            raise CommandRefused("wrong_role", _("Your role does not allow this."))
        now = timezone.now()
        _take_token(actor, now)
        context = Context(session, actor, now, live_steps(session.protocol_version.spec, session.agenda))
        if spec.activities is not None and (
            session.status != LiveSession.Status.RUNNING or context.step.activity not in spec.activities
        ):
            raise CommandRefused("wrong_step", _("This is not possible at this step."))
        spec.handler(context, **_arguments(spec.handler, args))
        # The actor's token bucket and write quota, in one row update whatever the command wrote.
        actor.save(update_fields=ACTOR_COUNTERS)
        session.version += 1
        session.save()
        AppliedCommand.objects.create(session=session, client_id=client_uuid, participant=actor, name=name, version=session.version)
        version = session.version
        transaction.on_commit(lambda: signal_changed(session_id, version))
    logger.info("live command %s applied to session %s (v%s)", name, session_id, version)
    return Outcome(name=name, version=version, notice=context.notice)


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


def _arguments(handler: Callable, args: dict) -> dict:
    accepted = handler.__code__.co_varnames[1 : handler.__code__.co_argcount + handler.__code__.co_kwonlyargcount]
    unknown = set(args) - set(accepted)
    if unknown:
        raise CommandRefused("bad_args", _("This command's data is malformed."))
    return args


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
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise CommandRefused("bad_args", _("This command's data is malformed.")) from None
    return number


def active_participants(session: LiveSession):
    return Participant.objects.filter(session=session, removed_at__isnull=True)


def _participant(session: LiveSession, participant_id) -> Participant:
    found = active_participants(session).filter(pk=clean_id(participant_id)).first()
    if found is None:
        raise CommandRefused("no_participant", _("This person is not in the session."))
    return found


def _own(model, context: Context, item_id):
    found = model.objects.filter(session=context.session, pk=clean_id(item_id)).first()
    if found is None:
        raise CommandRefused("not_found", _("This item no longer exists."))
    if found.author_id != context.actor.pk and context.actor.role != FACILITATOR:
        raise CommandRefused("wrong_role", _("Your role does not allow this."))
    return found


# --- Timers: every clock of the session follows rules.Clock -------------------------------


def session_pauses(session: LiveSession) -> tuple[rules.Pause, ...]:
    """The session's closed pauses as (start, end) datetimes (stored as ISO 8601 pairs)."""
    return tuple((datetime.fromisoformat(start), datetime.fromisoformat(end)) for start, end in session.pauses)


def step_clock(session: LiveSession, step: LiveStep) -> rules.Clock | None:
    """The clock of the current step; None for an untimed step."""
    if not step.minutes:
        return None
    return rules.Clock(step.minutes * 60, session.step_started_at, session.paused_at, session_pauses(session), session.extra_seconds)


def turn_seconds(step: LiveStep) -> int:
    """Seconds of one turn at this step: the protocol's per-person duration, else 2 minutes."""
    return step.per_person_seconds or DEFAULT_TURN_SECONDS


def turn_clock(session: LiveSession, step: LiveStep) -> rules.Clock | None:
    """The clock of the current turn (pitch, sharing round); None when nobody has the turn."""
    if session.turn_participant_id is None or session.turn_started_at is None:
        return None
    return rules.Clock(
        turn_seconds(step), session.turn_started_at, session.paused_at, session_pauses(session), session.turn_extra_seconds
    )


def floor_clock(session: LiveSession, turn: SpeakingTurn, pauses: tuple[rules.Pause, ...] | None = None) -> rules.Clock:
    """The clock of one turn at the floor (exchanges): no planned time, it counts airtime."""
    pauses = session_pauses(session) if pauses is None else pauses
    return rules.Clock(0, turn.started_at, session.paused_at, pauses, 0, turn.ended_at)


# --- Steps and the timer (facilitator) ------------------------------------------------------


def _enter_step(context: Context, index: int) -> None:
    """Make step ``index`` current. Its clock starts now, or at resume when the session is
    paused (the pause stays: one pause button for every clock)."""
    session = context.session
    session.step_index = index
    session.step_started_at = context.now
    session.extra_seconds = 0
    session.turn_participant = None
    session.turn_started_at = None
    session.turn_extra_seconds = 0
    _close_floor(context)
    # A step done again is no longer "skipped".
    key = context.steps[index].key
    if key in session.skipped_steps:
        session.skipped_steps = [skipped for skipped in session.skipped_steps if skipped != key]


def _check_current_step(context: Context, step) -> None:
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


@command("start", roles={FACILITATOR}, when=(LiveSession.Status.OPEN,))
def start(context: Context) -> None:
    session = context.session
    session.status = LiveSession.Status.RUNNING
    _enter_step(context, 0)


def _check_can_leave(context: Context) -> None:
    session = context.session
    activity = context.step.activity
    if activity == "vote" and session.chosen_problem_id is None:
        raise CommandRefused("choose_first", _("Reveal the votes and settle the choice before going on."))
    if activity == "consent" and session.offerer_id is None:
        raise CommandRefused("consent_first", _("The offerer must consent before going on."))


@command("next_step", roles={FACILITATOR})
def next_step(context: Context, step=None) -> None:
    """Leave the current step ``step`` (its key) for the next one, once its guard allows."""
    _check_current_step(context, step)
    _check_can_leave(context)
    if context.session.step_index + 1 >= len(context.steps):
        raise CommandRefused("last_step", _("This is the last step: end the session."))
    _enter_step(context, context.session.step_index + 1)


@command("skip_step", roles={FACILITATOR})
def skip_step(context: Context, step=None) -> None:
    """Pass the current step ``step`` on purpose (one situation only, no vote needed...): no
    guard applies."""
    _check_current_step(context, step)
    if context.session.step_index + 1 >= len(context.steps):
        raise CommandRefused("last_step", _("This is the last step: end the session."))
    skipped = set(context.session.skipped_steps)
    skipped.add(context.step.key)
    context.session.skipped_steps = sorted(skipped)
    _enter_step(context, context.session.step_index + 1)


@command("previous_step", roles={FACILITATOR})
def previous_step(context: Context, step=None) -> None:
    """Go back from the current step ``step`` to the one before."""
    _check_current_step(context, step)
    if context.session.step_index == 0:
        raise CommandRefused("first_step", _("This is the first step."))
    _enter_step(context, context.session.step_index - 1)


@command("pause", roles={FACILITATOR})
def pause(context: Context) -> None:
    """Pause every clock of the session (step, turn, floor); pausing again changes nothing."""
    if context.session.paused_at is None:
        context.session.paused_at = context.now


def _end_pause(session: LiveSession, now: datetime) -> None:
    if session.paused_at is not None:
        closed = rules.close_pause(session_pauses(session), session.paused_at, now)
        session.pauses = [[start.isoformat(), end.isoformat()] for start, end in closed]
        session.paused_at = None


@command("resume", roles={FACILITATOR})
def resume(context: Context) -> None:
    """Every clock counts again from now; a clock started during the pause starts now."""
    _end_pause(context.session, context.now)


TIMERS = ("step", "turn")


@command("add_time", roles={FACILITATOR})
def add_time(context: Context, minutes=1, timer="step") -> None:
    """Give ``minutes`` (1 to MAX_ADDED_MINUTES) more to the step's clock, or to the current
    turn's with ``timer="turn"``: counted from what is left, or from now when over time."""
    minutes = clean_id(minutes)
    if not 1 <= minutes <= MAX_ADDED_MINUTES:
        raise CommandRefused("bad_minutes", _("Add between 1 and %(max)d minutes.") % {"max": MAX_ADDED_MINUTES})
    if timer not in TIMERS:
        raise CommandRefused("bad_args", _("This command's data is malformed."))
    session = context.session
    if timer == "turn":
        clock = turn_clock(session, context.step)
        if clock is None:
            raise CommandRefused("no_turn", _("Nobody has the turn."))
        session.turn_extra_seconds = clock.extra_after_adding(minutes * 60, context.now)
        return
    clock = step_clock(session, context.step)
    if clock is None:
        raise CommandRefused("untimed", _("This step has no timer."))
    session.extra_seconds = clock.extra_after_adding(minutes * 60, context.now)


@command("end_session", roles={FACILITATOR}, when=(LiveSession.Status.OPEN, LiveSession.Status.RUNNING))
def end_session(context: Context) -> None:
    session = context.session
    _close_floor(context)
    session.status = LiveSession.Status.ENDED
    session.ended_at = context.now
    _end_pause(session, context.now)


# --- People -------------------------------------------------------------------------------


@command("remove_participant", roles={FACILITATOR}, when=(LiveSession.Status.OPEN, LiveSession.Status.RUNNING))
def remove_participant(context: Context, participant=None) -> None:
    person = _participant(context.session, participant)
    if person.pk == context.actor.pk:
        raise CommandRefused("self", _("Hand the facilitation over before leaving."))
    if person.pk == context.session.offerer_id:
        raise CommandRefused("offerer", _("The offerer cannot be removed while the case is being worked on."))
    person.removed_at = context.now
    person.save(update_fields=["removed_at"])
    SpeakingTurn.objects.filter(session=context.session, participant=person, started_at__isnull=True).update(withdrawn=True)


@command("hand_over", roles={FACILITATOR}, when=(LiveSession.Status.OPEN, LiveSession.Status.RUNNING))
def hand_over(context: Context, participant=None) -> None:
    """Give the facilitator's role to a participant (the facilitator's device died, say)."""
    person = _participant(context.session, participant)
    if person.pk == context.actor.pk:
        raise CommandRefused("self", _("Choose someone else."))
    if person.role == OFFERER:
        raise CommandRefused("offerer", _("The offerer cannot also facilitate."))
    person.role = FACILITATOR
    person.save(update_fields=["role"])
    context.actor.role = CONTRIBUTOR
    context.actor.save(update_fields=["role"])


@command("set_ready", when=(LiveSession.Status.OPEN, LiveSession.Status.RUNNING))
def set_ready(context: Context, ready=True, step=None) -> None:
    """Say one is ready (or not) for the current step ``step`` (its key; a stale page is refused)."""
    if context.session.status == LiveSession.Status.RUNNING:
        _check_current_step(context, step)
    context.actor.ready_step = context.session.step_index if ready else None
    context.actor.save(update_fields=["ready_step"])


# --- Rules of the game ----------------------------------------------------------------------


@command("add_rule", activities={"rules"})
def add_rule(context: Context, text=None) -> None:
    GroundRule.objects.create(session=context.session, author=context.actor, text=clean_text(context, text, "rule"))


@command("remove_rule", activities={"rules"})
def remove_rule(context: Context, rule=None) -> None:
    _own(GroundRule, context, rule).delete()


# --- Problems and pitches -----------------------------------------------------------------


@command("write_problem", roles=PARTICIPANTS, activities={"problem_write", "pitch"})
def write_problem(context: Context, text=None) -> None:
    """Write or rewrite one's problem; refused once a ballot of the vote exists (the ballots
    were cast on the problems as they were)."""
    if _ballots_exist(context.session):
        raise CommandRefused("vote_started", _("The vote has begun: the problems can no longer change."))
    text = clean_text(context, text, "problem")
    problem = Problem.objects.filter(session=context.session, author=context.actor).first()
    if problem is None:
        Problem.objects.create(session=context.session, author=context.actor, text=text)
    else:
        problem.text = text
        problem.save(update_fields=["text"])


def turn_order(session: LiveSession, step: LiveStep) -> list[Participant]:
    """Who speaks in turn at this step: problem authors for pitches, else the sharers."""
    people = list(active_participants(session))
    if step.activity == "pitch":
        authors = set(Problem.objects.filter(session=session).values_list("author_id", flat=True))
        return [p for p in people if p.pk in authors]
    if step.activity == "share_round":
        actors = set(step.step.actors)
        return [p for p in people if p.role in actors] or [p for p in people if p.role != FACILITATOR]
    return []


def next_in_turn(session: LiveSession, step: LiveStep, order: list[Participant] | None = None) -> Participant | None:
    """Who comes after the person who has the turn (the first when nobody has it); None after
    the last. What the console offers; the command itself names the person."""
    order = turn_order(session, step) if order is None else order
    ids = [p.pk for p in order]
    position = ids.index(session.turn_participant_id) + 1 if session.turn_participant_id in ids else 0
    return order[position] if position < len(order) else None


@command("next_turn", roles={FACILITATOR}, activities={"pitch", "share_round"})
def next_turn(context: Context, participant=None) -> None:
    """Give the turn to ``participant`` (an id of the turn order); their clock starts now, or at
    resume during a pause. Giving it to the person who has it changes nothing."""
    session = context.session
    person = _participant(session, participant)
    if person.pk not in {p.pk for p in turn_order(session, context.step)}:
        raise CommandRefused("not_in_turn", _("This person has no turn at this step."))
    if session.turn_participant_id == person.pk:
        return
    session.turn_participant = person
    session.turn_started_at = context.now
    session.turn_extra_seconds = 0
    if context.step.activity == "pitch":
        Problem.objects.filter(session=session, author=person, pitched_at__isnull=True).update(pitched_at=context.now)


@command("end_turn", roles={FACILITATOR}, activities={"pitch", "share_round"})
def end_turn(context: Context, participant=None) -> None:
    """End the turn of ``participant`` (an id), who must have it."""
    session = context.session
    if session.turn_participant_id is None or session.turn_participant_id != clean_id(participant):
        raise CommandRefused("not_their_turn", _("This person does not have the turn any more: look again."))
    session.turn_participant = None
    session.turn_started_at = None
    session.turn_extra_seconds = 0


# --- The vote -----------------------------------------------------------------------------


def candidates(session: LiveSession) -> list[int]:
    """The problem ids of the current vote round. They follow the problems as long as no
    ballot exists; the first ballot of the round fixes them (a new round after a tie fixes
    the tied ones)."""
    if session.vote_candidates:
        return list(session.vote_candidates)
    return list(Problem.objects.filter(session=session, declined=False).values_list("pk", flat=True))


def _ballots_exist(session: LiveSession) -> bool:
    return Vote.objects.filter(session=session, round=session.vote_round).exists()


@command("cast_vote", roles=PARTICIPANTS, activities={"vote"})
def cast_vote(context: Context, ballot=None) -> None:
    session = context.session
    if session.votes_revealed:
        raise CommandRefused("vote_closed", _("The vote is closed."))
    if not isinstance(ballot, dict):
        raise CommandRefused("bad_args", _("This command's data is malformed."))
    try:
        cleaned = rules.check_ballot({clean_id(k): v for k, v in ballot.items()}, candidates(session))
    except rules.RuleError as error:
        raise CommandRefused("vote_rule", error.message) from None
    Vote.objects.filter(session=session, voter=context.actor, round=session.vote_round).delete()
    Vote.objects.bulk_create(
        [Vote(session=session, voter=context.actor, problem_id=pid, round=session.vote_round, count=n) for pid, n in cleaned.items()]
    )
    if session.vote_round == 1:
        # The first ballot fixes the candidates; withdrawing every ballot frees them again.
        session.vote_candidates = candidates(session) if _ballots_exist(session) else []


def current_tally(session: LiveSession) -> rules.VoteResult:
    ballots: dict[int, dict[int, int]] = {}
    for voter, problem, count in Vote.objects.filter(session=session, round=session.vote_round).values_list("voter_id", "problem_id", "count"):
        ballots.setdefault(voter, {})[problem] = count
    return rules.tally(ballots.values(), candidates(session))


def _proposal_order(session: LiveSession) -> list[int]:
    """The problems in the order they are proposed to their authors: the current round's
    ranking, then (after a tie) the first round's ranking of every other problem, so that
    declines never run out while a problem is left."""
    order = list(current_tally(session).ranking)
    if session.vote_round > 1:
        ballots: dict[int, dict[int, int]] = {}
        for voter, problem, count in Vote.objects.filter(session=session, round=1).values_list("voter_id", "problem_id", "count"):
            ballots.setdefault(voter, {})[problem] = count
        everything = list(Problem.objects.filter(session=session).values_list("pk", flat=True))
        order += [pid for pid in rules.tally(ballots.values(), everything).ranking if pid not in order]
    return order


@command("reveal_votes", roles={FACILITATOR}, activities={"vote"})
def reveal_votes(context: Context) -> None:
    session = context.session
    result = current_tally(session)
    if not result.ranking:
        raise CommandRefused("no_problem", _("There is no problem to vote on."))
    if sum(result.totals.values()) == 0:
        raise CommandRefused("no_vote", _("Nobody has voted yet."))
    session.votes_revealed = True
    session.chosen_problem_id = None if result.tied else result.leaders[0]


@command("choose_problem", roles={FACILITATOR}, activities={"vote"})
def choose_problem(context: Context, problem=None) -> None:
    session = context.session
    if not session.votes_revealed:
        raise CommandRefused("not_revealed", _("Reveal the votes first."))
    result = current_tally(session)
    chosen = clean_id(problem)
    if chosen not in result.leaders:
        raise CommandRefused("not_tied", _("Choose among the problems that came first."))
    session.chosen_problem_id = chosen


@command("revote", roles={FACILITATOR}, activities={"vote"})
def revote(context: Context) -> None:
    session = context.session
    result = current_tally(session)
    if not session.votes_revealed or not result.tied:
        raise CommandRefused("not_tied", _("A new vote is only for a tie."))
    session.vote_candidates = list(result.leaders)
    session.vote_round += 1
    session.votes_revealed = False
    session.chosen_problem_id = None


# --- Consent of the offerer --------------------------------------------------------------


@command("consent_case", roles=PARTICIPANTS, activities={"consent"})
def consent_case(context: Context, agrees=None, problem=None) -> None:
    """The author of the chosen problem (``problem``, its id, when the page sends it: a choice
    changed meanwhile is refused) agrees to offer it, or declines and the next is proposed."""
    session = context.session
    if problem is not None and clean_id(problem) != session.chosen_problem_id:
        raise CommandRefused("not_chosen", _("This problem is no longer the one proposed: look again."))
    problem = session.chosen_problem
    if problem is None or problem.author_id != context.actor.pk:
        raise CommandRefused("not_yours", _("Only the author of the chosen problem answers here."))
    if session.offerer_id is not None:
        raise CommandRefused("already", _("You have already consented."))
    if agrees is True or agrees in ("yes", "true", "1"):
        Participant.objects.filter(session=session, role=OFFERER).update(role=CONTRIBUTOR)
        context.actor.role = OFFERER
        context.actor.save(update_fields=["role"])
        session.offerer = context.actor
        context.notice = _("Thank you for the generosity of this sharing.")
        return
    problem.declined = True
    problem.save(update_fields=["declined"])
    declined = set(Problem.objects.filter(session=session, declined=True).values_list("pk", flat=True))
    following = [pid for pid in _proposal_order(session) if pid not in declined]
    session.chosen_problem_id = following[0] if following else None
    context.notice = _("Thank you. The next problem is proposed to its author.")


# --- Clarification questions -------------------------------------------------------------


@command("ask_question", roles={CONTRIBUTOR}, activities={"clarify"})
def ask_question(context: Context, text=None) -> None:
    Question.objects.create(session=context.session, author=context.actor, text=clean_text(context, text, "question"))


@dataclass(frozen=True)
class QuestionHand(rules.Hand):
    question: Question = None


def question_order(session: LiveSession) -> list[Question]:
    """Every question, one query: the pending ones in turn (each contributor asks once before
    anyone asks twice, the rule of the speaking queue), then those already asked."""
    questions = list(Question.objects.filter(session=session).order_by("created_at", "pk"))
    asked: dict[int, int] = {}
    for question in questions:
        if question.asked_at:
            asked[question.author_id] = asked.get(question.author_id, 0) + 1
    pending = [QuestionHand(q.author_id, q.created_at, q) for q in questions if not q.asked_at]
    return [hand.question for hand in rules.speaking_order(pending, asked)] + [q for q in questions if q.asked_at]


@command("mark_question_asked", roles={FACILITATOR, OFFERER}, activities={"clarify"})
def mark_question_asked(context: Context, question=None) -> None:
    found = Question.objects.filter(session=context.session, pk=clean_id(question)).first()
    if found is None:
        raise CommandRefused("not_found", _("This item no longer exists."))
    if found.asked_at is None:
        found.asked_at = context.now
        found.save(update_fields=["asked_at"])


@command("answer_question", roles={OFFERER}, activities={"clarify"})
def answer_question(context: Context, question=None, text=None) -> None:
    found = Question.objects.filter(session=context.session, pk=clean_id(question)).first()
    if found is None:
        raise CommandRefused("not_found", _("This item no longer exists."))
    found.answer = clean_text(context, text, "answer")
    found.asked_at = found.asked_at or context.now
    found.save(update_fields=["answer", "asked_at"])


# --- Reformulation, private notes ---------------------------------------------------------


@command("write_request", roles={OFFERER}, activities={"reformulate", "reflect", "exchange", "harvest"})
def write_request(context: Context, text=None) -> None:
    context.session.help_request = clean_text(context, text, "request")


@command("write_note")
def write_note(context: Context, text=None) -> None:
    PrivateNote.objects.create(session=context.session, author=context.actor, step_key=context.step.key, text=clean_text(context, text, "note"))


@command("delete_note", when=(LiveSession.Status.RUNNING, LiveSession.Status.ENDED))
def delete_note(context: Context, note=None) -> None:
    found = PrivateNote.objects.filter(session=context.session, author=context.actor, pk=clean_id(note)).first()
    if found is None:
        raise CommandRefused("not_found", _("This item no longer exists."))
    found.delete()


# --- Exchanges: the fair speaking queue ---------------------------------------------------


def spoken_counts(session: LiveSession, step_key: str) -> dict[int, int]:
    counts: dict[int, int] = {}
    for pid in SpeakingTurn.objects.filter(session=session, step_key=step_key, started_at__isnull=False).values_list("participant_id", flat=True):
        counts[pid] = counts.get(pid, 0) + 1
    return counts


def speaking_queue(session: LiveSession, step_key: str) -> list[SpeakingTurn]:
    waiting = list(SpeakingTurn.objects.filter(session=session, step_key=step_key, started_at__isnull=True, withdrawn=False))
    by_id = {turn.pk: turn for turn in waiting}
    hands = [rules.Hand(turn.participant_id, turn.raised_at) for turn in waiting]
    order = rules.speaking_order(hands, spoken_counts(session, step_key))
    by_person = {turn.participant_id: turn for turn in by_id.values()}
    return [by_person[hand.person] for hand in order]


@command("raise_hand", roles={CONTRIBUTOR}, activities={"exchange"})
def raise_hand(context: Context) -> None:
    """Join the queue (raised now). A hand lowered earlier at this step is raised again rather
    than stored anew, so raising and lowering in a loop adds no rows."""
    key = context.step.key
    hands = SpeakingTurn.objects.filter(session=context.session, step_key=key, participant=context.actor, started_at__isnull=True)
    if hands.filter(withdrawn=False).exists():
        return  # already waiting: raising twice changes nothing
    lowered = hands.filter(withdrawn=True).first()
    if lowered is not None:
        lowered.withdrawn = False
        lowered.raised_at = context.now
        lowered.save(update_fields=["withdrawn", "raised_at"])
        return
    SpeakingTurn.objects.create(session=context.session, participant=context.actor, step_key=key, raised_at=context.now)


@command("lower_hand", roles={CONTRIBUTOR}, activities={"exchange"})
def lower_hand(context: Context) -> None:
    SpeakingTurn.objects.filter(
        session=context.session, step_key=context.step.key, participant=context.actor, started_at__isnull=True, withdrawn=False
    ).update(withdrawn=True)


def _close_floor(context: Context) -> None:
    SpeakingTurn.objects.filter(session=context.session, started_at__isnull=False, ended_at__isnull=True).update(ended_at=context.now)


@command("give_floor", roles={FACILITATOR}, activities={"exchange"})
def give_floor(context: Context, participant=None) -> None:
    """Give the floor to ``participant`` (an id), who must be first in the fair queue: a queue
    that changed since the facilitator looked is refused, never served by position."""
    person_id = clean_id(participant)
    queue = speaking_queue(context.session, context.step.key)
    if not queue:
        raise CommandRefused("queue_empty", _("Nobody is waiting to speak."))
    if person_id not in {turn.participant_id for turn in queue}:
        raise CommandRefused("not_waiting", _("This person is no longer waiting to speak: look at the queue again."))
    turn = queue[0]
    if turn.participant_id != person_id:
        raise CommandRefused("not_first", _("The queue has changed: someone else comes first now. Look at it again."))
    _close_floor(context)
    turn.started_at = context.now
    turn.save(update_fields=["started_at"])


@command("end_floor", roles={FACILITATOR, CONTRIBUTOR}, activities={"exchange"})
def end_floor(context: Context, participant=None) -> None:
    """End the floor of ``participant`` (an id: a contributor ends only their own)."""
    person_id = clean_id(participant)
    if context.actor.role != FACILITATOR and person_id != context.actor.pk:
        raise CommandRefused("wrong_role", _("Your role does not allow this."))
    speaking = SpeakingTurn.objects.filter(session=context.session, started_at__isnull=False, ended_at__isnull=True).first()
    if speaking is None or speaking.participant_id != person_id:
        raise CommandRefused("not_speaking", _("This person no longer has the floor: look again."))
    speaking.ended_at = context.now
    speaking.save(update_fields=["ended_at"])


# --- Harvest, action plan ------------------------------------------------------------------


@command("add_idea", roles={OFFERER}, activities={"harvest", "action_plan"})
def add_idea(context: Context, text=None) -> None:
    text = clean_text(context, text, "idea")
    if Idea.objects.filter(session=context.session).count() >= MAX_IDEAS:
        raise CommandRefused("too_many", _("Keep 2 or 3 ideas: remove one to add another."))
    Idea.objects.create(session=context.session, author=context.actor, text=text)


@command("remove_idea", roles={OFFERER}, activities={"harvest", "action_plan"})
def remove_idea(context: Context, idea=None) -> None:
    _own(Idea, context, idea).delete()


@command("add_action", roles={OFFERER}, activities={"action_plan", "share_round", "harvest"})
def add_action(context: Context, text=None, due=None) -> None:
    text = clean_text(context, text, "action")
    due_date = None
    if due not in (None, ""):
        try:
            due_date = date.fromisoformat(str(due))
        except ValueError:
            raise CommandRefused("bad_date", _("Write the date as a calendar date.")) from None
        if due_date < context.now.date():
            raise CommandRefused("past_date", _("The date is in the past."))
    Action.objects.create(session=context.session, author=context.actor, text=text, due=due_date)


@command("remove_action", roles={OFFERER}, activities={"action_plan", "share_round", "harvest"})
def remove_action(context: Context, action=None) -> None:
    _own(Action, context, action).delete()


# --- Documentation --------------------------------------------------------------------------

DOCUMENTATION_STATES = (LiveSession.Status.RUNNING, LiveSession.Status.ENDED)


@command("give_consent", when=DOCUMENTATION_STATES)
def give_consent(context: Context, agrees=None) -> None:
    session = context.session
    if session.status == LiveSession.Status.RUNNING and context.step.activity != "documentation":
        raise CommandRefused("wrong_step", _("This is not possible at this step."))
    if agrees not in (True, False, "yes", "no", "true", "false"):
        raise CommandRefused("bad_args", _("This command's data is malformed."))
    value = agrees in (True, "yes", "true")
    Consent.objects.update_or_create(session=session, participant=context.actor, defaults={"agrees": value, "decided_at": context.now})


@command("write_record", roles={OFFERER}, when=DOCUMENTATION_STATES)
def write_record(context: Context, text=None) -> None:
    session = context.session
    if session.status == LiveSession.Status.RUNNING and context.step.activity != "documentation":
        raise CommandRefused("wrong_step", _("This is not possible at this step."))
    session.record = clean_text(context, text, "record")


def everyone_consents(session: LiveSession) -> bool:
    people = list(active_participants(session).values_list("pk", flat=True))
    agreeing = set(Consent.objects.filter(session=session, agrees=True).values_list("participant_id", flat=True))
    return bool(people) and set(people) <= agreeing
from . import activities  # noqa: E402,F401  (the activity modules register their commands)

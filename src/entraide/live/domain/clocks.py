"""Every clock of a live session (the step's, a turn's, the floor's) follows rules.Clock: one
rule for pauses and added time (DESIGN.md, Live sessions)."""

from datetime import datetime

from ..models import LiveSession, LiveTable, SpeakingTurn
from .steps import LiveStep
from . import rules




# The default duration of a turn (pitch, sharing round) when the protocol gives none.
DEFAULT_TURN_SECONDS = 120


def session_pauses(session: LiveSession) -> tuple[rules.Pause, ...]:
    """The session's closed pauses as (start, end) datetimes (stored as ISO 8601 pairs)."""
    return tuple((datetime.fromisoformat(start), datetime.fromisoformat(end)) for start, end in session.pauses)


def step_clock(table: LiveTable, step: LiveStep) -> rules.Clock | None:
    """The clock of the current step; None for an untimed step."""
    if not step.minutes:
        return None
    return rules.Clock(step.minutes * 60, table.step_started_at, table.session.paused_at, session_pauses(table.session), table.extra_seconds)


def turn_seconds(step: LiveStep) -> int:
    """Seconds of one turn at this step: the protocol's per-person duration, else 2 minutes."""
    return step.per_person_seconds or DEFAULT_TURN_SECONDS


def turn_clock(table: LiveTable, step: LiveStep) -> rules.Clock | None:
    """The clock of the current turn (pitch, sharing round); None when nobody has the turn."""
    if table.turn_participant_id is None or table.turn_started_at is None:
        return None
    return rules.Clock(
        turn_seconds(step), table.turn_started_at, table.session.paused_at, session_pauses(table.session), table.turn_extra_seconds
    )


def floor_clock(session: LiveSession, turn: SpeakingTurn, pauses: tuple[rules.Pause, ...] | None = None) -> rules.Clock:
    """The clock of one turn at the floor (exchanges): no planned time, it counts airtime."""
    pauses = session_pauses(session) if pauses is None else pauses
    return rules.Clock(0, turn.started_at, session.paused_at, pauses, 0, turn.ended_at)

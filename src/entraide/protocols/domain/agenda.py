"""Agenda fitting: place every step of a protocol between a start and an announced end.

A pure function, no database. The rules (field document 001: "les durées des étapes sont
indicatives, adaptez-les en fonction du groupe en veillant au respect de l'heure de fin
annoncée"):

- every step starts at its indicative duration, per-person steps multiplied out;
- when the window is longer, spare time goes to the stretchable steps in ``stretch`` order
  (the exchanges first), each up to its maximum; what no step can take is left at the end;
- when the window is shorter, steps give time back in ``shrink`` order, each down to its
  minimum;
- every duration stays inside its range and the end is at or before the announced end; when
  even the minimum durations do not fit, ``AgendaError`` says how long the session must be.

So the fitted length is always ``min(window, longest possible)``.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import time

from django.utils.translation import gettext as _, ngettext

from entraide.core.errors import DomainError

from .spec import ProtocolSpec, Step

UNRANKED = 10  # steps with a range but no stretch/shrink rank come after the ranked ones


class AgendaError(DomainError, ValueError):
    """The agenda cannot be fitted. ``minimum_minutes`` is set when the window is too short
    (``code`` ``"window_too_short"``); otherwise ``code`` ``"agenda_impossible"``."""

    default_code = "agenda_impossible"

    def __init__(self, message: str, minimum_minutes: int | None = None, *, code: str | None = None) -> None:
        if code is None and minimum_minutes is not None:
            code = "window_too_short"
        super().__init__(message, code=code)
        self.minimum_minutes = minimum_minutes


@dataclass(frozen=True)
class AgendaItem:
    step: Step
    start: int  # minutes since midnight
    minutes: int
    low: int
    high: int

    @property
    def end(self) -> int:
        return self.start + self.minutes

    @property
    def start_time(self) -> time:
        return minutes_to_time(self.start)


@dataclass(frozen=True)
class Agenda:
    spec: ProtocolSpec
    participants: int
    start: int
    announced_end: int
    items: tuple[AgendaItem, ...]
    before: tuple[Step, ...]
    after: tuple[Step, ...]

    @property
    def end(self) -> int:
        return self.items[-1].end if self.items else self.start

    @property
    def start_time(self) -> time:
        return minutes_to_time(self.start)

    @property
    def end_time(self) -> time:
        return minutes_to_time(self.end)

    @property
    def announced_end_time(self) -> time:
        return minutes_to_time(self.announced_end)

    @property
    def total_minutes(self) -> int:
        return self.end - self.start

    @property
    def spare_minutes(self) -> int:
        return self.announced_end - self.end

    def as_dict(self, language: str | None = None) -> dict:
        return {
            "protocol": self.spec.key,
            "participants": self.participants,
            "start": format_minutes(self.start),
            "end": format_minutes(self.end),
            "steps": [
                {
                    "key": item.step.key,
                    "title": item.step.title.get(language),
                    "start": format_minutes(item.start),
                    "minutes": item.minutes,
                }
                for item in self.items
            ],
        }


def minutes_to_time(minutes: int) -> time:
    return time(minutes // 60 % 24, minutes % 60)


def time_to_minutes(value: time) -> int:
    return value.hour * 60 + value.minute


def format_minutes(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def format_length(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return ngettext("%(minutes)d minute", "%(minutes)d minutes", rest) % {"minutes": rest}
    return _("%(hours)d h %(minutes)02d") % {"hours": hours, "minutes": rest}


def check_participants(spec: ProtocolSpec, participants: int) -> None:
    if participants < spec.participants_min or participants > spec.participants_max:
        raise AgendaError(
            _(
                "%(protocol)s is for %(min)d to %(max)d participants, the facilitator included "
                "(asked: %(count)d)."
            )
            % {
                "protocol": spec.title.get(),
                "min": spec.participants_min,
                "max": spec.participants_max,
                "count": participants,
            }
        )


def fit_agenda(spec: ProtocolSpec, participants: int, start: time, end: time) -> Agenda:
    check_participants(spec, participants)
    start_minute, end_minute = time_to_minutes(start), time_to_minutes(end)
    if end_minute <= start_minute:
        raise AgendaError(_("The announced end must be after the start (a session ends on the day it starts)."))
    window = end_minute - start_minute

    steps = spec.timed_steps
    bounds = [step.duration.bounds(participants) for step in steps]
    shortest = sum(low for low, _indicative, _high in bounds)
    if shortest > window:
        raise AgendaError(
            _(
                "This agenda does not fit between %(start)s and %(end)s (%(window)s): it needs at "
                "least %(needed)s with %(count)d participants. Start earlier, end later, or invite "
                "fewer people."
            )
            % {
                "start": format_minutes(start_minute),
                "end": format_minutes(end_minute),
                "window": format_length(window),
                "needed": format_length(shortest),
                "count": participants,
            },
            minimum_minutes=shortest,
        )

    minutes = [indicative for _low, indicative, _high in bounds]
    difference = window - sum(minutes)
    if difference > 0:
        room = [high - m for (_low, _ind, high), m in zip(bounds, minutes)]
        ranks = [step.duration.stretch or UNRANKED for step in steps]
        _distribute(minutes, room, ranks, difference, sign=+1)
    elif difference < 0:
        room = [m - low for (low, _ind, _high), m in zip(bounds, minutes)]
        ranks = [step.duration.shrink or UNRANKED for step in steps]
        _distribute(minutes, room, ranks, -difference, sign=-1)

    items = []
    cursor = start_minute
    for step, (low, _indicative, high), length in zip(steps, bounds, minutes):
        items.append(AgendaItem(step=step, start=cursor, minutes=length, low=low, high=high))
        cursor += length
    return Agenda(
        spec=spec,
        participants=participants,
        start=start_minute,
        announced_end=end_minute,
        items=tuple(items),
        before=tuple(step for step in spec.steps if step.phase == "before"),
        after=tuple(step for step in spec.steps if step.phase == "after"),
    )


def _distribute(minutes: list[int], room: Sequence[int], ranks: Sequence[int], amount: int, sign: int) -> None:
    """Move ``amount`` minutes into (sign=+1) or out of (sign=-1) the steps, rank by rank.

    Within a rank, proportionally to each step's room, whole minutes by largest remainder
    (ties to the earlier step), so the result is deterministic.
    """
    for rank in sorted(set(ranks)):
        if amount <= 0:
            return
        members = [i for i, r in enumerate(ranks) if r == rank and room[i] > 0]
        capacity = sum(room[i] for i in members)
        if not capacity:
            continue
        share = min(amount, capacity)
        exact = {i: share * room[i] / capacity for i in members}
        given = {i: min(int(exact[i]), room[i]) for i in members}
        leftover = share - sum(given.values())
        for i in sorted(members, key=lambda i: (-(exact[i] - given[i]), i)):
            if leftover <= 0:
                break
            if given[i] < room[i]:
                given[i] += 1
                leftover -= 1
        for i in members:
            minutes[i] += sign * given[i]
        amount -= share

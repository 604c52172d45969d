"""Rules of a live session that need no database: pure functions, property-tested."""

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext as _, ngettext

VOTES_PER_PERSON = 3
MAX_VOTES_PER_PROBLEM = 2


class RuleError(ValueError):
    """A rule of the protocol forbids this; ``message`` is for the person who tried."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- The dot vote (field document 001: "3 crayons", "2 votes maximum sur la même") ---------


def check_ballot(
    ballot: Mapping[Hashable, int],
    candidates: Iterable[Hashable],
    total: int = VOTES_PER_PERSON,
    per_problem: int = MAX_VOTES_PER_PROBLEM,
) -> dict[Hashable, int]:
    """Validate one person's ballot {problem: votes}; return it without zero entries.

    At most ``total`` votes, at most ``per_problem`` on one problem, only on candidates;
    voting for one's own problem is allowed. Fewer than ``total`` is allowed (a vote can be
    completed until the vote closes).
    """
    allowed = set(candidates)
    cleaned = {}
    for problem, count in ballot.items():
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise RuleError(_("A number of votes is a whole number, 0 or more."))
        if count == 0:
            continue
        if problem not in allowed:
            raise RuleError(_("This problem is not in the vote."))
        if count > per_problem:
            raise RuleError(
                ngettext(
                    "At most %(max)d vote on the same problem.",
                    "At most %(max)d votes on the same problem.",
                    per_problem,
                )
                % {"max": per_problem}
            )
        cleaned[problem] = count
    if sum(cleaned.values()) > total:
        raise RuleError(
            ngettext("You have %(total)d vote in all.", "You have %(total)d votes in all.", total) % {"total": total}
        )
    return cleaned


@dataclass(frozen=True)
class VoteResult:
    totals: dict[Hashable, int]
    ranking: tuple[Hashable, ...]  # most votes first; ties in candidate order
    leaders: tuple[Hashable, ...]  # the problems sharing the highest total (one: a clear choice)

    @property
    def tied(self) -> bool:
        return len(self.leaders) > 1


def tally(ballots: Iterable[Mapping[Hashable, int]], candidates: Sequence[Hashable]) -> VoteResult:
    totals = {problem: 0 for problem in candidates}
    for ballot in ballots:
        for problem, count in ballot.items():
            if problem in totals:
                totals[problem] += count
    order = {problem: index for index, problem in enumerate(candidates)}
    ranking = tuple(sorted(candidates, key=lambda p: (-totals[p], order[p])))
    best = totals[ranking[0]] if ranking else 0
    leaders = tuple(p for p in ranking if totals[p] == best) if ranking else ()
    return VoteResult(totals=totals, ranking=ranking, leaders=leaders)


# --- Fair speaking (field document 001: "Si l'on s'est déjà exprimé une fois, on attend que
# tout le monde ait eu l'occasion de s'exprimer") --------------------------------------------


@dataclass(frozen=True)
class Hand:
    person: Hashable
    raised_at: datetime


def speaking_order(waiting: Iterable[Hand], spoken: Mapping[Hashable, int]) -> list[Hand]:
    """The queue in speaking order: fewest turns taken first, then first raised.

    So nobody speaks a second time while someone who asked has not spoken once; among equals,
    first come, first served. A person may wait with several items (a contributor with two
    clarification questions): each item placed counts as a turn for what follows, so nobody
    asks twice before everyone waiting has asked once.
    """
    taken = dict(spoken)
    remaining = list(waiting)
    ordered: list[Hand] = []
    while remaining:
        first = min(remaining, key=lambda hand: (taken.get(hand.person, 0), hand.raised_at, str(hand.person)))
        remaining.remove(first)
        ordered.append(first)
        taken[first.person] = taken.get(first.person, 0) + 1
    return ordered


# --- Timers: one rule for the step, every turn and the floor ------------------------------
#
# A timer is computed from stored timestamps, never ticked. The session has one pause button:
# while the session is paused every timer stands still, and the pauses of the session are kept
# as closed intervals plus the current one. So any timer, whenever it started (before, during
# or after a pause), counts exactly the running time of the session since it started: a turn
# given during a pause starts counting at resume, and the time a speaker held the floor does not
# include the break.

Pause = tuple[datetime, datetime]


def paused_between(pauses: Iterable[Pause], start: datetime, end: datetime) -> float:
    """Seconds of the closed ``pauses`` (start, end) that fall inside [start, end]; 0 if end <= start."""
    total = 0.0
    for pause_start, pause_end in pauses:
        overlap = (min(end, pause_end) - max(start, pause_start)).total_seconds()
        if overlap > 0:
            total += overlap
    return total


@dataclass(frozen=True)
class Clock:
    """One timer of a live session: the step's, a turn's (pitch, sharing round) or the floor's.

    ``planned_seconds`` + ``extra_seconds`` (added by the facilitator) is what the timer gives;
    ``paused_at`` is the session's current pause (None when running), ``pauses`` its earlier
    pauses as closed (start, end) intervals; ``stopped_at`` ends a finished turn. All values in
    seconds; datetimes are aware. Remaining time is negative when over time.
    """

    planned_seconds: int
    started_at: datetime | None
    paused_at: datetime | None = None
    pauses: tuple[Pause, ...] = ()
    extra_seconds: int = 0
    stopped_at: datetime | None = None

    def elapsed(self, now: datetime) -> float:
        """Seconds this timer has run by ``now``: wall time since it started, less the pauses."""
        if self.started_at is None:
            return 0.0
        end = min(moment for moment in (now, self.paused_at, self.stopped_at) if moment is not None)
        if end <= self.started_at:
            return 0.0  # started during the current pause (or not yet): it has not run
        return (end - self.started_at).total_seconds() - paused_between(self.pauses, self.started_at, end)

    def remaining(self, now: datetime) -> float:
        """Seconds left; negative when over time."""
        return self.planned_seconds + self.extra_seconds - self.elapsed(now)

    @property
    def running(self) -> bool:
        return self.started_at is not None and self.paused_at is None and self.stopped_at is None

    def deadline(self) -> datetime | None:
        """When a running timer reaches zero (the same moment for every device and every request:
        it depends on stored timestamps only); None while paused or stopped."""
        if not self.running:
            return None
        far = datetime.max.replace(tzinfo=self.started_at.tzinfo)
        paused = paused_between(self.pauses, self.started_at, far)
        return self.started_at + timedelta(seconds=self.planned_seconds + self.extra_seconds + paused)

    def extra_after_adding(self, seconds: int, now: datetime) -> int:
        """The ``extra_seconds`` that give ``seconds`` more from ``now``: added to what is left, or
        to zero when the timer is already over time ("+2 min" five minutes over gives 2:00 from
        now, not -3:00)."""
        overdue = max(0.0, -self.remaining(now))
        return self.extra_seconds + seconds + int(round(overdue))


def close_pause(pauses: Iterable[Pause], paused_at: datetime, now: datetime) -> list[Pause]:
    """The session's pauses once the current one (since ``paused_at``) ends at ``now``."""
    return [*pauses, (paused_at, max(now, paused_at))]


# --- Flood control: a token bucket per connection or per participant ----------------------


@dataclass(frozen=True)
class TokenBucket:
    """Allow bursts of ``capacity`` messages, then ``per_second`` messages a second.

    ``tokens`` is what was left at ``at`` (a time in seconds on any monotonic scale). ``take``
    returns the bucket after spending one token, or None when the sender must wait.
    """

    capacity: float
    per_second: float
    tokens: float
    at: float

    @classmethod
    def full(cls, capacity: float, per_second: float, at: float) -> "TokenBucket":
        return cls(capacity, per_second, capacity, at)

    def take(self, at: float) -> "TokenBucket | None":
        tokens = min(self.capacity, self.tokens + max(0.0, at - self.at) * self.per_second)
        if tokens < 1:
            return None
        return TokenBucket(self.capacity, self.per_second, tokens - 1, max(at, self.at))

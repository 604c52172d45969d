"""Rules of a live session that need no database: pure functions, property-tested."""

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

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


# --- The shared timer: computed from stored timestamps, never ticked ------------------------


@dataclass(frozen=True)
class Clock:
    planned_seconds: int
    started_at: datetime | None
    paused_at: datetime | None = None
    paused_seconds: float = 0.0  # accumulated by earlier pauses of this step
    extra_seconds: int = 0  # "add time"

    def elapsed(self, now: datetime) -> float:
        if self.started_at is None:
            return 0.0
        until = self.paused_at or now
        return max(0.0, (until - self.started_at).total_seconds() - self.paused_seconds)

    def remaining(self, now: datetime) -> float:
        """Seconds left; negative when over time."""
        return self.planned_seconds + self.extra_seconds - self.elapsed(now)

    @property
    def running(self) -> bool:
        return self.started_at is not None and self.paused_at is None

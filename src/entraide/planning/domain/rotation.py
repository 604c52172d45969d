"""Rotation of facilitators: each member of a group facilitates a session in turn.

Field document 000 ("les brouillons d'ateliers"): a group of about seven members, each runs
one trial workshop of at most two hours for the others, and so on, each in turn.

A pure function, no database. The rules:

- every session gets exactly one facilitator, never one who declared being unavailable for it;
- with as many sessions as members, each member facilitates exactly once;
- with more sessions, every member facilitates at least once and the counts are as even as
  possible: at most ``ceil(sessions / members)`` each and at least ``floor(...)`` when the
  declared unavailabilities allow it; otherwise the largest count is kept as small as possible,
  then the smallest count as large as possible;
- with fewer sessions than members, nobody facilitates twice;
- without unavailabilities the order is the natural turn (session i → member i, round after
  round); the result is deterministic.

It is a bipartite b-matching solved exactly with augmenting paths (Kuhn's algorithm, each
member's capacity handled as identical slots): first every member gets the sessions of their
lower bound, then the other sessions are added, re-routing earlier choices along alternating
paths. Augmenting paths never take a session away from a member, so the lower bounds hold, and
the search fails only when no assignment exists; the error then names who cannot be placed
(a set of members who together are available for too few sessions, or the sessions nobody
can take). Once the counts are known to be possible, the Hungarian algorithm picks, among the
assignments with those counts, the one closest to the natural turn, so that rounds stay rounds
around the unavailabilities.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Mapping, Sequence
from datetime import date
from typing import TypeVar

from django.utils import formats
from django.utils.translation import gettext as _, ngettext, pgettext

from entraide.core.errors import DomainError

M = TypeVar("M", bound=Hashable)
S = TypeVar("S", bound=Hashable)


class RotationError(DomainError, ValueError):
    """No rotation is possible. ``str(error)`` is a clear message in the active language;
    ``code`` ``"rotation_impossible"``."""

    default_code = "rotation_impossible"

    def __init__(self, message: str, members: Sequence = (), sessions: Sequence = (), *, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.members = tuple(members)  # the members who cannot be placed, when that is the cause
        self.sessions = tuple(sessions)  # the sessions concerned


def human_list(names: Sequence[str]) -> str:
    """``["Ana", "Ben", "Chloé"]`` → "Ana, Ben and Chloé" in the active language."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return _("%(names)s and %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}


def default_label(value: object) -> str:
    """A date (or an object with a ``date``, such as a planned session) in words; else ``str``."""
    if not isinstance(value, date) and isinstance(getattr(value, "date", None), date):
        value = value.date  # type: ignore[attr-defined]
    if isinstance(value, date):
        return formats.date_format(value, pgettext("rotation: session date", "l j F Y"))
    return str(value)


def rotation(
    members: Sequence[M],
    sessions: Sequence[S],
    unavailable: Mapping[M, Collection[S]] = {},  # noqa: B006 - read only
    *,
    member_label: Callable[[M], str] = default_label,
    session_label: Callable[[S], str] = default_label,
) -> dict[S, M]:
    """Who facilitates each session, in the order of ``sessions``; raises RotationError."""
    members, sessions = list(members), list(sessions)
    _check_distinct(members, sessions, member_label, session_label)
    if not sessions:
        return {}
    if not members:
        raise RotationError(_("There is nobody to facilitate: the group has no members."))
    solver = _Solver(members, sessions, unavailable)
    count, size = len(sessions), len(members)
    if count < size:
        plan = solver.solve(0, 1)  # nobody twice
    else:
        low, extra = divmod(count, size)
        high = low + (1 if extra else 0)
        plan = solver.solve(low, high)
        if plan is None:
            # Keep everybody facilitating at least once; the largest count as small as possible,
            # then the smallest count as large as possible.
            if solver.solve(1, count) is None:
                plan = None
            else:
                while solver.solve(1, high) is None:
                    high += 1
                while (plan := solver.solve(low, high)) is None:
                    low -= 1
    if plan is not None:
        plan = solver.in_turn(plan)
    if plan is None:
        raise solver.error(1 if count >= size else 0, count if count >= size else 1, member_label, session_label)
    return {sessions[s]: members[m] for s, m in sorted(plan.items())}


def facilitation_counts(assignment: Mapping[S, M], members: Sequence[M]) -> dict[M, int]:
    counts = {member: 0 for member in members}
    for member in assignment.values():
        counts[member] += 1
    return counts


def _check_distinct(members: list, sessions: list, member_label: Callable, session_label: Callable) -> None:
    for values, label, message in (
        (members, member_label, _("%(name)s appears twice among the members.")),
        (sessions, session_label, _("%(name)s appears twice among the sessions.")),
    ):
        seen: set = set()
        for value in values:
            if value in seen:
                raise RotationError(message % {"name": label(value)})
            seen.add(value)


class _Solver:
    def __init__(self, members: list, sessions: list, unavailable: Mapping) -> None:
        self.members, self.sessions = members, sessions
        index = {session: number for number, session in enumerate(sessions)}
        self.available: list[set[int]] = []
        for member in members:
            refused = {index[s] for s in unavailable.get(member, ()) if s in index}
            self.available.append(set(range(len(sessions))) - refused)
        self.failure: tuple[str, int, set[int], set[int]] | None = None

    def solve(self, low: int, high: int) -> dict[int, int] | None:
        """session index → member index with low ≤ count ≤ high for every member, or None."""
        size, count = len(self.members), len(self.sessions)
        owner: dict[int, int] = {}  # session → member
        load = [0] * size
        # Phase 1: each member's first ``low`` sessions, preferring the natural turn.
        for slot in range(low):
            for member in range(size):
                visited: set[int] = set()
                if not self._grow_member(member, slot, owner, load, visited):
                    members_in_tree = {member} | {owner[s] for s in visited}
                    self.failure = ("members", low, members_in_tree, visited)
                    return None
        # Phase 2: the remaining sessions, each member up to ``high``.
        for session in range(count):
            if session in owner:
                continue
            visited_members: set[int] = set()
            visited_sessions: set[int] = {session}
            if not self._grow_session(session, high, owner, load, visited_members, visited_sessions):
                self.failure = ("sessions", high, visited_members, visited_sessions)
                return None
        return owner

    def in_turn(self, plan: dict[int, int]) -> dict[int, int]:
        """The same counts, as close as possible to the natural turn (round after round).

        A feasible ``plan`` from the matching fixes each member's count bounds; among all the
        assignments within them, the Hungarian algorithm finds the one with the fewest sessions
        out of their round (a member's k-th session in round k), then the smallest squared
        distance between each session and its place in the natural order. Skipped for very large inputs (O(sessions² × slots)),
        where the matching's own order, already close to the turn, is kept.
        """
        size, count = len(self.members), len(self.sessions)
        loads = [0] * size
        for member in plan.values():
            loads[member] += 1
        low, high = min(loads), max(loads)
        slots = [(member, k) for k in range(high) for member in range(size)]
        if count * count * len(slots) > 4_000_000:
            return plan
        # Weights in strict order: a required slot left empty, then a member's k-th session
        # outside round k (everyone once before anyone twice), then the distance to the turn.
        distance_max = count * count
        round_weight = distance_max * count + 1
        bonus = (count + 1) * (round_weight * (high + 1) + distance_max)
        refused = bonus * (count + 2) * 2  # never chosen when a solution exists

        def cost_of(session: int, member: int, k: int) -> int:
            if session not in self.available[member]:
                return refused
            return (
                round_weight * abs(session // size - k)
                + (session - (k * size + member)) ** 2
                - (bonus if k < low else 0)
            )

        cost = [[cost_of(session, member, k) for member, k in slots] for session in range(count)]
        columns = _hungarian(cost)
        arranged = {session: slots[column][0] for session, column in enumerate(columns)}
        counts = [0] * size
        for member in arranged.values():
            counts[member] += 1
        valid = all(session in self.available[m] for session, m in arranged.items()) and all(
            low <= c <= high for c in counts
        )
        return arranged if valid else plan

    def _grow_member(self, member: int, slot: int, owner: dict, load: list, visited: set) -> bool:
        """An alternating path giving ``member`` one more session (others keep their counts)."""
        size = len(self.members)
        preferred = slot * size + member
        for session in sorted(self.available[member], key=lambda s: (abs(s - preferred), s)):
            if session in visited or owner.get(session) == member:
                continue
            visited.add(session)
            holder = owner.get(session)
            if holder is None or self._grow_member(holder, slot, owner, load, visited):
                owner[session] = member
                load[member] += 1
                if holder is not None:
                    load[holder] -= 1  # the holder got another session in the recursive call
                return True
        return False

    def _grow_session(
        self, session: int, high: int, owner: dict, load: list, visited_members: set, visited_sessions: set
    ) -> bool:
        """An alternating path giving ``session`` a facilitator; no member's count goes down."""
        size = len(self.members)
        order = sorted(range(size), key=lambda m: ((m - session) % size, m))
        candidates = [m for m in order if session in self.available[m] and m not in visited_members]
        for member in candidates:
            visited_members.add(member)
            if load[member] < high:
                owner[session] = member
                load[member] += 1
                return True
            for other in sorted(s for s, m in owner.items() if m == member and s not in visited_sessions):
                visited_sessions.add(other)
                if self._grow_session(other, high, owner, load, visited_members, visited_sessions):
                    # ``other`` moved to someone else: ``member`` takes ``session`` instead.
                    load[member] -= 1
                    owner[session] = member
                    load[member] += 1
                    return True
        return False

    def error(self, low: int, high: int, member_label: Callable, session_label: Callable) -> RotationError:
        self.solve(low, high)
        assert self.failure is not None
        kind, bound, members, sessions = self.failure
        member_names = [member_label(self.members[m]) for m in sorted(members)]
        session_names = [session_label(self.sessions[s]) for s in sorted(sessions)]
        if kind == "members":
            if not sessions:
                return RotationError(
                    ngettext(
                        "%(members)s declared being unavailable for every session and cannot facilitate.",
                        "%(members)s declared being unavailable for every session and cannot facilitate.",
                        len(member_names),
                    )
                    % {"members": human_list(member_names)},
                    [self.members[m] for m in sorted(members)],
                )
            return RotationError(
                ngettext(
                    "Everyone must facilitate once, but %(members)s are together available for only "
                    "%(count)d session: %(sessions)s.",
                    "Everyone must facilitate once, but %(members)s are together available for only "
                    "%(count)d sessions: %(sessions)s.",
                    len(session_names),
                )
                % {"members": human_list(member_names), "count": len(session_names), "sessions": human_list(session_names)},
                [self.members[m] for m in sorted(members)],
                [self.sessions[s] for s in sorted(sessions)],
            )
        unstaffed = sorted(s for s in sessions if not any(s in available for available in self.available))
        if unstaffed:
            names = [session_label(self.sessions[s]) for s in unstaffed]
            return RotationError(
                _("Nobody is available to facilitate %(sessions)s.") % {"sessions": human_list(names)},
                (),
                [self.sessions[s] for s in unstaffed],
            )
        return RotationError(
            ngettext(
                "%(sessions)s can only be facilitated by %(members)s, who can take at most %(count)d session each.",
                "%(sessions)s can only be facilitated by %(members)s, who can take at most %(count)d sessions each.",
                bound,
            )
            % {"sessions": human_list(session_names), "members": human_list(member_names), "count": bound},
            [self.members[m] for m in sorted(members)],
            [self.sessions[s] for s in sorted(sessions)],
        )


def _hungarian(cost: list[list[int]]) -> list[int]:
    """Minimum-cost assignment of every row to a distinct column (rows ≤ columns); row → column.

    The classic O(rows² × columns) shortest-augmenting-path form with potentials.
    """
    rows, columns = len(cost), len(cost[0])
    infinity = float("inf")
    u = [0] * (rows + 1)
    v = [0] * (columns + 1)
    owner = [0] * (columns + 1)  # column → row (1-based), 0 = free
    way = [0] * (columns + 1)
    for row in range(1, rows + 1):
        owner[0] = row
        column0 = 0
        minimum = [infinity] * (columns + 1)
        used = [False] * (columns + 1)
        while True:
            used[column0] = True
            row0, delta, column1 = owner[column0], infinity, 0
            for column in range(1, columns + 1):
                if not used[column]:
                    current = cost[row0 - 1][column - 1] - u[row0] - v[column]
                    if current < minimum[column]:
                        minimum[column], way[column] = current, column0
                    if minimum[column] < delta:
                        delta, column1 = minimum[column], column
            for column in range(columns + 1):
                if used[column]:
                    u[owner[column]] += delta
                    v[column] -= delta
                else:
                    minimum[column] -= delta
            column0 = column1
            if owner[column0] == 0:
                break
        while column0:
            column1 = way[column0]
            owner[column0] = owner[column1]
            column0 = column1
    assignment = [-1] * rows
    for column in range(1, columns + 1):
        if owner[column]:
            assignment[owner[column] - 1] = column - 1
    return assignment

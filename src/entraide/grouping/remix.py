"""Re-mixing people across rounds with as few repeated meetings as possible (the social golfer
problem, CSPLib problem 10; issue 12, item 4).

``remix`` tries, in order, within its time limit:

1. a construction without any repeat: ``designs.affine_schedule`` (2^k people in tables of 2^j,
   cosets of a partial spread of GF(2)^k: 32 people in fours over up to 9 rounds), then
   ``designs.orbit_schedule`` (32 people in fours over 10 rounds, the social golfer instance
   8-4-10, in the shape of Aguado's schedule), then ``designs.cyclic_schedule`` (Kirkman's
   schoolgirls, and every instance with a cyclic base round);
2. a random-restart greedy start, improved by the tabu search of I. Dotú and P. Van Hentenryck,
   "Scheduling social golfers locally", CPAIOR 2005 (swap two people of one round, one of them in
   a conflict; tabu on the person and round moved; random swaps when stuck);
3. CP-SAT polishing: one round at a time is solved exactly against all the others
   (minimum of repeats, the current round as a hint), while repeats remain and time is left.
"""

import math
import random
import time

from django.utils.translation import ngettext

from .designs import affine_schedule, cyclic_schedule, orbit_schedule
from .model import GroupingImpossible, Schedule

MAX_PEOPLE = 2000
MAX_ROUNDS = 200
# Iterations of the tabu search per second of time limit: the search stops on this count (so
# that a seed gives the same schedule on any machine) or on the wall clock, whichever comes first.
TABU_STEPS_PER_SECOND = 4000


def table_sizes(n_people: int, size: int) -> list[int]:
    """Sizes of the ceil(n/size) tables of a round: as even as possible, none above ``size``."""
    tables = math.ceil(n_people / size)
    base, extra = divmod(n_people, tables)
    return [base + 1] * extra + [base] * (tables - extra)


def count_repeats(rounds: list[list[list[int]]]) -> int:
    """Meetings beyond the first, summed over all pairs of people."""
    seen: dict[tuple[int, int], int] = {}
    for tables in rounds:
        for table in tables:
            for index, a in enumerate(table):
                for b in table[index + 1 :]:
                    pair = (a, b) if a < b else (b, a)
                    seen[pair] = seen.get(pair, 0) + 1
    return sum(count - 1 for count in seen.values() if count > 1)


def _check(n_people: int, size: int, rounds: int) -> None:
    if size < 2:
        raise GroupingImpossible("size", lambda: ngettext(
            "A table needs at least 2 people; %(size)d was asked.",
            "A table needs at least 2 people; %(size)d were asked.", size) % {"size": size})
    if n_people < size:
        raise GroupingImpossible("too_few_people", lambda: ngettext(
            "%(people)d person cannot form a table of %(size)d.",
            "%(people)d people cannot form a table of %(size)d.", n_people) % {"people": n_people, "size": size})
    if n_people > MAX_PEOPLE:
        raise GroupingImpossible("too_many_people", lambda: ngettext(
            "At most %(max)d person can be re-mixed at once.",
            "At most %(max)d people can be re-mixed at once.", MAX_PEOPLE) % {"max": MAX_PEOPLE})
    if not 1 <= rounds <= MAX_ROUNDS:
        raise GroupingImpossible("rounds", lambda: ngettext(
            "The number of rounds must be between 1 and %(max)d.",
            "The number of rounds must be between 1 and %(max)d.", MAX_ROUNDS) % {"max": MAX_ROUNDS})


def _normalise(rounds: list[list[list[int]]]) -> list[list[list[int]]]:
    return [sorted((sorted(table) for table in tables), key=lambda t: (-len(t), t)) for tables in rounds]


def greedy_schedule(n_people: int, size: int, rounds: int, rng: random.Random) -> list[list[list[int]]]:
    """One greedy schedule: round by round, people in random order each join the table (with room)
    where they have met the fewest people so far."""
    sizes = table_sizes(n_people, size)
    met = [[0] * (n_people + 1) for _ in range(n_people + 1)]
    schedule = []
    for _ in range(rounds):
        tables: list[list[int]] = [[] for _ in sizes]
        people = list(range(1, n_people + 1))
        rng.shuffle(people)
        for person in people:
            best = min(
                (index for index, table in enumerate(tables) if len(table) < sizes[index]),
                key=lambda index: (sum(met[person][other] for other in tables[index]), rng.random()),
            )
            tables[best].append(person)
        for table in tables:
            for a in table:
                for b in table:
                    if a != b:
                        met[a][b] += 1
        schedule.append(tables)
    return schedule


def random_restart_greedy(n_people: int, size: int, rounds: int, *, seed: int = 0, time_limit_s: float = 1.0) -> Schedule:
    """The baseline of bench/grouping.py: greedy schedules from fresh random orders until the time
    limit, keeping the one with the fewest repeats."""
    _check(n_people, size, rounds)
    started = time.monotonic()
    rng = random.Random(seed)
    best, best_repeats = None, None
    while best is None or (best_repeats and time.monotonic() - started < time_limit_s):
        candidate = greedy_schedule(n_people, size, rounds, rng)
        repeats = count_repeats(candidate)
        if best_repeats is None or repeats < best_repeats:
            best, best_repeats = candidate, repeats
    return Schedule(_normalise(best), best_repeats, round(time.monotonic() - started, 3), "greedy")


def tabu_search(schedule: list[list[list[int]]], n_people: int, rng: random.Random, steps: int, deadline: float) -> list[list[list[int]]]:
    """Dotú & Van Hentenryck's tabu search on swaps, from ``schedule``; returns the best schedule
    seen within ``steps`` iterations or until ``deadline`` (time.monotonic()).

    A swap of p (table A) and q (table B) in round r changes the repeats by
    J_p(B) + J_q(A) − L_p − L_q − 2·[p and q have met], where L_x counts the people at x's table
    that x meets more than once and J_x(T) the people at T that x has met at all; both are
    matrix products over the meeting counts, evaluated for every candidate at once (numpy).
    """
    import numpy as np

    noise = np.random.default_rng(rng.randrange(2**32))
    n, n_rounds = n_people, len(schedule)
    n_tables = len(schedule[0])
    where = np.zeros((n_rounds, n), dtype=np.int64)
    for r, tables in enumerate(schedule):
        for t, table in enumerate(tables):
            for person in table:
                where[r, person - 1] = t
    onehot = np.zeros((n_rounds, n, n_tables), dtype=np.int32)
    for r in range(n_rounds):
        onehot[r, np.arange(n), where[r]] = 1
    met = np.einsum("rit,rjt->ij", onehot, onehot)
    np.fill_diagonal(met, 0)
    tabu = np.zeros((n_rounds, n, n_tables), dtype=np.int64)
    cost = int(np.maximum(met - 1, 0).sum()) // 2
    best_cost, best_where = cost, where.copy()
    stale = 0
    index = np.arange(n)
    for step in range(1, steps + 1):
        if cost == 0 or (step % 32 == 0 and time.monotonic() > deadline):
            break
        known = (met > 0).astype(np.int32)
        twice = (met > 1).astype(np.int32)
        join = known @ onehot  # (rounds, n, tables): J_x(T)
        leave = np.take_along_axis(twice @ onehot, where[:, :, None], axis=2)[:, :, 0]  # (rounds, n): L_x
        conflicted = np.argwhere(leave > 0)
        if len(conflicted) == 0:
            break
        rs, ps = conflicted[:, 0], conflicted[:, 1]
        tp = where[rs, ps]
        delta = (
            join[rs, ps][np.arange(len(ps))[:, None], where[rs]]  # J_p(table of q)
            + np.take_along_axis(join[rs], tp[:, None, None].repeat(n, axis=1), axis=2)[:, :, 0]  # J_q(table of p)
            - leave[rs, ps][:, None] - leave[rs]
            - 2 * known[ps]
        ).astype(np.float64)
        same = where[rs] == tp[:, None]
        is_tabu = (tabu[rs, ps][np.arange(len(ps))[:, None], where[rs]] >= step) | (
            np.take_along_axis(tabu[rs], tp[:, None, None].repeat(n, axis=1), axis=2)[:, :, 0] >= step
        )
        allowed = ~same & (~is_tabu | (cost + delta < best_cost))
        delta += noise.random(delta.shape) * 0.5  # random tie-breaking among equal moves
        delta[~allowed] = np.inf
        flat = int(np.argmin(delta))
        k, q = divmod(flat, n)
        if not np.isfinite(delta[k, q]):
            k = int(noise.integers(len(ps)))
            choices = np.flatnonzero(~same[k])
            if len(choices) == 0:
                break  # one table only: nothing to swap
            q = int(choices[noise.integers(len(choices))])
        r, p = int(rs[k]), int(ps[k])
        a, b = int(where[r, p]), int(where[r, q])
        members_a = index[(where[r] == a) & (index != p)]
        members_b = index[(where[r] == b) & (index != q)]
        met[p, members_a] -= 1; met[members_a, p] -= 1
        met[q, members_a] += 1; met[members_a, q] += 1
        met[q, members_b] -= 1; met[members_b, q] -= 1
        met[p, members_b] += 1; met[members_b, p] += 1
        where[r, p], where[r, q] = b, a
        onehot[r, p, a], onehot[r, p, b], onehot[r, q, b], onehot[r, q, a] = 0, 1, 0, 1
        tenure = 4 + int(noise.integers(0, 11))
        tabu[r, p, a] = step + tenure
        tabu[r, q, b] = step + tenure
        cost = int(np.maximum(met - 1, 0).sum()) // 2
        if cost < best_cost:
            best_cost, best_where, stale = cost, where.copy(), 0
        else:
            stale += 1
            if stale > 300:  # perturbation: a few random swaps, then go on from there
                for _ in range(max(2, n // 8)):
                    r = int(noise.integers(n_rounds))
                    p, q = (int(x) for x in noise.choice(n, 2, replace=False))
                    a, b = int(where[r, p]), int(where[r, q])
                    if a != b:
                        where[r, p], where[r, q] = b, a
                onehot[:] = 0
                for r in range(n_rounds):
                    onehot[r, index, where[r]] = 1
                met = np.einsum("rit,rjt->ij", onehot, onehot)
                np.fill_diagonal(met, 0)
                cost = int(np.maximum(met - 1, 0).sum()) // 2
                tabu[:] = 0
                stale = 0
    return [[[int(p) + 1 for p in np.flatnonzero(best_where[r] == t)] for t in range(n_tables)] for r in range(n_rounds)]


def polish_round(schedule: list[list[list[int]]], r: int, n_people: int, seconds: float, seed: int) -> list[list[int]]:
    """Round r solved exactly by CP-SAT against the other rounds: the tables of the same sizes
    that add the fewest repeated meetings (the current round is the hint)."""
    from ortools.sat.python import cp_model

    met = [[0] * (n_people + 1) for _ in range(n_people + 1)]
    for other, tables in enumerate(schedule):
        if other != r:
            for table in tables:
                for a in table:
                    for b in table:
                        if a != b:
                            met[a][b] += 1
    current = schedule[r]
    sizes = [len(table) for table in current]
    model = cp_model.CpModel()
    seat = {(p, t): model.NewBoolVar(f"s{p}_{t}") for p in range(1, n_people + 1) for t in range(len(sizes))}
    for p in range(1, n_people + 1):
        model.AddExactlyOne(seat[p, t] for t in range(len(sizes)))
    for t, size in enumerate(sizes):
        model.Add(sum(seat[p, t] for p in range(1, n_people + 1)) == size)
    cost = []
    for a in range(1, n_people + 1):
        for b in range(a + 1, n_people + 1):
            if met[a][b]:
                for t in range(len(sizes)):
                    both = model.NewBoolVar("")
                    model.AddBoolOr([seat[a, t].Not(), seat[b, t].Not(), both])
                    cost.append(met[a][b] * both)
    model.Minimize(sum(cost))
    for t, table in enumerate(current):
        for p in range(1, n_people + 1):
            model.AddHint(seat[p, t], p in table)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1  # one worker + a seed: the same answer every time
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = seconds
    solver.parameters.max_time_in_seconds = seconds * 3
    status = solver.Solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return current
    return [[p for p in range(1, n_people + 1) if solver.Value(seat[p, t])] for t in range(len(sizes))]


def remix(n_people: int, size: int, rounds: int, *, seed: int = 0, time_limit_s: float = 10.0) -> Schedule:
    """``rounds`` rounds of tables of at most ``size`` people (ceil(n/size) tables, sizes differing
    by at most one), people numbered 1..n, with as few repeated meetings as possible.

    Returns a ``Schedule`` (rounds, repeats, seconds, method: "construction", "tabu" or
    "cp-sat"). Stops as soon as no repeat is left. Deterministic for a seed: the tabu search and
    CP-SAT (one worker, a fixed seed, a deterministic time limit) stop on work counts, the wall
    clock (``time_limit_s``) only cuts them short on a machine slower than this one's 2 cores.
    Raises ``GroupingImpossible`` for tables under 2, fewer people than a table, more than
    ``MAX_PEOPLE`` people or rounds outside 1..``MAX_ROUNDS``. Issue 12, item 4; field document 002
    (tables of 3 to 5).
    """
    _check(n_people, size, rounds)
    started = time.monotonic()
    deadline = started + time_limit_s
    if n_people % size == 0 and rounds > 1:
        built = affine_schedule(n_people, size, rounds, min(time_limit_s * 0.1, 1.0))
        if built is None:
            built = orbit_schedule(n_people, size, rounds, time_limit_s * 0.5, seed)
        if built is None:
            built = cyclic_schedule(n_people, size, rounds, min(time_limit_s * 0.3, 5.0))
        if built is not None:
            return Schedule(_normalise(built), count_repeats(built), round(time.monotonic() - started, 3), "construction")
    rng = random.Random(seed)
    schedule = greedy_schedule(n_people, size, rounds, rng)
    for _ in range(20):
        candidate = greedy_schedule(n_people, size, rounds, rng)
        if count_repeats(candidate) < count_repeats(schedule):
            schedule = candidate
    method = "greedy"
    if count_repeats(schedule) and rounds > 1 and len(schedule[0]) > 1:
        tabu_deadline = started + time_limit_s * 0.8
        schedule = tabu_search(schedule, n_people, rng, int(time_limit_s * TABU_STEPS_PER_SECOND), tabu_deadline)
        method = "tabu"
    repeats = count_repeats(schedule)
    polished = 0
    while repeats and len(schedule[0]) > 1 and time.monotonic() < deadline - 0.05 and polished < 3 * rounds:
        r = polished % rounds
        polished += 1
        left = deadline - time.monotonic()
        candidate = [list(tables) for tables in schedule]
        candidate[r] = polish_round(schedule, r, n_people, min(left, max(0.2, time_limit_s / (3 * rounds))), seed)
        if count_repeats(candidate) < repeats:
            schedule, repeats, method = candidate, count_repeats(candidate), "cp-sat"
    return Schedule(_normalise(schedule), repeats, round(time.monotonic() - started, 3), method)

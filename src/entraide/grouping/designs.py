"""Schedules without any repeated meeting, built from a cyclic base round (the method of
differences of design theory).

People are the points of Z_m × {0..c-1} plus f fixed points ∞_0..∞_{f-1}. A *base round*
partitions them into tables; round k is the base round with every (x, i) replaced by
(x + k mod m, i), the fixed points staying. Two people meet in round k exactly when a pair of the
base round lies in the same orbit under that shift, so the m rounds have no repeated meeting as
soon as the base round holds at most one pair of each orbit (and none of a short orbit: for even
m, the pairs (x, i), (x + m/2, i)). Such resolvable designs are called 1-rotational when f = 1.
Finding the base round is an exact cover (Knuth's Algorithm X): the people exactly once, each pair
orbit at most once.

- Kirkman's schoolgirls (15 people in tables of 3 over 7 days, Kirkman 1850): m = 7, c = 2, f = 1;
  the classic 1-rotational Kirkman triple system of order 15 (see C. J. Colbourn and J. H. Dinitz,
  *Handbook of Combinatorial Designs*, 2nd ed., 2007, §II.2 "Triple systems", resolvable
  constructions). The search finds a base round in milliseconds.
- 20 people in tables of 4 over 5 rounds: m = 5, c = 4, f = 0.
- 32 people in tables of 4 over 10 rounds (the social golfer instance 8-4-10, CSPLib problem 10;
  open until Alejandro Aguado's explicit solution in 2004, see M. Triska, "The Social Golfer
  Problem", metalevel.at/sgp, and Wikipedia "Social golfer problem"). General searches (tabu
  search, CP) stop at 9 rounds. No base round is known here yet: the searches tried (Z_10 with
  3 components and 2 fixed points; Z_5 with two base rounds; Z_8 on 4 components with two fixed
  transversal rounds) found none within minutes. ``KNOWN_BASE_ROUNDS`` is where one found offline
  would go (keyed by (m, c, f, size), checked by a test).
"""

import itertools
import time
from collections.abc import Iterator

Point = tuple[int, int]  # (x, component); component -1 marks a fixed point numbered x
FIXED = -1


def _orbit(p: Point, q: Point, m: int):
    """The orbit of the pair {p, q} under the shift, or None if the pair may never sit together
    (two fixed points would meet every round; a short orbit would repeat)."""
    if p[1] == FIXED and q[1] == FIXED:
        return None
    if q[1] == FIXED:
        p, q = q, p
    if p[1] == FIXED:
        return ("fixed", p[0], q[1])
    (x, i), (y, j) = p, q
    if i == j:
        d = (y - x) % m
        d = min(d, m - d)
        return None if 2 * d == m else ("pure", i, d)
    if i > j:
        (x, i), (y, j) = (y, j), (x, i)
    return ("mixed", i, j, (y - x) % m)


def _points(m: int, c: int, f: int) -> list[Point]:
    return [(x, i) for i in range(c) for x in range(m)] + [(k, FIXED) for k in range(f)]


def _exact_cover(columns: dict, rows: dict, primary: set, deadline: float, found: list) -> Iterator[None]:
    if time.monotonic() > deadline:
        raise TimeoutError
    open_primary = [column for column in columns if column in primary]
    if not open_primary:
        yield
        return
    column = min(open_primary, key=lambda c: len(columns[c]))
    for row in sorted(columns[column], key=str):
        found.append(row)
        removed = _select(columns, rows, row)
        yield from _exact_cover(columns, rows, primary, deadline, found)
        _deselect(columns, rows, row, removed)
        found.pop()


def _select(columns: dict, rows: dict, row) -> list:
    removed = []
    for j in rows[row]:
        for i in columns[j]:
            for k in rows[i]:
                if k != j:
                    columns[k].remove(i)
        removed.append(columns.pop(j))
    return removed


def _deselect(columns: dict, rows: dict, row, removed: list) -> None:
    for j in reversed(rows[row]):
        columns[j] = removed.pop()
        for i in columns[j]:
            for k in rows[i]:
                if k != j:
                    columns[k].add(i)


def find_base_round(m: int, c: int, f: int, size: int, seconds: float) -> list[tuple[Point, ...]] | None:
    """A base round for Z_m × c + f fixed points in tables of ``size``, or None if none was found
    within ``seconds`` (or none exists). Deterministic: rows are tried in a fixed order."""
    points = _points(m, c, f)
    if len(points) % size or f > len(points) // size:
        return None
    deadline = time.monotonic() + seconds
    rows: dict = {}
    for count, block in enumerate(itertools.combinations(points, size)):
        if count % 4096 == 0 and time.monotonic() > deadline:
            return None  # listing the candidate tables alone took the whole budget
        orbits = [_orbit(p, q, m) for p, q in itertools.combinations(block, 2)]
        if None in orbits or len(set(orbits)) < len(orbits):
            continue
        rows[block] = list(block) + orbits
    columns: dict = {point: set() for point in points}
    for block, items in rows.items():
        for item in items:
            columns.setdefault(item, set()).add(block)
    found: list = []
    try:
        for _ in _exact_cover(columns, rows, set(points), deadline, found):
            return list(found)
    except TimeoutError:
        return None
    return None


def develop(base: list[tuple[Point, ...]], m: int, c: int, rounds: int) -> list[list[list[int]]]:
    """The first ``rounds`` shifts of a base round, people numbered 1..n: (x, i) is i·m + x + 1 and
    the fixed point k is c·m + k + 1."""

    def number(point: Point, shift: int) -> int:
        x, i = point
        return c * m + x + 1 if i == FIXED else i * m + (x + shift) % m + 1

    return [sorted(sorted(number(p, k) for p in block) for block in base) for k in range(rounds)]


# Base rounds found by ``find_base_round`` (kept so that the large ones cost nothing at run time),
# keyed by (m, c, f, size). Each is checked by tests/grouping/test_remix.py.
KNOWN_BASE_ROUNDS: dict[tuple[int, int, int, int], list[tuple[Point, ...]]] = {}


def structures(n: int, size: int, rounds: int) -> Iterator[tuple[int, int, int]]:
    """Every (m, c, f) with m ≥ rounds, n = m·c + f and at most one fixed point per table, smallest
    m first (the fewer points per orbit, the smaller the search)."""
    tables = n // size
    for m in range(max(rounds, 2), n + 1):
        for c in range(n // m, 0, -1):
            f = n - m * c
            if 0 <= f <= tables and (f == 0 or c >= size - 1):
                yield m, c, f


def cyclic_schedule(n: int, size: int, rounds: int, seconds: float) -> list[list[list[int]]] | None:
    """A schedule of ``rounds`` rounds of n/size tables without any repeated meeting, from a known
    or searched base round, or None within ``seconds``. Requires size to divide n."""
    if n % size or rounds < 1:
        return None
    deadline = time.monotonic() + seconds
    candidates = list(structures(n, size, rounds))
    for m, c, f in candidates:
        if (m, c, f, size) in KNOWN_BASE_ROUNDS:
            return develop(KNOWN_BASE_ROUNDS[m, c, f, size], m, c, rounds)
    for index, (m, c, f) in enumerate(candidates[:4]):
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        base = find_base_round(m, c, f, size, left / (min(len(candidates), 4) - index))
        if base is not None:
            return develop(base, m, c, rounds)
    return None

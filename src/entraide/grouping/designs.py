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
- 32 people in tables of 4 over 9 rounds: ``affine_schedule`` below (cosets of 9 pairwise
  disjoint lines of PG(4, 2)), in milliseconds.
- 32 people in tables of 4 over 10 rounds (the social golfer instance 8-4-10, CSPLib problem 10;
  open until Alejandro Aguado's explicit solution in 2004, see M. Triska, "The Social Golfer
  Problem", metalevel.at/sgp, and Wikipedia "Social golfer problem"). General searches (tabu
  search, CP) stop at 9 rounds, and so does the affine construction (Beutelspacher's bound: at
  most 9 pairwise disjoint lines in PG(4, 2)). No 10-round schedule is known here: the searches
  tried found none. Previous helper: Z_10 with 3 components and 2 fixed points; Z_5 with two
  base rounds; Z_8 on 4 components with two fixed transversal rounds (exact cover, minutes).
  Then 1-rotational development over Z_31 ∪ {∞} with rounds R_0 + t, t ∈ T, |T| = 10: counting
  forces every difference ±δ to occur exactly 3 times in R_0, with starting points P_δ such that
  P_δ + T are 3 disjoint translates (and {a, b, c} + T for the block of ∞). CP-SAT (2 workers,
  block-precedence symmetry breaking, T = {0..9}, which covers every arithmetic progression by a
  multiplier) found nothing in 10 minutes (niced, on the shared machine), nor for T = {0..8}
  (9 rounds) in 2 minutes;
  short simulated-annealing runs on R_0 (swaps; 15–30 s of CPU each) stopped at 3 and 6
  conflicting pairs for T = {0..6} and {0..7}, and found nothing for 10 rounds with T also moved. ``KNOWN_BASE_ROUNDS`` is where a base round found
  offline would go (keyed by (m, c, f, size), checked by a test).
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


# Affine geometry over GF(2): 2^k people in tables of 2^j ------------------------------------------

MAX_AFFINE_DIMENSION = 6  # up to 64 people; beyond, listing the subspaces costs more than it saves


def _subspaces(k: int, j: int, deadline: float) -> list[frozenset[int]] | None:
    """Every j-dimensional subspace of GF(2)^k (vectors as k-bit integers), in a fixed order, or
    None past ``deadline``."""
    found: dict[frozenset[int], None] = {}
    for count, basis in enumerate(itertools.combinations(range(1, 2**k), j)):
        if count % 4096 == 0 and time.monotonic() > deadline:
            return None
        span = {0}
        for vector in basis:
            span |= {v ^ vector for v in span}
        if len(span) == 2**j:
            found.setdefault(frozenset(span), None)
    return list(found)


def _partial_spread(spaces: list[frozenset[int]], wanted: int, deadline: float) -> list[frozenset[int]] | None:
    """``wanted`` subspaces meeting pairwise in the zero vector only (depth-first, fixed order),
    or None if there are none or ``deadline`` passes."""
    chosen: list[frozenset[int]] = []

    def extend(start: int, used: frozenset[int]) -> bool:
        if len(chosen) == wanted:
            return True
        if time.monotonic() > deadline:
            raise TimeoutError
        for index in range(start, len(spaces)):
            space = spaces[index]
            if len(space & used) == 1:  # only the zero vector in common
                chosen.append(space)
                if extend(index + 1, used | space):
                    return True
                chosen.pop()
        return False

    try:
        return list(chosen) if extend(0, frozenset({0})) else None
    except TimeoutError:
        return None


def max_partial_spread(k: int, j: int) -> int:
    """An upper bound on the number of j-dimensional subspaces of GF(2)^k meeting pairwise in {0}:
    (2^k − 1)/(2^j − 1) nonzero vectors shared out, and for lines (j = 2) in odd k the exact
    maximum (2^k − 5)/3 (A. Beutelspacher, "Partial spreads in finite projective spaces and partial
    designs", Math. Z. 145, 1975). So 32 people in fours get at most 9 affine rounds."""
    if j == 2 and k % 2 == 1:
        return (2**k - 5) // 3
    return (2**k - 1) // (2**j - 1)


def affine_schedule(n: int, size: int, rounds: int, seconds: float) -> list[list[list[int]]] | None:
    """A schedule without any repeated meeting when n = 2^k and size = 2^j: people are the vectors
    of GF(2)^k (person v + 1), and round i is the partition of GF(2)^k into the cosets of a
    j-dimensional subspace W_i. Two people x, y meet in round i exactly when x + y ∈ W_i, so the
    rounds never repeat a meeting as soon as the W_i meet pairwise in {0} only: a *partial spread*
    (Colbourn & Dinitz, *Handbook of Combinatorial Designs*, 2nd ed., §VII.2 "Affine and projective
    planes" and the affine resolutions of AG(k, 2)). For 32 people in tables of 4 the largest
    partial spread of lines of PG(4, 2) has 9 lines (31 = 9·3 + 4 points), hence 9 rounds, found
    by the depth-first search below in a fraction of a second; 16 in fours over 5 rounds and 64 in
    eights over 9 rounds are complete spreads. Returns None when n or size is not such a power of
    two, k > ``MAX_AFFINE_DIMENSION``, or no partial spread of ``rounds`` subspaces is found within
    ``seconds``."""
    k, j = n.bit_length() - 1, size.bit_length() - 1
    if n != 2**k or size != 2**j or not 1 <= j < k or k > MAX_AFFINE_DIMENSION or rounds < 1:
        return None
    if rounds > max_partial_spread(k, j):
        return None
    deadline = time.monotonic() + seconds
    spaces = _subspaces(k, j, deadline)
    if spaces is None:
        return None
    spread = _partial_spread(spaces, rounds, deadline)
    if spread is None:
        return None
    schedule = []
    for space in spread:
        cosets = {frozenset(v ^ w for w in space) for v in range(n)}
        schedule.append(sorted(sorted(v + 1 for v in coset) for coset in cosets))
    return schedule

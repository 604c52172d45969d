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
  Problem", metalevel.at/sgp). General searches (tabu search, CP) stop at 9 rounds, and so does
  the affine construction (Beutelspacher's bound: at most 9 pairwise disjoint lines in PG(4, 2)),
  and no cyclic base round was found (Z_5, Z_8, Z_10, Z_16, Z_31 ∪ {∞}). ``orbit_schedule`` below
  takes the shape of Aguado's schedule (its automorphism group Z_2^3, how it acts on the rounds,
  which kinds of tables each round holds) and lets CP-SAT find the tables: about 2 s here.
"""

import itertools
import time
from collections.abc import Iterator
from dataclasses import dataclass

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
    """A schedule of ``rounds`` rounds of n/size tables without any repeated meeting, from a
    searched base round, or None within ``seconds``. Requires size to divide n."""
    if n % size or rounds < 1:
        return None
    deadline = time.monotonic() + seconds
    candidates = list(structures(n, size, rounds))
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


# Schedules invariant under a group: 32 people in tables of 4 over 10 rounds --------------------


@dataclass(frozen=True)
class OrbitDesign:
    """The shape of a schedule invariant under an abelian group G = Z_g1 × Z_g2 × … (``group``)
    acting by translation on people G × {0..components−1}, person (x, c).

    Rounds come in orbits under G: orbit k is the images of a base round that the subgroup H_k
    (generated by ``stabilisers[k]``) maps onto itself, so it holds [G : H_k] rounds.
    ``shapes[k]`` lists the tables that orbit's rounds may hold, each as (order of the subgroup of
    G mapping the table onto itself, components of its people, sorted). Person (x, c) never meets
    (x + ``unmet``, c): those pairs are the perfect matching a schedule with every other pair
    meeting exactly once leaves out. The CP-SAT model chooses, per round orbit, the tables of its
    base round up to H_k, so that each base round seats everyone once and each G-orbit of pairs
    but the left-out one is met exactly once over all rounds."""

    people: int
    size: int
    rounds: int
    group: tuple[int, ...]
    components: int
    stabilisers: tuple[tuple[tuple[int, ...], ...], ...]
    shapes: tuple[frozenset[tuple[int, tuple[int, ...]]], ...]
    unmet: tuple[int, ...]
    source: str


_G3 = ((1, 0, 0), (0, 1, 0), (0, 0, 1))  # generators of the whole of Z_2^3
_TRANSVERSAL = (1, (0, 1, 2, 3))

# The social golfer instance 8-4-10 (CSPLib problem 10), a resolvable 4-GDD of type 2^16. Its
# shape is read off the 10-round schedule of the literature (A. Aguado, "A 10 days solution to the
# social golfer problem", 2004; published in M. Triska's survey, metalevel.at/sgp, and the Wolfram
# demonstration "Social golfer problem"): its automorphism group is Z_2^3, acting without fixed
# point (four orbits of 8 people); four rounds are fixed by the whole group, three pairs of rounds
# are swapped by it; a fixed round is either one orbit of tables meeting every orbit once, or
# cosets of a subgroup of order 4 within an orbit, or pairs {x, x + h} of two orbits joined; the
# swapped rounds mix the first and the last kind. Only the shape is taken; the tables are found
# by the CP-SAT model below (4,288 variables, under a second on this machine).
GOLFER_8_4_10 = OrbitDesign(
    people=32, size=4, rounds=10, group=(2, 2, 2), components=4,
    stabilisers=(_G3, _G3, _G3, _G3, ((1, 0, 0), (0, 1, 0)), ((1, 0, 0), (0, 1, 0)), ((1, 0, 0), (0, 0, 1))),
    shapes=(
        frozenset({_TRANSVERSAL}),
        frozenset({_TRANSVERSAL}),
        frozenset({(4, (c,) * 4) for c in range(4)}),
        frozenset({(2, (0, 0, 2, 2)), (2, (1, 1, 3, 3))}),
        frozenset({_TRANSVERSAL}),
        frozenset({_TRANSVERSAL, (2, (0, 0, 3, 3)), (2, (1, 1, 2, 2))}),
        frozenset({_TRANSVERSAL, (2, (0, 0, 1, 1)), (2, (2, 2, 3, 3))}),
    ),
    unmet=(1, 0, 0),
    source="Aguado 2004 (social golfer 8-4-10)",
)

ORBIT_DESIGNS = (GOLFER_8_4_10,)


def _add(a: tuple[int, ...], b: tuple[int, ...], orders: tuple[int, ...]) -> tuple[int, ...]:
    return tuple((x + y) % n for x, y, n in zip(a, b, orders))


def _span(generators, orders: tuple[int, ...]) -> frozenset[tuple[int, ...]]:
    found = {tuple(0 for _ in orders)}
    while True:
        grown = found | {_add(x, g, orders) for x in found for g in generators}
        if grown == found:
            return frozenset(found)
        found = grown


def _moved(table: tuple, g: tuple[int, ...], orders: tuple[int, ...]) -> tuple:
    """``table`` (sorted people (x, c)) translated by g, sorted."""
    return tuple(sorted((_add(x, g, orders), c) for x, c in table))


def _coset(subgroup: frozenset, g: tuple[int, ...], orders: tuple[int, ...]) -> frozenset:
    return frozenset(_add(h, g, orders) for h in subgroup)


def _left_out(design: OrbitDesign, a: tuple, b: tuple) -> bool:
    """Whether people a and b form a pair of the left-out matching (never met)."""
    return a[1] == b[1] and _add(a[0], design.unmet, design.group) == b[0]


def _shaped_tables(design: OrbitDesign, elements: list, shape) -> list[tuple]:
    """Every table of ``shape`` (stabiliser order, components) without a left-out pair, as a
    sorted tuple of people (x, c)."""
    order, components = shape
    per_component = [(c, components.count(c)) for c in sorted(set(components))]
    found = []
    for choice in itertools.product(*(itertools.combinations(elements, k) for _c, k in per_component)):
        table = tuple(sorted((x, c) for (c, _k), xs in zip(per_component, choice) for x in xs))
        if any(_left_out(design, a, b) for a, b in itertools.combinations(table, 2)):
            continue
        if sum(1 for g in elements if _moved(table, g, design.group) == table) == order:
            found.append(table)
    return found


def orbit_schedule(n: int, size: int, rounds: int, seconds: float, seed: int = 0) -> list[list[list[int]]] | None:
    """A schedule of ``rounds`` rounds without any repeated meeting from an ``OrbitDesign`` of n
    people in tables of ``size`` with at least ``rounds`` rounds (the first rounds of it), people
    numbered 1..n ((x, c) is c·|G| + index of x + 1); None when no design has that shape or
    CP-SAT finds nothing within ``seconds``. Deterministic for a seed (one worker)."""
    from ortools.sat.python import cp_model

    design = next((d for d in ORBIT_DESIGNS if (d.people, d.size) == (n, size) and rounds <= d.rounds), None)
    if design is None or rounds < 1:
        return None
    orders = design.group
    elements = sorted(itertools.product(*(range(k) for k in orders)))
    index = {x: i for i, x in enumerate(elements)}
    # The rounds: (orbit, coset of its stabiliser); g maps (k, C) to (k, C + g).
    subgroups = [_span(generators, orders) for generators in design.stabilisers]
    all_rounds = []
    for k, subgroup in enumerate(subgroups):
        for x in elements:
            round_ = (k, _coset(subgroup, x, orders))
            if round_ not in all_rounds:
                all_rounds.append(round_)
    if len(all_rounds) != design.rounds:
        raise ValueError(f"{design.source}: the stabilisers give {len(all_rounds)} rounds, not {design.rounds}")

    people = [(x, c) for c in range(design.components) for x in elements]
    representative = {  # each pair (sorted) -> the least pair of its orbit under G
        (a, b): min(tuple(sorted(((_add(a[0], g, orders), a[1]), (_add(b[0], g, orders), b[1])))) for g in elements)
        for a, b in itertools.combinations(sorted(people), 2)
    }
    pair_orbit = lambda a, b: representative[(a, b) if a < b else (b, a)]  # noqa: E731

    deadline = time.monotonic() + seconds
    model = cp_model.CpModel()
    seated: dict[tuple, list] = {}  # (orbit, person) -> [variable of each table seating them]
    met: dict[tuple, list] = {}  # pair orbit -> [(variable, times)]
    chosen: list[tuple[int, tuple, object]] = []
    for k, subgroup in enumerate(subgroups):
        seen: set[tuple] = set()
        for shape in sorted(design.shapes[k]):
            if time.monotonic() > deadline:
                return None
            for table in _shaped_tables(design, elements, shape):
                if table in seen:
                    continue
                images = {_moved(table, h, orders) for h in subgroup}  # the table's copies in the base round
                seen |= images
                variable = model.new_bool_var(f"r{k}t{len(chosen)}")
                chosen.append((k, table, variable))
                for image in images:
                    for person in image:
                        seated.setdefault((k, person), []).append(variable)
                # Over all rounds of the orbit: the images of the table under all of G, one copy
                # of each (table, round) incidence.
                incidences = {(_moved(table, g, orders), _coset(subgroup, g, orders)) for g in elements}
                counts: dict[tuple, int] = {}  # pair orbit -> times its representative is met
                for image, _round in incidences:
                    for a, b in itertools.combinations(image, 2):
                        key = pair_orbit(a, b)
                        if key == (a, b):
                            counts[key] = counts.get(key, 0) + 1
                for key, times in counts.items():
                    met.setdefault(key, []).append((variable, times))
    for variables in seated.values():
        model.add_exactly_one(variables)
    for a, b in itertools.combinations(sorted(people), 2):
        if _left_out(design, a, b):
            continue
        if pair_orbit(a, b) == (a, b):  # one constraint per orbit, on its representative
            model.add(sum(times * variable for variable, times in met.get((a, b), [])) == 1)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = max(0.1, deadline - time.monotonic())
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    schedule = {round_: [] for round_ in all_rounds}
    for k, table, variable in chosen:
        if solver.value(variable):
            for g in elements:
                round_ = (k, _coset(subgroups[k], g, orders))
                image = _moved(table, g, orders)
                if image not in schedule[round_]:
                    schedule[round_].append(image)
    number = lambda person: person[1] * len(elements) + index[person[0]] + 1  # noqa: E731
    return [sorted(sorted(number(p) for p in table) for table in schedule[round_]) for round_ in all_rounds[:rounds]]

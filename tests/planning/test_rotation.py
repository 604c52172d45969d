"""Rotation of facilitators (field document 000, "brouillons d'ateliers"): examples and properties
checked against a brute-force search over every possible assignment."""

from datetime import date, timedelta
from itertools import product

import pytest
from django.utils import translation
from hypothesis import given, settings, strategies as st

from entraide.planning.domain.rotation import RotationError, facilitation_counts, rotation

pytestmark = pytest.mark.unit

SEVEN = ["Ana", "Ben", "Chloé", "Dan", "Eva", "Fred", "Gia"]


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


def test_seven_members_seven_sessions_each_facilitates_once_in_turn():
    sessions = [date(2026, 1, 13) + timedelta(weeks=2 * i) for i in range(7)]
    assert rotation(SEVEN, sessions) == dict(zip(sessions, SEVEN))


def test_declared_unavailability_is_respected():
    sessions = [f"atelier {i}" for i in range(1, 8)]
    plan = rotation(SEVEN, sessions, {"Ana": ["atelier 1", "atelier 2"], "Ben": ["atelier 2"]})
    assert plan["atelier 1"] != "Ana" and plan["atelier 2"] not in ("Ana", "Ben")
    assert sorted(plan.values()) == sorted(SEVEN)


def test_more_sessions_than_members_differ_by_at_most_one():
    plan = rotation(SEVEN, list(range(10)))
    counts = facilitation_counts(plan, SEVEN)
    assert sorted(counts.values()) == [1, 1, 1, 1, 2, 2, 2]
    assert [plan[i] for i in range(7)] == SEVEN  # first round in turn


def test_fewer_sessions_than_members_nobody_twice():
    plan = rotation(SEVEN, ["a", "b", "c"], {"Ana": ["a"]})
    assert len(set(plan.values())) == 3 and plan["a"] != "Ana"


def test_a_member_unavailable_everywhere_is_named():
    with pytest.raises(RotationError) as raised:
        rotation(SEVEN, list(range(7)), {"Dan": range(7)})
    assert "Dan" in str(raised.value) and raised.value.members == ("Dan",)


def test_two_members_sharing_one_possible_session_are_named_with_it():
    sessions = [date(2026, 3, 3), date(2026, 3, 10), date(2026, 3, 17)]
    with pytest.raises(RotationError) as raised:
        rotation(["Ana", "Ben", "Chloé"], sessions, {"Ana": sessions[1:], "Ben": sessions[1:]})
    message = str(raised.value)
    assert "Ana" in message and "Ben" in message and "mardi 3 mars 2026" in message
    assert set(raised.value.members) == {"Ana", "Ben"}


def test_a_session_nobody_can_take_is_named():
    with pytest.raises(RotationError, match="Personne"):
        rotation(SEVEN[:3], ["x"], {name: ["x"] for name in SEVEN[:3]})


def test_duplicates_and_empty_groups():
    with pytest.raises(RotationError, match="deux fois"):
        rotation(["Ana", "Ana"], [1, 2])
    with pytest.raises(RotationError, match="deux fois"):
        rotation(["Ana", "Ben"], [1, 1])
    with pytest.raises(RotationError):
        rotation([], [1])
    assert rotation(SEVEN, []) == {}


def test_the_message_follows_the_language():
    with translation.override("de"):
        with pytest.raises(RotationError, match="Niemand"):
            rotation(["Ana", "Ben"], ["x"], {"Ana": ["x"], "Ben": ["x"]})


def brute_force(members, sessions, unavailable):
    """Every valid assignment: available members only, each at least once (or at most once)."""
    size, count = len(members), len(sessions)
    found = []
    for choice in product(range(size), repeat=count):
        if any(sessions[s] in unavailable.get(members[m], ()) for s, m in enumerate(choice)):
            continue
        counts = [choice.count(m) for m in range(size)]
        if count >= size and min(counts) < 1:
            continue
        if count < size and max(counts) > 1:
            continue
        found.append(counts)
    return found


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_succeeds_exactly_when_possible_and_is_as_even_as_possible(data):
    members = [f"m{i}" for i in range(data.draw(st.integers(1, 4)))]
    sessions = list(range(data.draw(st.integers(1, 7))))
    unavailable = {
        member: data.draw(st.sets(st.sampled_from(sessions), max_size=len(sessions)))
        for member in members
    }
    valid = brute_force(members, sessions, unavailable)
    if not valid:
        with pytest.raises(RotationError):
            rotation(members, sessions, unavailable)
        return
    plan = rotation(members, sessions, unavailable)
    assert plan == rotation(members, sessions, unavailable)  # deterministic
    assert list(plan) == sessions
    assert all(session not in unavailable[member] for session, member in plan.items())
    counts = list(facilitation_counts(plan, members).values())
    if len(sessions) == len(members):
        assert counts == [1] * len(members)
    best_max = min(max(c) for c in valid)
    best_min = max(min(c) for c in valid if max(c) == best_max)
    assert max(counts) == best_max and min(counts) == best_min


def test_planned_sessions_from_the_planner_can_be_rotated_and_are_named_by_their_date():
    from entraide.planning.domain.planner import Length, PlanRequest, plan_year

    sessions = plan_year(PlanRequest(date(2025, 9, 8), date(2026, 7, 3), 7, Length.EVENING, zone="A"))
    plan = rotation(SEVEN, sessions, {"Ana": [sessions[0]]})
    assert plan[sessions[0]] != "Ana" and sorted(plan.values()) == sorted(SEVEN)
    with pytest.raises(RotationError) as raised:
        rotation(SEVEN[:2], sessions[:1], {"Ana": sessions[:1], "Ben": sessions[:1]})
    assert "2025" in str(raised.value) and "PlannedSession" not in str(raised.value)


@given(st.integers(1, 9), st.integers(1, 30))
def test_without_unavailability_the_turn_is_the_natural_order(size, count):
    members = [f"m{i}" for i in range(size)]
    plan = rotation(members, list(range(count)))
    assert [plan[i] for i in range(count)] == [members[i % size] for i in range(count)]


def test_rounds_stay_rounds_around_unavailabilities():
    sessions = list(range(14))
    plan = rotation(SEVEN, sessions, {"Gia": [6], "Ana": [7]})
    first_round = [plan[i] for i in range(7)]
    assert sorted(first_round) == sorted(SEVEN)  # everyone once before anyone twice
    assert plan[6] != "Gia" and plan[7] != "Ana"


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_the_assignment_step_is_optimal_against_brute_force(data):
    from itertools import permutations

    from entraide.planning.domain.rotation import _hungarian

    rows = data.draw(st.integers(1, 4))
    columns = data.draw(st.integers(rows, 5))
    cost = [[data.draw(st.integers(-20, 50)) for _ in range(columns)] for _ in range(rows)]
    chosen = _hungarian(cost)
    assert len(set(chosen)) == rows and all(0 <= c < columns for c in chosen)
    best = min(sum(cost[r][c] for r, c in enumerate(perm)) for perm in permutations(range(columns), rows))
    assert sum(cost[r][c] for r, c in enumerate(chosen)) == best

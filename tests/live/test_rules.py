"""Property tests of the rules that need no database: the dot vote and fair speaking."""

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings, strategies as st

from entraide.live.domain.rules import Clock, Hand, RuleError, check_ballot, speaking_order, tally

pytestmark = pytest.mark.unit

problems = st.lists(st.integers(1, 50), min_size=1, max_size=12, unique=True)


@settings(max_examples=300, deadline=None)
@given(candidates=problems, data=st.data())
def test_a_ballot_is_accepted_exactly_when_it_keeps_the_rule(candidates, data):
    ballot = data.draw(st.dictionaries(st.sampled_from(candidates + [999]), st.integers(-1, 4), max_size=6))
    keeps_rule = (
        all(count >= 0 for count in ballot.values())
        and all(count <= 2 for count in ballot.values())
        and all(problem in candidates for problem, count in ballot.items() if count > 0)
        and sum(c for c in ballot.values() if c > 0) <= 3
    )
    if keeps_rule:
        cleaned = check_ballot(ballot, candidates)
        assert sum(cleaned.values()) <= 3 and all(1 <= c <= 2 for c in cleaned.values())
    else:
        with pytest.raises(RuleError):
            check_ballot(ballot, candidates)


def test_own_problem_allowed_and_the_field_examples():
    assert check_ballot({1: 2, 2: 1}, [1, 2, 3]) == {1: 2, 2: 1}
    with pytest.raises(RuleError, match="2"):
        check_ballot({1: 3}, [1, 2])
    with pytest.raises(RuleError, match="3"):
        check_ballot({1: 2, 2: 2}, [1, 2])


@settings(max_examples=300, deadline=None)
@given(candidates=problems, data=st.data())
def test_the_tally_counts_every_vote_and_finds_every_leader(candidates, data):
    ballots = data.draw(st.lists(st.dictionaries(st.sampled_from(candidates), st.integers(1, 2), max_size=3), max_size=15))
    result = tally(ballots, candidates)
    assert sum(result.totals.values()) == sum(sum(b.values()) for b in ballots)
    best = max(result.totals.values())
    assert set(result.leaders) == {p for p, total in result.totals.items() if total == best}
    assert result.tied == (len(result.leaders) > 1)
    assert list(result.ranking) == sorted(candidates, key=lambda p: (-result.totals[p], candidates.index(p)))


start = datetime(2026, 11, 21, 14, 0, tzinfo=timezone.utc)


@settings(max_examples=300, deadline=None)
@given(
    people=st.lists(st.integers(1, 9), min_size=1, max_size=9, unique=True),
    spoken=st.dictionaries(st.integers(1, 9), st.integers(0, 3)),
    delays=st.lists(st.integers(0, 600), min_size=9, max_size=9),
)
def test_nobody_speaks_twice_before_everyone_who_asked_has_spoken_once(people, spoken, delays):
    hands = [Hand(person, start + timedelta(seconds=delays[i])) for i, person in enumerate(people)]
    order = speaking_order(hands, spoken)
    assert sorted(h.person for h in order) == sorted(people)
    counts = [spoken.get(h.person, 0) for h in order]
    assert counts == sorted(counts), "fewer turns taken always comes first"
    for first, second in zip(order, order[1:]):
        if spoken.get(first.person, 0) == spoken.get(second.person, 0):
            assert first.raised_at <= second.raised_at


def test_simulated_exchange_is_fair():
    """Five people keep raising their hands: over any stretch, turn counts differ by at most one."""
    spoken: dict[int, int] = {}
    hands = {p: Hand(p, start) for p in range(1, 6)}
    for turn in range(40):
        speaker = speaking_order(hands.values(), spoken)[0].person
        spoken[speaker] = spoken.get(speaker, 0) + 1
        hands[speaker] = Hand(speaker, start + timedelta(seconds=turn + 1))  # raises again at once
        assert max(spoken.values()) - min(spoken.get(p, 0) for p in hands) <= 1


@settings(max_examples=200, deadline=None)
@given(planned=st.integers(0, 3600), run=st.integers(0, 4000), pause=st.integers(0, 600), extra=st.integers(0, 1800))
def test_the_clock_is_computed_from_timestamps(planned, run, pause, extra):
    clock = Clock(planned, start, None, pause, extra)
    now = start + timedelta(seconds=run + pause)
    assert clock.remaining(now) == planned + extra - run
    paused = Clock(planned, start, now, pause, extra)
    assert paused.remaining(now + timedelta(hours=1)) == paused.remaining(now)


@settings(max_examples=300, deadline=None)
@given(
    items=st.lists(st.tuples(st.integers(1, 5), st.integers(0, 600)), min_size=1, max_size=15),
    spoken=st.dictionaries(st.integers(1, 5), st.integers(0, 2)),
)
def test_with_several_items_each_nobody_goes_again_before_the_others_waiting(items, spoken):
    """Clarification questions: a contributor with two questions asks the second only after
    every contributor waiting has asked (counting the turns already taken)."""
    hands = [Hand(person, start + timedelta(seconds=delay, microseconds=index)) for index, (person, delay) in enumerate(items)]
    order = speaking_order(hands, spoken)
    assert sorted(order, key=lambda h: h.raised_at) == sorted(hands, key=lambda h: h.raised_at)
    taken = dict(spoken)
    for position, hand in enumerate(order):
        still_waiting = {h.person for h in order[position:]}
        assert taken.get(hand.person, 0) == min(taken.get(p, 0) for p in still_waiting)
        taken[hand.person] = taken.get(hand.person, 0) + 1

"""Property tests of the rules that need no database: the dot vote, fair speaking, the clock
of every timer and flood control."""

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings, strategies as st

from entraide.live.domain.rules import Clock, Hand, RuleError, TokenBucket, check_ballot, close_pause, speaking_order, tally

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
@given(planned=st.integers(0, 3600), run=st.integers(0, 4000), pause=st.integers(1, 600), extra=st.integers(0, 1800))
def test_the_clock_is_computed_from_timestamps(planned, run, pause, extra):
    pauses = ((start + timedelta(seconds=run // 2), start + timedelta(seconds=run // 2 + pause)),)
    clock = Clock(planned, start, None, pauses, extra)
    now = start + timedelta(seconds=run + pause)
    assert clock.remaining(now) == planned + extra - run
    assert clock.deadline() == now + timedelta(seconds=clock.remaining(now))
    paused = Clock(planned, start, now, pauses, extra)
    assert paused.remaining(now + timedelta(hours=1)) == paused.remaining(now) and paused.deadline() is None


class Timers:
    """The timestamps a live session stores, changed the way the command path changes them
    (the pause, resume, enter_step, next_turn, end_turn and add_time commands), read through rules.Clock."""

    def __init__(self, step_seconds: int, turn_seconds: int) -> None:
        self.step_seconds, self.turn_seconds = step_seconds, turn_seconds
        self.now = start
        self.paused_at = None
        self.pauses: list = []
        self.step_started, self.extra = start, 0
        self.turn_started, self.turn_extra = None, 0

    def step(self) -> Clock:
        return Clock(self.step_seconds, self.step_started, self.paused_at, tuple(self.pauses), self.extra)

    def turn(self) -> Clock | None:
        if self.turn_started is None:
            return None
        return Clock(self.turn_seconds, self.turn_started, self.paused_at, tuple(self.pauses), self.turn_extra)

    def apply(self, action: str, minutes: int) -> None:
        if action == "pause" and self.paused_at is None:
            self.paused_at = self.now
        elif action == "resume" and self.paused_at is not None:
            self.pauses = close_pause(self.pauses, self.paused_at, self.now)
            self.paused_at = None
        elif action == "next_step":
            self.step_started, self.extra = self.now, 0
            self.turn_started, self.turn_extra = None, 0
        elif action == "give_turn":
            self.turn_started, self.turn_extra = self.now, 0
        elif action == "end_turn":
            self.turn_started, self.turn_extra = None, 0
        elif action == "add_step":
            self.extra = self.step().extra_after_adding(minutes * 60, self.now)
        elif action == "add_turn" and self.turn() is not None:
            self.turn_extra = self.turn().extra_after_adding(minutes * 60, self.now)


class Ticking:
    """The reference: timers that a stopwatch would tick, second by second, except when paused."""

    def __init__(self, step_seconds: int, turn_seconds: int) -> None:
        self.step_seconds, self.turn_seconds = step_seconds, turn_seconds
        self.paused = False
        self.step_left, self.turn_left = step_seconds, None

    def wait(self, seconds: int) -> None:
        if not self.paused:
            self.step_left -= seconds
            if self.turn_left is not None:
                self.turn_left -= seconds

    def apply(self, action: str, minutes: int) -> None:
        if action in ("pause", "resume"):
            self.paused = action == "pause"
        elif action == "next_step":
            self.step_left, self.turn_left = self.step_seconds, None
        elif action == "give_turn":
            self.turn_left = self.turn_seconds
        elif action == "end_turn":
            self.turn_left = None
        elif action == "add_step":
            self.step_left = max(self.step_left, 0) + minutes * 60
        elif action == "add_turn" and self.turn_left is not None:
            self.turn_left = max(self.turn_left, 0) + minutes * 60


ACTIONS = ["pause", "resume", "next_step", "give_turn", "end_turn", "add_step", "add_turn"]


@settings(max_examples=400, deadline=None)
@given(
    step_seconds=st.integers(60, 1800),
    turn_seconds=st.integers(30, 300),
    events=st.lists(st.tuples(st.integers(0, 400), st.sampled_from(ACTIONS), st.integers(1, 30)), max_size=25),
    last_wait=st.integers(0, 900),
)
def test_every_timer_counts_the_running_time_of_the_session_only(step_seconds, turn_seconds, events, last_wait):
    """One rule for the step, the turns and the floor, over any sequence of pauses, resumes,
    steps, turns and added time: each timer shows what a stopwatch stopped during every pause
    would show; a timer started during a pause starts at resume; adding time when over time
    counts from now; the deadline phones count down to agrees with the remaining time."""
    timers, ticking = Timers(step_seconds, turn_seconds), Ticking(step_seconds, turn_seconds)
    for wait, action, minutes in [*events, (last_wait, "", 0)]:
        timers.now += timedelta(seconds=wait)
        ticking.wait(wait)
        for clock, expected in ((timers.step(), ticking.step_left), (timers.turn(), ticking.turn_left)):
            assert (clock is None) == (expected is None)
            if clock is None:
                continue
            assert clock.remaining(timers.now) == expected
            assert clock.running == (not ticking.paused)
            if clock.running:
                assert clock.deadline() == timers.now + timedelta(seconds=expected)
        timers.apply(action, minutes)
        ticking.apply(action, minutes)


def test_a_turn_given_during_a_pause_starts_at_resume():
    """The reported case: 120-second pitch turns; pause at T0, next turn at T0+60 s, resume at
    T0+120 s: 90, 60 and 0 seconds left at T0+150, T0+180 and T0+240 (phones showed 120, 120, 60)."""
    t0 = start + timedelta(minutes=7)
    pauses = tuple(close_pause([], t0, t0 + timedelta(seconds=120)))
    turn = Clock(120, t0 + timedelta(seconds=60), t0, ())
    assert turn.remaining(t0 + timedelta(seconds=90)) == 120 and not turn.running
    turn = Clock(120, t0 + timedelta(seconds=60), None, pauses)
    assert [turn.remaining(t0 + timedelta(seconds=s)) for s in (150, 180, 240)] == [90, 60, 0]
    assert turn.deadline() == t0 + timedelta(seconds=240)


def test_added_time_when_over_time_counts_from_now():
    step = Clock(600, start)
    now = start + timedelta(minutes=15)  # five minutes over
    assert step.remaining(now) == -300
    more = Clock(600, start, extra_seconds=step.extra_after_adding(120, now))
    assert more.remaining(now) == 120
    early = Clock(600, start).extra_after_adding(120, start + timedelta(minutes=4))
    assert Clock(600, start, extra_seconds=early).remaining(start + timedelta(minutes=4)) == 480  # 6:00 left + 2:00


@settings(max_examples=300, deadline=None)
@given(capacity=st.integers(1, 50), rate=st.integers(1, 20), gaps=st.lists(st.integers(0, 2000), max_size=200))
def test_a_token_bucket_allows_its_burst_then_its_rate(capacity, rate, gaps):
    """Over any window, at most capacity + rate x seconds messages pass; a sender who waits
    long enough always gets through again."""
    bucket = TokenBucket.full(capacity, rate, 0.0)
    at, passed = 0.0, []
    for gap in gaps:
        at += gap / 1000
        taken = bucket.take(at)
        if taken is not None:
            bucket = taken
            passed.append(at)
    for first in range(len(passed)):
        for last in range(first, len(passed)):
            assert last - first + 1 <= capacity + rate * (passed[last] - passed[first]) + 1e-6
    assert bucket.take(at + 1 / rate + 1e-6) is not None


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

"""Issue 10 of the live engine, through the one command path: one clock rule across pauses and
turns, vote candidates that follow the problems, commands that name their object by id, write
quotas and flood control per participant."""

from datetime import datetime, timedelta, timezone as dt_timezone

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings, strategies as st

from entraide.core.tenancy import all_tenants
from entraide.live.domain import commands
from entraide.live.domain.commands import COMMAND_BURST, WRITE_QUOTA_BYTES, WRITE_QUOTA_ITEMS, CommandRefused
from entraide.live.domain.state import session_state
from entraide.live.models import PrivateNote, Problem, SpeakingTurn

from .conftest import open_room
from .test_rules import Ticking

pytestmark = pytest.mark.integration

T0 = datetime(2026, 11, 21, 14, 30, tzinfo=dt_timezone.utc)


class Frozen:
    """The server's clock, moved by the test (timezone.now is what the command path and the
    state read)."""

    def __init__(self, monkeypatch, at: datetime = T0) -> None:
        self.at = at
        monkeypatch.setattr(timezone, "now", lambda: self.at)

    def to(self, seconds: float) -> datetime:
        self.at = T0 + timedelta(seconds=seconds)
        return self.at

    def wait(self, seconds: float) -> datetime:
        self.at += timedelta(seconds=seconds)
        return self.at


@pytest.fixture
def clock(monkeypatch) -> Frozen:
    return Frozen(monkeypatch, T0 - timedelta(minutes=30))


def _step_key(room) -> str:
    return session_state(room.refresh(), room.facilitator)["step"]["key"]


def _pitch_room(room, clock, authors=3):
    room.run(room.facilitator, "start")
    room.go_to("problem_write")
    for person in room.people[:authors]:
        room.run(person, "write_problem", text=f"Problème de {person.display_name}")
    clock.to(0)
    room.go_to("pitch")
    return room


# --- One clock rule ------------------------------------------------------------------------


def test_a_pitch_turn_given_during_a_pause_starts_counting_at_resume(room, clock):
    """The reported case, with its exact numbers: 120-second turns; pause at T0, next turn at
    T0+60 s, resume at T0+120 s; 90, 60 and 0 s left at T0+150, +180 and +240 (not 120, 120, 60)."""
    _pitch_room(room, clock)
    amina, bruno = room.people[:2]
    room.run(room.facilitator, "next_turn", participant=amina.pk)
    t0 = 30
    clock.to(t0)
    room.run(room.facilitator, "pause")
    clock.to(t0 + 60)
    room.run(room.facilitator, "next_turn", participant=bruno.pk)
    turn = session_state(room.refresh(), bruno)["turn"]
    assert turn["participant"]["id"] == bruno.pk and turn["clock"]["remaining_seconds"] == 120
    assert turn["clock"]["paused"] and turn["clock"]["deadline_ms"] is None
    clock.to(t0 + 120)
    room.run(room.facilitator, "resume")
    seen = []
    for seconds in (150, 180, 240):
        clock.to(t0 + seconds)
        state = session_state(room.refresh(), room.people[4])
        seen.append(state["turn"]["clock"]["remaining_seconds"])
        assert state["turn"]["clock"]["deadline_ms"] == int((T0 + timedelta(seconds=t0 + 240)).timestamp() * 1000)
    assert seen == [90, 60, 0]


def test_two_minutes_more_on_a_step_five_minutes_over_gives_two_minutes_from_now(room, clock):
    room.run(room.facilitator, "start")
    room.go_to("rules")  # 3 minutes
    clock.wait(8 * 60)
    assert session_state(room.refresh(), room.people[0])["clock"]["remaining_seconds"] == -300
    room.run(room.facilitator, "add_time", minutes=2)
    state = session_state(room.refresh(), room.people[0])["clock"]
    assert state["remaining_seconds"] == 120 and state["planned_seconds"] == 3 * 60 + 300 + 120
    clock.wait(30)
    room.run(room.facilitator, "add_time", minutes=1)  # not over: added to what is left
    assert session_state(room.refresh(), room.people[0])["clock"]["remaining_seconds"] == 150


def test_time_added_to_a_turn_and_a_step_entered_during_a_pause(room, clock):
    _pitch_room(room, clock)
    amina = room.people[0]
    room.run(room.facilitator, "next_turn", participant=amina.pk)
    clock.to(200)  # 80 s over
    room.run(room.facilitator, "add_time", minutes=1, timer="turn")
    assert session_state(room.refresh(), amina)["turn"]["clock"]["remaining_seconds"] == 60
    with pytest.raises(CommandRefused) as refused:
        room.run(room.facilitator, "add_time", minutes=1, timer="projector")
    assert refused.value.code == "bad_args"
    # A step entered during a pause keeps the pause: its clock starts at resume.
    room.run(room.facilitator, "pause")
    clock.to(260)
    room.run(room.facilitator, "previous_step", step="problem-pitches")
    state = session_state(room.refresh(), amina)["clock"]
    assert state["paused"] and state["remaining_seconds"] == state["planned_seconds"]
    clock.to(300)
    room.run(room.facilitator, "resume")
    clock.to(330)
    state = session_state(room.refresh(), amina)["clock"]
    assert state["running"] and state["remaining_seconds"] == state["planned_seconds"] - 30


def test_airtime_at_the_floor_does_not_count_the_pauses(room, clock):
    room.run(room.facilitator, "start")
    room.go_to("exchange")
    amina = room.people[0]
    clock.to(0)
    room.run(amina, "raise_hand")
    room.run(room.facilitator, "give_floor", participant=amina.pk)
    clock.to(30)
    room.run(room.facilitator, "pause")
    clock.to(100)
    queue = session_state(room.refresh(), room.facilitator)["queue"]
    assert queue["speaking"]["clock"]["elapsed_seconds"] == 30 and queue["speaking"]["clock"]["paused"]
    room.run(room.facilitator, "resume")
    clock.to(110)
    room.run(room.facilitator, "end_floor", participant=amina.pk)
    clock.to(500)
    airtime = {row["id"]: row["seconds"] for row in session_state(room.refresh(), room.facilitator)["queue"]["airtime"]}
    assert airtime[amina.pk] == 40


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    events=st.lists(
        st.tuples(
            st.integers(0, 300),
            st.sampled_from(["pause", "resume", "give_turn", "end_turn", "add_step", "add_turn"]),
            st.integers(1, 5),
        ),
        max_size=12,
    ),
)
def test_the_command_path_and_the_state_follow_the_clock_rule(builtins, organisation, facilitator, monkeypatch, events):
    """Random sequences of pauses, resumes, turns and added time through the real commands:
    the state every door sends shows what a stopwatch stopped during the pauses would show."""
    from datetime import time

    clock = Frozen(monkeypatch, T0 - timedelta(minutes=30))
    room = open_room(organisation, facilitator, "atelier-entraide", time(14), time(16, 30))
    _pitch_room(room, clock, authors=4)
    minutes = session_state(room.refresh(), room.facilitator)["clock"]["planned_seconds"]
    ticking = Ticking(minutes, 120)
    order = [person.pk for person in room.people[:4]]
    given_turns = 0
    for wait, action, added in events:
        clock.wait(wait)
        ticking.wait(wait)
        state = session_state(room.refresh(), room.people[5])
        assert state["clock"]["remaining_seconds"] == ticking.step_left
        turn_clock = state["turn"]["clock"]
        assert (turn_clock["remaining_seconds"] if turn_clock else None) == ticking.turn_left
        if action == "give_turn":
            room.run(room.facilitator, "next_turn", participant=order[given_turns % len(order)])
            given_turns += 1
        elif action == "end_turn":
            if state["turn"]["participant"] is None:
                continue
            room.run(room.facilitator, "end_turn", participant=state["turn"]["participant"]["id"])
        elif action in ("add_step", "add_turn"):
            if action == "add_turn" and state["turn"]["participant"] is None:
                continue
            room.run(room.facilitator, "add_time", minutes=added, timer=action.removeprefix("add_"))
        else:
            room.run(room.facilitator, action)
        ticking.apply(action, added)  # the turn goes round the four authors: never twice in a row


# --- Vote candidates follow the problems until a ballot exists --------------------------------


def test_a_problem_written_after_going_back_before_any_ballot_is_a_candidate(room):
    room.run(room.facilitator, "start")
    room.go_to("problem_write")
    for person in room.people[:3]:
        room.run(person, "write_problem", text=f"Problème de {person.display_name}")
    room.go_to("vote")
    room.run(room.facilitator, "previous_step", step="vote")
    driss = room.people[3]
    room.run(driss, "write_problem", text="Le quatrième problème")
    room.run(room.facilitator, "next_step", step="problem-pitches")
    with all_tenants():
        fourth = Problem.objects.get(author=driss).pk
    assert fourth in session_state(room.refresh(), driss)["vote"]["candidates"]
    room.run(room.people[0], "cast_vote", ballot={fourth: 2})
    # Now a ballot exists: the problems and the candidates stay as they were voted on.
    room.run(room.facilitator, "previous_step", step="vote")
    with pytest.raises(CommandRefused) as refused:
        room.run(room.people[4], "write_problem", text="Trop tard")
    assert refused.value.code == "vote_started" and "vote" in refused.value.message
    with pytest.raises(CommandRefused):
        room.run(driss, "write_problem", text="Je change mon texte")
    room.run(room.facilitator, "next_step", step="problem-pitches")
    assert len(session_state(room.refresh(), driss)["vote"]["candidates"]) == 4
    # Every ballot withdrawn: the candidates follow the problems again.
    room.run(room.people[0], "cast_vote", ballot={})
    room.run(room.facilitator, "previous_step", step="vote")
    room.run(room.people[4], "write_problem", text="Finalement, le mien")
    room.run(room.facilitator, "next_step", step="problem-pitches")
    assert len(session_state(room.refresh(), driss)["vote"]["candidates"]) == 5


def test_after_a_tie_declines_fall_back_on_the_first_round(room):
    room.run(room.facilitator, "start")
    ids = room.write_problems(room.people[:3])
    a, b, c = room.people[:3]
    room.run(a, "cast_vote", ballot={ids[a.pk]: 2, ids[c.pk]: 1})
    room.run(b, "cast_vote", ballot={ids[b.pk]: 2})
    room.run(room.facilitator, "reveal_votes")
    room.run(room.facilitator, "revote")
    room.run(a, "cast_vote", ballot={ids[a.pk]: 1})
    room.run(room.facilitator, "reveal_votes")
    room.run(room.facilitator, "next_step", step="vote")
    room.run(a, "consent_case", agrees=False, problem=ids[a.pk])
    assert room.table().chosen_problem_id == ids[b.pk]
    room.run(b, "consent_case", agrees=False)
    assert room.table().chosen_problem_id == ids[c.pk]  # from the first round, not stuck


def test_a_step_done_after_being_skipped_is_no_longer_shown_as_skipped(room):
    room.run(room.facilitator, "start")
    room.run(room.facilitator, "skip_step", step="welcome")
    room.run(room.facilitator, "previous_step", step="presentation")
    room.run(room.facilitator, "next_step", step="welcome")
    states = {s["key"]: s["state"] for s in session_state(room.refresh(), room.facilitator)["steps"]}
    assert states["welcome"] == "done"


# --- Every command names its object by id -----------------------------------------------------


def test_a_stale_step_is_refused_and_nothing_moves(room):
    room.run(room.facilitator, "start")
    room.run(room.facilitator, "next_step", step="welcome")
    version = room.table().version
    for name in ("next_step", "skip_step", "previous_step"):
        with pytest.raises(CommandRefused) as refused:
            room.run(room.facilitator, name, step="welcome")  # a second tap, or a stale console
        assert refused.value.code == "stale_step" and "Présentation" in refused.value.message
    with pytest.raises(CommandRefused):
        room.run(room.people[0], "set_ready", ready=True, step="welcome")
    assert room.table().step_index == 1 and room.table().version == version


def test_turns_are_given_by_person_not_by_position(room, clock):
    _pitch_room(room, clock)
    amina, bruno, chloe = room.people[:3]
    state = session_state(room.refresh(), room.facilitator)
    assert state["turn"]["next"]["id"] == amina.pk
    room.run(room.facilitator, "next_turn", participant=amina.pk)
    room.run(room.facilitator, "next_turn", participant=amina.pk)  # a second tap changes nothing
    assert room.table().turn_participant_id == amina.pk
    assert session_state(room.session, room.facilitator)["turn"]["next"]["id"] == bruno.pk
    for participant, code in ((room.people[5].pk, "not_in_turn"), (99999, "no_participant"), (None, "bad_args")):
        with pytest.raises(CommandRefused) as refused:
            room.run(room.facilitator, "next_turn", participant=participant)
        assert refused.value.code == code
    with pytest.raises(CommandRefused) as refused:
        room.run(room.facilitator, "end_turn", participant=chloe.pk)
    assert refused.value.code == "not_their_turn"
    room.run(room.facilitator, "end_turn", participant=amina.pk)
    assert room.table().turn_participant_id is None


def test_the_floor_goes_to_the_person_named_first_in_the_queue(room):
    room.run(room.facilitator, "start")
    room.go_to("exchange")
    a, b, c = room.people[:3]
    room.run(a, "raise_hand")
    room.run(b, "raise_hand")
    with pytest.raises(CommandRefused) as refused:
        room.run(room.facilitator, "give_floor", participant=b.pk)  # the queue changed under the tap
    assert refused.value.code == "not_first"
    with pytest.raises(CommandRefused) as refused:
        room.run(room.facilitator, "give_floor", participant=c.pk)
    assert refused.value.code == "not_waiting"
    room.run(room.facilitator, "give_floor", participant=a.pk)
    with pytest.raises(CommandRefused) as refused:
        room.run(room.facilitator, "give_floor", participant=a.pk)  # already given
    assert refused.value.code == "not_waiting"
    with pytest.raises(CommandRefused):
        room.run(b, "end_floor", participant=a.pk)  # only one's own
    with pytest.raises(CommandRefused) as refused:
        room.run(room.facilitator, "end_floor", participant=b.pk)
    assert refused.value.code == "not_speaking"
    room.run(room.facilitator, "end_floor", participant=a.pk)
    with all_tenants():
        assert SpeakingTurn.objects.get(participant=a).ended_at is not None


def test_consent_to_a_problem_no_longer_proposed_is_refused(room):
    room.run(room.facilitator, "start")
    ids = room.write_problems(room.people[:2])
    a, b = room.people[:2]
    room.run(a, "cast_vote", ballot={ids[a.pk]: 2, ids[b.pk]: 1})
    room.run(room.facilitator, "reveal_votes")
    room.run(room.facilitator, "next_step", step="vote")
    with pytest.raises(CommandRefused) as refused:
        room.run(b, "consent_case", agrees=True, problem=ids[b.pk])
    assert refused.value.code == "not_chosen"
    room.run(a, "consent_case", agrees=True, problem=ids[a.pk])
    assert room.table().offerer_id == a.pk


# --- Quotas and flood control -----------------------------------------------------------------


def test_notes_stop_at_the_write_quota_with_a_clear_message(room, clock):
    room.run(room.facilitator, "start")
    amina = room.people[0]
    note = "é" * 2000  # 4,000 bytes
    stored = 0
    with pytest.raises(CommandRefused) as refused:
        for _ in range(300):
            clock.wait(1)
            room.run(amina, "write_note", text=note)
            stored += 1
    assert refused.value.code == "quota_bytes" and "150 ko" in refused.value.message
    assert stored == WRITE_QUOTA_BYTES // 4000
    with all_tenants():
        assert PrivateNote.objects.filter(author=amina).count() == stored
    state = session_state(room.refresh(), amina)["me"]["writing"]
    assert state == {"items": stored, "max_items": WRITE_QUOTA_ITEMS, "bytes": stored * 4000, "max_bytes": WRITE_QUOTA_BYTES}
    # Short texts stop at the count.
    bruno = room.people[1]
    with pytest.raises(CommandRefused) as refused:
        for _ in range(WRITE_QUOTA_ITEMS + 1):
            clock.wait(1)
            room.run(bruno, "write_note", text="ok")
    assert refused.value.code == "quota_items" and str(WRITE_QUOTA_ITEMS) in refused.value.message
    with all_tenants():
        assert PrivateNote.objects.filter(author=bruno).count() == WRITE_QUOTA_ITEMS


def test_commands_are_limited_per_participant_at_every_door(room, clock):
    room.run(room.facilitator, "start")
    amina = room.people[0]
    for _ in range(COMMAND_BURST):
        room.run(amina, "set_ready", ready=True)
    version = room.table().version
    with pytest.raises(CommandRefused) as refused:
        room.run(amina, "set_ready", ready=False)
    assert refused.value.code == "rate_limited" and "quelques secondes" in refused.value.message
    assert room.table().version == version
    room.run(room.people[1], "set_ready", ready=True)  # the others are not held up
    clock.wait(1)
    room.run(amina, "set_ready", ready=False)  # a moment later it works again
    with pytest.raises(CommandRefused):
        for _ in range(int(commands.COMMAND_RATE) + 1):
            room.run(amina, "set_ready", ready=True)


def test_raising_and_lowering_a_hand_in_a_loop_stores_nothing_more(room, clock):
    room.run(room.facilitator, "start")
    room.go_to("exchange")
    amina = room.people[0]
    for _ in range(20):
        clock.wait(1)
        room.run(amina, "raise_hand")
        room.run(amina, "lower_hand")
    room.run(amina, "raise_hand")
    with all_tenants():
        assert SpeakingTurn.objects.filter(participant=amina).count() == 1
    assert [w["id"] for w in session_state(room.refresh(), room.facilitator)["queue"]["waiting"]] == [amina.pk]

"""Agenda fitting: examples from the field, and properties over random protocols."""

from datetime import time

import pytest
from hypothesis import assume, given, settings, strategies as st

from entraide.protocols.domain.agenda import AgendaError, fit_agenda, time_to_minutes
from entraide.protocols.domain.library import builtin_sources
from entraide.protocols.domain.spec import Duration, ProtocolSpec, Role, Step, Text, parse_spec

pytestmark = pytest.mark.unit


def builtin(key: str) -> ProtocolSpec:
    source = next(s for s in builtin_sources() if s.filename == f"{key}.yaml")
    return parse_spec(source.text, source.filename, strict=True)


def test_atelier_entraide_for_seven_from_two_to_half_past_four():
    agenda = fit_agenda(builtin("atelier-entraide"), 7, time(14, 0), time(16, 30))
    minutes = {item.step.key: item.minutes for item in agenda.items}
    # Per-person steps multiplied out: 6 pitches of 2 min, 5 contributors sharing 1 min each.
    assert minutes["problem-pitches"] == 12
    assert minutes["contributors-sharing"] == 5
    # Spare time goes to the exchanges first, up to their 45 min.
    assert minutes["exchanges"] == 45
    assert agenda.end <= time_to_minutes(time(16, 30))
    assert agenda.items[0].start == time_to_minutes(time(14, 0))
    for previous, following in zip(agenda.items, agenda.items[1:]):
        assert following.start == previous.end
    data = agenda.as_dict("fr")
    assert data["protocol"] == "atelier-entraide" and data["participants"] == 7
    assert data["start"] == "14:00" and data["end"] <= "16:30"
    assert data["steps"][0] == {"key": "welcome", "title": "Accueil des participant·es", "start": "14:00", "minutes": 30}


def test_a_short_window_takes_time_from_the_welcome_first():
    spec = builtin("atelier-entraide")
    agenda = fit_agenda(spec, 7, time(14, 0), time(16, 0))
    minutes = {item.step.key: item.minutes for item in agenda.items}
    assert agenda.total_minutes == 120
    assert minutes["welcome"] < 30
    assert minutes["exchanges"] == 20


def test_a_window_too_short_says_the_minimum_length():
    with pytest.raises(AgendaError) as raised:
        fit_agenda(builtin("atelier-entraide"), 7, time(14, 0), time(15, 0))
    minimum = raised.value.minimum_minutes
    assert minimum is not None and minimum > 60
    assert fit_agenda(builtin("atelier-entraide"), 7, time(14, 0), time(14 + minimum // 60, minimum % 60)).total_minutes == minimum


def test_more_participants_need_more_time():
    spec = builtin("atelier-entraide")
    small = fit_agenda(spec, 4, time(9, 0), time(12, 0))
    large = fit_agenda(spec, 12, time(9, 0), time(12, 0))
    assert {i.step.key: i.minutes for i in large.items}["problem-pitches"] == 22
    assert {i.step.key: i.minutes for i in small.items}["problem-pitches"] == 6


@pytest.mark.parametrize("participants", [1, 3, 13, 100])
def test_participants_outside_the_protocols_range_are_refused(participants):
    with pytest.raises(AgendaError, match="4"):
        fit_agenda(builtin("atelier-entraide"), participants, time(9, 0), time(12, 0))


def test_an_end_before_the_start_is_refused():
    with pytest.raises(AgendaError):
        fit_agenda(builtin("atelier-entraide"), 7, time(16, 0), time(14, 0))


def test_every_builtin_fits_a_realistic_window():
    for source in builtin_sources():
        spec = parse_spec(source.text, source.filename, strict=True)
        participants = min(max(7, spec.participants_min), spec.participants_max)
        agenda = fit_agenda(spec, participants, time(9, 0), time(12, 30))
        assert agenda.total_minutes <= 210


# --- Properties ------------------------------------------------------------------------------


@st.composite
def durations(draw) -> Duration:
    if draw(st.booleans()) and draw(st.booleans()):
        return Duration(per_person=draw(st.integers(1, 5)), persons=draw(st.sampled_from(["participants", "authors", "contributors"])))
    minutes = draw(st.integers(0, 60))
    low = draw(st.integers(0, minutes))
    high = draw(st.integers(minutes, 120))
    return Duration(
        minutes=minutes,
        min=low,
        max=high,
        stretch=draw(st.none() | st.integers(1, 3)),
        shrink=draw(st.none() | st.integers(1, 3)),
    )


@st.composite
def specs(draw) -> ProtocolSpec:
    count = draw(st.integers(1, 15))
    steps = tuple(
        Step(key=f"s{i}", title=Text({"fr": f"Étape {i}"}), activity="info", duration=draw(durations()))
        for i in range(count)
    )
    role = Role("facilitator", Text({"fr": "F"}), Text({"fr": "F"}))
    return ProtocolSpec(
        key="p", title=Text({"fr": "P"}), summary=None, source="", participants_min=2, participants_max=30,
        roles={"facilitator": role}, steps=steps,
    )


@settings(max_examples=400, deadline=None)
@given(spec=specs(), participants=st.integers(2, 30), start=st.integers(6 * 60, 14 * 60), length=st.integers(1, 9 * 60))
def test_fitted_agendas_keep_every_rule(spec, participants, start, length):
    end = start + length
    assume(end < 24 * 60)
    bounds = [step.duration.bounds(participants) for step in spec.steps]
    shortest = sum(b[0] for b in bounds)
    longest = sum(b[2] for b in bounds)
    start_time, end_time = time(start // 60, start % 60), time(end // 60, end % 60)
    if shortest > length:
        with pytest.raises(AgendaError) as raised:
            fit_agenda(spec, participants, start_time, end_time)
        assert raised.value.minimum_minutes == shortest
        return
    agenda = fit_agenda(spec, participants, start_time, end_time)
    # Every duration within its range, per-person steps multiplied out.
    for item, (low, _indicative, high) in zip(agenda.items, bounds):
        assert low <= item.minutes <= high
    # Consecutive, from the start, ending at or before the announced end.
    assert agenda.items[0].start == start
    for previous, following in zip(agenda.items, agenda.items[1:]):
        assert following.start == previous.end
    assert agenda.end <= end
    # As long as possible: the whole window, or every step at its longest.
    assert agenda.total_minutes == min(length, longest)


@settings(max_examples=200, deadline=None)
@given(spec=specs(), participants=st.integers(2, 30), spare=st.integers(1, 120))
def test_spare_time_goes_to_the_first_ranked_steps_first(spec, participants, spare):
    bounds = [step.duration.bounds(participants) for step in spec.steps]
    indicative = sum(b[1] for b in bounds)
    assume(indicative + spare < 14 * 60)
    agenda = fit_agenda(spec, participants, time(8, 0), time(8 + (indicative + spare) // 60, (indicative + spare) % 60))
    first_rank = [i for i, step in enumerate(spec.steps) if step.duration.stretch == 1]
    room_first = sum(bounds[i][2] - bounds[i][1] for i in first_rank)
    given_first = sum(agenda.items[i].minutes - bounds[i][1] for i in first_rank)
    assert given_first == min(spare, room_first)
    # Nobody shrinks when there is spare time.
    for item, (_low, ind, _high) in zip(agenda.items, bounds):
        assert item.minutes >= ind

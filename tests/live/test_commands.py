"""The one command path: roles, steps, idempotency, versions, bad input, confidentiality."""

import uuid

import pytest

from entraide.core.tenancy import all_tenants
from entraide.live.domain.commands import LIMITS, CommandRefused, execute
from entraide.live.domain.state import session_state
from entraide.live.models import GroundRule, LiveSession, PrivateNote, Problem, Vote

pytestmark = pytest.mark.integration


def test_a_session_starts_and_every_change_bumps_the_version(room):
    version = room.table().version
    room.run(room.facilitator, "start")
    assert room.refresh().status == LiveSession.Status.RUNNING and room.table().version == version + 1
    room.run(room.facilitator, "next_step")
    assert room.table().step_index == 1 and room.table().version == version + 2


def test_a_repeated_command_is_applied_once(room):
    room.run(room.facilitator, "start")
    room.go_to("rules")
    client_id = str(uuid.uuid4())
    first = room.run(room.people[0], "add_rule", client_id=client_id, text="On ne juge pas.")
    again = room.run(room.people[0], "add_rule", client_id=client_id, text="On ne juge pas.")
    assert again.repeated and again.version == first.version
    with all_tenants():
        assert GroundRule.objects.filter(session=room.session).count() == 1


@pytest.mark.parametrize("name", ["start", "next_step", "pause", "add_time", "end_session", "reveal_votes"])
def test_facilitator_commands_are_refused_to_participants(room, name):
    room.run(room.facilitator, "start")
    version = room.table().version
    with pytest.raises(CommandRefused) as refused:
        room.run(room.people[0], name)
    assert refused.value.code in ("wrong_role", "wrong_step", "not_started")
    assert room.table().version == version


def test_a_command_at_the_wrong_step_changes_nothing(room):
    room.run(room.facilitator, "start")
    with pytest.raises(CommandRefused) as refused:
        room.run(room.people[0], "raise_hand")
    assert refused.value.code == "wrong_step"
    assert "étape" in refused.value.message  # in the user's language


@pytest.mark.parametrize(("text", "code"), [("", "empty_text"), ("   ", "empty_text"), ("x" * (LIMITS["rule"] + 1), "too_long"), (42, "bad_text")])
def test_bad_text_is_refused_with_its_limit(room, text, code):
    room.run(room.facilitator, "start")
    room.go_to("rules")
    with pytest.raises(CommandRefused) as refused:
        room.run(room.people[0], "add_rule", text=text)
    assert refused.value.code == code
    if code == "too_long":
        assert "300" in refused.value.message
    with all_tenants():
        assert not GroundRule.objects.exists()


def test_malformed_commands_are_refused(room):
    with pytest.raises(CommandRefused):
        execute(room.session.pk, room.facilitator.pk, "not-a-uuid", "start", {})
    with pytest.raises(CommandRefused):
        execute(room.session.pk, room.facilitator.pk, str(uuid.uuid4()), "format_disk", {})
    with pytest.raises(CommandRefused):
        execute(room.session.pk, room.facilitator.pk, str(uuid.uuid4()), "start", {"unexpected": 1})
    with pytest.raises(CommandRefused):
        execute(room.session.pk, room.facilitator.pk, str(uuid.uuid4()), "start", ["not", "a", "dict"])


def test_the_dot_vote(room):
    room.run(room.facilitator, "start")
    problems = room.write_problems(room.people)
    amina, bruno = room.people[0], room.people[1]
    # Own problem allowed, at most 2 on one, 3 in all.
    room.run(amina, "cast_vote", ballot={problems[amina.pk]: 2, problems[bruno.pk]: 1})
    for ballot, fragment in [({problems[bruno.pk]: 3}, "2"), ({problems[bruno.pk]: 2, problems[amina.pk]: 2}, "3")]:
        with pytest.raises(CommandRefused) as refused:
            room.run(bruno, "cast_vote", ballot=ballot)
        assert refused.value.code == "vote_rule" and fragment in refused.value.message
    # Changeable until the vote closes.
    room.run(amina, "cast_vote", ballot={problems[bruno.pk]: 2})
    with all_tenants():
        assert dict(Vote.objects.filter(voter=amina).values_list("problem_id", "count")) == {problems[bruno.pk]: 2}
    # Hidden until revealed.
    state = session_state(room.refresh(), bruno)
    assert state["vote"]["totals"] is None and state["vote"]["voters"] == 1
    room.run(room.facilitator, "reveal_votes")
    state = session_state(room.refresh(), bruno)
    assert state["vote"]["totals"][str(problems[bruno.pk])] == 2
    assert room.table().chosen_problem_id == problems[bruno.pk]
    with pytest.raises(CommandRefused):
        room.run(amina, "cast_vote", ballot={problems[amina.pk]: 1})


def test_a_tie_is_settled_by_a_new_vote_among_the_tied(room):
    room.run(room.facilitator, "start")
    room.go_to("problem_write")
    for person in room.people[:3]:
        room.run(person, "write_problem", text=f"Problème de {person.display_name}")
    room.go_to("vote")
    with all_tenants():
        ids = list(Problem.objects.filter(session=room.session).order_by("pk").values_list("pk", flat=True))
    room.run(room.people[0], "cast_vote", ballot={ids[0]: 2, ids[1]: 1})
    room.run(room.people[1], "cast_vote", ballot={ids[1]: 1})
    room.run(room.facilitator, "reveal_votes")
    state = session_state(room.refresh(), room.facilitator)
    assert state["vote"]["tied"] and set(state["vote"]["leaders"]) == {ids[0], ids[1]}
    with pytest.raises(CommandRefused):
        room.run(room.facilitator, "next_step")  # not chosen yet
    with pytest.raises(CommandRefused):
        room.run(room.facilitator, "choose_problem", problem=ids[2])  # not among the tied
    room.run(room.facilitator, "revote")
    with pytest.raises(CommandRefused):
        room.run(room.people[0], "cast_vote", ballot={ids[2]: 1})  # only the tied are candidates
    room.run(room.people[0], "cast_vote", ballot={ids[1]: 2})
    room.run(room.facilitator, "reveal_votes")
    assert room.table().chosen_problem_id == ids[1]


def test_the_offerer_declines_and_the_next_problem_is_proposed(room):
    room.run(room.facilitator, "start")
    ids = room.write_problems(room.people[:3])
    a, b, c = room.people[:3]
    room.run(a, "cast_vote", ballot={ids[a.pk]: 2, ids[b.pk]: 1})
    room.run(b, "cast_vote", ballot={ids[a.pk]: 1, ids[b.pk]: 1})
    room.run(room.facilitator, "reveal_votes")
    room.run(room.facilitator, "next_step")
    with pytest.raises(CommandRefused):
        room.run(b, "consent_case", agrees=True)  # not b's problem
    outcome = room.run(a, "consent_case", agrees=False)
    assert "suivante" in outcome.notice or "Merci" in outcome.notice
    assert room.table().chosen_problem_id == ids[b.pk] and room.table().offerer_id is None
    outcome = room.run(b, "consent_case", agrees=True)
    assert "générosité" in outcome.notice
    room.refresh()
    assert room.table().offerer_id == b.pk and b.role == "offerer"
    room.run(room.facilitator, "next_step")


def test_private_notes_are_their_authors_only(room):
    room.run(room.facilitator, "start")
    room.run(room.people[0], "write_note", text="Je pense à ma propre équipe.")
    assert [n["text"] for n in session_state(room.refresh(), room.people[0])["my_notes"]] == ["Je pense à ma propre équipe."]
    for other in (room.facilitator, room.people[1]):
        assert session_state(room.session, other)["my_notes"] == []
    with all_tenants():
        assert PrivateNote.objects.count() == 1


def test_the_speaking_queue_is_fair_and_airtime_is_for_the_facilitator(room):
    room.run(room.facilitator, "start")
    room.go_to("exchange")
    a, b, c = room.people[:3]
    room.run(a, "raise_hand")
    room.run(room.facilitator, "give_floor", participant=a.pk)
    room.run(a, "end_floor", participant=a.pk)
    room.run(a, "raise_hand")  # a asks again first...
    room.run(b, "raise_hand")
    room.run(c, "raise_hand")
    queue = session_state(room.refresh(), room.facilitator)["queue"]
    assert [w["id"] for w in queue["waiting"]] == [b.pk, c.pk, a.pk]  # ...but speaks after those who have not spoken
    assert queue["airtime"] is not None
    assert session_state(room.session, b)["queue"]["airtime"] is None


def test_problems_not_chosen_stay_with_their_authors_after_the_session(room):
    room.run(room.facilitator, "start")
    ids = room.write_problems(room.people[:2])
    room.run(room.people[0], "cast_vote", ballot={ids[room.people[0].pk]: 2})
    room.run(room.facilitator, "reveal_votes")
    room.run(room.facilitator, "end_session")
    seen_by_other = [p["text"] for p in session_state(room.refresh(), room.people[2])["problems"]]
    assert seen_by_other == [f"Problème de {room.people[0].display_name}"]
    seen_by_author = [p["text"] for p in session_state(room.session, room.people[1])["problems"]]
    assert f"Problème de {room.people[1].display_name}" in seen_by_author


def test_the_record_is_shared_only_when_everyone_consents(room):
    room.run(room.facilitator, "start")
    room.go_to("problem_write")
    room.run(room.people[0], "write_problem", text="Mon problème")
    room.go_to("vote")
    with all_tenants():
        problem = Problem.objects.get(session=room.session)
    room.run(room.people[0], "cast_vote", ballot={problem.pk: 2})
    room.run(room.facilitator, "reveal_votes")
    room.run(room.facilitator, "next_step")
    room.run(room.people[0], "consent_case", agrees=True)
    room.go_to("documentation")
    room.run(room.people[0], "write_record", text="Notes condensées")
    everyone = [room.facilitator, *room.people]
    for person in everyone[:-1]:
        room.run(person, "give_consent", agrees=True)
    assert session_state(room.refresh(), room.people[1])["documentation"]["record"] == ""
    room.run(everyone[-1], "give_consent", agrees=True)
    assert session_state(room.refresh(), room.people[1])["documentation"]["record"] == "Notes condensées"
    room.run(room.facilitator, "end_session")
    room.run(room.people[3], "give_consent", agrees=False)  # withdrawn afterwards
    assert session_state(room.refresh(), room.people[1])["documentation"]["record"] == ""


def test_a_removed_participant_can_do_nothing(room):
    room.run(room.facilitator, "start")
    room.run(room.facilitator, "remove_participant", participant=room.people[5].pk)
    with pytest.raises(CommandRefused) as refused:
        room.run(room.people[5], "set_ready")
    assert refused.value.code == "not_participant"


def test_a_participant_of_one_session_cannot_act_on_another(room, organisation, facilitator):
    from datetime import time

    from entraide.live.domain.opening import join, open_session

    other, _seat = open_session(organisation=organisation, protocol=room.session.protocol_version.protocol, facilitator=facilitator, participants=7, start=time(9), end=time(12))
    stranger = join(other, "Intrus").participant
    with pytest.raises(CommandRefused) as refused:
        execute(room.session.pk, stranger.pk, str(uuid.uuid4()), "set_ready", {})
    assert refused.value.code == "not_participant"


def test_the_timer_pauses_and_takes_added_time(room):
    room.run(room.facilitator, "start")
    state = session_state(room.refresh(), room.people[0])
    planned = state["clock"]["planned_seconds"]
    room.run(room.facilitator, "add_time", minutes=5)
    room.run(room.facilitator, "pause")
    state = session_state(room.refresh(), room.people[0])
    assert state["clock"]["planned_seconds"] == planned + 300
    assert state["clock"]["paused"] and state["clock"]["deadline_ms"] is None
    with pytest.raises(CommandRefused):
        room.run(room.facilitator, "add_time", minutes=0)
    room.run(room.facilitator, "resume")
    assert session_state(room.refresh(), room.people[0])["clock"]["running"]


def test_hand_over_the_facilitation(room):
    room.run(room.facilitator, "start")
    room.run(room.facilitator, "hand_over", participant=room.people[2].pk)
    room.refresh()
    assert room.people[2].role == "facilitator" and room.facilitator.role == "contributor"
    room.run(room.people[2], "next_step")


# --- Arguments: one parser per type, the same for every door -------------------------------


@pytest.mark.parametrize(("value", "ready"), [(True, True), (False, False), ("yes", True), ("no", False), ("on", True), ("false", False), ("0", False)])
def test_a_yes_no_argument_means_what_it_says_from_every_door(room, value, ready):
    room.run(room.facilitator, "start")
    room.run(room.people[0], "set_ready", ready=value)
    room.refresh()
    assert (room.people[0].ready_step is not None) is ready


@pytest.mark.parametrize("value", ["maybe", "", 2, [], {"a": 1}])
def test_a_yes_no_argument_that_is_neither_is_refused_and_changes_nothing(room, value):
    room.run(room.facilitator, "start")
    version = room.table().version
    with pytest.raises(CommandRefused) as refused:
        room.run(room.people[0], "set_ready", ready=value)
    assert refused.value.code == "bad_args" and "mal formées" in refused.value.message
    assert room.table().version == version and room.people[0].ready_step is None


def test_a_consent_without_its_answer_is_refused_rather_than_taken_as_a_no(room):
    room.run(room.facilitator, "start")
    room.go_to("consent")
    session = room.refresh()
    with pytest.raises(CommandRefused) as refused:
        room.run(room.people[0], "consent_case")
    assert refused.value.code in ("bad_args", "not_yours")
    with all_tenants():
        assert not Problem.objects.filter(session=session, declined=True).exists()


@pytest.mark.parametrize(("args", "code"), [({"participant": True}, "bad_args"), ({"participant": 1.5}, "bad_args"), ({"participant": "abc"}, "bad_args"), ({}, "bad_args"), ({"participant": 1, "extra": 2}, "bad_args")])
def test_ids_are_whole_numbers_and_nothing_else(room, args, code):
    room.run(room.facilitator, "start")
    with pytest.raises(CommandRefused) as refused:
        room.run(room.facilitator, "hand_over", **args)
    assert refused.value.code == code


def test_every_command_declares_typed_arguments():
    from entraide.live.domain.commands import COMMANDS

    for name, spec in COMMANDS.items():
        for argument in spec.arguments:
            assert argument.schema(), (name, argument)

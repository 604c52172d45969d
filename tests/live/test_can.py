"""The view model's ``can`` is what the command path accepts: for every built-in protocol,
every step, every role and every command, ``can[name]`` is false exactly when ``execute``
refuses the command for the actor's role, the step or the session's state."""

from datetime import time

import pytest
from django.db import transaction

from entraide.core.tenancy import all_tenants
from entraide.live.domain.commands import COMMANDS, CommandRefused, execute
from entraide.live.domain.state import session_state
from entraide.live.domain.steps import live_steps
from entraide.live.models import LiveRole, LiveSession, Participant

from .conftest import open_room

pytestmark = pytest.mark.integration

# Refusals about who, when and where; any other refusal is about the arguments or the
# situation (an empty text, nobody waiting), which ``can`` does not promise.
NOT_ALLOWED = {"wrong_role", "wrong_step", "ended", "not_started", "no_debrief"}


class RolledBack(Exception):
    pass


def accepted(session_id: int, actor_id: int, name: str) -> bool:
    """Whether execute lets ``name`` through its role, step and state checks; nothing stays."""
    try:
        with transaction.atomic():
            try:
                execute(session_id, actor_id, "00000000-0000-4000-8000-000000000001", name, {})
            except CommandRefused as refused:
                return refused.code not in NOT_ALLOWED
            raise RolledBack
    except RolledBack:
        return True


@pytest.mark.parametrize("protocol_key", ["atelier-entraide", "analyse-des-pratiques", "echange-de-pratiques", "supervision-collective", "brouillon-atelier", "atelier-pratique"])
def test_can_is_what_execute_accepts_at_every_step_for_every_role(builtins, organisation, facilitator, protocol_key):
    room = open_room(organisation, facilitator, protocol_key, time(9), time(17))
    with all_tenants():
        Participant.objects.filter(pk=room.people[0].pk).update(role=LiveRole.OFFERER)
    viewers = [room.facilitator, room.people[0], room.people[1]]  # facilitator, offerer, contributor
    checked = 0

    def check_all():
        nonlocal checked
        session = room.refresh()
        for viewer in viewers:
            can = session_state(session, viewer)["can"]
            assert set(can) == set(COMMANDS)
            for name in COMMANDS:
                assert can[name] == accepted(session.pk, viewer.pk, name), (protocol_key, session.status, viewer.role, name)
                checked += 1

    check_all()  # open
    room.run(room.facilitator, "start")
    with all_tenants():
        steps = live_steps(room.session.protocol_version.spec, room.session.agenda)
    for _ in steps:
        check_all()
        if room.table().step_index + 1 < len(steps):
            room.run(room.facilitator, "skip_step")
    room.run(room.facilitator, "end_session")
    check_all()  # ended
    assert room.refresh().status == LiveSession.Status.ENDED and checked > len(COMMANDS) * 3 * len(steps)

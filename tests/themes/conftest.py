from datetime import time

import pytest

from entraide.core.tenancy import all_tenants
from entraide.live.domain.opening import join, open_session
from entraide.protocols.models import Protocol
from tests.live.conftest import NAMES, Room


@pytest.fixture
def exchange_room(builtins, organisation, facilitator) -> Room:
    """A practice-exchange session (its protocol has theme steps) with six participants."""
    with all_tenants():
        protocol = Protocol.objects.get(organisation=None, key="echange-de-pratiques")
    session, seat = open_session(
        organisation=organisation, protocol=protocol, facilitator=facilitator, participants=7, start=time(9), end=time(12, 30)
    )
    secrets = {seat.participant.pk: seat.secret}
    people = []
    for name in NAMES:
        joined = join(session, name)
        people.append(joined.participant)
        secrets[joined.participant.pk] = joined.secret
    return Room(session, seat.participant, people, secrets)

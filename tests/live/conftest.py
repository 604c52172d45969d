import uuid
from datetime import time

import pytest

from entraide.core.tenancy import all_tenants
from entraide.live.domain import commands
from entraide.live.domain.opening import join, open_session
from entraide.live.models import LiveSession, LiveTable, Participant
from entraide.protocols.models import Protocol

NAMES = ["Amina", "Bruno", "Chloé", "Driss", "Élise", "Fanny"]


class Room:
    """A session with its facilitator and six participants, driven through the command path."""

    def __init__(self, session: LiveSession, facilitator: Participant, people: list[Participant], secrets: dict[int, str]):
        self.session = session
        self.facilitator = facilitator
        self.people = people
        self.secrets = secrets

    def run(self, who: Participant, name: str, client_id: str | None = None, **args) -> commands.Outcome:
        return commands.execute(self.session.pk, who.pk, client_id or str(uuid.uuid4()), name, args)

    def table(self) -> LiveTable:
        """The session's (only) table, as the database has it now."""
        self.refresh()
        with all_tenants():
            return LiveTable.objects.get(session=self.session, number=1)

    def refresh(self) -> LiveSession:
        with all_tenants():
            self.session = LiveSession.objects.select_related("protocol_version").get(pk=self.session.pk)
            for person in [self.facilitator, *self.people]:
                person.refresh_from_db()
        return self.session

    def write_problems(self, people: list[Participant]) -> dict[int, int]:
        """Each of these people writes a problem; returns {author id: problem id}."""
        from entraide.live.models import Problem

        self.go_to("problem_write")
        for person in people:
            self.run(person, "write_problem", text=f"Problème de {person.display_name}")
        self.go_to("vote")
        with all_tenants():
            return {p.author_id: p.pk for p in Problem.objects.filter(session=self.session)}

    def go_to(self, activity: str) -> None:
        while self.refresh().status == LiveSession.Status.RUNNING:
            from entraide.live.domain.steps import live_steps

            steps = live_steps(self.session.protocol_version.spec, self.session.agenda)
            if steps[self.table().step_index].activity == activity:
                return
            self.run(self.facilitator, "skip_step")
        raise AssertionError(f"no step {activity}")


def open_room(organisation, facilitator, protocol_key: str, start: time, end: time) -> Room:
    """A session of this built-in protocol, opened by the facilitator, with NAMES joined."""
    with all_tenants():
        protocol = Protocol.objects.get(organisation=None, key=protocol_key)
    session, seat = open_session(
        organisation=organisation, protocol=protocol, facilitator=facilitator, participants=7, start=start, end=end
    )
    secrets = {seat.participant.pk: seat.secret}
    people = []
    for name in NAMES:
        joined = join(session, name)
        people.append(joined.participant)
        secrets[joined.participant.pk] = joined.secret
    return Room(session, seat.participant, people, secrets)


@pytest.fixture
def room(builtins, organisation, facilitator) -> Room:
    return open_room(organisation, facilitator, "atelier-entraide", time(14), time(16, 30))

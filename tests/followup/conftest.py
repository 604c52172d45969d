import uuid
from datetime import time, timedelta

import pytest

from entraide.community.domain import groups as group_domain
from entraide.community.domain.sessions import NewSession, create_sessions, open_live
from entraide.core.domain import ensure_account, set_membership
from entraide.core.models import Role
from entraide.core.tenancy import all_tenants, tenant_scope
from entraide.live.domain import commands
from entraide.live.domain.opening import join
from entraide.live.domain.steps import live_steps
from entraide.live.models import LiveRole, LiveSession, LiveTable, Participant

from ..conftest import PASSWORD


def run(live, who, name, **args):
    return commands.execute(live.pk, who.pk, str(uuid.uuid4()), name, args)


def go_to(live, facilitator_seat, activity):
    while True:
        with all_tenants():
            live = LiveSession.objects.select_related("protocol_version").get(pk=live.pk)
        steps = live_steps(live.protocol_version.spec, live.agenda)
        if steps[commands.table_of(live).step_index].activity == activity:
            return live
        run(live, facilitator_seat, "skip_step")


@pytest.fixture
def make_member(organisation):
    def make(number: int, language: str = "fr", org=None):
        user = ensure_account(f"person{number:02d}@example.org", f"Personne {number:02d}", password=PASSWORD, language=language)
        set_membership(org or organisation, user, Role.MEMBER)
        return user

    return make


def make_group(organisation, coordinator, name, users):
    group = group_domain.create_group(organisation, group_domain.GroupData(name=name, capacity=20, location="Poitiers"), coordinator)
    for user in users:
        group_domain.join_group(group, user)
    with tenant_scope(organisation):
        group.memberships.update(joined_on=group_domain.today() - timedelta(days=60))
    return group


@pytest.fixture
def colleague(make_member):
    return make_member(1)


@pytest.fixture
def group(builtins, organisation, coordinator, member, colleague):
    return make_group(organisation, coordinator, "Échange de pratiques", [member, colleague])


class Held:
    """A group session held live: ``offerer`` (an account) offered a situation and wrote an action plan."""

    def __init__(self, group_session, live, facilitator_seat, seats):
        self.group_session = group_session
        self.live = live
        self.facilitator_seat = facilitator_seat
        self.seats = seats  # {user or name: (participant, secret)}

    def seat(self, key):
        return self.seats[key]


def hold_session(group, coordinator, facilitator, offerer, others=(), days=-10, protocol="echange-de-pratiques", actions=None, consent=True, record="Notes condensées de la séance"):
    """Run a group session live through the command path: the offerer's action plan, the
    documentation with everyone's consent, the end."""
    (group_session,) = create_sessions(group, [NewSession(group_domain.today() + timedelta(days=days), time(9), time(12))], coordinator)
    with tenant_scope(group.organisation):
        group_session.protocol_key = protocol
        group_session.save(update_fields=["protocol_key"])
    live, seat = open_live(group_session, facilitator)
    seats = {}
    off = join(live, offerer.display_name)
    seats[offerer] = (off.participant, off.secret)
    for other in others:
        joined = join(live, getattr(other, "display_name", str(other)))
        seats[other] = (joined.participant, joined.secret)
    with all_tenants():
        Participant.objects.filter(pk=off.participant.pk).update(role=LiveRole.OFFERER, user=offerer)
        LiveTable.objects.filter(session=live).update(offerer=off.participant)
    run(live, seat.participant, "start")
    go_to(live, seat.participant, "action_plan")
    run(live, off.participant, "add_idea", text="Une idée qui m'a parlé")
    for text, due in actions or [("Appeler la cheffe de service", (group_domain.today() + timedelta(days=5)).isoformat()), ("Relire mes notes", "")]:
        run(live, off.participant, "add_action", text=text, due=due)
    run(live, seat.participant, "end_session")
    # Documentation after the session (field document 001).
    if record:
        run(live, off.participant, "write_record", text=record)
    if consent:
        for participant, _secret in [*seats.values(), (seat.participant, seat.secret)]:
            run(live, participant, "give_consent", agrees=True)
    with all_tenants():
        live = LiveSession.objects.select_related("protocol_version").get(pk=live.pk)
    group_session.live_session = live
    return Held(group_session, live, seat.participant, seats)


def review_session(group, coordinator, facilitator, days=0, protocol="analyse-des-pratiques"):
    """The group's next session, run live up to its review of roadmaps."""
    (group_session,) = create_sessions(group, [NewSession(group_domain.today() + timedelta(days=days), time(14), time(17))], coordinator)
    with tenant_scope(group.organisation):
        group_session.protocol_key = protocol
        group_session.save(update_fields=["protocol_key"])
    live, seat = open_live(group_session, facilitator)
    run(live, seat.participant, "start")
    live = go_to(live, seat.participant, "review_roadmaps")
    return group_session, live, seat


@pytest.fixture
def held(group, coordinator, facilitator, member, colleague):
    return hold_session(group, coordinator, facilitator, member, others=[colleague])

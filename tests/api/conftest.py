"""A small organisation of our own for the API tests: a group with past sessions and their
attendance, an event, a plan, and another organisation with its own group and event."""

from dataclasses import dataclass
from datetime import time, timedelta

import pytest
from django.test import Client

from entraide.api.domain import tokens
from entraide.community.domain import groups as group_domain
from entraide.community.domain.sessions import NewSession, create_sessions, record_attendance
from entraide.core.domain import ensure_account, set_membership
from entraide.core.models import Role
from entraide.core.tenancy import tenant_scope
from entraide.events.domain.events import save_event
from entraide.events.models import EventRoleKind
from entraide.followup.domain import plans

from ..community.conftest import backdate
from ..conftest import PASSWORD
from ..events.conftest import event_data


@dataclass
class World:
    organisation: object
    coordinator: object
    facilitator: object
    member: object
    commissioner: object
    group: object
    sessions: list
    event: object
    plan: object
    other_organisation: object
    other_group: object
    other_event: object
    other_session: object


@pytest.fixture
def world(builtins, organisation, coordinator, facilitator, member, commissioner, other_organisation, other_coordinator) -> World:
    group = group_domain.create_group(organisation, group_domain.GroupData(name="Analyse des pratiques", location="Poitiers"), coordinator)
    for person in (member, facilitator):
        group_domain.join_group(group, person)
        group_domain.accept_charter(group, person)
    backdate(group, member)
    backdate(group, facilitator)
    today = group_domain.today()
    sessions = create_sessions(group, [NewSession(today + timedelta(days=d), time(9), time(12)) for d in (-30, -20, -10, 10)], coordinator)
    with tenant_scope(organisation):
        record_attendance(sessions[0], {member: "present", facilitator: "present"}, coordinator)
        record_attendance(sessions[1], {member: "absent", facilitator: "present"}, coordinator)
    event = save_event(organisation, coordinator, event_data(), {EventRoleKind.HOST: 1, EventRoleKind.PRESENTER: 1, EventRoleKind.PARTICIPANT: 3})
    plan = plans.create_roadmap(organisation, member, "Ma feuille de route")
    plans.add_action(plan, "Relire mes notes", "", actor=member)
    other_group = group_domain.create_group(other_organisation, group_domain.GroupData(name="Autre groupe"), other_coordinator)
    other_session = create_sessions(other_group, [NewSession(today - timedelta(days=5), time(9), time(12))], other_coordinator)[0]
    other_event = save_event(other_organisation, other_coordinator, event_data(title="Autre atelier"), {EventRoleKind.PARTICIPANT: 3})
    return World(organisation, coordinator, facilitator, member, commissioner, group, sessions, event, plan,
                 other_organisation, other_group, other_event, other_session)


def bearer(secret: str) -> Client:
    """A test client that sends ``Authorization: Bearer <secret>`` with every request."""
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}", raise_request_exception=False)


@pytest.fixture
def token_for():
    """token_for(user, organisation, scope="read") -> (ApiToken, Client sending it)."""

    def make(user, organisation, scope: str = "read"):
        created = tokens.create_token(user, organisation, f"outil {scope}", scope)
        return created.token, bearer(created.secret)

    return make


def account(organisation, email: str, role: str):
    user = ensure_account(email, email.split("@")[0].title(), password=PASSWORD)
    set_membership(organisation, user, role)
    return user


__all__ = ["World", "account", "bearer", "Role"]

from datetime import time, timedelta
from decimal import Decimal

import pytest

from entraide.community.domain import groups as group_domain
from entraide.community.domain.sessions import NewSession, create_sessions, record_attendance
from entraide.core.domain import ensure_account, set_membership
from entraide.core.models import Role
from entraide.core.tenancy import tenant_scope
from entraide.programmes.domain import programmes as programme_domain

from ..conftest import PASSWORD


@pytest.fixture
def make_member(organisation):
    def make(number: int, language: str = "fr"):
        user = ensure_account(f"person{number:02d}@example.org", f"Personne {number:02d}", password=PASSWORD, language=language)
        set_membership(organisation, user, Role.MEMBER)
        return user

    return make


@pytest.fixture
def group(organisation, coordinator, facilitator):
    group = group_domain.create_group(organisation, group_domain.GroupData(name="Analyse des pratiques", capacity=15, location="Poitiers"), coordinator)
    with tenant_scope(organisation):
        group_domain.set_facilitators(group, [facilitator], coordinator)
    return group


@pytest.fixture
def members(organisation, group, make_member):
    """Seven members of the group since two months ago."""
    people = [make_member(n) for n in range(1, 8)]
    with tenant_scope(organisation):
        for person in people:
            group_domain.join_group(group, person)
            group_domain.accept_charter(group, person)
        group.memberships.update(joined_on=group_domain.today() - timedelta(days=60))
    return people


@pytest.fixture
def sessions(organisation, group, coordinator):
    """Two past sessions and one to come."""
    today = group_domain.today()
    with tenant_scope(organisation):
        return create_sessions(group, [NewSession(today + timedelta(days=d), time(9), time(12, 30)) for d in (-20, -10, 5)], coordinator)


def attend(organisation, session, people, actor, status="present"):
    with tenant_scope(organisation):
        record_attendance(session, {person: status for person in people}, actor)


@pytest.fixture
def programme(organisation, coordinator, commissioner, group):
    today = group_domain.today()
    data = programme_domain.ProgrammeData(
        title="Analyse des pratiques — Vienne", commissioner_name="Direction des ressources humaines",
        commissioner_contacts="DRRH, 05 00 00 00 00", sessions_per_year=5, session_minutes=210,
        rhythm="hors vacances scolaires", price_per_session=Decimal("450.00"),
        start=today - timedelta(days=90), end=today + timedelta(days=270), groups=[group], representatives=[commissioner],
    )
    with tenant_scope(organisation):
        return programme_domain.create_programme(organisation, data, coordinator)

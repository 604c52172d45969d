from datetime import time, timedelta

import pytest

from entraide.community.domain import groups as group_domain
from entraide.community.domain.sessions import NewSession, create_sessions
from entraide.core.domain import ensure_account, set_membership
from entraide.core.models import Role
from entraide.core.tenancy import tenant_scope

from ..conftest import PASSWORD


@pytest.fixture
def make_member(organisation):
    def make(number: int, language: str = "fr"):
        user = ensure_account(f"person{number:02d}@example.org", f"Personne {number:02d}", password=PASSWORD, language=language)
        set_membership(organisation, user, Role.MEMBER)
        return user

    return make


@pytest.fixture
def group(organisation, coordinator):
    return group_domain.create_group(organisation, group_domain.GroupData(name="Analyse des pratiques", capacity=15, location="Poitiers"), coordinator)


@pytest.fixture
def sessions(group, coordinator):
    """Two past sessions and three to come, relative to today."""
    today = group_domain.today()
    days = [-20, -10, 5, 15, 30]
    return create_sessions(group, [NewSession(today + timedelta(days=d), time(9), time(12, 30)) for d in days], coordinator)


def backdate(group, user, days: int = 60) -> None:
    """Make a membership start before the past sessions (joining counts from the next session)."""
    with tenant_scope(group.organisation):
        group.memberships.filter(user=user).update(joined_on=group_domain.today() - timedelta(days=days))

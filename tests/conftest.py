import uuid

import pytest

from entraide.core.domain import ensure_account, set_membership
from entraide.core.models import Organisation, Role
from entraide.protocols.domain.library import load_builtins

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _own_cache_namespace(settings):
    """Each test gets its own cache namespace on the real backend (Redis in the production
    path), so that counters such as the join-attempt limit do not leak between tests or runs."""
    settings.CACHES = {"default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}}


@pytest.fixture(autouse=True)
def _fresh_protocol_versions():
    """Each test reads protocol versions anew, and renders live pages anew: a rolled-back test's
    version or session id can be another test's on SQLite, and the per-process caches
    (live.domain.versions, realtime.render) are keyed by id."""
    from entraide.live.domain import versions
    from entraide.realtime import render

    versions.clear()
    render.clear()


@pytest.fixture(scope="session", autouse=True)
def _no_connection_left_at_teardown(django_db_setup, django_db_blocker):
    """Before pytest-django drops the PostgreSQL test database, end the connections the
    websocket tests' thread pool left open (idle, each in its own worker thread): otherwise
    the drop fails with "being accessed by other users". Its teardown runs before
    django_db_setup's (it depends on it)."""
    yield
    from django.db import connection, connections

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock():
        connections.close_all()
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
        finally:
            connection.close()


@pytest.fixture
def builtins(db):
    load_builtins()


@pytest.fixture
def organisation(db) -> Organisation:
    return Organisation.objects.create(name="Réseau des ateliers", slug="reseau")


@pytest.fixture
def other_organisation(db) -> Organisation:
    return Organisation.objects.create(name="Autre réseau", slug="autre")


def _account(organisation, email, role):
    user = ensure_account(email, email.split("@")[0].title(), password=PASSWORD)
    if organisation is not None:
        set_membership(organisation, user, role)
    return user


@pytest.fixture
def coordinator(organisation):
    return _account(organisation, "coordination@example.org", Role.COORDINATOR)


@pytest.fixture
def facilitator(organisation):
    return _account(organisation, "facilitation@example.org", Role.FACILITATOR)


@pytest.fixture
def member(organisation):
    return _account(organisation, "membre@example.org", Role.MEMBER)


@pytest.fixture
def commissioner(organisation):
    return _account(organisation, "drh@example.org", Role.COMMISSIONER)


@pytest.fixture
def other_coordinator(other_organisation):
    return _account(other_organisation, "coordination@autre.example.org", Role.COORDINATOR)


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Expose each phase's report on the test item (for failure screenshots)."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)

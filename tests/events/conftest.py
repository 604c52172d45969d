from datetime import time, timedelta

import pytest
from django.utils import timezone

from entraide.core.tenancy import tenant_scope
from entraide.events.domain.events import EventData, save_event
from entraide.events.domain.registrations import register
from entraide.events.models import Event, EventRoleKind, Registration

HOST, PRESENTER, PARTICIPANT = EventRoleKind.HOST, EventRoleKind.PRESENTER, EventRoleKind.PARTICIPANT
QUESTION = "Comment accueillir une personne en deuil dans notre groupe de voisinage ?"


def event_data(**changes) -> EventData:
    values = dict(
        title="Atelier pratique de printemps", date=timezone.localdate() + timedelta(days=20),
        start=time(14), end=time(17), place="Salle communale, Suhr", region="Argovie",
        languages=("fr", "de"), status=Event.Status.PUBLISHED, description="Gratuit, environ trois heures.",
    )
    values.update(changes)
    return EventData(**values)


@pytest.fixture
def event(builtins, organisation, coordinator) -> Event:
    return save_event(organisation, coordinator, event_data(), {HOST: 2, PRESENTER: 2, PARTICIPANT: 2})


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run the after-commit work (emails) of what happens inside the block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def registrations(event: Event, **filters) -> list[Registration]:
    with tenant_scope(event.organisation):
        return list(Registration.objects.filter(event=event, **filters).order_by("pk"))


def sign_up(event, role, n, start=0, **kwargs):
    return [
        register(event, role, f"Personne {i}", f"personne{i}@example.org", **kwargs)
        for i in range(start, start + n)
    ]

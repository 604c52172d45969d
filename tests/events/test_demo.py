import pytest
from django.core.management import call_command

from entraide.core.models import Organisation
from entraide.core.tenancy import tenant_scope
from entraide.events.domain.demo import DEMO_SLUG
from entraide.events.models import Event, Registration

pytestmark = pytest.mark.integration


def test_demo_data_has_one_published_event_with_registrations_and_is_idempotent(builtins, capsys):
    call_command("load_demo")
    call_command("load_demo")
    demo = Organisation.objects.get(slug="demo")
    with tenant_scope(demo):
        event = Event.objects.get()
        assert (event.slug, event.status, event.protocol.key) == (DEMO_SLUG, Event.Status.PUBLISHED, "atelier-pratique")
        statuses = sorted(Registration.objects.filter(event=event).values_list("role", "status"))
    assert statuses == [("host", "confirmed"), ("participant", "confirmed"), ("participant", "confirmed"), ("presenter", "confirmed")]

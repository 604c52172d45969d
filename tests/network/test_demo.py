"""The demo (`entraide load_demo`) shows the network's services and a programme filled, once."""

import pytest
from django.core.management import call_command

from entraide.core.models import Organisation
from entraide.core.tenancy import tenant_scope
from entraide.grants.models import GrantRequest
from entraide.network.models import Concern, MentorOffer, SupervisionRequest
from entraide.programmes.models import Programme

pytestmark = pytest.mark.integration


def test_the_demo_has_a_request_a_mentor_a_grant_and_a_programme_and_is_idempotent(builtins):
    call_command("load_demo")
    call_command("load_demo")
    demo = Organisation.objects.get(slug="demo")
    with tenant_scope(demo):
        request = SupervisionRequest.objects.get()
        assert "prend toute la place" in request.title and Concern.objects.filter(request=request).count() == 1
        assert MentorOffer.objects.count() == 1 and GrantRequest.objects.count() == 1
        programme = Programme.objects.get()
        assert programme.meetings.count() == 1 and programme.representatives.filter(email="commanditaire@demo.entraide.test").exists()

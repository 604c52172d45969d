"""Erasure over the whole demo: the members who raised supervision requests, offered or asked
for mentoring, or asked for a grant (one paid, with a receipt) erase their accounts; nothing of
them is left in any text column, and the accounting keeps its lines."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from entraide.core.models import Organisation, User
from entraide.core.tenancy import all_tenants, tenant_scope
from entraide.grants.models import LedgerEntry
from entraide.mydata.domain import erasure
from entraide.network.models import MentoringRequest, MentorOffer, SupervisionRequest

from ..conftest import PASSWORD

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_members_with_network_and_grant_records_erase_their_accounts(tmp_path):
    with override_settings(ENTRAIDE_PRIVATE_DIR=tmp_path):
        call_command("load_protocols", verbosity=0, stdout=io.StringIO())
        call_command("load_demo", verbosity=0, stdout=io.StringIO())
        organisation = Organisation.objects.get(slug="demo")
        from tests.web.test_cache_control import _paid_grant

        offerer = User.objects.get(email="membre01@demo.entraide.test")
        coordinator = User.objects.get(email="coordination@demo.entraide.test")
        with tenant_scope(organisation):
            _paid_grant(organisation, offerer, coordinator)
        with all_tenants():
            ids = {offerer.pk}
            ids |= set(SupervisionRequest.objects.values_list("raised_by", flat=True))
            ids |= set(MentorOffer.objects.values_list("member", flat=True))
            ids |= set(MentoringRequest.objects.values_list("member", flat=True))
            ledger_lines = LedgerEntry.objects.filter(member=offerer).count()
        people = list(User.objects.filter(pk__in=ids))
        assert len(people) >= 2 and ledger_lines >= 1
        for person in people:
            person.set_password(PASSWORD)
            person.save(update_fields=["password"])
            markers = [person.email, person.display_name]
            erasure.erase_account(person, PASSWORD)
            assert erasure.find_markers(markers) == [], person.email
        with all_tenants():
            assert LedgerEntry.objects.filter(member=offerer).count() == ledger_lines
            assert not SupervisionRequest.objects.filter(raised_by__in=ids).exists()

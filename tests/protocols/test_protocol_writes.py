"""Issue 13: a protocol's copy and its new versions go through the one rule for every write:
one action-log row each, none for a refusal or an unchanged save."""

import pytest

from entraide.core.models import ActionLogEntry
from entraide.core.tenancy import all_tenants
from entraide.protocols.domain.library import copy_protocol, save_protocol_version
from entraide.protocols.domain.spec import SpecError
from entraide.protocols.models import Protocol

pytestmark = pytest.mark.django_db


def _protocol_rows(organisation):
    return list(ActionLogEntry.everywhere.filter(organisation=organisation, verb__startswith="protocol.").values_list("actor_id", "verb", "object_id"))


def test_copy_and_versions_are_logged_without_content(builtins, organisation, coordinator):
    with all_tenants():
        atelier = Protocol.objects.select_related("current").get(organisation=None, key="atelier-entraide")
    copy = copy_protocol(atelier, organisation, coordinator)
    assert _protocol_rows(organisation) == [(coordinator.pk, "protocol.copied", str(copy.pk))]
    save_protocol_version(copy, copy.current.source, coordinator)  # unchanged: no row
    assert len(_protocol_rows(organisation)) == 1
    with pytest.raises(SpecError):
        save_protocol_version(copy, "key: [", coordinator)
    assert len(_protocol_rows(organisation)) == 1
    edited = copy.current.source.replace("  fr: Atelier d'entraide\n", "  fr: Atelier d'entraide du jeudi\n", 1)
    save_protocol_version(copy, edited, coordinator)
    assert _protocol_rows(organisation)[0] == (coordinator.pk, "protocol.version_saved", str(copy.pk))
    assert not ActionLogEntry.everywhere.filter(verb__startswith="protocol.", object_type__contains="jeudi").exists()

"""Issue 10: an organisation's copy of a protocol keeps a one-line title in every language."""

import pytest

from entraide.core.tenancy import all_tenants
from entraide.protocols.domain.library import copy_protocol, save_protocol_version
from entraide.protocols.domain.spec import SpecError
from entraide.protocols.models import Protocol

pytestmark = pytest.mark.django_db

ONE_LINE_FR = "Ce champ doit tenir sur une seule ligne"


@pytest.mark.parametrize("crafted", ['"Atelier\\nBcc: x"', '"Atelier\\td\'entraide"', '"Atelier\\x07"'])
def test_a_title_with_a_control_character_is_refused_and_the_version_stays(builtins, organisation, coordinator, crafted):
    with all_tenants():
        atelier = Protocol.objects.select_related("current").get(organisation=None, key="atelier-entraide")
    copy = copy_protocol(atelier, organisation, coordinator)
    before = copy.current.number
    source = copy.current.source.replace("  fr: Atelier d'entraide\n", f"  fr: {crafted}\n", 1)
    assert source != copy.current.source
    with pytest.raises(SpecError) as refused:
        save_protocol_version(copy, source, coordinator)
    assert any(ONE_LINE_FR in message for message in refused.value.messages)
    assert any(issue.field == "title.fr" for issue in refused.value.issues)
    with all_tenants():
        assert Protocol.objects.get(pk=copy.pk).current.number == before

"""The protocol editor refuses YAML anchors and aliases (billion laughs) at once, with the
schema's message in the user's language, and keeps the current version and what was typed."""

import time
from html import unescape

import pytest

from entraide.core.tenancy import all_tenants, tenant_scope
from entraide.protocols.domain.library import copy_protocol
from entraide.protocols.models import Protocol
from tests.core.test_safe_yaml import billion_laughs

pytestmark = pytest.mark.integration


@pytest.fixture
def copy(builtins, organisation, coordinator):
    with all_tenants():
        atelier = Protocol.objects.get(organisation=None, key="atelier-entraide")
    return copy_protocol(atelier, organisation, coordinator)


@pytest.mark.parametrize(
    ("language", "expected", "kept"),
    [
        ("fr", "les ancres (&a) ne sont pas permises", "la version actuelle est inchangée"),
        ("de", "Anker (&a) sind nicht erlaubt", None),
        ("en", "anchors (&a) are not allowed", None),
    ],
)
def test_the_billion_laughs_posted_to_the_editor_is_refused_and_the_version_kept(client, copy, organisation, coordinator, language, expected, kept):
    client.force_login(coordinator)
    with tenant_scope(organisation):
        before = copy.current.source
    started = time.perf_counter()
    response = client.post(copy.url("protocol-edit"), {"source": billion_laughs()}, HTTP_ACCEPT_LANGUAGE=language)
    assert time.perf_counter() - started < 5
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert expected in html
    if kept:
        assert kept in html
    # What was typed is shown again; nothing is saved.
    assert '"lol","lol"' in html
    with tenant_scope(organisation):
        copy.refresh_from_db()
        assert copy.current.number == 1 and copy.versions.count() == 1 and copy.current.source == before
